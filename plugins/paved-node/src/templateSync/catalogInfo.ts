import fs from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import {
  ANNOTATION_ANSWERS_FILE,
  ANNOTATION_TEMPLATE_SOURCE,
  ANNOTATION_TEMPLATE_VERSION,
  DEFAULT_ANSWERS_FILE,
} from '@paved/plugin-paved-common';

const path = (key: string) => ['metadata', 'annotations', key];

/** Kinds a template makes; Locations, Groups and the like in the same file are left alone. */
const ENTITY_KINDS = new Set(['Component', 'Resource', 'API', 'System']);

/**
 * Writes template provenance onto the entities of a catalog-info file, keeping comments and layout.
 * - `mode: 'set'` (scaffolding): every Component/Resource/System/API gets source, version and answers file.
 * - `mode: 'bump'` (updates): only entities already recording this answers file (or none, for the default one)
 *   and a template source get the new version.
 * Returns whether the file changed; a missing file is `false`.
 * @public
 */
export async function writeProvenance(
  file: string,
  provenance: { source: string; version: string; answersFile: string },
  mode: 'set' | 'bump',
): Promise<boolean> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return false;
  }
  const docs = parseAllDocuments(text);
  if (docs.some(d => d.errors.length)) return false;
  let changed = false;
  for (const doc of docs) {
    if (!ENTITY_KINDS.has(String(doc.get('kind')))) continue;
    const recorded = doc.getIn(path(ANNOTATION_ANSWERS_FILE));
    if (mode === 'bump') {
      const same =
        recorded === provenance.answersFile ||
        (recorded === undefined &&
          provenance.answersFile === DEFAULT_ANSWERS_FILE);
      if (!same || doc.getIn(path(ANNOTATION_TEMPLATE_SOURCE)) === undefined)
        continue;
      if (doc.getIn(path(ANNOTATION_TEMPLATE_VERSION)) !== provenance.version) {
        doc.setIn(path(ANNOTATION_TEMPLATE_VERSION), provenance.version);
        changed = true;
      }
      continue;
    }
    for (const [key, value] of [
      [ANNOTATION_TEMPLATE_SOURCE, provenance.source],
      [ANNOTATION_TEMPLATE_VERSION, provenance.version],
      [ANNOTATION_ANSWERS_FILE, provenance.answersFile],
    ]) {
      if (doc.getIn(path(key)) !== value) {
        doc.setIn(path(key), value);
        changed = true;
      }
    }
  }
  if (changed) await fs.writeFile(file, docs.map(d => d.toString()).join(''));
  return changed;
}
