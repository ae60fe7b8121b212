import { Command, InvalidArgumentError, Option } from 'commander';
import path from 'node:path';
import {
  checkInstance,
  copyTemplate,
  CopyResult,
  recopyInstance,
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
    ...report.folders.created.map(d => `  created  ${d}/`),
    ...report.folders.removed.map(d => `  removed  ${d}/ (emptied)`),
    ...report.warnings.map(w => `warning: ${w}`),
  ];
  if (report.changes.some(c => c.conflict === 'inline')) {
    lines.push(
      'Inline conflicts are marked "<<<<<<< before updating" and recorded as unmerged in git (git status: UU): resolve them, git add, then commit.',
    );
  }
  if (report.changes.some(c => c.conflict === 'rej')) {
    lines.push(
      "The template's text was applied; your rejected changes are in the .rej files (and in git history): re-apply what you still want, delete the .rej files, then commit.",
    );
  }
  if (report.changes.some(c => c.conflict === 'binary')) {
    lines.push(
      "Binary files you changed were kept; the template's version is beside each as .rej.",
    );
  }
  return `${lines.join('\n')}\n`;
}

const dataOption = () =>
  new Option(
    '-d, --data <key=value>',
    'answer a question (repeatable)',
  ).argParser(collectData);

const repeatable = (value: string, previous: string[] = []) => [
  ...previous,
  value,
];

/** The flags copier's copy, recopy and update share. */
function copierFlags(command: Command, runs: string): Command {
  return command
    .option(
      '-x, --exclude <pattern>',
      'a name or gitignore-style pattern of files or folders not to render (repeatable; `!pattern` re-includes)',
      repeatable,
    )
    .option(
      '-s, --skip <pattern>',
      'skip files matching this pattern if they exist already (repeatable)',
      repeatable,
    )
    .option('-g, --prereleases', 'consider pre-release tags')
    .option(
      '--trust',
      `run the template’s ${runs} (they run arbitrary commands); without it a template that has any is refused, as copier refuses it`,
    )
    .option('--UNSAFE', 'same as --trust (copier’s other name for it)')
    .option(
      '-T, --skip-tasks',
      'do not run the template’s tasks (a template with tasks is then accepted without --trust)',
    )
    .option('-q, --quiet', 'print nothing but warnings and errors');
}

/** The changed-answers flags of recopy and update (an instance's recorded answers are the rest). */
const changedAnswersFileOption = [
  '--data-file <file>',
  'YAML or JSON file of changed answers (--data wins)',
] as const;
const instanceDefaultsOption = [
  '-l, --defaults',
  'use defaults for questions the instance has no answer for',
] as const;

/** What copier's shared flags ({@link copierFlags}) mean to the engine; the CLI refuses untrusted tasks as copier. */
function copierOptions(opts: Record<string, any>) {
  return {
    prereleases: opts.prereleases as boolean | undefined,
    trust: Boolean(opts.trust || opts.UNSAFE),
    skipTasks: opts.skipTasks as boolean | undefined,
    requireTrust: true,
    exclude: opts.exclude as string[] | undefined,
    skipIfExists: opts.skip as string[] | undefined,
  };
}

