#!/usr/bin/env node
// Records the Terraform providers' resource and data source schemas that the `terraform` check validates against, as
// data taken from the providers' published CDKTF bindings (`@cdktf/provider-aws`, `@cdktf/provider-newrelic`: their
// jsii assemblies carry every resource's arguments and blocks, generated from the providers' own schemas). No
// terraform binary can be installed here; these are the schemas it would use. Run it to move to newer providers:
//
//   node packages/template-check/scripts/terraform-schemas.mjs
//
// It writes data/terraform/<provider>.json: { provider, version, source, resources: { <type>: Schema },
// data: { <type>: Schema } }, Schema = { a: { <argument>: 1 (required) | 0 }, b: { <block>: Schema & { r?: 1 } } }.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROVIDERS = [
  { pkg: '@cdktf/provider-aws', version: '21.22.1', name: 'aws' },
  { pkg: '@cdktf/provider-newrelic', version: '13.12.2', name: 'newrelic' },
];
const out = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../data/terraform',
);

const snake = s => s.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);

for (const provider of PROVIDERS) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-tf-schema-'));
  try {
    const tgz = execFileSync(
      'npm',
      ['pack', `${provider.pkg}@${provider.version}`, '--silent'],
      {
        cwd: tmp,
        encoding: 'utf8',
        timeout: 300_000,
      },
    ).trim();
    execFileSync('tar', ['xzf', tgz, 'package/.jsii'], {
      cwd: tmp,
      timeout: 300_000,
    });
    const jsii = JSON.parse(
      fs.readFileSync(path.join(tmp, 'package/.jsii'), 'utf8'),
    );
    const types = jsii.types;
    const fqnOf = t => {
      if (!t) return undefined;
      if (t.fqn) return t.fqn;
      if (t.collection) return fqnOf(t.collection.elementtype);
      if (t.union)
        return t.union.types.map(fqnOf).find(f => f && types[f]?.datatype);
      return undefined;
    };
    const schemaOf = (fqn, seen = new Set()) => {
      const schema = { a: {}, b: {} };
      if (seen.has(fqn)) return schema;
      seen.add(fqn);
      for (const p of types[fqn]?.properties ?? []) {
        const m = /#(\w+) \w+#\w+\}/.exec(p.docs?.remarks ?? '');
        const name = m ? m[1] : snake(p.name);
        const nested = fqnOf(p.type);
        if (nested && types[nested]?.datatype && nested.startsWith(jsii.name)) {
          schema.b[name] = {
            ...schemaOf(nested, new Set(seen)),
            ...(p.optional ? {} : { r: 1 }),
          };
        } else {
          schema.a[name] = p.optional ? 0 : 1;
        }
      }
      if (!Object.keys(schema.b).length) delete schema.b;
      return schema;
    };
    const resources = {};
    const data = {};
    let registry = '';
    for (const [fqn, t] of Object.entries(types)) {
      const m =
        /Represents a \{@link (https:\/\/registry\.terraform\.io\/providers\/[^ ]+\/docs\/(resources|data-sources)\/\w+) (\w+)\}/.exec(
          t.docs?.summary ?? '',
        );
      if (t.kind !== 'class' || !m) continue;
      registry ||= m[1].replace(/\/docs\/.*/, '');
      const config = `${fqn}Config`;
      if (!types[config]) continue;
      (m[2] === 'resources' ? resources : data)[m[3]] = schemaOf(config);
    }
    const sorted = o =>
      Object.fromEntries(
        Object.entries(o).sort(([a], [b]) => a.localeCompare(b)),
      );
    fs.writeFileSync(
      path.join(out, `${provider.name}.json`),
      `${JSON.stringify({
        provider: provider.name,
        version: registry.split('/').pop(),
        source: `${provider.pkg}@${provider.version} (${registry})`,
        resources: sorted(resources),
        data: sorted(data),
      })}\n`,
    );
    console.log(
      `${provider.name}: ${Object.keys(resources).length} resources, ${
        Object.keys(data).length
      } data sources (${registry})`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
