/** Left-aligned text columns, numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const lines: string[] = [];
  writeTable(header, () => rows, (line) => lines.push(line));
  return lines;
}

const NUMBER = /^-?[\d.]*$/;

/**
 * table() for more rows than are worth holding as strings: `rows()` gives them again for
 * each of its two passes (the column widths, then the lines).
 */
export function writeTable(header: readonly string[], rows: () => Iterable<readonly string[]>, line: (text: string) => void): void {
  const widths = header.map((h) => h.length);
  const numeric = header.map(() => true);
  let empty = true;
  for (const r of rows()) {
    empty = false;
    for (let i = 0; i < header.length; i++) {
      const cell = r[i]!;
      if (cell.length > widths[i]!) widths[i] = cell.length;
      if (numeric[i] && !NUMBER.test(cell)) numeric[i] = false;
    }
  }
  const format = (cells: readonly string[]) =>
    cells.map((c, i) => (!empty && numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  line(format(header));
  for (const r of rows()) line(format(r));
}