function printCopy(
  io: Io,
  opts: { json?: boolean; quiet?: boolean },
  verb: string,
  src: string,
  dst: string,
  result: CopyResult,
) {
  if (opts.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
  else if (!opts.quiet)
    io.out(
      `${verb} ${src} ${result.version} into ${dst}: ${result.written.length} file(s), answers in ${result.answersFile}.\n`,
    );
  for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
}

/** `paved template copy|update|check`: copier's commands and flags, for CI and laptops. */
export function templateCommand(
  io: Io,
  setExitCode: (code: number) => void,
): Command {
  const template = new Command('template').description(
    'Render versioned, copier-compatible templates and keep instances up to date',
  );

  copierFlags(
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
      .option(
        '--data-file <file>',
        'YAML or JSON file of answers (--data wins)',
      )
      .option(
        '-l, --defaults',
        'use the default answer for every question not answered with --data',
      )
      .option(
        '-a, --answers-file <path>',
        'answers file path relative to <dst>',
      )
      .option(
        '-w, --overwrite',
        'replace existing files that differ from the template',
      )
      .option('-f, --force', 'same as --defaults --overwrite')
      .option(
        '-C, --no-cleanup',
        'on error, keep <dst> even when this command created it',
      )
      .option(
        '-n, --pretend',
        'show what would be written without writing anything',
      ),
    'tasks',
  )
    .option('--json', 'print the result as JSON')
    .action(async (src: string, dst: string, opts) => {
      const result = await copyTemplate({
        src,
        dst,
        vcsRef: opts.vcsRef,
        data: answersFrom(opts),
        defaults: opts.defaults || opts.force,
        answersFile: opts.answersFile,
        overwrite: opts.overwrite || opts.force,
        ...copierOptions(opts),
        cleanupOnError: opts.cleanup,
        dryRun: opts.pretend,
      });
      printCopy(
        io,
        opts,
        opts.pretend ? 'Would render' : 'Rendered',
        src,
        dst,
        result,
      );
    });

  copierFlags(
    template
      .command('recopy [dst]')
      .description(
        'Render the instance’s template again from scratch with its recorded answers, discarding how its files evolved (copier recopy); git history keeps what it replaces',
      )
      .option(
        '-r, --vcs-ref <ref>',
        'render this ref instead of the newest version tag; :current: keeps the recorded version',
      )
      .addOption(dataOption())
      .option(...changedAnswersFileOption)
      .option(...instanceDefaultsOption)
      .option('-f, --force', 'same as --defaults (recopy always overwrites)')
      .option(
        '-w, --overwrite',
        'accepted for copier: recopy always overwrites',
      )
      .option(
        '-A, --skip-answered',
        'reuse recorded answers (always the case: nothing is asked)',
      )
      .option(
        '-a, --answers-file <path>',
        'answers file path relative to [dst]',
        '.copier-answers.yml',
      ),
    'tasks',
  )
    .option('--json', 'print the result as JSON')
    .action(async (dst: string | undefined, opts) => {
      const result = await recopyInstance({
        dst: dst ?? '.',
        answersFile: opts.answersFile,
        vcsRef: opts.vcsRef,
        data: answersFrom(opts),
        defaults: opts.defaults || opts.force,
        ...copierOptions(opts),
      });
      printCopy(io, opts, 'Recopied', result.srcPath, dst ?? '.', result);
    });

  copierFlags(
    template
      .command('update [dst]')
      .description(
        'Update a template instance (a clean Git work tree) to a newer template version with a 3-way merge',
      ),
    'migrations and tasks',
  )
    .option(
      '-r, --vcs-ref <ref>',
      'update to this ref instead of the newest version tag; :current: keeps the recorded version (to change answers only); HEAD of a local template includes its uncommitted changes, as copier does',
    )
    .addOption(dataOption())
    .option(...changedAnswersFileOption)
    .option(...instanceDefaultsOption)
    .option('-f, --force', 'same as --defaults, as in copier update')
    .option(
      '-A, --skip-answered',
      'reuse recorded answers (always the case: nothing is asked)',
    )
    .addOption(
      new Option(
        '-o, --conflict <mode>',
        'overlapping edits: inline writes conflict markers and records the file as unmerged in git (UU); rej writes the template’s text and puts your rejected change in a .rej file beside it (your change stays in git history)',
      )
        .choices(['inline', 'rej'])
        .default('inline'),
    )
    .addOption(
      new Option(
        '-c, --context-lines <n>',
        'lines of context of your change when it is applied onto the template’s text (--conflict rej)',
      )
        .argParser(value => {
          const n = Number(value);
          if (!Number.isInteger(n) || n < 0 || n > 100)
            throw new InvalidArgumentError('a whole number from 0 to 100');
          return n;
        })
        .default(3),
    )
    .option(
      '-a, --answers-file <path>',
      'answers file path relative to [dst]',
      '.copier-answers.yml',
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
        defaults: opts.defaults || opts.force,
        skipAnswered: opts.skipAnswered,
        conflict: opts.conflict,
        contextLines: opts.contextLines,
        ...copierOptions(opts),
        dryRun: opts.pretend,
      });
      if (opts.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
      else if (!opts.quiet) io.out(summarise(report));
      else for (const w of report.warnings) io.err(`warning: ${w}\n`);
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
    .addOption(
      new Option('--output-format <format>', 'copier’s spelling of --json')
        .choices(['plain', 'json'])
        .default('plain'),
    )
    .option('-q, --quiet', 'print nothing; the exit code tells (2: behind)')
    .action(async (dst: string | undefined, opts) => {
      const result = await checkInstance({
        dst: dst ?? '.',
        answersFile: opts.answersFile,
        prereleases: opts.prereleases,
      });
      if (opts.quiet) {
        // nothing to print
      } else if (opts.json || opts.outputFormat === 'json')
        io.out(`${JSON.stringify(result, null, 2)}\n`);
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
      'Render a template with sample answers and validate every file it writes (catalog-info, workflows, Helm values, Terraform, Release Please, JSON/YAML) and run the generated service’s npm test',
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
