import { InputError } from '@backstage/errors';
import path from 'node:path';

/**
 * A template source in one canonical spelling, so an allow-list decides on what git will really fetch: scheme and
 * host in lower case, no default port, dot segments resolved, percent-encoding decoded and re-encoded, no trailing
 * slash, `gh:`/`gl:` expanded; the repository's trailing `.git` does not change what it names.
 * @public
 */
export interface CanonicalSource {
  /** What to hand to git (and to the engine): the source in canonical spelling, `//folder` included. */
  source: string;
  /** `https://host:port`, `ssh://user@host` or `file://`. */
  origin: string;
  /** The repository's path segments, decoded, without a trailing `.git`. */
  repository: string[];
  /** The folder inside the repository (`repo//folder`), as segments. */
  folder: string[];
}

const SHORTHANDS: Record<string, string> = {
  'gh:': 'https://github.com/',
  'gl:': 'https://gitlab.com/',
};
const SCHEMES = new Set(['https:', 'http:', 'ssh:', 'file:']);
const MAX_SOURCE_LENGTH = 2048;

function refuse(source: string, why: string): never {
  const shown = source.length > 80 ? `${source.slice(0, 80)}…` : source;
  throw new InputError(`Template source "${shown}" ${why}`);
}

/** Path segments after dot-segment resolution and decoding; refuses what could mean something else to a server. */
function segments(source: string, raw: string): string[] {
  const out: string[] = [];
  for (const encoded of raw.split('/')) {
    let part: string;
    try {
      part = decodeURIComponent(encoded);
    } catch {
      return refuse(source, 'has invalid percent-encoding');
    }
    // An encoded separator or dot segment is read one way here and another way by some servers: refuse it.
    if (/[/\\]/.test(part) || (part !== encoded && /^\.{1,2}$/.test(part))) {
      return refuse(source, 'has an encoded "/", "\\" or dot segment');
    }
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(part)) {
      return refuse(source, 'has control characters');
    }
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length)
        return refuse(source, 'leaves the host\'s root with ".."');
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out;
}

const encodePath = (parts: string[]) =>
  parts.map(p => encodeURIComponent(p).replace(/%40/g, '@')).join('/');

/**
 * The canonical form of a template source (URL, `gh:org/repo`, `git@host:org/repo`, absolute local path, each with an
 * optional `//folder`). Credentials in URLs, queries, fragments and other schemes are refused with an InputError.
 * @public
 */
export function canonicalSource(input: string): CanonicalSource {
  const source = input.trim();
  if (!source) refuse(source, 'is empty');
  if (source.length > MAX_SOURCE_LENGTH)
    refuse(source, `is longer than ${MAX_SOURCE_LENGTH} characters`);
  let text = source;
  for (const [prefix, url] of Object.entries(SHORTHANDS)) {
    if (text.startsWith(prefix)) text = url + text.slice(prefix.length);
  }
  // scp-like `user@host:path` is ssh.
  const scp = /^([\w.-]+)@([\w.-]+):(?!\/\/)(.*)$/.exec(text);
  if (scp) text = `ssh://${scp[1]}@${scp[2]}/${scp[3]}`;
  if (text.startsWith('/')) text = `file://${text}`;

  const schemeEnd = text.indexOf('://');
  if (schemeEnd < 0)
    refuse(source, 'must be an https URL, an ssh URL or an absolute path');
  const split = text.indexOf('//', schemeEnd + 3);
  const repoPart = split > 0 ? text.slice(0, split) : text;
  const folderPart = split > 0 ? text.slice(split + 2) : '';

  let url: URL;
  try {
    url = new URL(repoPart);
  } catch {
    return refuse(source, 'is not a valid URL');
  }
  if (!SCHEMES.has(url.protocol))
    refuse(
      source,
      `uses ${url.protocol} (only https, http, ssh and local paths)`,
    );
  if (url.password || (url.username && url.protocol !== 'ssh:'))
    refuse(
      source,
      'carries credentials; Paved authenticates through its integrations',
    );
  if (
    url.search ||
    url.hash ||
    repoPart.includes('?') ||
    repoPart.includes('#')
  )
    refuse(source, 'has a query or fragment');
  if (url.protocol === 'file:' && url.host)
    refuse(source, 'names a host in a file URL');

  // The URL parser resolved dot segments already; decoding may reveal more, which segments() refuses or resolves.
  const repository = segments(source, url.pathname.slice(1));
  if (!repository.length) refuse(source, 'names no repository');
  const last = repository.length - 1;
  const hadGit = repository[last].endsWith('.git');
  if (hadGit) repository[last] = repository[last].slice(0, -4);
  if (!repository[last]) refuse(source, 'names no repository');
  const folder = segments(source, folderPart);
  if (folderPart && folderPart.split('/').some(s => s === '..'))
    refuse(source, 'has ".." in its folder');

  const origin =
    url.protocol === 'file:'
      ? 'file://'
      : `${url.protocol}//${url.username ? `${url.username}@` : ''}${url.host}`;
  const repoPath =
    url.protocol === 'file:'
      ? path.posix.join('/', ...repository)
      : `/${encodePath(repository)}`;
  const canonical = `${url.protocol === 'file:' ? '' : origin}${repoPath}${
    hadGit ? '.git' : ''
  }${folder.length ? `//${folder.join('/')}` : ''}`;
  return { source: canonical, origin, repository, folder };
}

function isPrefix(prefix: string[], parts: string[]): boolean {
  return (
    prefix.length <= parts.length && prefix.every((p, i) => p === parts[i])
  );
}

/**
 * Whether `source` is, or lies under, one of `allowed` (both canonicalised; segment by segment, never by string
 * prefix): `https://github.com/acme` allows every repository of acme, `https://github.com/acme/templates//python`
 * only that folder of that repository. A source that cannot be canonicalised is never allowed.
 * @public
 */
export function isAllowedSource(source: string, allowed: string[]): boolean {
  let s: CanonicalSource;
  try {
    s = canonicalSource(source);
  } catch {
    return false;
  }
  return allowed.some(entry => {
    let a: CanonicalSource;
    try {
      a = canonicalSource(entry);
    } catch {
      return false;
    }
    if (a.origin !== s.origin) return false;
    if (a.folder.length) {
      return (
        a.repository.join('/') === s.repository.join('/') &&
        isPrefix(a.folder, s.folder)
      );
    }
    return isPrefix(a.repository, s.repository);
  });
}
