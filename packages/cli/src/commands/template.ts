import { Command, Option } from 'commander';
import path from 'node:path';
import {
  checkInstance,
  copyTemplate,
  updateInstance,
  UpdateReport,
} from '@paved/plugin-template-sync-node';
import type { Io } from '../io';
import { answersFrom, collectData } from './data';

/** Exit code of `paved template check` when the instance is behind. */
export const EXIT_BEHIND = 2;

function summarise(report: UpdateReport): string {
  if (report.upToDate) {
    return `${report.answersFile} is already at ${report.to}; nothing to do.\n`;
  }
  const count = (status: string) =>
    report.changes.filter(c => c.status === status).length;
  const lines = [
    `Updated ${report.answersFile} from ${report.from} to ${report.to}: ${count(
      'modified',
    )} modified, ${count('added')} added, ${count('deleted')} deleted, ${
      report.conflicts
    } conflict(s).`,
    ...report.changes.map(
      c =>
        `  ${c.status.padEnd(8)} ${c.path}${
          c.conflict ? ` (${c.conflict})` : ''
        }`,
    ),
    ...report.kept.map(k => `  kept     ${k.path} (${k.reason})`),
    ...report.warnings.map(w => `warning: ${w}`),
  ];
  if (report.conflicts) {
    lines.push(
      'Resolve the conflicts (markers "<<<<<<< before updating" or .rej files), then commit.',
    );
  }
  return `${lines.join('\n')}\n`;
}

const dataOption = () =>
  new Option(
    '-d, --data <key=value>',
    'answer a question (repeatable)',
  ).argParser(collectData);

