// What any stage must report for an input, judged against the walker's oracle, and the
// checks on rendered text. Each returns nothing or throws a FuzzViolation saying what broke.

import { CaptureError } from '../../src/dissect/container/types.js';
import type { Walk } from './walker.js';

export class FuzzViolation extends Error {
  override name = 'FuzzViolation';
}

export function violation(stage: string, message: string): never {
  throw new FuzzViolation(`${stage}: ${message}`);
}

export interface Outcome {
  /** Frames delivered (read, then either decoded or reported malformed). */
  readonly frames: number;
  readonly error?: unknown;
  readonly truncated?: { readonly offset: number };
}

/**
 * Every whole packet before the first damage is delivered; the input ends cleanly, is
 * reported cut (`capture.truncated`) or as damage at the offset where the oracle's walk
 * stopped. A record cut by the end of the input may be refused as damage instead, from
 * its header alone (a length no capture can have).
 */
export function expectOutcome(stage: string, walk: Walk, got: Outcome): void {
  if (got.error !== undefined && !(got.error instanceof CaptureError)) {
    violation(stage, `an exception escaped: ${errorText(got.error)}`);
  }
  const error = got.error as CaptureError | undefined;
  if (got.frames !== walk.packets) {
    violation(stage, `${got.frames} frames delivered, the input holds ${walk.packets} whole packets before ${endText(walk)}`);
  }
  const end = walk.end;
  const said = error !== undefined ? `damage at byte ${error.byteOffset} (${error.message})`
    : got.truncated !== undefined ? `a cut record at byte ${got.truncated.offset}` : 'a clean end';
  const ok = end.kind === 'clean' ? error === undefined && got.truncated === undefined
    : end.kind === 'damaged' ? error?.byteOffset === end.offset
    : error !== undefined ? error.byteOffset === end.offset : got.truncated?.offset === end.offset;
  if (!ok) violation(stage, `reported ${said}, expected ${endText(walk)}`);
}

function endText(walk: Walk): string {
  const end = walk.end;
  if (end.kind === 'clean') return 'a clean end';
  if (end.kind === 'cut') return `the end of the input inside the record at byte ${end.offset}`;
  return `damage at byte ${end.offset} (${end.why})`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}

/**
 * Control characters (C0 but for the newline between lines, DEL, C1), line and
 * paragraph separators and lone surrogates: what a capture must never put on a terminal.
 */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function expectSafeText(stage: string, text: string): void {
  const m = UNSAFE.exec(text);
  if (m !== null) {
    const at = m.index;
    violation(stage, `unescaped U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} in rendered text: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}`);
  }
}

/** One line of text with no newline in it, safe for a terminal. */
export function expectSafeLine(stage: string, line: string): void {
  if (line.includes('\n')) violation(stage, `a newline inside one rendered line: ${JSON.stringify(line)}`);
  expectSafeText(stage, line);
}

export function expectJsonLine(stage: string, line: string): void {
  expectSafeLine(stage, line);
  try {
    JSON.parse(line);
  } catch (e) {
    violation(stage, `not JSON (${errorText(e)}): ${line}`);
  }
}
