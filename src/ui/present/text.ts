// Fitting text to the screen: every line a view draws is exactly `width` columns.
// Everything here is ASCII or a one-column symbol, so length is width.

/** `text` from column `left`, cut or padded to `width`. */
export function fit(text: string, width: number, left = 0): string {
  const shown = left > 0 ? text.slice(left) : text;
  return shown.length >= width ? shown.slice(0, width) : shown.padEnd(width);
}

/**
 * An integer with a comma between groups of three digits, as toLocaleString('en-US') writes
 * it, without Intl: its first use loads ICU's locale data, ~10 ms of the first repaint.
 */
export function thousands(n: number): string {
  const digits = String(Math.abs(Math.round(n)));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return n < 0 && out !== '0' ? '-' + out : out;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
