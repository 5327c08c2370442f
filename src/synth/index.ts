// `vsockscope synth SCENARIO -o FILE [--seed N]`: generated captures with their truth.
//
// generateScenario builds the frames in memory together with the findings and records a
// correct analyser reports for them (ANALYSIS.md section 4 objects); writeScenario writes
// FILE (pcap, or pcapng when FILE ends in .pcapng) and FILE.truth.json.

import { writeFile } from 'node:fs/promises';
import { createCaptureWriter } from '../dissect/container/writer.js';
import { LINKTYPE_VSOCK } from '../dissect/container/types.js';
import type { FindingCode } from '../dissect/findings.js';
import { Sim, type SynthFrame, type TruthFinding, type TruthRecord } from './model.js';
import { Rng } from './prng.js';
import { SCENARIO_DEFS, type ScenarioDef } from './scenarios.js';

export type { SynthFrame, TruthFinding, TruthRecord, RecordStatus } from './model.js';

export interface Truth {
  readonly scenario: string;
  readonly seed: number;
  /** The SEQPACKET dialect of the scenario's connections ("auto": none or both). */
  readonly dialect: 'v4' | 'eom' | 'auto';
  readonly frames: number;
  /** In frame order. */
  readonly findings: readonly TruthFinding[];
  /** By connection instance, direction and index. */
  readonly records: readonly TruthRecord[];
}

export const SCENARIOS: readonly { name: string; description: string }[] =
  SCENARIO_DEFS.map(({ name, description }) => ({ name, description }));

export { DEFAULT_SEED } from './seed.js';
export const SYNTH_SNAPLEN = 262144;

function scenarioDef(name: string): ScenarioDef {
  const def = SCENARIO_DEFS.find((s) => s.name === name);
  if (def === undefined) {
    throw new Error(`unknown synth scenario '${name}' (known: ${SCENARIO_DEFS.map((s) => s.name).join(', ')})`);
  }
  return def;
}

export function generateScenario(name: string, seed: number): { frames: SynthFrame[]; truth: Truth } {
  const def = scenarioDef(name);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer 0..4294967295, got ${seed}`);
  const sim = new Sim(new Rng(seed), seed);
  def.build(sim);
  sim.finish();
  const findings = sim.findings
    .map((f, i) => ({ f, i }))
    .sort((x, y) => x.f.frame - y.f.frame || x.i - y.i)
    .map(({ f }) => f);
  const records = sim.records
    .map((r, i) => ({ ...r, i }))
    .sort((x, y) => x.serial - y.serial || cmp(x.record.dir, y.record.dir) || x.record.index - y.record.index || x.i - y.i)
    .map(({ record }) => record);
  const truth: Truth = { scenario: name, seed, dialect: def.dialect, frames: sim.frames.length, findings, records };
  checkExpectation(def, truth);
  return { frames: sim.frames, truth };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The scenario's hand-stated consequences against the truth the model attributed to
 * frames: any difference is a bug in one of them, never something to ship.
 */
function checkExpectation(def: ScenarioDef, truth: Truth): void {
  const got = new Map<FindingCode, number>();
  for (const f of truth.findings) got.set(f.code, (got.get(f.code) ?? 0) + 1);
  const want = new Map(Object.entries(def.expect.findings) as [FindingCode, number][]);
  const problems: string[] = [];
  for (const code of new Set([...got.keys(), ...want.keys()])) {
    if ((got.get(code) ?? 0) !== (want.get(code) ?? 0)) problems.push(`${code}: expected ${want.get(code) ?? 0}, got ${got.get(code) ?? 0}`);
  }
  const statuses = new Map<string, number>();
  for (const r of truth.records) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  for (const status of ['dropped', 'orphan', 'lost', 'incomplete'] as const) {
    const w = def.expect.records?.[status] ?? 0;
    if ((statuses.get(status) ?? 0) !== w) problems.push(`${status} records: expected ${w}, got ${statuses.get(status) ?? 0}`);
  }
  // Indexes are 0-based and contiguous per direction of each connection instance
  // (records are sorted by instance, direction, index).
  let prevKey = '';
  let expectedIndex = 0;
  for (const r of truth.records) {
    const key = `${r.conn}/${r.dir}`;
    if (key !== prevKey) expectedIndex = 0;
    prevKey = key;
    if (r.index !== expectedIndex) problems.push(`${key}: record index ${r.index}, expected ${expectedIndex}`);
    expectedIndex = r.index + 1;
  }
  if (problems.length > 0) throw new Error(`synth scenario ${def.name}: truth disagrees with its expectation:\n  ${problems.join('\n  ')}`);
}

/** Writes the frames to a capture file (pcapng when the path ends in .pcapng, else pcap, microseconds). */
export async function writeFrames(frames: readonly SynthFrame[], outPath: string): Promise<void> {
  const writer = createCaptureWriter(outPath, { linkType: LINKTYPE_VSOCK, snaplen: SYNTH_SNAPLEN, tsResolution: 6 });
  try {
    for (const f of frames) writer.write({ tsSec: f.tsSec, tsNsec: f.tsNsec, origLen: f.data.length, data: f.data });
  } finally {
    await writer.close();
  }
}

/** Writes OUT and OUT.truth.json. */
export async function writeScenario(name: string, seed: number, outPath: string): Promise<void> {
  const { frames, truth } = generateScenario(name, seed);
  await writeFrames(frames, outPath);
  await writeFile(`${outPath}.truth.json`, JSON.stringify(truth, null, 2) + '\n');
}
