import { asciiCell } from './escape.js';

/** Classic 16-bytes-per-line hex and ASCII dump; non-printable bytes show as '.'. */
export function hexdumpLines(bytes: Uint8Array, indent = ''): string[] {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, Math.min(at + 16, bytes.length));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += ' ';
      if (i < row.length) {
        hex += row[i]!.toString(16).padStart(2, '0') + ' ';
        ascii += asciiCell(row[i]!);
      } else {
        hex += '   ';
      }
    }
    lines.push(`${indent}${at.toString(16).padStart(4, '0')}  ${hex} ${ascii}`);
  }
  return lines;
}
