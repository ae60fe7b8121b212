import { readReleasePackages } from '@paved/template-check';
import fs from 'node:fs';
import path from 'node:path';
import type { SandboxSeed } from './seed';

/**
 * A repository the sandbox seeds into its GitHub.
 *
 * @public
 */
export type SeedRepo = SandboxSeed['github']['repos'][number];

/**
 * A small copier template for template-sync tests and benchmarks: `_subdirectory: template`, two questions, a
 * README, a config file whose lines releases change, and a catalog-info that records its provenance.
 * `versions` are tagged v1.0.0 and v2.0.0 when seeded; `next` is v3.0.0, for a test to release later.
 *
 * @public
 */
export const serviceTemplateFixture: {
  repo: SeedRepo;
  next: { tag: string; files: Record<string, string | null> };
} = {
  repo: {
    name: 'service-template',
    files: [{ path: 'README.md', content: '# Service template\n' }],
    versions: [
      {
        tag: 'v1.0.0',
        files: {
          'copier.yml': [
            '_subdirectory: template',
            'name:',
            '  type: str',
            '  help: Service name',
            'owner:',
            '  type: str',
            '  default: team-a',
            '',
          ].join('\n'),
          'template/README.md.jinja':
            '# {{ name }}\n\nOwned by {{ owner }}.\n\n## Running\n\nnpm start\n',
          'template/config/app.properties.jinja':
            'name={{ name }}\nport=8080\nlog=info\n',
          'template/catalog-info.yaml.jinja': [
            'apiVersion: backstage.io/v1alpha1',
            'kind: Component',
            'metadata:',
            '  name: {{ name }}',
            'spec:',
            '  type: service',
            '  lifecycle: production',
            '  owner: {{ owner }}',
            '',
          ].join('\n'),
          'template/{{ _copier_conf.answers_file }}.jinja':
            '# Changes here will be overwritten by Copier\n{{ _copier_answers|to_nice_yaml }}',
        },
      },
      {
        tag: 'v2.0.0',
        files: {
          'template/config/app.properties.jinja':
            'name={{ name }}\nport=8080\nlog=warn\nmetrics=true\n',
        },
      },
    ],
  },
  next: {
    tag: 'v3.0.0',
    files: {
      'template/config/app.properties.jinja':
        'name={{ name }}\nport=8080\nlog=warn\nmetrics=true\ntracing=true\n',
      'template/.github/workflows/ci.yml':
        'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
    },
  },
};

/**
 * Where `yarn dev`'s sandbox serves the fixture template (the sandbox listens on 7440 in development).
 *
 * @public
 */
export const DEV_TEMPLATE_SOURCE =
  'http://127.0.0.1:7440/paved-demo/service-template.git';

/**
 * A repository as `paved:template:fetch` leaves it after rendering {@link serviceTemplateFixture} at `version` with
 * `name` (owner defaulted): the files, the answers file, and provenance on catalog-info.yaml. A test in the
 * template-sync backend renders the same with the engine and compares, so this stays exact.
 *
 * @public
 */
export function renderedServiceFixture(options: {
  name: string;
  version: 'v1.0.0' | 'v2.0.0';
  srcPath: string;
}): Array<{ path: string; content: string }> {
  const { name, version, srcPath } = options;
  const properties =
    version === 'v1.0.0'
      ? `name=${name}\nport=8080\nlog=info\n`
      : `name=${name}\nport=8080\nlog=warn\nmetrics=true\n`;
  return [
    {
      path: '.copier-answers.yml',
      content: `# Changes here will be overwritten by Copier\n_commit: ${version}\n_src_path: ${srcPath}\nname: ${name}\nowner: team-a\n`,
    },
    {
      path: 'README.md',
      content: `# ${name}\n\nOwned by team-a.\n\n## Running\n\nnpm start\n`,
    },
    { path: 'config/app.properties', content: properties },
    {
      path: 'catalog-info.yaml',
      content: [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${name}`,
        '  annotations:',
        `    paved.dev/template-source: ${srcPath}`,
        `    paved.dev/template-version: ${version}`,
        '    paved.dev/answers-file: .copier-answers.yml',
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: team-a',
        '',
      ].join('\n'),
    },
  ];
}

/** Every file under `dir`, relative with `/`, with its bytes. */
export function readTree(dir: string, base = dir): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, readTree(abs, base));
    else
      out[path.relative(base, abs).split(path.sep).join('/')] =
        fs.readFileSync(abs);
  }
  return out;
}

/**
 * The seed plus a `templates` repository holding every template folder of `dir` (those with a copier.yml), tagged
 * v1.0.0: the golden paths of this repository served the way an organisation's template repository would be
 * (`<sandbox>/paved-demo/templates.git//<name>`). A repository that exists already (a kept state folder) is kept.
 *
 * @public
 */
export function withTemplates(seed: SandboxSeed, dir: string): SandboxSeed {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const folder = path.join(dir, entry.name);
    if (!entry.isDirectory() || !fs.existsSync(path.join(folder, 'copier.yml')))
      continue;
    for (const [rel, content] of Object.entries(readTree(folder))) {
      files[`${entry.name}/${rel}`] = content.toString('utf8');
    }
  }
  return {
    ...seed,
    github: {
      ...seed.github,
      repos: [
        ...seed.github.repos.filter(r => r.name !== 'templates'),
        {
          name: 'templates',
          files: [
            {
              path: 'README.md',
              content:
                '# Templates\n\nGolden paths, one folder each (copier format).\n',
            },
          ],
          versions: [{ tag: 'v1.0.0', files }],
        },
      ],
    },
  };
}

/**
 * The seed plus a `platform` repository holding the folder `dir` (this repository's platform/: reusable workflows,
 * composite actions, Terraform modules), tagged with each Release Please component's current release
 * (`workflows-v1.0.0`, `actions-v1.0.0`, …, from its config and manifest), so every reference a generated repository
 * makes to the platform resolves against the sandbox's GitHub. A repository that exists already is kept.
 *
 * @public
 */
export function withPlatform(seed: SandboxSeed, dir: string): SandboxSeed {
  const tags = readReleasePackages(dir).map(
    p => `${p.component}-v${p.version}`,
  );
  const files = Object.fromEntries(
    Object.entries(readTree(dir)).map(([rel, content]) => [
      rel,
      content.toString('utf8'),
    ]),
  );
  return {
    ...seed,
    github: {
      ...seed.github,
      repos: [
        ...seed.github.repos.filter(r => r.name !== 'platform'),
        {
          name: 'platform',
          files: [
            {
              path: 'README.md',
              content: '# Platform\n\nShared workflows, actions and modules.\n',
            },
          ],
          versions: [{ tag: tags[0], tags: tags.slice(1), files }],
        },
      ],
    },
  };
}
