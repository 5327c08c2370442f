// Kept findings packed as text come back as the engine made them, by number and by frame,
// also after --ring dropped some.

import { describe, expect, it } from 'vitest';
import { finding } from '../../src/dissect/findings.js';
import { KeptFindings, packFindings } from '../../src/store/findings.js';
import { FindingsStore } from '../../src/ui/data/findings.js';
import { analyzeFile } from '../helpers/analysis.js';
import { captureFiles } from '../helpers/captures.js';

describe('kept findings', () => {
  it.each(captureFiles())('come back as the analysis reported them: %s', async (path) => {
    const { findings: reported } = await analyzeFile(path);
    const kept = new KeptFindings();
    // In batches, as the loader sends them.
    for (let i = 0; i < reported.length; i += 3) kept.add(packFindings(reported.slice(i, i + 3)));
    expect(kept.length).toBe(reported.length);
    expect(JSON.stringify(Array.from({ length: kept.length }, (_, id) => kept.get(id)))).toBe(JSON.stringify(reported));
    for (const frame of new Set(reported.map((f) => f.frame))) expect(kept.on(frame)).toEqual(reported.filter((f) => f.frame === frame));
  });

  it('--ring: the findings of dropped frames go; the others stay reachable by frame and from their group', () => {
    const store = new FindingsStore();
    const late = finding('vsock.seq.lost_end', 3, 'decided late, about frame 3', { conn: '3:1-2:2', dir: '3:1>2:2', details: { msg_cnt: 4 } });
    store.addKept(packFindings([finding('vsock.seq.cnt_gap', 5, 'five'), finding('vsock.seq.cnt_gap', 1, 'one'), finding('vsock.seq.lost_end', 8, 'eight')]));
    store.addKept(packFindings([late, finding('vsock.seq.cnt_gap', 9, 'nine'), finding('vsock.seq.cnt_gap', 5, 'five again')]));
    expect(store.keptOn(5).map((f) => f.message)).toEqual(['five', 'five again']);
    store.dropBefore(4);
    expect(store.keptOn(3)).toEqual([]);
    expect(store.keptOn(5).map((f) => f.message)).toEqual(['five', 'five again']);
    expect(store.keptOn(8).map((f) => f.message)).toEqual(['eight']);
    const messages = (code: string) => {
      const group = store.sortedGroups().find((g) => g.code === code)!;
      return Array.from({ length: group.frames.length }, (_, i) => store.occurrence(group, i).finding?.message);
    };
    expect(messages('vsock.seq.cnt_gap')).toEqual(['five', 'nine', 'five again']);
    expect(messages('vsock.seq.lost_end')).toEqual(['eight']);
    expect(store.total).toBe(4);
    // A finding about a frame dropped already is not listed.
    store.addKept(packFindings([late, finding('vsock.seq.cnt_gap', 10, 'ten')]));
    expect(store.keptOn(3)).toEqual([]);
    expect(messages('vsock.seq.lost_end')).toEqual(['eight']);
    expect(store.keptOn(10).map((f) => f.message)).toEqual(['ten']);
    store.dropBefore(9);
    expect(messages('vsock.seq.cnt_gap')).toEqual(['nine', 'ten']);
  });

  it('a batch of more text than one string should hold crosses in several, and comes back whole', () => {
    const long = 'x'.repeat(1000);
    const findings = Array.from({ length: 20_000 }, (_, i) => finding('vsock.seq.cnt_gap', i + 1, `${i} ${long}`));
    const packed = packFindings(findings);
    expect(packed.texts.length).toBeGreaterThan(1);
    const kept = new KeptFindings();
    kept.add(packFindings(findings.slice(0, 3)));
    kept.add(packed);
    expect(kept.length).toBe(20_003);
    expect(Array.from({ length: 20_000 }, (_, i) => kept.get(3 + i))).toEqual(findings);
    expect(kept.on(16_751).map((f) => f.message)).toEqual([`16750 ${long}`]);
  });
});
