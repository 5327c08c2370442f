// Bytes from a capture never reach the terminal raw: control characters (C0, DEL,
// C1) and lone surrogates would let a crafted capture move the cursor, retitle the
// window or worse.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/g;

export function escapeText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? '\\x' + code.toString(16).padStart(2, '0') : '\\u' + code.toString(16).padStart(4, '0');
  });
}

/** The printable-ASCII rendering of one byte, as hex dumps show it. */
export function asciiCell(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
}
