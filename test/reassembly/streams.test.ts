// The `stream` of a record event (EngineEvent): two records have the same stream exactly
// when they have the same `conn` and `dir`.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/cli/analysis.js';
import { OP } from '../../src/dissect/fields.js';
import type { EngineEvent } from '../../src/reassembly/index.js';
import { captureFiles } from '../helpers/captures.js';
import { run, Wire } from './wire.js';

type Keyed = { conn: string; dir: string; stream: number };

/** The pairs of records whose streams disagree with their (conn, dir); [] when they all agree. */
function disagreements(records: readonly Keyed[]): string[] {
  const byStream = new Map<number, string>();
  const byName = new Map<string, number>();
  const bad: string[] = [];
  for (const { conn, dir, stream } of records) {
    const name = `${conn} ${dir}`;
    const seen = byStream.get(stream) ?? name;
    const seenStream = byName.get(name) ?? stream;
    if (seen !== name || seenStream !== stream) bad.push(`stream ${stream}: ${name} (${seen}, stream ${seenStream} before)`);
    byStream.set(stream, name);
    byName.set(name, stream);
  }
  return bad;
}

const keyed = (events: readonly EngineEvent[]): Keyed[] =>
  events.flatMap((e) => (e.type === 'record' ? [{ conn: e.record.conn, dir: e.record.dir, stream: e.stream }] : []));

describe('record streams', () => {
  it('instances of one 4-tuple share streams when A is the same endpoint, and not when the other endpoint opened', () => {
    const w = new Wire('seq');
    w.open(); // 1, 2: a opens, conn 3:1025-2:5000
    w.record('a', 0, [10]); // 3-5
    w.record('b', 0, [10]); // 6-8
    w.rst('a'); // 9
    w.f('b', 'REQUEST'); // 10: b opens the next instance, conn 2:5000-3:1025
    w.f('a', 'RESPONSE'); // 11
    w.record('a', 0, [10]); // 12-14: dir 3:1025>2:5000 again, of another conn
    w.record('b', 0, [10]); // 15-17
    w.rst('b'); // 18
    w.open(); // 19, 20: a opens again, conn 3:1025-2:5000
    w.record('b', 0, [10]); // 21-23
    w.record('a', 0, [10]); // 24-26
    const records = keyed(run(w.frames).events);
    expect(records.map((r) => `${r.conn} ${r.dir}`)).toEqual([
      '3:1025-2:5000 3:1025>2:5000', '3:1025-2:5000 2:5000>3:1025',
      '2:5000-3:1025 3:1025>2:5000', '2:5000-3:1025 2:5000>3:1025',
      '3:1025-2:5000 2:5000>3:1025', '3:1025-2:5000 3:1025>2:5000',
    ]);
    expect(new Set(records.map((r) => r.stream)).size).toBe(4);
    expect(disagreements(records)).toEqual([]);
  });

  it('a connection from an endpoint to itself has one stream, as its directions have one name', () => {
    const w = new Wire('seq', [3, 1025], [3, 1025]);
    w.open();
    w.record('a', 0, [10]);
    w.record('b', 2, [10]);
    const records = keyed(run(w.frames).events);
    expect(records).toHaveLength(2);
    expect(records[0]!.dir).toBe(records[1]!.dir);
    expect(disagreements(records)).toEqual([]);
  });

  it('agree with conn and dir on every capture in captures/', async () => {
    for (const path of captureFiles()) {
      const records: Keyed[] = [];
      await analyze(path, {}, { record: (r, stream) => records.push({ conn: r.conn, dir: r.dir, stream }) });
      expect(disagreements(records), path).toEqual([]);
    }
  });

  it('agree with conn and dir on random traffic among two endpoints (instances of either orientation)', () => {
    const endpoint = fc.constantFrom<[number, number]>([2, 7], [3, 1]);
    const op = fc.constantFrom<keyof typeof OP>('REQUEST', 'RESPONSE', 'RST', 'SHUTDOWN', 'SEQ_BEGIN', 'SEQ_END', 'RW');
    const frame = fc.record({ a: endpoint, b: endpoint, fromB: fc.boolean(), op, cnt: fc.nat(4), len: fc.nat(3) });
    fc.assert(fc.property(fc.array(frame, { maxLength: 80 }), (frames) => {
      const wires = new Map<string, Wire>();
      const all: Wire[] = [];
      // One Wire per (a, b) pair, all numbered in one sequence: frames are re-numbered below.
      for (const f of frames) {
        const key = `${f.a} ${f.b}`;
        let w = wires.get(key);
        if (w === undefined) wires.set(key, (w = new Wire('seq', f.a, f.b)));
        const marker = f.op === 'SEQ_BEGIN' || f.op === 'SEQ_END';
        w.f(f.fromB ? 'b' : 'a', f.op, marker ? { cnt: f.cnt, mlen: f.len } : f.op === 'RW' ? { len: f.len } : {});
        all.push(w);
      }
      const taken = new Map<Wire, number>();
      const decoded = all.map((w, i) => {
        const n = taken.get(w) ?? 0;
        taken.set(w, n + 1);
        return { ...w.frames[n]!, number: i + 1 };
      });
      expect(disagreements(keyed(run(decoded).events))).toEqual([]);
    }), { numRuns: 500 });
  });
});
