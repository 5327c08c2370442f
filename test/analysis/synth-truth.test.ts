// Every synth scenario in captures/synth/ against its truth file, which the
// generator derived from the faults it injected (never from the engine).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateScenario, SCENARIOS } from '../../src/synth/index.js';
import { buildCapture } from '../../src/dissect/container/writer.js';
import { CAPTURES_DIR } from '../helpers/captures.js';
import { analyzeFile } from '../helpers/analysis.js';

const dir = `${CAPTURES_DIR}synth/`;

interface TruthFinding { code: string; frame: number; conn: string; dir: string; details?: Record<string, unknown> }
interface Truth { frames: number; findings: TruthFinding[]; records: Record<string, unknown>[] }

const byFrameAndCode = (a: { frame: number; code: string }, b: { frame: number; code: string }) => a.frame - b.frame || a.code.localeCompare(b.code);

describe('synth scenarios against their truth', () => {
  for (const { name } of SCENARIOS) {
    it(`${name}: the committed capture is what the generator writes for seed 1`, () => {
      const { frames } = generateScenario(name, 1);
      const built = buildCapture('pcap', frames.map((f) => ({ ...f, origLen: f.data.length })), { snaplen: 262144 });
      expect(Buffer.from(readFileSync(`${dir}${name}.pcap`)).equals(Buffer.from(built))).toBe(true);
    });

    it(`${name}: findings and records equal the truth`, async () => {
      const truth = JSON.parse(readFileSync(`${dir}${name}.pcap.truth.json`, 'utf8')) as Truth;
      const { findings, records, result } = await analyzeFile(`${dir}${name}.pcap`);
      expect(result.frames).toBe(truth.frames);
      // Each finding: same code, frame, connection and direction; details contain what the truth states.
      const ours = findings.map((f) => ({ code: f.code, frame: f.frame, conn: f.conn, dir: f.dir })).sort(byFrameAndCode);
      const theirs = truth.findings.map((t) => ({ code: t.code, frame: t.frame, conn: t.conn, dir: t.dir })).sort(byFrameAndCode);
      expect(ours).toEqual(theirs);
      for (const t of truth.findings.filter((x) => x.details !== undefined)) {
        const f = findings.find((x) => x.code === t.code && x.frame === t.frame)!;
        expect(f.details, `${t.code} at frame ${t.frame}`).toMatchObject(t.details!);
      }
      const key = (r: Record<string, unknown>) => `${r.conn} ${r.dir} ${String(r.index).padStart(8, '0')}`;
      const ourRecords = records.map(({ type: _type, ...r }) => ({ ...r, reason: r.reason ?? null } as Record<string, unknown>));
      expect(ourRecords.sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...truth.records].sort((a, b) => key(a).localeCompare(key(b))));
    });
  }

  it('the pcapng copy of clean-v4 gives the same analysis as the pcap', async () => {
    const a = await analyzeFile(`${dir}clean-v4.pcap`);
    const b = await analyzeFile(`${dir}clean-v4.pcapng`);
    expect(b.records).toEqual(a.records);
    expect(b.findings).toEqual(a.findings);
  });
});
