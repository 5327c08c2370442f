import { describe, expect, it } from 'vitest';
import { table, writeTable } from '../../src/cli/table.js';

describe('table', () => {
  it('pads text left-aligned and numbers right-aligned to the widest cell', () => {
    expect(table(['name', 'n'], [['a', '7'], ['bbbbbb', '123']])).toEqual([
      'name      n',
      'a         7',
      'bbbbbb  123',
    ]);
  });

  it('lays out a few hundred thousand rows (records of a 1M-frame capture)', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => ['x', String(i)]);
    const lines = table(['h', 'n'], rows);
    expect(lines).toHaveLength(300_001);
    expect(lines[300_000]).toBe('x  299999');
    expect(lines[1]).toBe('x       0');
  });

  it('writes the same lines from rows made again for each pass', () => {
    const cells = [['a', '7', '-'], ['bbbbbb', '123', 'x'], ['c', '-4', '2.5']];
    let passes = 0;
    const out: string[] = [];
    writeTable(['name', 'n', 'v'], function* () {
      passes++;
      for (const row of cells) yield [...row];
    }, (line) => out.push(line));
    expect(passes).toBe(2);
    expect(out).toEqual(['name      n  v', 'a         7  -', 'bbbbbb  123  x', 'c        -4  2.5']);
  });
});
