import {
  ANNOTATION_ANSWERS_FILE,
  ANNOTATION_TEMPLATE_SOURCE,
  ANNOTATION_TEMPLATE_VERSION,
} from './annotations';
import { DEFAULT_ANSWERS_FILE } from './answers';

/**
 * Where an entity came from: the template source, the version it is at, and its answers file.
 * @public
 */
export interface TemplateProvenance {
  source: string;
  version: string;
  answersFile: string;
}

/**
 * The result of reading an entity's template provenance: absent (no `paved.dev/template-*` annotation at all), or
 * valid, or a list of problems each saying how to fix it.
 * @public
 */
export type TemplateProvenanceResult =
  | { kind: 'absent' }
  | { kind: 'valid'; provenance: TemplateProvenance }
  | { kind: 'invalid'; problems: string[] };

// A tag with an optional `v`, optionally followed by `git describe` output (`-3-gabc1234`) or a pre-release/build suffix.
const SEMVER_TAG =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const COMMIT_SHA = /^[0-9a-f]{7,40}$/;
// A PEP 440 version as copier reads tags (`v1`, `1.2`, `1.2.3.post1`, `v2.a2`, `1.2.4.dev1`), the pattern of PEP 440's
// appendix B, optionally followed by `git describe` output (`-3-gabc1234`).
const PEP440_TAG =
  /^v?(?:\d+!)?\d+(?:\.\d+)*(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?(?:-\d+-g[0-9a-f]{4,40})?$/i;
// https://, ssh://, git://, file:// URLs; scp-like `git@host:org/repo`; copier's `gh:` / `gl:` shorthands; absolute paths.
const SOURCE =
  /^(?:(?:https?|ssh|git|file):\/\/\S+|[\w.-]+@[\w.-]+:\S+|(?:gh|gl):[\w.-]+\/\S+|\/\S*)$/;

/**
 * Whether `value` is a version Paved can record: a semver or PEP 440 tag (`v` allowed), `git describe` output, or a
 * commit. @public
 */
export function isTemplateVersion(value: string): boolean {
  return (
    SEMVER_TAG.test(value) || PEP440_TAG.test(value) || COMMIT_SHA.test(value)
  );
}

/** Whether `value` is a repository-relative path that stays inside the repository. @public */
export function isSafeRelativePath(value: string): boolean {
  if (
    !value ||
    value.startsWith('/') ||
    value.includes('\\') ||
    value.includes('\0')
  ) {
    return false;
  }
  return value.split('/').every(segment => segment !== '..' && segment !== '');
}

/**
 * Reads and checks the `paved.dev/template-*` annotations of an entity.
 * @param annotations - the entity's `metadata.annotations`
 * @public
 */
export function readTemplateProvenance(
  annotations: Record<string, string> | undefined,
): TemplateProvenanceResult {
  const source = annotations?.[ANNOTATION_TEMPLATE_SOURCE];
  const version = annotations?.[ANNOTATION_TEMPLATE_VERSION];
  const answersFile = annotations?.[ANNOTATION_ANSWERS_FILE];
  if (
    source === undefined &&
    version === undefined &&
    answersFile === undefined
  ) {
    return { kind: 'absent' };
  }

  const problems: string[] = [];
  if (!source) {
    problems.push(
      `${ANNOTATION_TEMPLATE_SOURCE} is missing: set it to the template's Git URL, e.g. https://github.com/acme/templates`,
    );
  } else if (!SOURCE.test(source)) {
    problems.push(
      `${ANNOTATION_TEMPLATE_SOURCE} "${source}" is not a Git URL: use https://host/org/repo, git@host:org/repo or gh:org/repo`,
    );
  }
  if (!version) {
    problems.push(
      `${ANNOTATION_TEMPLATE_VERSION} is missing: set it to the template tag the entity was rendered at, e.g. v1.4.0`,
    );
  } else if (!isTemplateVersion(version)) {
    problems.push(
      `${ANNOTATION_TEMPLATE_VERSION} "${version}" is not a version: use a version tag (v1.4.0, 2.1), git describe output (v1.4.0-3-gabc1234) or a commit SHA`,
    );
  }
  const file = answersFile ?? DEFAULT_ANSWERS_FILE;
  if (!isSafeRelativePath(file)) {
    problems.push(
      `${ANNOTATION_ANSWERS_FILE} "${file}" must be a path inside the repository, relative to its root, without ".."`,
    );
  } else if (!/\.ya?ml$/.test(file)) {
    problems.push(
      `${ANNOTATION_ANSWERS_FILE} "${file}" must name a YAML file (.yml or .yaml)`,
    );
  }

  if (problems.length) {
    return { kind: 'invalid', problems };
  }
  return {
    kind: 'valid',
    provenance: { source: source!, version: version!, answersFile: file },
  };
}
