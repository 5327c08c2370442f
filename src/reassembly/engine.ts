// The reference receiver engine: fed decoded frames in capture order, it tracks
// connections (ANALYSIS.md 1), replays what each receiving kernel and application would
// do (section 3) and reports the findings of sections 2.2-2.5. Pure and I/O-free: the
// same engine serves files, stdin, live capture, the terminal UI and the tests.
//
// Event order. Events are delivered in capture order of the frame they are attached to
// (a record is attached to the frame that decided it: its SEQ_END, the SEQ_BEGIN that cut
// it, the SHUTDOWN/RST that closed it). Two kinds of finding are only complete after
// later frames: a `vsock.seq.lost_begin` (its details give the whole run of orphans, known
// when the run ends) and every loss finding (lost_end, lost_begin, cnt_gap, len_mismatch
// with bytes missing), whose message says whether the capture or the transport lost the
// packet - known once the receiver's fwd_cnt either credits bytes the capture never saw
// (the capture missed it) or, with the sender at a record boundary, catches up with every
// byte the capture saw and nothing more (lost in transport: never credited). While such a
// finding is open, every later event is held back
// (so the stream stays in order); past HOLD_CAP held events every open finding is
// emitted with what is known so far (`details.partial: true` for an open run, which is
// then not reported again; "cannot be told apart yet" for an open attribution). At end(),
// open findings are closed, then the findings and records that only the end of the
// capture determines (`vsock.seq.incomplete` and incomplete records, trailing orphans)
// are emitted sorted by frame, then a `conn` event for every connection still open.
//
// Memory is bounded by the number of connection instances: no payload bytes are kept,
// per record only counters; an ended instance (first RST) keeps only its counters.

import type { DecodedFrame } from '../dissect/decode.js';
import { enumName, OP, TYPE_SEQPACKET, TYPE_STREAM, VIRTIO_OP_NAMES, VIRTIO_TYPE_NAMES } from '../dissect/fields.js';
import { finding, type Finding, type FindingCode } from '../dissect/findings.js';
import type { Cid, VirtioHeader } from '../dissect/parsers.js';
import type {
  ConnState, ConnSummary, Dialect, DirSummary, EngineEvent, EngineOptions, EngineSummary, RecordCounts, RecordResult, RecordStatus,
} from './types.js';

/** Held-back events beyond which open findings are emitted with the figures so far. */
export const HOLD_CAP = 65_536;
/** At most this many `lost` records are emitted for one counter gap (the index still advances by the whole gap). */
export const LOST_RECORDS_CAP = 4096;

const D_NONE = 0;
const D_V4 = 1;
const D_V7 = 2;
const D_EOM = 3;
const DIALECTS: readonly (Dialect | undefined)[] = [undefined, 'v4', 'v7', 'eom'];

const S_REQUESTED = 0;
const S_ESTABLISHED = 1;
const S_REFUSED = 2;
const S_HALF_CLOSED = 3;
const S_CLOSED = 4;
const S_RESET = 5;
const STATES: readonly ConnState[] = ['requested', 'established', 'refused', 'half-closed', 'closed', 'reset'];

const SHUT_RCV = 1;
const SHUT_SEND = 2;

// Loss attribution verdicts.
const V_PENDING = 0;
const V_CAPTURE = 1;
const V_TRANSPORT = 2;
const V_UNKNOWN = 3;
const V_NO_CREDIT = 4;

/** Endpoint CIDs up to this value fit a numeric (cid, port) key: cid * 2^32 + port < 2^53. */
const NUMERIC_CID_MAX = 0x1f_ffff;
const TWO32 = 4294967296;

class DirStats {
  frames = 0;
  bytes = 0;
  delivered = 0;
  dropped = 0;
  orphan = 0;
  lost = 0;
  incomplete = 0;
  findings = 0;
  windowFull = 0;
}

/** A run of orphans (packets arriving while no record is open). */
class Run {
  frames = 0;
  bytes = 0;
  last = 0;
  /** Counter of the first record the run closes (implied by an orphan SEQ_END), -1: none yet. */
  endCnt = -1;
  loss: Loss | null = null;
  constructor(readonly first: number) {}
}

/** A loss finding waiting for its run to end and/or for fwd_cnt to tell who lost the packet. */
class Loss {
  hold: Hold | null = null;
  verdict = V_PENDING;
  evidence = 0;
  evidenceBytes = 0;
  why = '';
  ready: boolean;
  done = false;
  partial = false;
  constructor(
    readonly conn: Conn,
    readonly side: Side,
    readonly code: FindingCode,
    readonly frame: number,
    readonly text: string,
    readonly related: readonly number[],
    readonly details: Record<string, unknown>,
    readonly minMissing: number,
    readonly run: Run | null,
  ) {
    this.ready = run === null;
  }
}

/** A held-back slot in the event stream; `ev` null while open. */
class Hold {
  ev: EngineEvent | null = null;
  constructor(readonly loss: Loss) {}
}

/** One endpoint of a live connection: what it advertises as a receiver, and the data it sends. */
class Side {
  // Its latest advertised receive values (for the peer's data).
  seen = false;
  bufAlloc = 0;
  fwd = 0;
  creditFrame = 0;
  shrinkFrame = 0;
  // As a sender.
  tx = 0;
  prevFrame = 0;
  peerBufAtPrev = 0;
  full = false;
  fullSince = 0;
  /** Bytes of this side's data the peer's fwd_cnt proved the capture missed (max so far). */
  aheadMax = 0;
  unexplained = 0;
  unexplainedFrame = 0;
  pending: Loss[] | null = null;
  // SHUTDOWN bits it sent.
  shut = 0;
  sendShutFrame = 0;
  rcvShutFrame = 0;
  // Reassembly of what it sends: the open record (v4/v7) or message (eom).
  recOpen = false;
  recCnt = 0;
  recLen = 0;
  recFirst = 0;
  recLast = 0;
  recRecv = 0;
  recEor = false;
  /** Last marker counter, -1: none yet. */
  m = -1;
  mFrame = 0;
  mEnd = false;
  /** Before the first boundary of a capture that started mid-connection: orphans expected. */
  leading = false;
  run: Run | null = null;
  orphOpen = false;
  orphFirst = 0;
  orphLast = 0;
  orphBytes = 0;
  /** Some RW of the open orphan record had flag bit 0 (MSG_EOR, ANALYSIS.md 3). */
  orphEor = false;
  index = 0;
  constructor(readonly isA: boolean, readonly stats: DirStats) {}
}

class Live {
  constructor(readonly a: Side, readonly b: Side) {}
}

