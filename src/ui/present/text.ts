// Fitting text to the screen: every line a view draws is exactly `width` columns.
// Everything here is ASCII or a one-column symbol, so length is width.

/** `text` from column `left`, cut or padded to `width`. */
export function fit(text: string, width: number, left = 0): string {
  const shown = left > 0 ? text.slice(left) : text;
  return shown.length >= width ? shown.slice(0, width) : shown.padEnd(width);
}

export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
