// Connection instances for the Connections view and the status bar. Once loaded: the
// engine's `conn` events, exactly what `vsockscope conns` lists. While loading, the
// instances whose event has not come yet are the engine's live snapshots.

import type { DecodedFrame } from '../../dissect/decode.js';
import type { ConnSummary } from '../../reassembly/index.js';

function instanceKey(c: ConnSummary): string {
  return `${c.id}@${c.first_frame}`;
}

export class ConnTable {
  private readonly ended = new Map<string, ConnSummary>();
  private live: readonly ConnSummary[] = [];
  private list: ConnSummary[] | undefined;
  /** The ended instances by id: built on first use, then kept up to date as they come. */
  private endedById: Map<string, ConnSummary[]> | undefined;
  private liveById: Map<string, ConnSummary[]> | undefined;

  /** A `conn` event: the instance's summary as `vsockscope conns` shows it. */
  add(c: ConnSummary): void {
    this.ended.set(instanceKey(c), c);
    if (this.endedById !== undefined) addById(this.endedById, c);
    this.list = undefined;
  }

  /** While loading: snapshots of the instances whose `conn` event has not come yet (Engine.liveConns; none once loading is over). */
  setLive(live: readonly ConnSummary[]): void {
    this.live = live;
    this.liveById = undefined;
    this.list = undefined;
  }

  /** Forgets the ended instances whose frames all come before frame n (--ring). */
  dropBefore(n: number): void {
    let dropped = false;
    for (const [key, c] of this.ended) {
      if (c.last_frame >= n) continue;
      this.ended.delete(key);
      dropped = true;
    }
    if (!dropped) return;
    this.list = undefined;
    this.endedById = undefined;
  }

  /** Every instance, by first frame. */
  all(): readonly ConnSummary[] {
    if (this.list === undefined) {
      const merged = new Map(this.ended);
      for (const c of this.live) if (!merged.has(instanceKey(c))) merged.set(instanceKey(c), c);
      this.list = [...merged.values()].sort((a, b) => a.first_frame - b.first_frame);
    }
    return this.list;
  }

  /**
   * The instance a frame belongs to: of its 4-tuple's instances, the last one started at or
   * before it (its ended summary rather than a live snapshot of it). Looked up by id, without
   * sorting every instance: the status bar asks on every repaint.
   */
  instanceOf(frame: DecodedFrame): ConnSummary | undefined {
    const h = frame.virtio;
    if (h === undefined) return undefined;
    this.endedById ??= byId(this.ended.values());
    this.liveById ??= byId(this.live);
    const src = `${h.src_cid}:${h.src_port}`;
    const dst = `${h.dst_cid}:${h.dst_port}`;
    const ended = this.endedById;
    const live = this.liveById;
    // Ended lists first: on a tie the ended summary stays.
    const lists = [ended.get(`${src}-${dst}`), ended.get(`${dst}-${src}`), live.get(`${src}-${dst}`), live.get(`${dst}-${src}`)];
    let found: ConnSummary | undefined;
    for (const list of lists) {
      for (const c of list ?? []) if (c.first_frame <= frame.number && (found === undefined || c.first_frame > found.first_frame)) found = c;
    }
    return found;
  }
}

function byId(instances: Iterable<ConnSummary>): Map<string, ConnSummary[]> {
  const index = new Map<string, ConnSummary[]>();
  for (const c of instances) addById(index, c);
  return index;
}

function addById(index: Map<string, ConnSummary[]>, c: ConnSummary): void {
  const list = index.get(c.id);
  if (list === undefined) index.set(c.id, [c]);
  else list.push(c);
}