class Conn {
  lastFrame: number;
  lastSec: number;
  lastNsec: number;
  dialect = D_NONE;
  state: number;
  /** Handshake captured and not ended: credit is analysed. */
  credit: boolean;
  countFromZero = false;
  ended = false;
  rstFrame = 0;
  requestFrame = 0;
  readonly d0 = new DirStats();
  readonly d1 = new DirStats();
  live: Live | null;
  constructor(
    readonly aCid: Cid, readonly aPort: number, readonly bCid: Cid, readonly bPort: number,
    readonly first: number, readonly firstSec: number, readonly firstNsec: number,
    readonly type: number, readonly midstream: boolean,
  ) {
    this.lastFrame = first;
    this.lastSec = firstSec;
    this.lastNsec = firstNsec;
    this.state = midstream ? S_ESTABLISHED : S_REQUESTED;
    this.credit = !midstream;
    this.live = new Live(new Side(true, this.d0), new Side(false, this.d1));
  }
}

function endpoint(cid: Cid, port: number): string {
  return cid + ':' + port;
}

function connId(c: Conn): string {
  return endpoint(c.aCid, c.aPort) + '-' + endpoint(c.bCid, c.bPort);
}

function dirName(c: Conn, fromA: boolean): string {
  return fromA ? endpoint(c.aCid, c.aPort) + '>' + endpoint(c.bCid, c.bPort) : endpoint(c.bCid, c.bPort) + '>' + endpoint(c.aCid, c.aPort);
}

function senderName(c: Conn, fromA: boolean): string {
  return fromA ? endpoint(c.aCid, c.aPort) : endpoint(c.bCid, c.bPort);
}

function numericKey(cid: Cid, port: number): number {
  return typeof cid === 'number' && cid <= NUMERIC_CID_MAX ? cid * TWO32 + port : -1;
}

/** (cid, port) order, CIDs compared numerically (a bigint CID is above every number one). */
function endpointLess(c1: Cid, p1: number, c2: Cid, p2: number): boolean {
  return c1 < c2 || (c1 === c2 && p1 < p2);
}

function plural(n: number, word: string): string {
  return n + ' ' + word + (n === 1 ? '' : 's');
}

function counterList(first: number, step: number, n: number): string {
  if (n <= 4) {
    const parts: number[] = [];
    for (let i = 0; i < n; i++) parts.push((first + i * step) >>> 0);
    return parts.join(', ');
  }
  return `${first}, ${(first + step) >>> 0}, ..., ${(first + (n - 1) * step) >>> 0}`;
}

function newCounts(): RecordCounts {
  return { delivered: 0, dropped: 0, orphan: 0, lost: 0, incomplete: 0 };
}

interface EndItem {
  readonly frame: number;
  readonly ev: EngineEvent;
}

export class Engine {
  private readonly onEvent: (e: EngineEvent) => void;
  private readonly forced: number;
  private readonly rcvbuf: number;
  private readonly slots = new Map<number, Map<number, Conn>>();
  private readonly bigSlots = new Map<string, Conn>();
  private lastConn: Conn | null = null;
  private readonly all: Conn[] = [];
  private frames = 0;
  private malformed = 0;
  private readonly records = newCounts();
  private readonly anomalies = new Map<string, number>();
  private queue: (EngineEvent | Hold)[] = [];
  private qStart = 0;
  private forcing = false;
  private endList: EndItem[] | null = null;
  private finished = false;
  private baseSec = -1;
  private capSec = 0;
  private capNsec = 0;

  constructor(onEvent: (e: EngineEvent) => void, options: EngineOptions = {}) {
    this.onEvent = onEvent;
    const d = options.dialect ?? 'auto';
    this.forced = d === 'v4' ? D_V4 : d === 'v7' ? D_V7 : d === 'eom' ? D_EOM : D_NONE;
    const r = options.rcvbuf;
    if (r !== undefined && (!Number.isInteger(r) || r < 0)) throw new RangeError(`rcvbuf must be a non-negative integer, got ${r}`);
    this.rcvbuf = r ?? -1;
  }

  // ---------------------------------------------------------------- public API

  push(f: DecodedFrame): void {
    if (this.finished) throw new Error('Engine.push() after end()');
    this.frames++;
    const ex = f.expert;
    if (ex.length !== 0) this.countExpert(ex);
    const v = f.virtio;
    if (v === undefined) return;
    if (this.baseSec < 0) this.baseSec = f.tsSec;
    this.capSec = f.tsSec;
    this.capNsec = f.tsNsec;
    let c = this.lastConn;
    if (c === null || !matches(c, v)) c = this.find(v) ?? null;
    if (c === null || (v.op === OP.REQUEST && c.ended)) c = this.create(f, v);
    this.lastConn = c;
    this.frame(c, v.src_port === c.aPort && v.src_cid === c.aCid, f, v);
  }

  end(): void {
    if (this.finished) return;
    this.finished = true;
    const endRel = this.baseSec < 0 ? 0 : this.capSec - this.baseSec + this.capNsec / 1e9;
    // 1. Close every open finding: runs end here, undecided attributions stay undecided.
    for (const c of this.all) {
      const L = c.live;
      if (L === null) continue;
      for (const s of [L.a, L.b]) this.settlePending(s, "the capture ended before the receiver's fwd_cnt caught up");
    }
    this.endList = [];
    for (const c of this.all) {
      const L = c.live;
      if (L === null) continue;
      for (const s of [L.a, L.b]) {
        if (s.run !== null) this.endRun(c, s);
        if (s.full) {
          s.stats.windowFull += endRel - s.fullSince;
          s.full = false;
        }
        if (s.recOpen) this.incomplete(c, s);
      }
    }
    this.flush();
    // 2. What only the end of the capture determines, by frame.
    const items = this.endList;
    this.endList = null;
    items.sort((x, y) => x.frame - y.frame);
    for (const it of items) this.onEvent(it.ev);
    // 3. Connections still open.
    for (const c of this.all) {
      if (c.live === null) continue;
      c.live = null;
      this.onEvent({ type: 'conn', conn: this.snapshot(c) });
    }
  }

  summary(): EngineSummary {
    const anomalies: Record<string, number> = {};
    for (const [k, n] of this.anomalies) anomalies[k] = n;
    return { frames: this.frames, malformed: this.malformed, connections: this.all.length, records: { ...this.records }, anomalies };
  }

  /** Every connection instance so far, by first frame (fresh snapshots). */
  conns(): ConnSummary[] {
    return this.all.map((c) => this.snapshot(c));
  }

  /** The dialect of the frame's connection (current instance of its 4-tuple) as known so far. */
  dialectOf(frame: DecodedFrame): Dialect | undefined {
    const v = frame.virtio;
    if (v === undefined) return undefined;
    const c = this.lastConn !== null && matches(this.lastConn, v) ? this.lastConn : this.find(v);
    return c === undefined ? undefined : DIALECTS[c.dialect];
  }

  // ---------------------------------------------------------------- connections

