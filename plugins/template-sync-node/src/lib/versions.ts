import semver, { SemVer } from 'semver';

/** A template version: a tag whose name is a semver version (a `v` prefix allowed). */
export interface TagVersion {
  tag: string;
  version: SemVer;
  /** The commit the tag points at (peeled). */
  commit: string;
}

/**
 * Reads `git ls-remote --tags` output into versions, oldest first. Tags that are not semver are ignored;
 * pre-releases only when asked for.
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
    const version = semver.parse(tag, { loose: false });
    if (!version) continue;
    if (version.prerelease.length && !options.prereleases) continue;
    versions.push({ tag, version, commit: (peeled ?? commit)! });
  }
  return versions.sort(
    (a, b) =>
      semver.compare(a.version, b.version) || a.tag.localeCompare(b.tag),
  );
}

/** A recorded `_commit`: a tag, `git describe --tags` output (`v1.2.0-3-gabc1234`), or a bare commit. */
export interface RecordedVersion {
  raw: string;
  /** The semver of the tag it is at or after. */
  version?: SemVer;
  /** Commits after that tag (0 when at the tag). */
  distance: number;
  /** Commit abbreviation from describe output, or the bare commit. */
  commit?: string;
}

export function parseRecordedVersion(raw: string): RecordedVersion {
  const described = /^(.+)-(\d+)-g([0-9a-f]{4,64})$/.exec(raw);
  if (described) {
    const version = semver.parse(described[1]) ?? undefined;
    if (version) {
      return {
        raw,
        version,
        distance: Number(described[2]),
        commit: described[3],
      };
    }
  }
  const version = semver.parse(raw) ?? undefined;
  if (version) return { raw, version, distance: 0 };
  if (/^[0-9a-f]{7,64}$/.test(raw)) return { raw, distance: 0, commit: raw };
  return { raw, distance: 0 };
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
 */
export function compareRecorded(
  a: RecordedVersion,
  b: RecordedVersion,
): number | undefined {
  if (!a.version || !b.version) return undefined;
  return semver.compare(a.version, b.version) || a.distance - b.distance;
}
