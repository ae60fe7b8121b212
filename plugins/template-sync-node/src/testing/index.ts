/**
 * Test helpers for code that renders templates: the corpus of known template-escape payloads.
 *
 * @packageDocumentation
 */
export { ESCAPE_CODE, ESCAPE_PAYLOADS } from './escapePayloads';
export type { EscapePayload } from './escapePayloads';