  private find(v: VirtioHeader): Conn | undefined {
    const k1 = numericKey(v.src_cid, v.src_port);
    const k2 = numericKey(v.dst_cid, v.dst_port);
    if (k1 >= 0 && k2 >= 0) return this.slots.get(k1 < k2 ? k1 : k2)?.get(k1 < k2 ? k2 : k1);
    return this.bigSlots.get(bigKey(v));
  }

  private create(f: DecodedFrame, v: VirtioHeader): Conn {
    const midstream = v.op !== OP.REQUEST;
    const srcFirst = !midstream || !endpointLess(v.dst_cid, v.dst_port, v.src_cid, v.src_port);
    const c = srcFirst
      ? new Conn(v.src_cid, v.src_port, v.dst_cid, v.dst_port, f.number, f.tsSec, f.tsNsec, v.type, midstream)
      : new Conn(v.dst_cid, v.dst_port, v.src_cid, v.src_port, f.number, f.tsSec, f.tsNsec, v.type, midstream);
    if (v.type === TYPE_SEQPACKET && this.forced !== D_NONE) {
      c.dialect = this.forced;
      c.countFromZero = !midstream;
    }
    if (midstream) {
      c.live!.a.leading = true;
      c.live!.b.leading = true;
    } else {
      c.requestFrame = f.number;
    }
    const k1 = numericKey(v.src_cid, v.src_port);
    const k2 = numericKey(v.dst_cid, v.dst_port);
    if (k1 >= 0 && k2 >= 0) {
      const lo = k1 < k2 ? k1 : k2;
      let inner = this.slots.get(lo);
      if (inner === undefined) this.slots.set(lo, (inner = new Map()));
      inner.set(k1 < k2 ? k2 : k1, c);
    } else {
      this.bigSlots.set(bigKey(v), c);
    }
    this.all.push(c);
    if (midstream) {
      this.report(c, srcFirst, 'vsock.conn.midstream', f.number,
        `the capture starts mid-connection: the first packet of ${connId(c)} is ${enumName(VIRTIO_OP_NAMES, v.op)}, not REQUEST; credit is not analysed and orphans before each direction's first record boundary are expected`,
        undefined, { op: v.op });
    }
    return c;
  }

  /** One frame of a connection instance. */
  private frame(c: Conn, fromA: boolean, f: DecodedFrame, v: VirtioHeader): void {
    const st = fromA ? c.d0 : c.d1;
    st.frames++;
    st.bytes += v.len;
    c.lastFrame = f.number;
    c.lastSec = f.tsSec;
    c.lastNsec = f.tsNsec;
    const op = v.op;
    const L = c.live;
    if (L === null) {
      // Ended by an RST: control packets are normal Linux behaviour, data is not.
      if (op === OP.RW || op === OP.SEQ_BEGIN || op === OP.SEQ_END) {
        this.report(c, fromA, 'vsock.conn.after_reset', f.number,
          `${enumName(VIRTIO_OP_NAMES, op)} from ${senderName(c, fromA)} after connection ${connId(c)} was reset (RST at frame ${c.rstFrame}): no socket receives it`,
          [c.rstFrame], { rst_frame: c.rstFrame, op });
      }
      return;
    }
    const s = fromA ? L.a : L.b;
    const p = fromA ? L.b : L.a;
    if (v.type !== c.type) {
      this.report(c, fromA, 'vsock.conn.type_mismatch', f.number,
        `${enumName(VIRTIO_OP_NAMES, op)} of type ${enumName(VIRTIO_TYPE_NAMES, v.type)} on a ${enumName(VIRTIO_TYPE_NAMES, c.type)} connection (type set by frame ${c.first}); packets of one connection never change type`,
        [c.first], { type: v.type, conn_type: c.type });
    }
    switch (op) {
      case OP.RW:
      case OP.SEQ_BEGIN:
      case OP.SEQ_END:
        this.data(c, s, p, f, v);
        break;
      case OP.REQUEST:
        if (f.number !== c.first) {
          const what = c.state === S_REQUESTED
            ? `a second REQUEST while the first (frame ${c.requestFrame || c.first}) is unanswered`
            : `REQUEST on connection ${connId(c)}, which is ${STATES[c.state]}`;
          this.report(c, fromA, 'vsock.conn.unexpected_op', f.number, what, undefined, { op });
        }
        break;
      case OP.RESPONSE:
        if (c.state === S_REQUESTED) {
          if (fromA) {
            this.report(c, fromA, 'vsock.conn.unexpected_op', f.number,
              `RESPONSE from ${senderName(c, true)}, the side that sent the REQUEST (frame ${c.requestFrame})`, [c.requestFrame], { op });
          } else {
            c.state = S_ESTABLISHED;
          }
        } else if (f.number !== c.first) {
          this.report(c, fromA, 'vsock.conn.unexpected_op', f.number,
            `RESPONSE without REQUEST: connection ${connId(c)} is already ${STATES[c.state]}`, undefined, { op });
        }
        break;
      case OP.SHUTDOWN:
        this.shutdown(c, s, p, f, v);
        break;
      case OP.RST:
        this.reset(c, L, fromA, f);
        return; // an RST ends the instance: no credit processing
      case OP.INVALID:
        this.report(c, fromA, 'vsock.conn.unexpected_op', f.number, `op INVALID (0) from ${senderName(c, fromA)}`, undefined, { op });
        break;
      default:
        break; // CREDIT_UPDATE, CREDIT_REQUEST; unknown ops were reported by the decoder
    }
    this.creditValues(c, s, p, f, v);
    s.prevFrame = f.number;
    s.peerBufAtPrev = p.bufAlloc;
  }

  private shutdown(c: Conn, s: Side, p: Side, f: DecodedFrame, v: VirtioHeader): void {
    const bits = v.flags & (SHUT_RCV | SHUT_SEND);
    const fresh = bits & ~s.shut;
    s.shut |= bits;
    if ((fresh & SHUT_RCV) !== 0) s.rcvShutFrame = f.number;
    if ((fresh & SHUT_SEND) !== 0) {
      s.sendShutFrame = f.number;
      this.closeSide(c, s, s.isA, f.number, 'SHUTDOWN(SEND) from ' + senderName(c, s.isA));
    }
    if (bits !== 0 && c.state !== S_REQUESTED) {
      const aShut = (s.shut & SHUT_SEND) !== 0 || (p.shut & SHUT_RCV) !== 0;
      const bShut = (p.shut & SHUT_SEND) !== 0 || (s.shut & SHUT_RCV) !== 0;
      c.state = aShut && bShut ? S_CLOSED : S_HALF_CLOSED;
    }
  }

