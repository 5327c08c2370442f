import { describe, expect, it } from 'vitest';
import { table } from '../../src/cli/table.js';

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
});
