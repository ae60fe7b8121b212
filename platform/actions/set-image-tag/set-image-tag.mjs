// Sets image.tag in a Helm values file by editing that one line: comments, key order and quoting elsewhere stay
// byte-for-byte (a YAML round trip would reformat the file). Inputs come from the environment (see action.yml).
import fs from 'node:fs';

const file = process.env.VALUES_FILE;
const tag = process.env.TAG ?? '';
if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
  console.error(`::error::"${tag.slice(0, 40)}" is not a valid image tag`);
  process.exit(1);
}
const lines = fs.readFileSync(file, 'utf8').split('\n');
const imageAt = lines.findIndex(l => /^image:\s*(#.*)?$/.test(l));
if (imageAt < 0) {
  console.error(`::error file=${file}::no top-level "image:" mapping`);
  process.exit(1);
}
let tagAt = -1;
for (let i = imageAt + 1; i < lines.length; i++) {
  const line = lines[i];
  if (/^\s*(#.*)?$/.test(line)) continue;
  if (!/^\s/.test(line)) break; // the next top-level key: image has no tag
  if (/^\s+tag:/.test(line)) {
    tagAt = i;
    break;
  }
}
if (tagAt < 0) {
  console.error(`::error file=${file}::"image:" has no "tag:" key`);
  process.exit(1);
}
const m = /^(\s+tag:\s*)("[^"]*"|'[^']*'|[^\s#]*)(\s*#.*)?$/.exec(lines[tagAt]);
if (!m) {
  console.error(
    `::error file=${file},line=${tagAt + 1}::cannot read the tag line`,
  );
  process.exit(1);
}
const next = `${m[1]}"${tag}"${m[3] ?? ''}`;
const changed = next !== lines[tagAt];
lines[tagAt] = next;
if (changed) fs.writeFileSync(file, lines.join('\n'));
if (process.env.GITHUB_OUTPUT) {
  fs.appendFileSync(process.env.GITHUB_OUTPUT, `changed=${changed}\n`);
}
console.log(
  changed
    ? `${file}: image.tag is now "${tag}"`
    : `${file}: image.tag was "${tag}" already`,
);