  private reset(c: Conn, L: Live, fromA: boolean, f: DecodedFrame): void {
    const n = f.number;
    if (c.state === S_REQUESTED && !fromA) {
      c.state = S_REFUSED;
      this.report(c, fromA, 'vsock.conn.refused', n,
        `connection refused: RST answers the REQUEST at frame ${c.requestFrame} (no listener, type mismatch or a full accept queue)`,
        [c.requestFrame], { request_frame: c.requestFrame });
    } else {
      c.state = (L.a.shut | L.b.shut) !== 0 ? S_CLOSED : S_RESET;
    }
    const how = 'RST from ' + senderName(c, fromA);
    const rel = f.tsSec - this.baseSec + f.tsNsec / 1e9;
    for (const s of [L.a, L.b]) {
      this.closeSide(c, s, fromA, n, how);
      this.settlePending(s, `the connection was reset (frame ${n}) before the receiver's fwd_cnt caught up`);
      if (s.full) {
        s.stats.windowFull += rel - s.fullSince;
        s.full = false;
      }
    }
    c.ended = true;
    c.rstFrame = n;
    c.credit = false;
    c.live = null;
    this.emit({ type: 'conn', conn: this.snapshot(c) }, n);
  }

  /** A side stops sending (its SHUTDOWN(SEND), or an RST): its open record or message is cut. */
  private closeSide(c: Conn, s: Side, frameFromA: boolean, n: number, how: string): void {
    if (s.recOpen) {
      const eom = c.dialect === D_EOM;
      const what = eom ? this.msgName(s) : this.recName(s);
      this.report(c, frameFromA, 'vsock.seq.unterminated', n,
        `${how} while ${what} from ${senderName(c, s.isA)} was still open: it never ${eom ? 'got its EOM' : 'got its SEQ_END'}, the receiver drops it`,
        [s.recFirst], this.recDetails(c, s));
      this.closeRecord(c, s, 'dropped', 'vsock.seq.unterminated');
    }
    if (s.run !== null) this.endRun(c, s);
  }

  // ---------------------------------------------------------------- data

  private data(c: Conn, s: Side, p: Side, f: DecodedFrame, v: VirtioHeader): void {
    const op = v.op;
    const n = f.number;
    const len = v.len;
    if ((s.shut & SHUT_SEND) !== 0 || (p.shut & SHUT_RCV) !== 0) this.afterShutdown(c, s, p, n, op);
    if (c.state === S_REQUESTED) {
      this.report(c, s.isA, 'vsock.conn.unexpected_op', n,
        `${enumName(VIRTIO_OP_NAMES, op)} from ${senderName(c, s.isA)} before the RESPONSE to the REQUEST at frame ${c.requestFrame}`,
        [c.requestFrame], { op });
    }
    const isRw = op === OP.RW;
    if (isRw && len === 0) {
      this.report(c, s.isA, 'vsock.conn.zero_len_rw', n, `RW with len 0 from ${senderName(c, s.isA)} (Linux never sends one)`);
    }
    if (!isRw && c.type === TYPE_STREAM) {
      this.report(c, s.isA, 'vsock.conn.unexpected_op', n,
        `${enumName(VIRTIO_OP_NAMES, op)} on a STREAM connection: markers exist only on SEQPACKET; ignored`, undefined, { op });
      return;
    }
    // Credit: what the sender has in flight after this packet.
    s.tx = (s.tx + len) >>> 0;
    if (c.credit && p.seen) this.window(c, s, p, f);
    if (c.type !== TYPE_SEQPACKET) {
      if (c.type === TYPE_STREAM && (v.flags & 3) !== 0) {
        this.report(c, s.isA, 'vsock.seq.flags_on_stream', n,
          `RW on a STREAM connection with flags 0x${v.flags.toString(16)}: EOM/EOR bits mean something only on SEQPACKET`, undefined, { flags: v.flags });
      }
      return;
    }
    let d = c.dialect;
    if (d === D_NONE) {
      // auto: a marker first means the RFC v4 dialect, an RW first the merged one.
      d = c.dialect = isRw ? D_EOM : D_V4;
      c.countFromZero = !c.midstream;
    } else if (!isRw && d === D_EOM && this.forced === D_NONE) {
      this.switchToV4(c);
      d = D_V4;
    }
    if (d === D_EOM) {
      if (isRw) this.eomRw(c, s, p, n, len, v.flags);
      return; // markers under a forced eom dialect are not records
    }
    if (isRw) {
      if (s.recOpen) {
        s.recRecv += len;
        s.recLast = n;
        if ((v.flags & 1) !== 0) s.recEor = true;
      } else if (!s.leading) {
        this.orphan(c, s, n, len, -1, v.flags);
      }
      return;
    }
    const seq = f.seq;
    if (seq === undefined) return; // malformed marker (vsock.malformed.seq_hdr): ignored by reassembly
    if (op === OP.SEQ_BEGIN) this.begin(c, s, n, seq.msg_cnt, seq.msg_len);
    else this.endMarker(c, s, n, seq.msg_cnt, seq.msg_len);
  }

  /** auto: the first marker on a connection analysed as eom so far. v4 starts here, as if mid-connection. */
  private switchToV4(c: Conn): void {
    c.dialect = D_V4;
    c.countFromZero = false;
    const L = c.live!;
    for (const s of [L.a, L.b]) {
      s.recOpen = false; // an open eom message is not a record of the v4 analysis
      s.leading = true;
    }
  }

  private afterShutdown(c: Conn, s: Side, p: Side, n: number, op: number): void {
    const own = (s.shut & SHUT_SEND) !== 0;
    const at = own ? s.sendShutFrame : p.rcvShutFrame;
    const why = own
      ? `after it sent SHUTDOWN with SEND (frame ${at})`
      : `after ${senderName(c, !s.isA)} sent SHUTDOWN with RCV (frame ${at})`;
    this.report(c, s.isA, 'vsock.conn.send_after_shutdown', n,
      `${enumName(VIRTIO_OP_NAMES, op)} from ${senderName(c, s.isA)} ${why}`, [at], { shutdown_frame: at, op });
  }

  /** Bytes in flight from s to p after s's packet, against p's latest buf_alloc (ANALYSIS.md 2.3). */
  private window(c: Conn, s: Side, p: Side, f: DecodedFrame): void {
    // tx counts the captured payload plus what fwd_cnt proved the capture missed.
    const inflight = (s.tx + s.aheadMax - p.fwd) >>> 0;
    const full = inflight >= p.bufAlloc;
    if (full !== s.full) this.fullChange(s, full, f);
    if (inflight <= p.bufAlloc) return;
    const n = f.number;
    const shrunk = p.shrinkFrame > s.prevFrame && inflight <= s.peerBufAtPrev;
    const details: Record<string, unknown> = {
      in_flight: inflight, buf_alloc: p.bufAlloc, tx_cnt: s.tx, fwd_cnt: p.fwd, credit_frame: p.creditFrame,
    };
    let text = `window exceeded: ${inflight} bytes in flight from ${senderName(c, s.isA)} after this packet, but ${senderName(c, p.isA)} advertised buf_alloc ${p.bufAlloc} (fwd_cnt ${p.fwd}, frame ${p.creditFrame}); the receiver may have dropped this packet`;
    const related = [p.creditFrame];
    if (shrunk) {
      details.window_shrunk = true;
      details.shrink_frame = p.shrinkFrame;
      details.previous_buf_alloc = s.peerBufAtPrev;
      if (p.shrinkFrame !== p.creditFrame) related.push(p.shrinkFrame);
      text += `. Only because the receiver lowered buf_alloc from ${s.peerBufAtPrev} to ${p.bufAlloc} at frame ${p.shrinkFrame}, after the sender's previous packet (frame ${s.prevFrame}): the packets crossed`;
    }
    this.report(c, s.isA, 'vsock.credit.overrun', n, text, related, details);
  }

