// Connection instances for the Connections view and the status bar. Once loaded: the
// engine's `conn` events, exactly what `vsockscope conns` lists. While loading, the
// instances whose event has not come yet are the engine's live snapshots. Kept packed
// (store/conns.ts); a summary object is made for the rows shown.

import type { DecodedFrame } from '../../dissect/decode.js';
import type { ConnSummary } from '../../reassembly/index.js';
import { GrowableArray } from '../../store/columns.js';
import { ConnRows, type PackedConns } from '../../store/conns.js';
import { SortedOrder } from '../../store/sorted-order.js';

/** A row of the merged list: an ended instance's row (>= 0), or a live snapshot's (-1 - its row). */
type Listed = number;

export class ConnTable {
  private readonly ended = new ConnRows();
  private live = new ConnRows();
  /** The ended rows by first frame (an instance's first frame is its own: no ties). */
  private readonly order = new SortedOrder((row) => this.ended.firstFrame(row));
  /** Ended and live rows by first frame, a live one only when its instance has not ended; undefined: to be merged again. */
  private merged: Int32Array | undefined;
  /** Per id, the ended row that came last; each row's previous one with its id (-1: none). Built on first use. */
  private latestById: Map<string, number> | undefined;
  private readonly previousWithId = new GrowableArray((n) => new Int32Array(n), 64);
  /** The live rows by id, built on first use after each setLive. */
  private liveById: Map<string, number[]> | undefined;

  /** `conn` events: the instances' summaries as `vsockscope conns` shows them. */
  add(conns: PackedConns): void {
    const first = this.ended.length;
    this.ended.append(conns);
    if (this.latestById !== undefined) for (let row = first; row < this.ended.length; row++) this.linkById(row);
    this.merged = undefined;
  }

  /** While loading: snapshots of the instances whose `conn` event has not come yet, by first frame (Engine.liveConns; none once loading is over). */
  setLive(live: PackedConns): void {
    this.live = new ConnRows();
    this.live.append(live);
    this.merged = undefined;
    this.liveById = undefined;
  }

  /** Loading is over: every instance's `conn` event came. */
  clearLive(): void {
    this.setLive({ values: new Float64Array(0), ids: [] });
  }

  /** Forgets the ended instances whose frames all come before frame n (--ring). */
  dropBefore(n: number): void {
    const ended = this.ended;
    let any = false;
    for (let row = 0; row < ended.length && !any; row++) any = ended.lastFrame(row) < n;
    if (!any) return;
    this.order.renumber(ended.compact((row) => ended.lastFrame(row) >= n));
    this.merged = undefined;
    this.latestById = undefined;
  }

  /** Instances listed (ended, and live ones not ended yet). */
  count(): number {
    return this.list().length;
  }

  /** The instance listed at `row` (by first frame), or undefined past the end. */
  at(row: number): ConnSummary | undefined {
    const listed = this.list()[row];
    return listed === undefined ? undefined : this.summary(listed);
  }

  /** The instances listed at rows start .. end - 1 (fewer past the end). */
  slice(start: number, end: number): ConnSummary[] {
    return Array.from(this.list().subarray(start, end), (listed) => this.summary(listed));
  }

  /** The first row listing an instance of connection `id`, or -1. */
  rowOf(id: string): number {
    const list = this.list();
    for (let row = 0; row < list.length; row++) if (this.idOf(list[row]!) === id) return row;
    return -1;
  }

  /**
   * The instance a frame belongs to: of its 4-tuple's instances, the last one started at or
   * before it (its ended summary rather than a live snapshot of it). Looked up by id, without
   * listing every instance: the status bar asks on every repaint.
   */
  instanceOf(frame: DecodedFrame): ConnSummary | undefined {
    const h = frame.virtio;
    if (h === undefined) return undefined;
    const src = `${h.src_cid}:${h.src_port}`;
    const dst = `${h.dst_cid}:${h.dst_port}`;
    const ids = [`${src}-${dst}`, `${dst}-${src}`];
    const n = frame.number;
    let found: Listed | undefined;
    let foundFirst = -1;
    // Ended instances first: on a tie the ended summary stays.
    const latest = this.byId();
    for (const id of ids) {
      for (let row = latest.get(id) ?? -1; row >= 0; row = this.previousWithId.get(row)) {
        const first = this.ended.firstFrame(row);
        if (first <= n && first > foundFirst) {
          found = row;
          foundFirst = first;
        }
      }
    }
    const live = this.live;
    if (this.liveById === undefined) {
      this.liveById = new Map();
      for (let row = 0; row < live.length; row++) {
        const id = live.id(row);
        const rows = this.liveById.get(id);
        if (rows === undefined) this.liveById.set(id, [row]);
        else rows.push(row);
      }
    }
    for (const id of ids) {
      for (const row of this.liveById.get(id) ?? []) {
        const first = live.firstFrame(row);
        if (first <= n && first > foundFirst) {
          found = -1 - row;
          foundFirst = first;
        }
      }
    }
    return found === undefined ? undefined : this.summary(found);
  }

  private summary(listed: Listed): ConnSummary {
    return listed >= 0 ? this.ended.summary(listed) : this.live.summary(-1 - listed);
  }

  private idOf(listed: Listed): string {
    return listed >= 0 ? this.ended.id(listed) : this.live.id(-1 - listed);
  }

  private list(): Int32Array {
    if (this.merged !== undefined) return this.merged;
    const ended = this.ended;
    const live = this.live;
    const order = this.order.items(ended.length);
    const merged = new Int32Array(order.length + live.length);
    let n = 0;
    let e = 0;
    for (let l = 0; l < live.length; l++) {
      const first = live.firstFrame(l);
      while (e < order.length && ended.firstFrame(order[e]!) < first) merged[n++] = order[e++]!;
      if (e < order.length && ended.firstFrame(order[e]!) === first) continue;
      merged[n++] = -1 - l;
    }
    while (e < order.length) merged[n++] = order[e++]!;
    this.merged = merged.subarray(0, n);
    return this.merged;
  }

  private byId(): Map<string, number> {
    if (this.latestById === undefined) {
      this.latestById = new Map();
      this.previousWithId.clear();
      for (let row = 0; row < this.ended.length; row++) this.linkById(row);
    }
    return this.latestById;
  }

  private linkById(row: number): void {
    const id = this.ended.id(row);
    this.previousWithId.push(this.latestById!.get(id) ?? -1);
    this.latestById!.set(id, row);
  }
}
