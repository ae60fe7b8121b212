/**
 * Test helpers for code that renders templates: the corpus of known template-escape payloads.
 *
 * @packageDocumentation
 */
export { ESCAPE_CODE, ESCAPE_PAYLOADS, EXECUTED_MARK } from './escapePayloads';
export type { EscapePayload } from './escapePayloads';