  private fullChange(s: Side, full: boolean, f: DecodedFrame): void {
    const rel = f.tsSec - this.baseSec + f.tsNsec / 1e9;
    if (full) s.fullSince = rel;
    else s.stats.windowFull += rel - s.fullSince;
    s.full = full;
  }

  /** s's advertised buf_alloc/fwd_cnt in this frame: checks on p's data direction. */
  private creditValues(c: Conn, s: Side, p: Side, f: DecodedFrame, v: VirtioHeader): void {
    const ba = v.buf_alloc;
    const fw = v.fwd_cnt;
    if (!c.credit) {
      s.seen = true;
      s.bufAlloc = ba;
      s.fwd = fw;
      s.creditFrame = f.number;
      return;
    }
    const n = f.number;
    if (s.seen) {
      if (ba < s.bufAlloc) s.shrinkFrame = n;
      if (fw !== s.fwd && ((fw - s.fwd) | 0) < 0) {
        this.report(c, s.isA, 'vsock.credit.fwd_cnt_regression', n,
          `fwd_cnt of ${senderName(c, s.isA)} went back from ${s.fwd} (frame ${s.creditFrame}) to ${fw} (${((s.fwd - fw) >>> 0)} bytes): it counts consumed bytes and never decreases`,
          [s.creditFrame], { previous: s.fwd, fwd_cnt: fw, previous_frame: s.creditFrame });
      }
    }
    s.seen = true;
    s.bufAlloc = ba;
    s.fwd = fw;
    s.creditFrame = n;
    const ahead = (fw - p.tx) | 0;
    if (ahead > p.aheadMax) {
      this.fwdAhead(c, s, p, n, fw, ahead);
    } else if (p.pending !== null && ahead === p.aheadMax && !p.recOpen && p.run === null) {
      // The receiver consumed every byte the capture saw, and none it did not see, with the
      // sender at a record boundary. (Mid-record the receiver may still owe the new record's
      // SEQ_BEGIN: 8 unconsumed bytes that would mask 8 missed ones, e.g. a lost SEQ_END.)
      const pending = p.pending;
      p.pending = null;
      for (const loss of pending) this.decide(loss, V_TRANSPORT, n, 0, '');
    }
    const inflight = (p.tx + p.aheadMax - fw) >>> 0;
    const full = inflight >= ba;
    if (full !== p.full) this.fullChange(p, full, f);
  }

  private fwdAhead(c: Conn, s: Side, p: Side, n: number, fw: number, ahead: number): void {
    const inc = ahead - p.aheadMax;
    const pending = p.pending;
    p.pending = null;
    const related = pending === null ? undefined : [...new Set(pending.map((l) => l.frame))];
    let text = `fwd_cnt ${fw} of ${senderName(c, s.isA)} credits ${ahead} bytes more than the capture saw ${senderName(c, p.isA)} send (${p.tx})` +
      (p.aheadMax > 0 ? `, ${inc} more than before` : '') +
      `: the capture itself missed ${plural(inc, 'byte')} of packets that the receiver got`;
    if (related !== undefined) text += ` (this explains ${pending!.map((l) => `${l.code} at frame ${l.frame}`).join(', ')})`;
    this.report(c, s.isA, 'vsock.credit.fwd_cnt_ahead', n, text, related, { fwd_cnt: fw, tx_cnt: p.tx, ahead, missed: inc });
    p.aheadMax = ahead;
    if (pending === null) {
      p.unexplained += inc;
      p.unexplainedFrame = n;
    } else {
      for (const loss of pending) this.decide(loss, V_CAPTURE, n, inc, '');
    }
  }

  // ---------------------------------------------------------------- RFC v4 / v7

  private begin(c: Conn, s: Side, n: number, cnt: number, mlen: number): void {
    const step = c.dialect === D_V7 ? 1 : 2;
    let expected = -1;
    let basis = '';
    let cut = false;
    if (s.recOpen) {
      expected = (s.recCnt + step) >>> 0;
      basis = `the open record's msg_cnt=${s.recCnt} + ${step}`;
      this.loss(c, s, 'vsock.seq.lost_end', n,
        `SEQ_END for ${this.recName(s)} never arrived: SEQ_BEGIN msg_cnt=${cnt} started a new record.`,
        [s.recFirst], { msg_cnt: s.recCnt, msg_len: s.recLen, received: s.recRecv, begin_frame: s.recFirst }, 8, null);
      cut = true;
    } else {
      if (s.run !== null) this.endRun(c, s);
      if (s.leading) {
        s.leading = false;
      } else if (s.m >= 0) {
        expected = (s.m + 1) >>> 0;
        basis = `after SEQ_${s.mEnd ? 'END' : 'BEGIN'} msg_cnt=${s.m} at frame ${s.mFrame}`;
      } else if (c.countFromZero) {
        expected = 0;
        basis = 'the first record of a connection whose handshake was captured';
      }
    }
    let lost = 0;
    if (expected >= 0 && cnt !== expected) {
      const d = (cnt - expected) | 0;
      const related = s.mFrame > 0 ? [s.mFrame] : undefined;
      if (d > 0 && d % step === 0) {
        lost = d / step;
        this.loss(c, s, 'vsock.seq.cnt_gap', n,
          `SEQ_BEGIN msg_cnt=${cnt}, expected ${expected} (${basis}): ${plural(lost, 'whole record')} (msg_cnt ${counterList(expected, step, lost)}) never arrived.`,
          related ?? [], { expected, got: cnt, lost_records: lost }, lost * 16, null);
      } else {
        this.report(c, s.isA, 'vsock.seq.cnt_gap', n,
          `SEQ_BEGIN msg_cnt=${cnt}, expected ${expected} (${basis}): the sender's counter is out of step (${d < 0 ? `${-d} behind` : `${d} ahead, not a whole number of records`})`,
          related, { expected, got: cnt });
      }
    }
    if (cut) this.closeRecord(c, s, 'dropped', 'vsock.seq.lost_end');
    if (lost > 0) this.lostRecords(c, s, expected, step, lost);
    s.recOpen = true;
    s.recCnt = cnt;
    s.recLen = mlen;
    s.recFirst = n;
    s.recLast = n;
    s.recRecv = 0;
    s.recEor = false;
    s.m = cnt;
    s.mFrame = n;
    s.mEnd = false;
  }

