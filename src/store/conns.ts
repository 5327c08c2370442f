// Connection instances as the engine summarised them (ConnSummary), packed: a row of
// FIELDS numbers and the id string an instance, where a summary object with its two
// direction objects costs ~900 bytes. A capture of many short connections (a port scan)
// holds millions. Packed where the engine runs, unpacked where one is shown.

import { enumName, VIRTIO_TYPE_NAMES } from '../dissect/fields.js';
import { CONN_STATES, type ConnState, type ConnSummary, type Dialect, type DirSummary } from '../reassembly/index.js';
import { GrowableArray, PagedColumn } from './columns.js';
import { sharedCopy } from './shared-arrays.js';

const STATE_CODE = new Map<ConnState, number>(CONN_STATES.map((s, i) => [s, i]));
/** Index 0: no dialect (null). */
const DIALECTS: readonly (Dialect | null)[] = [null, 'v4', 'v7', 'eom'];
const DIALECT_CODE = new Map(DIALECTS.map((d, i) => [d, i]));
const TYPE_CODE = new Map(Object.entries(VIRTIO_TYPE_NAMES).map(([n, name]) => [name, Number(n)]));
const UNKNOWN_TYPE = /^unknown\((\d+)\)$/;

// A row: the instance's fields, then each direction's.
const FIRST_FRAME = 0;
const LAST_FRAME = 1;
const TYPE = 2;
const DIALECT = 3;
const STATE = 4;
const MIDSTREAM = 5;
const FIRST_TIME = 6;
const LAST_TIME = 7;
const DIRS = 8;
// A direction's fields, from DIRS + DIR_FIELDS * d.
const FRAMES = 0;
const BYTES = 1;
const DELIVERED = 2;
const DROPPED = 3;
const ORPHAN = 4;
const LOST = 5;
const INCOMPLETE = 6;
const FINDINGS = 7;
/** NaN: null (credit not analysed). */
const WINDOW_FULL_S = 8;
const DIR_FIELDS = 9;
const FIELDS = DIRS + 2 * DIR_FIELDS;

/** Instances packed for sending: FIELDS numbers and an id each. */
export interface PackedConns {
  readonly values: Float64Array;
  readonly ids: readonly string[];
}

function typeCode(type: string): number {
  const known = TYPE_CODE.get(type);
  if (known !== undefined) return known;
  const unknown = UNKNOWN_TYPE.exec(type);
  if (unknown === null) throw new Error(`not a connection type: ${type}`);
  return Number(unknown[1]);
}

/** Packs summaries as the engine reports them (the loader's side). */
export class ConnPacker {
  private readonly values = new GrowableArray((n) => new Float64Array(n), 64 * FIELDS);
  private ids: string[] = [];

  get length(): number {
    return this.ids.length;
  }

  add(c: ConnSummary): void {
    const at = this.values.append(FIELDS);
    const v = this.values.array();
    v[at + FIRST_FRAME] = c.first_frame;
    v[at + LAST_FRAME] = c.last_frame;
    v[at + TYPE] = typeCode(c.type);
    v[at + DIALECT] = DIALECT_CODE.get(c.dialect)!;
    v[at + STATE] = STATE_CODE.get(c.state)!;
    v[at + MIDSTREAM] = c.midstream ? 1 : 0;
    v[at + FIRST_TIME] = c.first_time;
    v[at + LAST_TIME] = c.last_time;
    for (let d = 0; d < 2; d++) {
      const s = c.dirs[d]!;
      const o = at + DIRS + d * DIR_FIELDS;
      v[o + FRAMES] = s.frames;
      v[o + BYTES] = s.bytes;
      v[o + DELIVERED] = s.records.delivered;
      v[o + DROPPED] = s.records.dropped;
      v[o + ORPHAN] = s.records.orphan;
      v[o + LOST] = s.records.lost;
      v[o + INCOMPLETE] = s.records.incomplete;
      v[o + FINDINGS] = s.findings;
      v[o + WINDOW_FULL_S] = s.window_full_s ?? NaN;
    }
    this.ids.push(c.id);
  }

  /** What was added since the last take, in order, on shared memory (shared-arrays.ts). */
  take(): PackedConns {
    const packed = { values: sharedCopy(Float64Array, this.values.view()), ids: this.ids };
    this.values.clear();
    this.ids = [];
    return packed;
  }
}

/** Packs a list at once. */
export function packConns(conns: readonly ConnSummary[]): PackedConns {
  const packer = new ConnPacker();
  for (const c of conns) packer.add(c);
  return packer.take();
}

/**
 * Packed instances, row after row (the UI's side). In pages: a contiguous array would be
 * copied whole each time it doubled, 100 ms at a time on a port scan while the UI waits.
 */
export class ConnRows {
  private readonly values = new PagedColumn((n) => new Float64Array(n));
  private ids: string[] = [];

  get length(): number {
    return this.ids.length;
  }

  append(p: PackedConns): void {
    this.values.setAll(this.ids.length * FIELDS, p.values);
    for (const id of p.ids) this.ids.push(id);
  }

  id(row: number): string {
    return this.ids[row]!;
  }

  firstFrame(row: number): number {
    return this.values.get(row * FIELDS + FIRST_FRAME);
  }

  lastFrame(row: number): number {
    return this.values.get(row * FIELDS + LAST_FRAME);
  }

  /** The summary as the engine reported it (a new object each call). */
  summary(row: number): ConnSummary {
    const values = this.values;
    const at = row * FIELDS;
    const v = (field: number) => values.get(at + field);
    const id = this.ids[row]!;
    // The engine's names (ConnNames): id "<A>-<B>", directions "<A>><B>" and "<B>><A>"; an endpoint is "<cid>:<port>".
    const dash = id.indexOf('-');
    const a = id.slice(0, dash);
    const b = id.slice(dash + 1);
    const dir = (d: number, name: string): DirSummary => {
      const o = DIRS + d * DIR_FIELDS;
      const window = v(o + WINDOW_FULL_S);
      return {
        dir: name,
        frames: v(o + FRAMES),
        bytes: v(o + BYTES),
        records: { delivered: v(o + DELIVERED), dropped: v(o + DROPPED), orphan: v(o + ORPHAN), lost: v(o + LOST), incomplete: v(o + INCOMPLETE) },
        findings: v(o + FINDINGS),
        window_full_s: Number.isNaN(window) ? null : window,
      };
    };
    return {
      id,
      first_frame: v(FIRST_FRAME),
      last_frame: v(LAST_FRAME),
      type: enumName(VIRTIO_TYPE_NAMES, v(TYPE)),
      dialect: DIALECTS[v(DIALECT)]!,
      state: CONN_STATES[v(STATE)]!,
      midstream: v(MIDSTREAM) === 1,
      first_time: v(FIRST_TIME),
      last_time: v(LAST_TIME),
      dirs: [dir(0, `${a}>${b}`), dir(1, `${b}>${a}`)],
    };
  }

  /**
   * Keeps the rows `keep` accepts, in order; returns where each row went (-1: dropped).
   */
  compact(keep: (row: number) => boolean): Int32Array {
    const moved = new Int32Array(this.length).fill(-1);
    const values = this.values;
    const ids: string[] = [];
    for (let row = 0; row < this.length; row++) {
      if (!keep(row)) continue;
      const to = ids.length;
      moved[row] = to;
      if (to !== row) for (let f = 0; f < FIELDS; f++) values.set(to * FIELDS + f, values.get(row * FIELDS + f));
      ids.push(this.ids[row]!);
    }
    this.ids = ids;
    return moved;
  }
}
