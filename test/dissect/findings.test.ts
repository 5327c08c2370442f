import { describe, expect, it } from 'vitest';
import { worse, worstOf } from '../../src/dissect/findings.js';

describe('severity of findings', () => {
  it('worse keeps the more severe', () => {
    expect(worse(undefined, 'info')).toBe('info');
    expect(worse('info', 'warning')).toBe('warning');
    expect(worse('error', 'warning')).toBe('error');
  });

  it('worstOf takes the codes counted, by their severity in ANALYSIS.md 2', () => {
    expect(worstOf({})).toBeUndefined();
    expect(worstOf({ 'vsock.seq.incomplete': 1 })).toBe('info');
    expect(worstOf({ 'vsock.seq.incomplete': 3, 'vsock.seq.lost_end': 1 })).toBe('error');
    expect(worstOf({ 'vsock.seq.lost_end': 0, 'vsock.seq.incomplete': 2 })).toBe('info');
  });
});