  private endMarker(c: Conn, s: Side, n: number, cnt: number, mlen: number): void {
    const v7 = c.dialect === D_V7;
    if (mlen !== 0) {
      this.report(c, s.isA, 'vsock.seq.end_len_nonzero', n, `SEQ_END msg_cnt=${cnt} carries msg_len ${mlen}; it should be 0`, undefined, { msg_len: mlen });
    }
    if (s.recOpen) {
      s.recLast = n;
      const expEnd = v7 ? s.recCnt : (s.recCnt + 1) >>> 0;
      const cntBad = cnt !== expEnd;
      const lenBad = s.recRecv !== s.recLen;
      if (cntBad) {
        const owner = v7 ? cnt : (cnt - 1) >>> 0;
        this.report(c, s.isA, 'vsock.seq.cnt_mismatch', n,
          `SEQ_END msg_cnt=${cnt} does not close ${this.recName(s)}: expected msg_cnt=${expEnd}; it is the SEQ_END of record msg_cnt=${owner}, so the receiver drops the record silently (the application never learns)`,
          [s.recFirst], { expected: expEnd, got: cnt, msg_cnt: s.recCnt });
      }
      if (lenBad) {
        const details = { expected: s.recLen, received: s.recRecv, msg_cnt: s.recCnt };
        if (s.recRecv < s.recLen) {
          const missing = s.recLen - s.recRecv;
          this.loss(c, s, 'vsock.seq.len_mismatch', n,
            `${this.recName(s)} ended by SEQ_END msg_cnt=${cnt}: ${plural(missing, 'byte')} of its RW data never arrived.`,
            [s.recFirst], details, missing, null);
        } else {
          this.report(c, s.isA, 'vsock.seq.len_mismatch', n,
            `${this.recName(s)} ended by SEQ_END msg_cnt=${cnt}: ${s.recRecv - s.recLen} bytes more than SEQ_BEGIN declared arrived, so the receiver drops the record silently (the application never learns)`,
            [s.recFirst], details);
        }
      }
      if (cntBad) this.closeRecord(c, s, 'dropped', 'vsock.seq.cnt_mismatch');
      else if (lenBad) this.closeRecord(c, s, 'dropped', 'vsock.seq.len_mismatch');
      else this.closeRecord(c, s, 'delivered', undefined);
    } else if (s.leading) {
      s.leading = false;
    } else {
      this.orphan(c, s, n, 0, cnt, 0);
    }
    s.m = cnt;
    s.mFrame = n;
    s.mEnd = true;
  }

  /** An RW (endCnt -1) or SEQ_END arriving while no record is open. */
  private orphan(c: Conn, s: Side, n: number, bytes: number, endCnt: number, flags: number): void {
    let run = s.run;
    if (run === null) {
      run = s.run = new Run(n);
      run.loss = this.loss(c, s, 'vsock.seq.lost_begin', n, '', [], {}, 8, run);
    }
    run.frames++;
    run.bytes += bytes;
    run.last = n;
    if (!s.orphOpen) {
      s.orphOpen = true;
      s.orphFirst = n;
      s.orphBytes = 0;
      s.orphEor = false;
    }
    s.orphBytes += bytes;
    if ((flags & 1) !== 0) s.orphEor = true;
    s.orphLast = n;
    if (endCnt >= 0) {
      const owner = c.dialect === D_V7 ? endCnt : (endCnt - 1) >>> 0;
      if (run.endCnt < 0) run.endCnt = owner;
      s.orphOpen = false;
      this.record(c, s, 'orphan', 'vsock.seq.lost_begin', owner, null, s.orphBytes, s.orphFirst, n, s.orphEor);
    }
  }

  /** The run of orphans ends (a SEQ_BEGIN, the side closing, the capture ending). */
  private endRun(c: Conn, s: Side): void {
    const run = s.run!;
    s.run = null;
    if (s.orphOpen) {
      s.orphOpen = false;
      this.record(c, s, 'orphan', 'vsock.seq.lost_begin', null, null, s.orphBytes, s.orphFirst, s.orphLast, s.orphEor);
    }
    const loss = run.loss;
    if (loss !== null && !loss.done) {
      loss.ready = true;
      if (loss.verdict !== V_PENDING) this.finalize(loss);
    }
  }

  private lostRecords(c: Conn, s: Side, first: number, step: number, n: number): void {
    const emitted = Math.min(n, LOST_RECORDS_CAP);
    for (let i = 0; i < emitted; i++) {
      this.record(c, s, 'lost', 'vsock.seq.cnt_gap', (first + i * step) >>> 0, null, 0, null, null, false);
    }
    s.index += n - emitted;
  }

  // ---------------------------------------------------------------- merged (eom)

  private eomRw(c: Conn, s: Side, p: Side, n: number, len: number, flags: number): void {
    if ((flags & 3) === 2) {
      this.report(c, s.isA, 'vsock.seq.eor_without_eom', n,
        `RW from ${senderName(c, s.isA)} has EOR (bit 1) without EOM (bit 0); a Linux sender sets EOR only on a message's last packet`, undefined, { flags });
    }
    if (s.leading) {
      if ((flags & 1) !== 0) s.leading = false; // the first boundary of a mid-connection capture
      return;
    }
    if (!s.recOpen) {
      s.recOpen = true;
      s.recFirst = n;
      s.recRecv = 0;
      s.recEor = false;
    }
    s.recRecv += len;
    s.recLast = n;
    if ((flags & 1) === 0) return;
    if (p.seen && s.recRecv > p.bufAlloc) {
      this.report(c, s.isA, 'vsock.seq.msg_too_big', n,
        `${this.msgName(s)} ends here with ${s.recRecv} bytes, more than the receiver's buf_alloc ${p.bufAlloc} (frame ${p.creditFrame}); a Linux sender refuses such a message (EMSGSIZE)`,
        [s.recFirst], { length: s.recRecv, buf_alloc: p.bufAlloc, first_frame: s.recFirst });
    }
    s.recEor = (flags & 2) !== 0;
    this.closeRecord(c, s, 'delivered', undefined);
  }

  // ---------------------------------------------------------------- records

  private closeRecord(c: Conn, s: Side, status: RecordStatus, reason: FindingCode | undefined): void {
    s.recOpen = false;
    const eom = c.dialect === D_EOM;
    this.record(c, s, status, reason, eom ? null : s.recCnt, eom ? null : s.recLen, s.recRecv, s.recFirst, s.recLast, s.recEor);
  }

