// Hostile inputs for the fuzz harness, generated with fast-check so that a failing input
// shrinks to a small one: seeds cut from every capture in captures/, then bit flips,
// insertions, deletions, truncation inside a chosen region, boundary values written into
// the length fields the walker finds, records spliced in from another seed, and random bytes.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { captureFiles, MALFORMED_DIR } from '../helpers/captures.js';
import { prefixOf, walk, windowOf } from './walker.js';

/** Packets kept per seed: enough for connections and records, small enough to fuzz fast. */
const SEED_PACKETS = 24;
const SEED_BYTES = 24 * 1024;

export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** From each capture (the damaged ones kept in captures/malformed too): its first packets, and for long captures a window from the middle. */
export function loadSeeds(files: readonly string[] = [...captureFiles(), ...captureFiles(MALFORMED_DIR)]): Seed[] {
  const seeds: Seed[] = [];
  for (const path of files) {
    const bytes = new Uint8Array(readFileSync(path));
    const name = path.replace(/^.*captures\//, '');
    seeds.push({ name, bytes: prefixOf(bytes, SEED_PACKETS, SEED_BYTES) });
    const packets = walk(bytes).packets;
    if (packets > 4 * SEED_PACKETS) {
      const middle = windowOf(bytes, Math.floor(packets / 2), SEED_PACKETS);
      if (middle.length <= 4 * SEED_BYTES) seeds.push({ name: `${name}@middle`, bytes: middle });
    }
  }
  return seeds;
}

export type LengthValue = 'zero' | 'one' | 'odd' | 'max' | 'over' | 'under' | 'half';

export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'truncate'; readonly region: number; readonly at: number }
  | { readonly kind: 'length'; readonly field: number; readonly value: LengthValue | number }
  | { readonly kind: 'splice'; readonly donor: number; readonly record: number; readonly at: number; readonly replace: boolean };

export interface FuzzInput {
  /** A short description of how the bytes were made, for failure reports. */
  readonly how: string;
  readonly bytes: Uint8Array;
  /** Size of the chunks the reader is fed (exercises records that straddle chunks). */
  readonly chunk: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 48 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 48 }) }),
  fc.record({ kind: fc.constant('truncate' as const), region: fc.nat(), at: fc.nat() }),
  { weight: 3, arbitrary: fc.record({
    kind: fc.constant('length' as const),
    field: fc.nat(),
    value: fc.oneof(fc.constantFrom<LengthValue>('zero', 'one', 'odd', 'max', 'over', 'under', 'half'), fc.nat({ max: 0xffffffff })),
  }) },
  fc.record({ kind: fc.constant('splice' as const), donor: fc.nat(), record: fc.nat(), at: fc.nat(), replace: fc.boolean() }),
);

/** Region boundaries for truncation: each record's start, packet data start and end, and a trailer. */
function regions(bytes: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (const r of walk(bytes).records) {
    const data = r.data ?? { start: r.end, end: r.end };
    out.push([r.start, data.start], [data.start, data.end], [data.end, r.end]);
  }
  return out.filter(([a, b]) => b > a);
}

function lengthValue(value: LengthValue | number, size: 2 | 4, remaining: number): number {
  const max = size === 2 ? 0xffff : 0xffffffff;
  switch (value) {
    case 'zero': return 0;
    case 'one': return 1;
    case 'odd': return 13;
    case 'max': return max;
    case 'over': return Math.min(max, remaining + 1);
    case 'under': return Math.max(0, remaining - 1);
    case 'half': return Math.floor(remaining / 2);
    default: return value & max;
  }
}

export function applyMutation(bytes: Uint8Array, m: Mutation, seeds: readonly Seed[]): Uint8Array {
  const n = bytes.length;
  switch (m.kind) {
    case 'flip': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[m.at % n]! ^= 1 << m.bit;
      return out;
    }
    case 'insert': {
      const at = m.at % (n + 1);
      return concat(bytes.subarray(0, at), m.bytes, bytes.subarray(at));
    }
    case 'delete': {
      const at = m.at % (n + 1);
      return concat(bytes.subarray(0, at), bytes.subarray(at + m.count));
    }
    case 'truncate': {
      const list = regions(bytes);
      if (list.length === 0) return bytes.subarray(0, m.at % (n + 1));
      const [start, end] = list[m.region % list.length]!;
      return bytes.slice(0, start + (m.at % (end - start)));
    }
    case 'length': {
      const fields = walk(bytes).fields;
      if (fields.length === 0) return bytes;
      const f = fields[m.field % fields.length]!;
      const out = bytes.slice();
      const view = new DataView(out.buffer);
      const value = lengthValue(m.value, f.size, n - f.at);
      if (f.size === 2) view.setUint16(f.at, value, f.littleEndian);
      else view.setUint32(f.at, value, f.littleEndian);
      return out;
    }
    case 'splice': {
      const donor = seeds[m.donor % seeds.length]!.bytes;
      const donated = walk(donor).records;
      if (donated.length === 0) return bytes;
      const r = donated[m.record % donated.length]!;
      const piece = donor.subarray(r.start, r.end);
      const own = walk(bytes).records;
      if (own.length === 0) return concat(bytes, piece);
      const target = own[m.at % own.length]!;
      return concat(bytes.subarray(0, target.start), piece, bytes.subarray(m.replace ? target.end : target.start));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

const chunk = fc.oneof(fc.constant(1 << 20), fc.integer({ min: 1, max: 4096 }));

/** Every kind of input the harness runs, weighted towards mutated seeds. */
export function fuzzInput(seeds: readonly Seed[]): fc.Arbitrary<FuzzInput> {
  const mutated = fc
    .record({ seed: fc.nat({ max: seeds.length - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 5 }), chunk })
    .map(({ seed, mutations, chunk }) => ({
      how: `${seeds[seed]!.name} with ${JSON.stringify(mutations, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))}`,
      bytes: mutations.reduce((b, m) => applyMutation(b, m, seeds), seeds[seed]!.bytes),
      chunk,
    }));
  // Random bytes, bare or after a real file header (else nearly all stop at the magic).
  const random = fc
    .record({ header: fc.nat({ max: seeds.length }), body: fc.uint8Array({ maxLength: 2048 }), chunk })
    .map(({ header, body, chunk }) => {
      const seed = seeds[header];
      const head = seed === undefined ? new Uint8Array(0) : headerOf(seed.bytes);
      return { how: `random bytes after the header of ${seed?.name ?? 'nothing'}: ${Buffer.from(body).toString('hex')}`, bytes: concat(head, body), chunk };
    });
  return fc.oneof({ weight: 8, arbitrary: mutated }, { weight: 2, arbitrary: random });
}

/** The records before the first packet: the pcap file header, or pcapng's section header and interfaces. */
function headerOf(bytes: Uint8Array): Uint8Array {
  const first = walk(bytes).records.find((r) => r.packet);
  return bytes.subarray(0, first?.start ?? bytes.length);
}
