import { describe, expect, it } from 'vitest';
import { thousands } from '../../src/ui/present/text.js';

describe('thousands', () => {
  it('groups digits as toLocaleString("en-US") does', () => {
    const values = [0, 1, 12, 999, 1000, 1001, 65_536, 999_999, 1_000_000, 12_345_678, 2 ** 32, 2 ** 53 - 1, -1, -1000, -1_234_567];
    for (const v of values) expect(thousands(v)).toBe(v.toLocaleString('en-US'));
  });
});