  private record(
    c: Conn, s: Side, status: RecordStatus, reason: FindingCode | undefined, msgCnt: number | null, msgLen: number | null,
    received: number, first: number | null, last: number | null, eor: boolean,
  ): void {
    const truncated = status === 'delivered' && this.rcvbuf >= 0 && received > this.rcvbuf;
    const r: RecordResult = {
      type: 'record', conn: connId(c), dir: dirName(c, s.isA), dialect: DIALECTS[c.dialect]!, index: s.index++,
      msg_cnt: msgCnt, msg_len: msgLen, received, first_frame: first, last_frame: last, status,
      ...(reason !== undefined ? { reason } : {}),
      eor, truncated,
      ...(truncated ? { copied: this.rcvbuf } : {}),
    };
    s.stats[status]++;
    this.records[status]++;
    this.emit({ type: 'record', record: r }, last ?? first ?? 0);
  }

  private incomplete(c: Conn, s: Side): void {
    const eom = c.dialect === D_EOM;
    this.report(c, s.isA, 'vsock.seq.incomplete', s.recLast,
      `the capture ends while ${eom ? this.msgName(s) : this.recName(s)} from ${senderName(c, s.isA)} is still open (no ${eom ? 'EOM' : 'SEQ_END'} yet)`,
      [s.recFirst], this.recDetails(c, s));
    this.closeRecord(c, s, 'incomplete', undefined);
  }

  private recName(s: Side): string {
    return `record msg_cnt=${s.recCnt} (SEQ_BEGIN frame ${s.recFirst}, ${s.recRecv} of ${s.recLen} bytes received)`;
  }

  private msgName(s: Side): string {
    return `the message starting at frame ${s.recFirst} (${s.recRecv} bytes received)`;
  }

  private recDetails(c: Conn, s: Side): Record<string, unknown> {
    return c.dialect === D_EOM
      ? { received: s.recRecv, first_frame: s.recFirst, record_dir: dirName(c, s.isA) }
      : { msg_cnt: s.recCnt, msg_len: s.recLen, received: s.recRecv, first_frame: s.recFirst, record_dir: dirName(c, s.isA) };
  }

  // ---------------------------------------------------------------- loss attribution

  /** A loss finding: emitted once its run (lost_begin) ended and fwd_cnt told who lost the packet. */
  private loss(
    c: Conn, s: Side, code: FindingCode, n: number, text: string, related: readonly number[],
    details: Record<string, unknown>, minMissing: number, run: Run | null,
  ): Loss {
    const loss = new Loss(c, s, code, n, text, related, details, minMissing, run);
    this.count(c, s.isA, code);
    if (!c.credit) {
      loss.verdict = V_NO_CREDIT;
    } else if (s.unexplained > 0) {
      loss.verdict = V_CAPTURE;
      loss.evidence = s.unexplainedFrame;
      loss.evidenceBytes = s.unexplained;
      s.unexplained = Math.max(0, s.unexplained - minMissing);
    } else {
      (s.pending ??= []).push(loss);
    }
    if (loss.verdict !== V_PENDING && loss.ready) this.finalize(loss);
    else this.hold(loss);
    return loss;
  }

  private decide(loss: Loss, verdict: number, evidence: number, bytes: number, why: string): void {
    if (loss.done || loss.verdict !== V_PENDING) return;
    loss.verdict = verdict;
    loss.evidence = evidence;
    loss.evidenceBytes = bytes;
    loss.why = why;
    if (loss.ready) this.finalize(loss);
  }

  /** Losses still waiting for fwd_cnt when the connection or capture ends. */
  private settlePending(s: Side, why: string): void {
    const pending = s.pending;
    if (pending === null) return;
    s.pending = null;
    for (const loss of pending) this.decide(loss, V_UNKNOWN, 0, 0, why);
  }

  private finalize(loss: Loss): void {
    loss.done = true;
    const c = loss.conn;
    let text = loss.text;
    let related = loss.related;
    let details = { ...loss.details };
    const run = loss.run;
    if (run !== null) {
      run.loss = null;
      const sender = senderName(c, loss.side.isA);
      text = `${plural(run.frames, 'packet')} from ${sender} (frames ${run.first}..${run.last}, ${run.bytes} RW payload bytes` +
        (run.endCnt >= 0 ? `, closing record msg_cnt=${run.endCnt}` : '') +
        `) arrived while no record was open: the SEQ_BEGIN of their record never arrived, so the receiver discards them.` +
        (loss.partial ? ` (Figures up to frame ${run.last}: the run was still open after ${HOLD_CAP} held-back events.)` : '');
      related = run.last !== run.first ? [run.last] : [];
      details = { frames: run.frames, bytes: run.bytes, last_frame: run.last, ...(run.endCnt >= 0 ? { msg_cnt: run.endCnt } : {}) };
      if (loss.partial) details.partial = true;
    }
    text += verdictText(loss);
    details.lost_by = loss.verdict === V_CAPTURE ? 'capture' : loss.verdict === V_TRANSPORT ? 'transport' : 'unknown';
    if (loss.evidence > 0) details.evidence_frame = loss.evidence;
    const ev: EngineEvent = { type: 'anomaly', finding: this.mk(c, loss.side.isA, loss.code, loss.frame, text, related, details) };
    const hold = loss.hold;
    if (hold === null) this.emit(ev, loss.frame);
    else this.resolve(hold, ev);
  }

  // ---------------------------------------------------------------- events

  private report(
    c: Conn, fromA: boolean, code: FindingCode, n: number, message: string,
    related?: readonly number[], details?: Record<string, unknown>,
  ): void {
    this.count(c, fromA, code);
    this.emit({ type: 'anomaly', finding: this.mk(c, fromA, code, n, message, related, details) }, n);
  }

  private mk(
    c: Conn, fromA: boolean, code: FindingCode, n: number, message: string,
    related: readonly number[] | undefined, details: Record<string, unknown> | undefined,
  ): Finding {
    return finding(code, n, message, {
      conn: connId(c), dir: dirName(c, fromA),
      ...(related !== undefined && related.length > 0 ? { related_frames: related } : {}),
      ...(details !== undefined ? { details } : {}),
    });
  }

  private count(c: Conn, fromA: boolean, code: FindingCode): void {
    (fromA ? c.d0 : c.d1).findings++;
    this.anomalies.set(code, (this.anomalies.get(code) ?? 0) + 1);
  }

  private countExpert(ex: readonly Finding[]): void {
    let bad = false;
    for (const f of ex) {
      this.anomalies.set(f.code, (this.anomalies.get(f.code) ?? 0) + 1);
      if (f.code.startsWith('vsock.malformed.')) bad = true;
    }
    if (bad) this.malformed++;
  }

  private emit(ev: EngineEvent, frame: number): void {
    if (this.endList !== null) {
      this.endList.push({ frame, ev });
    } else if (this.qStart === this.queue.length) {
      this.onEvent(ev);
    } else {
      this.queue.push(ev);
      this.checkCap();
    }
  }

