// Connection instances for the Connections view and the status bar. Once loaded: the
// engine's `conn` events, exactly what `vsockscope conns` lists. While loading, the
// instances that have not ended yet come from the engine's live snapshots.

import type { DecodedFrame } from '../../dissect/decode.js';
import type { ConnSummary } from '../../reassembly/index.js';

function instanceKey(c: ConnSummary): string {
  return `${c.id}@${c.first_frame}`;
}

export class ConnTable {
  private readonly ended = new Map<string, ConnSummary>();
  private live: readonly ConnSummary[] = [];
  private list: ConnSummary[] | undefined;
  private byId: Map<string, ConnSummary[]> | undefined;

  /** A `conn` event: the instance's summary as `vsockscope conns` shows it. */
  add(c: ConnSummary): void {
    this.ended.set(instanceKey(c), c);
    this.changed();
  }

  /** While loading: snapshots of every instance so far (none once loading is over). */
  setLive(live: readonly ConnSummary[]): void {
    this.live = live;
    this.changed();
  }

  /** Forgets the ended instances whose frames all come before frame n (--ring). */
  dropBefore(n: number): void {
    let dropped = false;
    for (const [key, c] of this.ended) {
      if (c.last_frame >= n) continue;
      this.ended.delete(key);
      dropped = true;
    }
    if (dropped) this.changed();
  }

  private changed(): void {
    this.list = undefined;
    this.byId = undefined;
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

  /** The instance a frame belongs to: of its 4-tuple's instances, the last one started at or before it. */
  instanceOf(frame: DecodedFrame): ConnSummary | undefined {
    const h = frame.virtio;
    if (h === undefined) return undefined;
    if (this.byId === undefined) {
      this.byId = new Map();
      for (const c of this.all()) {
        const list = this.byId.get(c.id);
        if (list === undefined) this.byId.set(c.id, [c]);
        else list.push(c);
      }
    }
    const src = `${h.src_cid}:${h.src_port}`;
    const dst = `${h.dst_cid}:${h.dst_port}`;
    const instances = this.byId.get(`${src}-${dst}`) ?? this.byId.get(`${dst}-${src}`) ?? [];
    let found: ConnSummary | undefined;
    for (const c of instances) if (c.first_frame <= frame.number) found = c;
    return found;
  }
}
