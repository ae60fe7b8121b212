import { compare, explain } from '@renovatebot/pep440';

/**
 * A template version: a tag whose name is a PEP 440 version, as copier reads tags (`v1`, `1.2`, `v2.a2`,
 * `1.2.4.dev1`, `1.2.3.post1`, `v1.2.0`; a `v` prefix allowed).
 *
 * @public
 */
export interface TagVersion {
  tag: string;
  /** The tag's PEP 440 version, normalised (`v2.a2` → `2a2`). */
  version: string;
  /** An alpha, beta, release candidate or development release: picked only with `prereleases`. */
  prerelease: boolean;
  /** The commit the tag points at (peeled). */
  commit: string;
}

/** The normalised PEP 440 version of a name, or undefined when it is not one. */
export function pep440(name: string): string | undefined {
  return explain(name)?.public ?? undefined;
}

/** Orders two PEP 440 versions (normalised or not). */
export function compareVersions(a: string, b: string): number {
  return compare(a, b);
}

/**
 * Reads `git ls-remote --tags` output into versions, oldest first, ordered by PEP 440 as copier orders them. Tags that
 * are not versions are ignored; pre-releases only when asked for.
 *
 * @public
 */
export function parseTags(
  lsRemote: string,
  options: { prereleases?: boolean } = {},
): TagVersion[] {
  const byTag = new Map<string, { commit?: string; peeled?: string }>();
  for (const line of lsRemote.split('\n')) {
    const match = /^([0-9a-f]{40,64})\trefs\/tags\/(.+?)(\^\{\})?$/.exec(
      line.trim(),
    );
    if (!match) continue;
    const [, sha, tag, peeled] = match;
    const entry = byTag.get(tag) ?? {};
    if (peeled) entry.peeled = sha;
    else entry.commit = sha;
    byTag.set(tag, entry);
  }
  const versions: TagVersion[] = [];
  for (const [tag, { commit, peeled }] of byTag) {
    const explained = explain(tag);
    if (!explained) continue;
    if (explained.is_prerelease && !options.prereleases) continue;
    versions.push({
      tag,
      version: explained.public,
      prerelease: explained.is_prerelease,
      commit: (peeled ?? commit)!,
    });
  }
  return versions.sort(
    (a, b) => compare(a.version, b.version) || a.tag.localeCompare(b.tag),
  );
}

/**
 * A recorded `_commit`: a tag, `git describe --tags` output (`v1.2.0-3-gabc1234`), or a bare commit.
 *
 * @public
 */
export interface RecordedVersion {
  raw: string;
  /** The PEP 440 version of the tag it is at or after, normalised. */
  version?: string;
  /** Commits after that tag (0 when at the tag). */
  distance: number;
  /** Commit abbreviation from describe output, or the bare commit. */
  commit?: string;
}

/** @public */
export function parseRecordedVersion(raw: string): RecordedVersion {
  const described = /^(.+)-(\d+)-g([0-9a-f]{4,64})$/.exec(raw);
  if (described) {
    const version = pep440(described[1]);
    if (version) {
      return {
        raw,
        version,
        distance: Number(described[2]),
        commit: described[3],
      };
    }
  }
  // A bare commit abbreviation is never read as a version, though some (`1234567`) are valid PEP 440.
  if (/^[0-9a-f]{7,64}$/.test(raw) && /[a-f]/.test(raw))
    return { raw, distance: 0, commit: raw };
  const version = pep440(raw);
  return version ? { raw, version, distance: 0 } : { raw, distance: 0 };
}

/**
 * The PEP 440 spelling of a recorded version, as copier hands it to migrations (`VERSION_PEP440_*`): describe output
 * `v1.2.0-3-gabc1234` is `1.2.0.post3+gabc1234`.
 */
export function pep440Of(recorded: RecordedVersion): string {
  if (!recorded.version) return recorded.raw;
  return recorded.distance > 0
    ? `${recorded.version}.post${recorded.distance}+g${recorded.commit}`
    : recorded.version;
}

/** The git revision to check out for a recorded version. */
export function revisionOf(recorded: RecordedVersion): string {
  return recorded.distance > 0 && recorded.commit
    ? recorded.commit
    : recorded.raw;
}

/**
 * Orders two recorded versions; `undefined` when they cannot be ordered (bare commits).
 * `v1.2.0-3-gabc` is after `v1.2.0` and before `v1.2.1`, as copier orders them.
 *
 * @public
 */
export function compareRecorded(
  a: RecordedVersion,
  b: RecordedVersion,
): number | undefined {
  if (!a.version || !b.version) return undefined;
  return compare(a.version, b.version) || a.distance - b.distance;
}
