// Packed connection summaries come back exactly as the engine made them.

import { describe, expect, it } from 'vitest';
import type { ConnSummary } from '../../src/reassembly/index.js';
import { ConnRows, packConns } from '../../src/store/conns.js';
import { analyzeFile } from '../helpers/analysis.js';
import { captureFiles } from '../helpers/captures.js';

function unpacked(conns: readonly ConnSummary[]): ConnSummary[] {
  const rows = new ConnRows();
  rows.append(packConns(conns));
  return Array.from({ length: rows.length }, (_, row) => rows.summary(row));
}

const dir = (name: string, window: number | null) => ({
  dir: name, frames: 3, bytes: 2 ** 40 + 1, records: { delivered: 1, dropped: 2, orphan: 3, lost: 4, incomplete: 5 }, findings: 6, window_full_s: window,
});

describe('packed connection summaries', () => {
  it.each(captureFiles())('unpack to what the engine reported: %s', async (path) => {
    const { conns } = await analyzeFile(path);
    // JSON too: the same keys in the same order, as `vsockscope conns --json` writes them.
    expect(JSON.stringify(unpacked(conns))).toBe(JSON.stringify(conns));
  });

  it('keep what the captures above may not have: unknown types, no dialect, null windows, CIDs past 2^53', () => {
    const big = '18446744073709551615:4294967295';
    const conns: ConnSummary[] = [
      { id: `${big}-2:5000`, first_frame: 1, last_frame: 2 ** 32 - 1, type: 'unknown(65535)', dialect: null, state: 'half-closed', midstream: true,
        first_time: 1_700_000_000.123456789, last_time: 1_700_000_001, dirs: [dir(`${big}>2:5000`, null), dir(`2:5000>${big}`, null)] },
      { id: '3:1-2:2', first_frame: 7, last_frame: 9, type: 'SEQPACKET', dialect: 'eom', state: 'reset', midstream: false,
        first_time: 0, last_time: 0.5, dirs: [dir('3:1>2:2', 0.25), dir('2:2>3:1', 0)] },
    ];
    expect(JSON.stringify(unpacked(conns))).toBe(JSON.stringify(conns));
  });

  it('compact keeps the rows asked for, in order, and says where each went', () => {
    const rows = new ConnRows();
    const make = (first: number): ConnSummary => ({
      id: `3:${first}-2:1`, first_frame: first, last_frame: first + 1, type: 'STREAM', dialect: null, state: 'closed', midstream: false,
      first_time: first, last_time: first, dirs: [dir(`3:${first}>2:1`, 0), dir(`2:1>3:${first}`, 0)],
    });
    rows.append(packConns([make(1), make(2), make(3), make(4)]));
    expect(Array.from(rows.compact((row) => row % 2 === 1))).toEqual([-1, 0, -1, 1]);
    expect([rows.summary(0), rows.summary(1)]).toEqual([make(2), make(4)]);
    expect(rows.length).toBe(2);
  });
});
