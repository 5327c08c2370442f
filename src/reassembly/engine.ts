// The reference receiver engine: fed decoded frames in capture order, it tracks
// connections (ANALYSIS.md 1), replays what each receiving kernel and application would
// do (section 3) and reports the findings of sections 2.2-2.5. Pure and I/O-free: the
// same engine serves files, stdin, live capture, the terminal UI and the tests.
// The module layout and the order of events are described in docs/reassembly.md.
//
// Memory is bounded by the number of connection instances: no payload bytes are kept,
// per record only counters; an ended instance (first RST) keeps only its counters.

import type { DecodedFrame } from '../dissect/decode.js';
import type { Finding } from '../dissect/findings.js';
import { OP } from '../dissect/fields.js';
import { ConnTable } from './conn-table.js';
import { Context, relTime } from './context.js';
import { DIALECTS, parseDialect } from './dialect.js';
import { captureEnded, openConn } from './lifecycle.js';
import { undecided } from './loss.js';
import { packet } from './packet.js';
import { countDecoderFindings } from './report.js';
import { engineSummary, snapshot } from './summary.js';
import type { ConnSummary, Dialect, EngineEvent, EngineOptions, EngineSummary } from './types.js';

export class Engine {
  private readonly ctx: Context;
  private readonly table = new ConnTable();
  private finished = false;
  /** The frame pushed last: its instance is table.last, which dialectOf() then need not look up. */
  private lastPushed: DecodedFrame | undefined;

  constructor(onEvent: (e: EngineEvent) => void, options: EngineOptions = {}) {
    const r = options.rcvbuf;
    if (r !== undefined && (!Number.isInteger(r) || r < 0)) throw new RangeError(`rcvbuf must be a non-negative integer, got ${r}`);
    this.ctx = new Context(onEvent, parseDialect(options.dialect), r ?? -1, options.records ?? true, options.conns ?? true, options.recordSink);
  }

  push(f: DecodedFrame): void {
    if (this.finished) throw new Error('Engine.push() after end()');
    const ctx = this.ctx;
    ctx.frames++;
    const ex = f.expert;
    if (ex.length !== 0) countDecoderFindings(ctx, ex);
    const v = f.virtio;
    if (v === undefined) return;
    if (ctx.baseSec < 0) ctx.baseSec = f.tsSec;
    ctx.capSec = f.tsSec;
    ctx.capNsec = f.tsNsec;
    const table = this.table;
    let c = table.find(v);
    // A REQUEST on an instance that ended (its RST) starts the 4-tuple's next instance.
    if (c === null || (v.op === OP.REQUEST && c.live === null)) c = openConn(ctx, table, f, v);
    table.last = c;
    this.lastPushed = f;
    packet(ctx, c, v.src_port === c.aPort && v.src_cid === c.aCid, f, v);
  }

  end(): void {
    if (this.finished) return;
    this.finished = true;
    const ctx = this.ctx;
    const all = this.table.all;
    const at = ctx.baseSec < 0 ? 0 : relTime(ctx, ctx.capSec, ctx.capNsec);
    // 1. Close every open finding: runs end here, undecided attributions stay undecided.
    const why = "the capture ended before the receiver's fwd_cnt caught up";
    for (const c of all) {
      const L = c.live;
      if (L === null) continue;
      undecided(ctx, L.a.attribution, why);
      undecided(ctx, L.b.attribution, why);
    }
    ctx.queue.endCollect();
    for (const c of all) {
      const L = c.live;
      if (L === null) continue;
      captureEnded(ctx, c, L.a, at);
      captureEnded(ctx, c, L.b, at);
    }
    ctx.queue.flush();
    // 2. What only the end of the capture determines, by frame.
    ctx.queue.endEmit();
    // 3. Connections still open (nothing is held back any more: they go out at once).
    for (const c of all) {
      if (c.live === null) continue;
      c.live = null;
      if (ctx.connEvents) ctx.queue.emit({ type: 'conn', conn: snapshot(ctx, c) }, c.lastFrame);
      else ctx.queue.skip();
    }
  }

  /**
   * A finding of another stage (the decoder's, the capture container's) joins the event
   * stream at its frame's place, behind findings still held back for earlier frames, so
   * consumers get every finding in capture order. It is not counted: the summary's
   * decoder counts come from the frames pushed.
   */
  relay(f: Finding): void {
    this.ctx.queue.emit({ type: 'anomaly', finding: f }, f.frame);
  }

  /**
   * A live capture's output is due: findings held back for later frames (a loss waiting
   * for fwd_cnt to tell who lost it, a run of orphans still growing) that opened at or
   * before `upToFrame` go out now with what is known, and so does everything behind them.
   */
  settle(upToFrame: number): void {
    if (!this.finished) this.ctx.queue.settle(upToFrame, 'by the time a live capture had to report it');
  }

  summary(): EngineSummary {
    return engineSummary(this.ctx, this.table.all.length);
  }

  /** Every connection instance so far, by first frame (fresh snapshots). */
  conns(): ConnSummary[] {
    return this.table.all.map((c) => snapshot(this.ctx, c));
  }

  /**
   * The instances whose `conn` event has not gone out yet, by first frame (fresh snapshots):
   * those not ended, and those whose RST came while events were held back. The latter may
   * include one whose event did go out: the caller prefers the event's summary.
   */
  liveConns(): ConnSummary[] {
    const heldSince = this.ctx.queue.heldSince();
    const live: ConnSummary[] = [];
    for (const c of this.table.all) if (c.live !== null || c.rstFrame >= heldSince) live.push(snapshot(this.ctx, c));
    return live;
  }

  /**
   * The dialect of the frame's connection (current instance of its 4-tuple) as known so far.
   * Asked per frame by `read` and the TUI's loader, right after pushing it: then it is the
   * instance the push found.
   */
  dialectOf(frame: DecodedFrame): Dialect | undefined {
    const v = frame.virtio;
    if (v === undefined) return undefined;
    const c = frame === this.lastPushed ? this.table.last : this.table.find(v);
    return c === null ? undefined : DIALECTS[c.dialect];
  }
}
