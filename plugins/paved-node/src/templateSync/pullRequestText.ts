import {
  parseLocation,
  type UpdateReport,
} from '@paved/plugin-template-sync-node';

/** Files listed in a pull request body before the rest is summarised. */
const LISTED = 50;

const STATUS: Record<string, string> = {
  added: 'added',
  modified: 'updated',
  deleted: 'removed',
  conflict: '**conflict**',
};

/** Markdown table cells hold no pipes or newlines. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The template's display name: the last path segment of its source.
 *
 * @public
 */
export function templateName(srcPath: string): string {
  try {
    const { repository, folder } = parseLocation(srcPath, '/');
    const last = (folder ?? repository)
      .replace(/\/+$/, '')
      .split(/[/:]/)
      .pop()!
      .replace(/\.git$/, '');
    return last || srcPath;
  } catch {
    return srcPath;
  }
}

/**
 * Title and body of an instance's update pull request; the body says what changed and what to do about conflicts.
 *
 * @public
 */
export function pullRequestText(report: UpdateReport): {
  title: string;
  body: string;
  message: string;
} {
  const name = templateName(report.srcPath);
  const where =
    report.answersFile === '.copier-answers.yml'
      ? ''
      : ` (${report.answersFile})`;
  const title = `Update template ${name} from ${report.from} to ${report.to}${where}`;
  const conflicts = report.changes.filter(c => c.status === 'conflict');
  const lines: string[] = [
    `This pull request brings the template instance recorded in \`${report.answersFile}\` from **${report.from}** to **${report.to}** of \`${report.srcPath}\`. The template was rendered at both versions with the recorded answers and your own changes were merged onto the new render with a three-way merge.`,
    '',
  ];
  if (conflicts.length) {
    lines.push(
      `> [!WARNING]`,
      `> ${conflicts.length} file(s) have conflicts: your edits and the template's overlap.`,
      ...(conflicts.some(c => c.conflict === 'inline' || !c.conflict)
        ? [
            `> Files marked _conflict_ hold both versions between \`<<<<<<< before updating\` and \`>>>>>>> after updating\`: keep what you want and remove the markers.`,
          ]
        : []),
      ...(conflicts.some(c => c.conflict === 'rej')
        ? [
            `> Files marked _rej_ hold the template's new text; your change that no longer applies is in \`<file>.rej\` beside each (and in this branch's history): re-apply what you still want and delete the \`.rej\` files.`,
          ]
        : []),
      ...(conflicts.some(c => c.conflict === 'binary')
        ? [
            `> Binary files marked _binary_ keep your version; the template's is beside each as \`<file>.rej\`.`,
          ]
        : []),
      `> Do it on this branch, then mark the pull request ready for review.`,
      '',
    );
  }
  if (report.answersChanged.length) {
    lines.push(
      `Changed answers: ${report.answersChanged
        .map(a => `\`${a}\``)
        .join(', ')}`,
      '',
    );
  }
  lines.push('| File | Change |', '|---|---|');
  const ordered = [
    ...conflicts,
    ...report.changes.filter(c => c.status !== 'conflict'),
  ];
  for (const change of ordered.slice(0, LISTED)) {
    lines.push(
      `| \`${cell(change.path)}\` | ${STATUS[change.status]}${
        change.conflict && change.conflict !== 'inline'
          ? ` (${change.conflict})`
          : ''
      } |`,
    );
  }
  if (ordered.length > LISTED) {
    lines.push(`| … | ${ordered.length - LISTED} more file(s) |`);
  }
  if (report.kept.length) {
    lines.push('', 'Kept as they are:');
    for (const kept of report.kept.slice(0, LISTED)) {
      lines.push(`- \`${kept.path}\`: ${kept.reason.replace(/-/g, ' ')}`);
    }
  }
  if (report.warnings.length) {
    lines.push('', 'Notes:', ...report.warnings.map(w => `- ${w}`));
  }
  lines.push(
    '',
    '---',
    '_Opened by Paved template sync. It is never merged automatically; when the template moves again this pull request is rebuilt on the base branch and updated._',
  );
  const message = `chore(template): update ${name} to ${report.to}${where}\n\nFrom ${report.from} to ${report.to} of ${report.srcPath}; ${report.changes.length} file(s) changed, ${conflicts.length} with conflicts.`;
  return { title, body: lines.join('\n'), message };
}
