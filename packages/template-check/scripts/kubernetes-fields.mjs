#!/usr/bin/env node
// Records which fields every built-in Kubernetes kind has, nested all the way down, as data the `kubernetes` check
// uses to report unknown fields (kubernetes-models validates types and required fields but, like the OpenAPI spec
// it is generated from, does not forbid extra ones; the API server drops or, with strict field validation, refuses
// them). Taken from kubernetes-models' type declarations (generated from the Kubernetes OpenAPI spec) with the
// TypeScript compiler. Run it after upgrading kubernetes-models:
//
//   node packages/template-check/scripts/kubernetes-fields.mjs
//
// It writes data/kubernetes/fields.json: { source, kinds: { "<apiVersion>/<kind>": "<type>" },
// types: { "<type>": { "<field>": "<type>" | "" (a scalar) | "*" (a map or anything) } }.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../package.json'));

// The workspace's TypeScript (a devDependency of the repository root), only for this script.
// eslint-disable-next-line @backstage/no-undeclared-imports
const ts = require('typescript');

const root = path.dirname(require.resolve('kubernetes-models/package.json'));
const version = require('kubernetes-models/package.json').version;

// Every <group>/<version>/index.d.ts of kubernetes-models.
const entries = [];
const walk = dir => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('_')) continue;
    const d = path.join(dir, e.name);
    if (fs.existsSync(path.join(d, 'index.d.ts')) && /^v\d/.test(e.name))
      entries.push(d);
    walk(d);
  }
};
walk(root);

const program = ts.createProgram(
  entries.map(d => path.join(d, 'index.d.ts')),
  {
    noEmit: true,
    skipLibCheck: true,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  },
);
const checker = program.getTypeChecker();
const types = {};
const kinds = {};

/** A type's name: the file declaring it, as kubernetes-models lays them out (`apps/v1/DeploymentSpec`), so types
 * of the same name in two groups stay apart. */
const nameOf = type => {
  const file =
    (type.aliasSymbol ?? type.getSymbol())?.declarations?.[0]?.getSourceFile()
      .fileName ?? '';
  const m =
    /node_modules\/(?:kubernetes-models|@kubernetes-models\/apimachinery)\/(.+)\.d\.ts$/.exec(
      file,
    );
  return m ? m[1] : undefined;
};

/** A property's type: a named object type is recorded (and walked), maps and unknowns are open, the rest scalars. */
function fieldType(declared) {
  const type = checker.getNonNullableType(declared);
  if (checker.isArrayType(type))
    return fieldType(checker.getTypeArguments(type)[0]);
  if (type.isUnion()) {
    const objects = type.types.filter(t => t.flags & ts.TypeFlags.Object);
    if (objects.length === 1) return fieldType(objects[0]);
    return objects.length ? '*' : '';
  }
  if (!(type.flags & ts.TypeFlags.Object))
    return type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) ? '*' : '';
  if (checker.getIndexInfosOfType(type).length) return '*';
  const props = checker.getPropertiesOfType(type);
  if (!props.length) return '*';
  const name = nameOf(type);
  if (!name) return '*';
  record(name, type);
  return name;
}

function record(name, type) {
  if (types[name]) return;
  types[name] = {};
  for (const p of checker.getPropertiesOfType(type)) {
    const decl = p.valueDeclaration ?? p.declarations?.[0];
    if (!decl) continue;
    types[name][p.getName()] = fieldType(
      checker.getTypeOfSymbolAtLocation(p, decl),
    );
  }
}

for (const entry of entries) {
  const source = program.getSourceFile(path.join(entry, 'index.d.ts'));
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) continue;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias
        ? checker.getAliasedSymbol(exported)
        : exported;
    if (
      !(symbol.flags & ts.SymbolFlags.Interface) ||
      !/^I[A-Z]/.test(symbol.getName())
    )
      continue;
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const apiVersion = type.getProperty('apiVersion');
    const kind = type.getProperty('kind');
    if (!apiVersion || !kind) continue;
    const literal = s => {
      const t = checker.getTypeOfSymbolAtLocation(
        s,
        s.valueDeclaration ?? s.declarations[0],
      );
      return t.isStringLiteral() ? t.value : undefined;
    };
    const av = literal(apiVersion);
    const k = literal(kind);
    if (!av || !k || k.endsWith('List')) continue;
    const name = nameOf(type);
    if (!name) continue;
    record(name, type);
    kinds[`${av}/${k}`] = name;
  }
}

const out = path.join(here, '../data/kubernetes/fields.json');
fs.writeFileSync(
  out,
  `${JSON.stringify({
    source: `kubernetes-models@${version} (generated from the Kubernetes OpenAPI spec)`,
    kinds,
    types,
  })}\n`,
);
console.log(
  `${Object.keys(kinds).length} kinds, ${
    Object.keys(types).length
  } types → ${path.relative(process.cwd(), out)} (${
    fs.statSync(out).size
  } bytes)`,
);
