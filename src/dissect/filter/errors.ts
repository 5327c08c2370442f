// Display-filter errors: a message plus where in the filter text it went wrong.

export class FilterError extends Error {
  /**
   * @param position 0-based character offset of the offending token (the filter's length: its end).
   * @param length   how many characters that token spans (0 at the end of the filter).
   */
  constructor(message: string, readonly position: number, readonly length = 0) {
    super(message);
    this.name = 'FilterError';
  }
}

// Control characters (line breaks among them) and the Unicode line/paragraph separators.
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Escapes anything that could break the line (the filter text is the user's, and may hold anything). */
function oneLine(s: string): string {
  return s.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One line for a user: the message, then where, as `at position N near 'tok'` and as
 * the filter with a `>>>` marker inserted at the offending spot:
 *
 *   display filter error: unknown field 'vsock.src_cdi' (did you mean 'vsock.src_cid'?) [at position 0 near 'vsock.src_cdi': >>>vsock.src_cdi == 3]
 */
export function describeFilterError(text: string, err: FilterError): string {
  if (text.trim() === '') return oneLine(`display filter error: ${err.message}`);
  const pos = Math.max(0, Math.min(err.position, text.length));
  const where = pos >= text.length
    ? `at the end of the filter (position ${pos})`
    : `at position ${pos} near '${text.slice(pos, pos + Math.max(1, Math.min(err.length, 40)))}'`;
  return oneLine(`display filter error: ${err.message} [${where}: ${text.slice(0, pos)}>>>${text.slice(pos)}]`);
}