  /** Opens a held-back slot for the loss at the current position of the event stream. */
  private hold(loss: Loss): void {
    const h = new Hold(loss);
    loss.hold = h; // before checkCap(), which may have to close it at once
    this.queue.push(h);
    this.checkCap();
  }

  private resolve(h: Hold, ev: EngineEvent): void {
    h.ev = ev;
    if (!this.forcing && this.queue[this.qStart] === h) this.flush();
  }

  private flush(): void {
    const q = this.queue;
    let i = this.qStart;
    while (i < q.length) {
      const it = q[i]!;
      if (it instanceof Hold) {
        if (it.ev === null) break;
        i++;
        this.qStart = i;
        this.onEvent(it.ev);
      } else {
        i++;
        this.qStart = i;
        this.onEvent(it);
      }
    }
    if (this.qStart === q.length) {
      this.queue = [];
      this.qStart = 0;
    } else if (this.qStart > 1024 && this.qStart * 2 > q.length) {
      this.queue = q.slice(this.qStart);
      this.qStart = 0;
    }
  }

  /** Too much held back: emit every open finding with what is known so far. */
  private checkCap(): void {
    if (this.forcing || this.queue.length - this.qStart <= HOLD_CAP) return;
    this.forcing = true;
    const q = this.queue;
    for (let i = this.qStart; i < q.length; i++) {
      const it = q[i]!;
      if (!(it instanceof Hold) || it.ev !== null) continue;
      const loss = it.loss;
      if (loss.verdict === V_PENDING) {
        const pending = loss.side.pending;
        if (pending !== null) {
          const at = pending.indexOf(loss);
          if (at >= 0) pending.splice(at, 1);
          if (pending.length === 0) loss.side.pending = null;
        }
        loss.verdict = V_UNKNOWN;
        loss.why = `the receiver's fwd_cnt had not caught up after ${HOLD_CAP} held-back events`;
      }
      if (!loss.ready) {
        loss.partial = true;
        loss.ready = true; // the run goes on, but is not reported again
      }
      this.finalize(loss);
    }
    this.forcing = false;
    this.flush();
  }

  // ---------------------------------------------------------------- summaries

  private snapshot(c: Conn): ConnSummary {
    const L = c.live;
    const rel = this.capSec - this.baseSec + this.capNsec / 1e9;
    const dir = (st: DirStats, fromA: boolean, s: Side | undefined): DirSummary => ({
      dir: dirName(c, fromA),
      frames: st.frames,
      bytes: st.bytes,
      records: { delivered: st.delivered, dropped: st.dropped, orphan: st.orphan, lost: st.lost, incomplete: st.incomplete },
      findings: st.findings,
      window_full_s: c.midstream ? null : Math.round((st.windowFull + (s !== undefined && s.full ? rel - s.fullSince : 0)) * 1e9) / 1e9,
    });
    return {
      id: connId(c),
      first_frame: c.first,
      last_frame: c.lastFrame,
      type: enumName(VIRTIO_TYPE_NAMES, c.type),
      dialect: DIALECTS[c.dialect] ?? null,
      state: STATES[c.state]!,
      midstream: c.midstream,
      first_time: c.firstSec + c.firstNsec / 1e9,
      last_time: c.lastSec + c.lastNsec / 1e9,
      dirs: [dir(c.d0, true, L?.a), dir(c.d1, false, L?.b)],
    };
  }
}

function matches(c: Conn, v: VirtioHeader): boolean {
  return (v.src_port === c.aPort && v.dst_port === c.bPort && v.src_cid === c.aCid && v.dst_cid === c.bCid) ||
    (v.src_port === c.bPort && v.dst_port === c.aPort && v.src_cid === c.bCid && v.dst_cid === c.aCid);
}

/** Map key of a 4-tuple with a CID too large for the numeric key: lower endpoint first. */
function bigKey(v: VirtioHeader): string {
  const srcFirst = !endpointLess(v.dst_cid, v.dst_port, v.src_cid, v.src_port);
  return srcFirst
    ? endpoint(v.src_cid, v.src_port) + '-' + endpoint(v.dst_cid, v.dst_port)
    : endpoint(v.dst_cid, v.dst_port) + '-' + endpoint(v.src_cid, v.src_port);
}

const CAPTURE_CONSEQUENCE: Partial<Record<FindingCode, string>> = {
  'vsock.seq.lost_end': 'the receiver most likely got the SEQ_END and delivered the record',
  'vsock.seq.len_mismatch': 'the receiver most likely got every byte and delivered the record',
  'vsock.seq.lost_begin': 'the receiver most likely got the SEQ_BEGIN and delivered the record',
  'vsock.seq.cnt_gap': 'the receiver most likely got those records',
};

const TRANSPORT_CONSEQUENCE: Partial<Record<FindingCode, string>> = {
  'vsock.seq.lost_end': 'the receiver never got the SEQ_END and dropped the record silently (the application never learns)',
  'vsock.seq.len_mismatch': 'the receiver never got those bytes and dropped the record silently (the application never learns)',
  'vsock.seq.lost_begin': 'the receiver never got the SEQ_BEGIN and discarded these packets silently',
  'vsock.seq.cnt_gap': 'the receiver never got those records, and its kernel does not compare counters, so nobody noticed',
};

const UNKNOWN_CONSEQUENCE: Partial<Record<FindingCode, string>> = {
  'vsock.seq.lost_end': 'If the receiver missed it too, it dropped the record silently.',
  'vsock.seq.len_mismatch': 'If the receiver missed those bytes too, it dropped the record silently.',
  'vsock.seq.lost_begin': 'If the receiver missed it too, it discarded these packets silently.',
  'vsock.seq.cnt_gap': 'If the receiver missed them too, nobody noticed: its kernel does not compare counters.',
};

function verdictText(loss: Loss): string {
  switch (loss.verdict) {
    case V_CAPTURE:
      return ` The capture missed it, not the receiver: the receiver's fwd_cnt at frame ${loss.evidence} credits ${plural(loss.evidenceBytes, 'byte')} the capture never saw, so ${CAPTURE_CONSEQUENCE[loss.code]}.`;
    case V_TRANSPORT:
      return ` It was lost in transport: at frame ${loss.evidence} the receiver's fwd_cnt had credited every byte the capture saw and nothing more, so ${TRANSPORT_CONSEQUENCE[loss.code]}.`;
    case V_NO_CREDIT:
      return ` Whether the capture or the transport lost it cannot be told: the capture started mid-connection, so fwd_cnt cannot be compared with the bytes seen. ${UNKNOWN_CONSEQUENCE[loss.code]}`;
    default:
      return ` Whether the capture or the transport lost it cannot be told: ${loss.why}. ${UNKNOWN_CONSEQUENCE[loss.code]}`;
  }
}