/** `paved template copy|update|check`: copier's commands and flags, for CI and laptops. */
export function templateCommand(
  io: Io,
  setExitCode: (code: number) => void,
): Command {
  const template = new Command('template').description(
    'Render versioned, copier-compatible templates and keep instances up to date',
  );

  template
    .command('copy <src> <dst>')
    .description(
      'Render a template (Git URL, gh:org/repo, or path; repo//folder for one folder) into a directory',
    )
    .option(
      '-r, --vcs-ref <ref>',
      'render this ref instead of the newest version tag (HEAD of a local template includes its uncommitted changes, as copier does)',
    )
    .addOption(dataOption())
    .option('--data-file <file>', 'YAML or JSON file of answers (--data wins)')
    .option(
      '-l, --defaults',
      'use the default answer for every question not answered with --data',
    )
    .option('-a, --answers-file <path>', 'answers file path relative to <dst>')
    .option(
      '-g, --prereleases',
      'consider pre-release tags when picking the newest version',
    )
    .option(
      '-w, --overwrite',
      'replace existing files that differ from the template',
    )
    .option('--trust', 'run the template’s tasks (they run arbitrary commands)')
    .option('--json', 'print the result as JSON')
    .action(async (src: string, dst: string, opts) => {
      const result = await copyTemplate({
        src,
        dst,
        vcsRef: opts.vcsRef,
        data: answersFrom(opts),
        defaults: opts.defaults,
        answersFile: opts.answersFile,
        prereleases: opts.prereleases,
        overwrite: opts.overwrite,
        trust: opts.trust,
      });
      if (opts.json) {
        io.out(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      io.out(
        `Rendered ${src} ${result.version} into ${dst}: ${result.written.length} file(s), answers in ${result.answersFile}.\n`,
      );
      for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
    });

  template
    .command('update [dst]')
    .description(
      'Update a template instance (a clean Git work tree) to a newer template version with a 3-way merge',
    )
    .option(
      '-r, --vcs-ref <ref>',
      'update to this ref instead of the newest version tag (HEAD of a local template includes its uncommitted changes, as copier does)',
    )
    .addOption(dataOption())
    .option(
      '--data-file <file>',
      'YAML or JSON file of changed answers (--data wins)',
    )
    .option(
      '-l, --defaults',
      'use defaults for questions the instance has no answer for',
    )
    .option(
      '-A, --skip-answered',
      'reuse recorded answers (always the case: nothing is asked)',
    )
    .addOption(
      new Option('-o, --conflict <mode>', 'how to present overlapping edits')
        .choices(['inline', 'rej'])
        .default('inline'),
    )
    .option(
      '-a, --answers-file <path>',
      'answers file path relative to [dst]',
      '.copier-answers.yml',
    )
    .option('-g, --prereleases', 'consider pre-release tags')
    .option(
      '--trust',
      'run the template’s migrations and tasks (they run arbitrary commands)',
    )
    .option('-n, --pretend', 'show what would change without writing anything')
    .option(
      '--json',
      'print the report as JSON (files changed, conflicts, from/to version)',
    )
    .action(async (dst: string | undefined, opts) => {
      const report = await updateInstance({
        dst: dst ?? '.',
        answersFile: opts.answersFile,
        vcsRef: opts.vcsRef,
        data: answersFrom(opts),
        defaults: opts.defaults,
        skipAnswered: opts.skipAnswered,
        conflict: opts.conflict,
        prereleases: opts.prereleases,
        trust: opts.trust,
        dryRun: opts.pretend,
      });
      io.out(
        opts.json ? `${JSON.stringify(report, null, 2)}\n` : summarise(report),
      );
    });

  template
    .command('check [dst]')
    // copier's name for it (`copier check-update`).
    .alias('check-update')
    .description(
      `Exit with ${EXIT_BEHIND} and print the newest version when the instance is behind its template`,
    )
    .option(
      '-a, --answers-file <path>',
      'answers file path relative to [dst]',
      '.copier-answers.yml',
    )
    .option('-g, --prereleases', 'consider pre-release tags')
    .option('--json', 'print the result as JSON')
    .action(async (dst: string | undefined, opts) => {
      const result = await checkInstance({
        dst: dst ?? '.',
        answersFile: opts.answersFile,
        prereleases: opts.prereleases,
      });
      if (opts.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.behind)
        io.out(
          `${result.answersFile} is at ${result.current}; ${result.latest} is available.\n`,
        );
      else io.out(`${result.answersFile} is up to date (${result.current}).\n`);
      if (result.behind) setExitCode(EXIT_BEHIND);
    });

  template
    .command('check-output <src>')
    .description(
      'Render a template with sample answers and validate every file it writes: catalog-info, workflows, Helm values, Terraform, Release Please, JSON/YAML, and the generated service’s npm test',
    )
    .option(
      '-r, --vcs-ref <ref>',
      'render this ref instead of the newest version tag (HEAD of a local template includes its uncommitted changes, as copier does)',
    )
    .addOption(dataOption())
    .option(
      '--data-file <file>',
      'YAML or JSON file of sample answers (--data wins)',
    )
    .option('--keep <dir>', 'render into <dir> and keep it')
    .option(
      '--skip-npm-test',
      'do not run the generated service’s npm install && npm test',
    )
    .option(
      '--platform <owner/repo=dir>',
      'the platform repository generated files call (reusable workflows, actions, Terraform modules), as a checkout or this repository’s platform/ folder: every reference to it must resolve (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--json', 'print the report as JSON')
    .action(async (src: string, opts) => {
      const platforms = (opts.platform ?? []).map((p: string) => {
        const m = /^([\w.-]+\/[\w.-]+)=(.+)$/.exec(p);
        if (!m)
          throw new Error(
            `--platform ${p.slice(0, 80)}: use owner/repo=<folder>`,
          );
        return { repo: m[1], dir: path.resolve(m[2]) };
      });
      // Loaded on demand: the validators are for template authors and CI, not every template command.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { checkOutput } =
        require('@paved/template-check') as typeof import('@paved/template-check');
      const report = await checkOutput({
        src,
        vcsRef: opts.vcsRef,
        data: answersFrom(opts),
        dst: opts.keep,
        skipNpmTest: opts.skipNpmTest,
        platforms,
      });
      if (opts.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const lines = [
          `Rendered ${src} ${report.version}: ${report.files.length} file(s).`,
        ];
        for (const r of report.results) {
          lines.push(
            `  ${r.problems.length ? 'FAIL' : 'ok  '} ${r.check.padEnd(15)} ${
              r.files.length
            } file(s)`,
            ...r.problems.map(
              p =>
                `       ${p.file}: ${p.message
                  .split('\n')
                  .join('\n         ')}`,
            ),
          );
        }
        if (!platforms.length)
          lines.push(
            '  note: platform references were not resolved (--platform owner/repo=<folder>)',
          );
        io.out(`${lines.join('\n')}\n`);
      }
      if (!report.ok) setExitCode(1);
    });

  return template;
}
