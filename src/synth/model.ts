// The synth traffic model: Linux-like vsock endpoints exchanging packets, a capture
// that records the packets it sees, and the truth a correct analyser must report.
//
// Two things happen for every packet a side sends:
//  - the transport: unless the packet is lost in transport, the peer's kernel gets it
//    (credit values updated, data enqueued or dropped on a full queue, dequeued when the
//    receiving application reads, and credited in fwd_cnt then);
//  - the capture: unless it is lost in the capture (or the capture is not running), it
//    becomes the next frame, and the truth is extended with what ANALYSIS.md says about
//    that frame, given everything the capture holds so far.
// The second part is the observer's view, written from the contract (never from decoded
// bytes, never by running vsockscope's analyser): it knows which of the generator's
// packets reached the capture, so each fault's consequence follows by construction.
// Scenarios state their expected consequences again explicitly (scenarios.ts), and
// generateScenario checks the two agree.

import { encodeFrame } from '../dissect/encode.js';
import { OP, TYPE_SEQPACKET, TYPE_STREAM } from '../dissect/fields.js';
import type { FindingCode } from '../dissect/findings.js';
import { Rng } from './prng.js';

/** One captured frame, ready for a capture writer. */
export interface SynthFrame {
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly data: Uint8Array;
}

/** ANALYSIS.md section 4 anomaly object, reduced to what the truth fixes. */
export interface TruthFinding {
  readonly code: FindingCode;
  readonly frame: number;
  readonly conn: string;
  readonly dir: string;
  /** Only the detail keys ANALYSIS.md names for the code. */
  readonly details?: Readonly<Record<string, number | boolean>>;
}

export type RecordStatus = 'delivered' | 'dropped' | 'orphan' | 'lost' | 'incomplete';

/** ANALYSIS.md section 4 record object (without `type`). */
export interface TruthRecord {
  readonly conn: string;
  readonly dir: string;
  readonly dialect: 'v4' | 'eom';
  readonly index: number;
  readonly msg_cnt: number | null;
  readonly msg_len: number | null;
  readonly received: number;
  readonly first_frame: number | null;
  readonly last_frame: number | null;
  readonly status: RecordStatus;
  readonly reason: string | null;
  readonly eor: boolean;
  readonly truncated: boolean;
}

/**
 * What happens to one packet: `ok` (delivered and captured), `capture` (delivered, but
 * the capture missed it), `transport` (never reached the receiver, and not in the
 * capture either: the tap sits at delivery, as on vsock_loopback).
 */
export type Fate = 'ok' | 'capture' | 'transport';

export type ConnDialect = 'v4' | 'eom' | 'stream';

/**
 * How the receiving application reads: `eager` (a recv is always pending: a record or
 * message is read as soon as it is complete, stream data as soon as it arrives), `lazy`
 * (reads only when the sender has run out of credit), `manual` (only when the scenario
 * says so).
 */
export type Reader = 'eager' | 'lazy' | 'manual';

const MAX_RW = 65536;
const MARKER_LEN = 8;
const STREAM_CREDIT_THRESHOLD = 65536; // VIRTIO_VSOCK_MAX_PKT_BUF_SIZE

interface Packet {
  readonly op: number;
  readonly flags: number;
  readonly len: number;
  readonly seq?: { readonly msg_cnt: number; readonly msg_len: number };
}

interface SendSpec {
  readonly op: number;
  readonly flags?: number;
  readonly payload?: Uint8Array;
  readonly seq?: { readonly msg_cnt: number; readonly msg_len: number };
  /** Socket-less RST: buf_alloc 0, fwd_cnt 0. */
  readonly socketless?: boolean;
}

/** One endpoint of one connection, with its kernel state. */
export class Side {
  fwdCnt = 0;
  txCnt = 0;
  peerBufAlloc = 0;
  peerFwdCnt = 0;
  /** RFC v4 sender counter. */
  msgCnt = 0;
  /** Records/messages sent (payload tags). */
  sent = 0;
  reader: Reader = 'eager';
  /** Kernel receive queue: data packets received and not yet dequeued. */
  readonly queue: Packet[] = [];
  rxBytes = 0;
  /** v4 dequeue state: the record being read. */
  cur: { len: number; cnt: number; copied: number } | null = null;
  /** fwd_cnt advertised in this side's latest packet. */
  lastAdvertised = 0;
  shutSend = false;
  shutRcv = false;
  /** Records/messages the application got (for sanity checks). */
  appDelivered = 0;

  constructor(
    readonly cid: number,
    readonly port: number,
    public bufAlloc: number,
  ) {}

  get addr(): string {
    return `${this.cid}:${this.port}`;
  }
}

/** The observer's state for one direction (ANALYSIS.md 2.4/2.5). */
interface OpenRecord {
  msgCnt: number | null;
  msgLen: number | null;
  received: number;
  first: number;
  last: number;
  eor: boolean;
  index: number;
}

class DirObs {
  open: OpenRecord | null = null;
  orphan: OpenRecord | null = null;
  /** Last marker counter seen. */
  m: number | undefined;
  index = 0;
  /** Midstream: orphans up to and including the first marker are expected. */
  pre = false;
  /** Merged dialect: the message being assembled. */
  msg: OpenRecord | null = null;

  constructor(readonly dir: string) {}
}

/** The observer's credit state for the packets one side sent (ANALYSIS.md 2.3). */
class CreditObs {
  /** Captured payload this side sent: RW len plus 8 per v4 marker. */
  seenTx = 0;
  lastBuf: number | undefined;
  lastFwd: number | undefined;
  /** Largest amount by which this side's fwd_cnt exceeded what the capture saw (reported). */
  maxExcess = 0;
  /** The peer's buf_alloc as it stood at this side's previous packet. */
  peerBufAtPrev: number | undefined;
}

export interface RecordOpts {
  /** MSG_EOR (v4: bit 0 on every RW) / EOR with the EOM (merged). */
  readonly eor?: boolean;
  /** Fate of every packet of the record unless said otherwise below. */
  readonly all?: Fate;
  readonly begin?: Fate;
  readonly end?: Fate;
  /** Fate of the i-th RW (0-based). */
  readonly rw?: (i: number) => Fate;
  /** Counter faults: BEGIN counter, END counter, END msg_len (a faulty sender). */
  readonly beginCnt?: number;
  readonly endCnt?: number;
  readonly endLen?: number;
  /** A sender ignoring the credit window (not Linux). */
  readonly ignoreCredit?: boolean;
  /** A merged-dialect sender not refusing a message larger than the peer's buf_alloc. */
  readonly ignoreSize?: boolean;
  /** Largest RW payload this sender uses (default 65536). */
  readonly maxChunk?: number;
  /** Stop (the sender dies or the capture ends) after this many RWs; no SEQ_END/EOM. */
  readonly stopAfterRw?: number;
  /** Stop at the first RW the credit window does not allow. */
  readonly stopWhenBlocked?: boolean;
  /** Merged dialect / STREAM: override the flags of RW i. */
  readonly flags?: (i: number, last: boolean) => number;
  /** The SEQ_BEGIN alone ignores the credit window (it crossed a CREDIT_UPDATE on the way). */
  readonly ignoreCreditBegin?: boolean;
  /** Called after the SEQ_BEGIN went out, and after each RW (0-based index). */
  readonly afterBegin?: () => void;
  readonly afterRw?: (i: number) => void;
}

export interface RecordResult {
  /** Frame numbers of the record's packets as captured (null: not captured). */
  readonly begin: number | null;
  readonly rws: (number | null)[];
  readonly end: number | null;
  /** True when the record was cut (stopAfterRw / stopWhenBlocked). */
  readonly stopped: boolean;
}

export class Sim {
  readonly frames: SynthFrame[] = [];
  readonly findings: TruthFinding[] = [];
  readonly records: { readonly serial: number; readonly record: TruthRecord }[] = [];
  readonly conns: Conn[] = [];
  capturing = true;
  private us = 0;
  private readonly baseSec: number;
  private nextSerial = 1;
  /**
   * Timing has its own stream, so that scenarios that differ only in how many control
   * packets flow (capture loss vs transport loss) still make the same traffic choices.
   */
  private readonly clock: Rng;

  constructor(
    /** Traffic choices: sizes, flags, ports, closes. */
    readonly rng: Rng,
    seed: number,
  ) {
    this.clock = new Rng((seed ^ 0x5eed7157) >>> 0);
    // Fixed epoch base, moved by the seed: never the wall clock.
    this.baseSec = 1_700_000_000 + ((seed >>> 0) % 50_000_000);
    this.us = this.clock.int(0, 999_999);
  }

  /** Time between two packets of one exchange. */
  tick(min = 4, max = 60): void {
    this.us += this.clock.int(min, max);
  }

  /** Time between exchanges. */
  pause(min = 300, max = 20_000): void {
    this.us += this.clock.int(min, max);
  }

  capture(data: Uint8Array): number {
    const sec = Math.floor(this.us / 1e6);
    this.frames.push({ tsSec: this.baseSec + sec, tsNsec: (this.us - sec * 1e6) * 1000, data });
    return this.frames.length;
  }

  finding(code: FindingCode, frame: number, conn: string, dir: string, details?: Record<string, number | boolean>): void {
    this.findings.push(details === undefined ? { code, frame, conn, dir } : { code, frame, conn, dir, details });
  }

  /** `serial`: the connection instance (instances of one 4-tuple share the id string). */
  record(serial: number, record: TruthRecord): void {
    this.records.push({ serial, record });
  }

  conn(o: {
    client: readonly [number, number];
    server: readonly [number, number];
    dialect: ConnDialect;
    clientBuf?: number;
    serverBuf?: number;
    serverReader?: Reader;
    clientReader?: Reader;
  }): Conn {
    const a = new Side(o.client[0], o.client[1], o.clientBuf ?? 262144);
    const b = new Side(o.server[0], o.server[1], o.serverBuf ?? 262144);
    a.reader = o.clientReader ?? 'eager';
    b.reader = o.serverReader ?? 'eager';
    const c = new Conn(this, a, b, o.dialect, this.nextSerial++);
    this.conns.push(c);
    return c;
  }

  /** The capture ends: records and messages still open are incomplete (ANALYSIS 2.4). */
  finish(): void {
    for (const c of this.conns) c.finishCapture();
  }
}

function lowerFirst(a: Side, b: Side): [Side, Side] {
  if (a.cid !== b.cid) return a.cid < b.cid ? [a, b] : [b, a];
  return a.port <= b.port ? [a, b] : [b, a];
}

function recordPayload(conn: number, rec: number, n: number): Uint8Array {
  // As in captures/README: the tag `<cC rR nN>` cut to N bytes, then 'a' + ((7C + 3R + i) mod 26).
  const out = new Uint8Array(n);
  const tag = `<c${conn} r${rec} n${n}>`;
  const t = Math.min(n, tag.length);
  for (let i = 0; i < t; i++) out[i] = tag.charCodeAt(i);
  const base = 7 * conn + 3 * rec;
  for (let i = t; i < n; i++) out[i] = 97 + ((base + i) % 26);
  return out;
}

export class Conn {
  readonly type: number;
  /** Connection id string, fixed at its first captured frame. */
  private idStr: string | undefined;
  private firstFrame: number | undefined;
  private handshakeSeen = false;
  private requestSeen = false;
  private responseSeen = false;
  private reset = false;
  private readonly obs = new Map<Side, DirObs>();
  private readonly credit = new Map<Side, CreditObs>();

  constructor(
    readonly sim: Sim,
    readonly a: Side,
    readonly b: Side,
    readonly dialect: ConnDialect,
    readonly serial: number,
  ) {
    this.type = dialect === 'stream' ? TYPE_STREAM : TYPE_SEQPACKET;
    for (const s of [a, b]) {
      this.obs.set(s, new DirObs(`${s.addr}>${this.peer(s).addr}`));
      this.credit.set(s, new CreditObs());
    }
  }

  peer(s: Side): Side {
    return s === this.a ? this.b : this.a;
  }

  get id(): string {
    return this.idStr ?? `${this.a.addr}-${this.b.addr}`;
  }

  dir(from: Side): string {
    return this.obs.get(from)!.dir;
  }

  // ------------------------------------------------------------------------------------
  // Lifecycle

  connect(): void {
    this.send(this.a, { op: OP.REQUEST });
    this.sim.tick();
    this.send(this.b, { op: OP.RESPONSE });
    this.sim.tick();
  }

  /** No listener / type mismatch: the peer's kernel answers with a socket-less RST. */
  refuse(): void {
    this.send(this.a, { op: OP.REQUEST });
    this.sim.tick();
    this.send(this.b, { op: OP.RST, socketless: true });
    this.reset = true;
  }

  /** Clean close: SHUTDOWN flags 3 from `closer`, RST from the other side, maybe Linux's duplicate RST. */
  close(closer: Side, dupRst = this.sim.rng.chance(0.5)): { shutdown: number | null; rst: number | null } {
    const other = this.peer(closer);
    this.sim.pause(200, 5000);
    const shutdown = this.send(closer, { op: OP.SHUTDOWN, flags: 3 });
    closer.shutSend = true;
    closer.shutRcv = true;
    this.sim.tick(20, 400);
    const rst = this.send(other, { op: OP.RST });
    this.reset = true;
    if (dupRst) {
      this.sim.tick(20, 900);
      this.send(other, { op: OP.RST });
    }
    return { shutdown, rst };
  }

  /** SO_VM_SOCKETS_BUFFER_SIZE on `s`: Linux advertises the new size at once with a CREDIT_UPDATE. */
  setBufAlloc(s: Side, value: number): number | null {
    s.bufAlloc = value;
    const n = this.send(s, { op: OP.CREDIT_UPDATE });
    this.sim.tick();
    return n;
  }

  // ------------------------------------------------------------------------------------
  // Credit and reading

  /** Sender free space: peer_buf_alloc - (tx_cnt - peer_fwd_cnt). */
  freeCredit(s: Side): number {
    return s.peerBufAlloc - (s.txCnt - s.peerFwdCnt);
  }

  /** The sender `s` is out of credit: its peer's application reads. Throws on a deadlock. */
  private unblock(s: Side): void {
    const r = this.peer(s);
    const before = this.freeCredit(s);
    if (r.reader === 'manual') throw new Error(`synth: sender ${this.dir(s)} blocked with a manual reader`);
    this.consume(r, true);
    if (this.freeCredit(s) <= before) throw new Error(`synth: sender ${this.dir(s)} deadlocked (no credit can come back)`);
  }

  private waitCredit(s: Side, need: number): void {
    while (this.freeCredit(s) < need) this.unblock(s);
  }

  private sendCreditUpdate(r: Side): void {
    this.sim.tick();
    this.send(r, { op: OP.CREDIT_UPDATE });
  }

  /**
   * The application of `r` reads what its kernel lets it (PROTOCOL.md 3.2/3.3), crediting
   * every dequeued packet. A CREDIT_UPDATE follows every record/message the application
   * gets; after a read forced by a blocked sender, one follows if fwd_cnt moved since.
   * `cu: false`: the reads happen but their CREDIT_UPDATEs are not sent yet.
   */
  consume(r: Side, force: boolean, cu = true): void {
    const take = (): Packet => {
      const p = r.queue.shift()!;
      r.rxBytes -= p.len;
      r.fwdCnt = (r.fwdCnt + p.len) >>> 0;
      return p;
    };
    if (this.dialect === 'v4') {
      while (r.queue.length > 0) {
        const p = take();
        if (r.cur === null) {
          // Fetching the next record's length discards everything that is not a SEQ_BEGIN.
          if (p.op === OP.SEQ_BEGIN) r.cur = { len: p.seq!.msg_len, cnt: p.seq!.msg_cnt, copied: 0 };
        } else if (p.op === OP.RW) {
          r.cur.copied += p.len;
        } else if (p.op === OP.SEQ_BEGIN) {
          // A SEQ_BEGIN mid-record: the partial record is dropped, this one starts.
          r.cur = { len: p.seq!.msg_len, cnt: p.seq!.msg_cnt, copied: 0 };
        } else if (p.op === OP.SEQ_END) {
          const ok = r.cur.copied === r.cur.len && ((p.seq!.msg_cnt - r.cur.cnt) >>> 0) === 1;
          r.cur = null;
          if (ok) {
            r.appDelivered++;
            if (cu) this.sendCreditUpdate(r);
          }
        }
      }
    } else if (this.dialect === 'eom') {
      // Only whole messages (up to an EOM) can be read.
      for (;;) {
        const eom = r.queue.findIndex((p) => (p.flags & 1) !== 0);
        if (eom < 0) break;
        for (let i = 0; i <= eom; i++) take();
        r.appDelivered++;
        if (cu) this.sendCreditUpdate(r);
      }
    } else {
      let moved = false;
      while (r.queue.length > 0) {
        take();
        moved = true;
      }
      // virtio_transport_stream_do_dequeue: update when free space falls below 64 KiB.
      if (moved && cu && r.bufAlloc - ((r.fwdCnt - r.lastAdvertised) >>> 0) < STREAM_CREDIT_THRESHOLD) {
        this.sendCreditUpdate(r);
      }
    }
    if (force && cu && r.fwdCnt !== r.lastAdvertised) this.sendCreditUpdate(r);
  }

  // ------------------------------------------------------------------------------------
  // Sending records, messages and stream data

  private fateOf(o: RecordOpts, part: 'begin' | 'end' | number): Fate {
    if (part === 'begin') return o.begin ?? o.all ?? 'ok';
    if (part === 'end') return o.end ?? o.all ?? 'ok';
    return o.rw?.(part) ?? o.all ?? 'ok';
  }

  /** One RFC-v4 record (one send call): SEQ_BEGIN, RWs within credit, SEQ_END. */
  record(s: Side, len: number, o: RecordOpts = {}): RecordResult {
    if (this.dialect !== 'v4') throw new Error('synth: record() on a non-v4 connection');
    const payload = recordPayload(this.serial, s.sent++, len);
    const cnt = (o.beginCnt ?? s.msgCnt) >>> 0;
    const endCnt = (o.endCnt ?? cnt + 1) >>> 0;
    s.msgCnt = (cnt + 2) >>> 0;
    const rws: (number | null)[] = [];
    if (!o.ignoreCredit && !o.ignoreCreditBegin) this.waitCredit(s, MARKER_LEN);
    const begin = this.send(s, { op: OP.SEQ_BEGIN, seq: { msg_cnt: cnt, msg_len: len } }, this.fateOf(o, 'begin'));
    o.afterBegin?.();
    const stopped = this.sendChunks(s, payload, o, rws, () => (o.eor ? 1 : 0));
    if (stopped) return { begin, rws, end: null, stopped };
    if (!o.ignoreCredit) this.waitCredit(s, MARKER_LEN);
    this.sim.tick();
    const end = this.send(s, { op: OP.SEQ_END, seq: { msg_cnt: endCnt, msg_len: o.endLen ?? 0 } }, this.fateOf(o, 'end'));
    this.sim.tick();
    return { begin, rws, end, stopped: false };
  }

  /** One merged-dialect message: RWs within credit, EOM (and EOR) on the last. */
  message(s: Side, len: number, o: RecordOpts = {}): RecordResult {
    if (this.dialect !== 'eom') throw new Error('synth: message() on a non-eom connection');
    // A Linux sender refuses a message larger than the peer's buffer (EMSGSIZE, nothing on the wire).
    if (!o.ignoreSize && len > s.peerBufAlloc) throw new Error('synth: message larger than the peer buf_alloc');
    const payload = recordPayload(this.serial, s.sent++, len);
    const rws: (number | null)[] = [];
    const eor = o.eor ? 2 : 0;
    const stopped = this.sendChunks(s, payload, o, rws, (i, last) => o.flags?.(i, last) ?? (last ? 1 | eor : 0));
    this.sim.tick();
    return { begin: null, rws, end: null, stopped };
  }

  /** One write() on a STREAM socket. */
  write(s: Side, len: number, o: RecordOpts = {}): RecordResult {
    if (this.dialect !== 'stream') throw new Error('synth: write() on a non-stream connection');
    const payload = recordPayload(this.serial, s.sent++, len);
    const rws: (number | null)[] = [];
    const stopped = this.sendChunks(s, payload, o, rws, (i, last) => o.flags?.(i, last) ?? 0);
    this.sim.tick();
    return { begin: null, rws, end: null, stopped };
  }

  private sendChunks(
    s: Side, payload: Uint8Array, o: RecordOpts, rws: (number | null)[],
    flagsFor: (i: number, last: boolean) => number,
  ): boolean {
    const maxChunk = o.maxChunk ?? MAX_RW;
    let off = 0;
    for (let i = 0; off < payload.length; i++) {
      if (o.stopAfterRw !== undefined && i >= o.stopAfterRw) return true;
      if (!o.ignoreCredit && this.freeCredit(s) <= 0) {
        if (o.stopWhenBlocked) return true;
        this.waitCredit(s, 1);
      }
      const room = o.ignoreCredit ? Infinity : this.freeCredit(s);
      const n = Math.min(maxChunk, payload.length - off, room);
      this.sim.tick();
      const last = off + n === payload.length;
      rws.push(this.send(s, { op: OP.RW, flags: flagsFor(i, last), payload: payload.subarray(off, off + n) }, this.fateOf(o, i)));
      off += n;
      o.afterRw?.(i);
    }
    return false;
  }

  // ------------------------------------------------------------------------------------
  // One packet: transport, then capture

  /** Sends one packet from `from`; returns its frame number, or null when not captured. */
  send(from: Side, spec: SendSpec, fate: Fate = 'ok'): number | null {
    const to = this.peer(from);
    const isData = spec.op === OP.RW || spec.op === OP.SEQ_BEGIN || spec.op === OP.SEQ_END;
    if (isData && (from.shutSend || to.shutRcv || this.reset)) {
      throw new Error(`synth: ${this.dir(from)} sends data after shutdown/reset`);
    }
    const len = spec.payload?.length ?? (spec.seq !== undefined ? MARKER_LEN : 0);
    const pkt: Packet = { op: spec.op, flags: spec.flags ?? 0, len, seq: spec.seq };
    const bufAlloc = spec.socketless ? 0 : from.bufAlloc;
    const fwdCnt = spec.socketless ? 0 : from.fwdCnt;
    if (isData) from.txCnt = (from.txCnt + len) >>> 0;
    if (!spec.socketless) from.lastAdvertised = from.fwdCnt;

    let frame: number | null = null;
    if (this.sim.capturing && fate === 'ok') {
      const data = encodeFrame({
        virtio: {
          src_cid: from.cid, dst_cid: to.cid, src_port: from.port, dst_port: to.port,
          type: this.type, op: spec.op, flags: pkt.flags, buf_alloc: bufAlloc, fwd_cnt: fwdCnt,
        },
        seq: spec.seq,
        payload: spec.payload,
      });
      frame = this.sim.capture(data);
      this.observe(frame, from, pkt, bufAlloc, fwdCnt);
    }

    if (fate !== 'transport') {
      if (!spec.socketless) {
        to.peerBufAlloc = bufAlloc;
        to.peerFwdCnt = fwdCnt;
      }
      if (isData) {
        // The receiving kernel drops a packet that does not fit its buffer (PROTOCOL 3.2).
        if (to.rxBytes + len <= to.bufAlloc) {
          to.queue.push(pkt);
          to.rxBytes += len;
          if (to.reader === 'eager' && this.completes(pkt)) this.consume(to, false);
        }
      }
    }
    return frame;
  }

  /** Whether a packet lets an eager reader's pending recv return. */
  private completes(p: Packet): boolean {
    if (this.dialect === 'v4') return p.op === OP.SEQ_END;
    if (this.dialect === 'eom') return (p.flags & 1) !== 0;
    return true;
  }

  // ------------------------------------------------------------------------------------
  // The observer: what ANALYSIS.md says about each captured frame

  private observe(n: number, from: Side, p: Packet, bufAlloc: number, fwdCnt: number): void {
    const sim = this.sim;
    const to = this.peer(from);
    const d = this.obs.get(from)!;
    if (this.firstFrame === undefined) {
      this.firstFrame = n;
      this.handshakeSeen = p.op === OP.REQUEST;
      // Initiator first when the REQUEST is captured, else the lower (cid, port) pair first.
      const [x, y] = this.handshakeSeen ? [this.a, this.b] : lowerFirst(this.a, this.b);
      this.idStr = `${x.addr}-${y.addr}`;
      if (!this.handshakeSeen) {
        sim.finding('vsock.conn.midstream', n, this.id, d.dir);
        if (this.dialect === 'eom') throw new Error('synth: midstream merged-dialect connections are not modelled');
        this.obs.get(this.a)!.pre = true;
        this.obs.get(this.b)!.pre = true;
      }
    }
    if (p.op === OP.REQUEST) this.requestSeen = true;
    if (p.op === OP.RESPONSE) this.responseSeen = true;
    if (p.op === OP.RST && this.requestSeen && !this.responseSeen) {
      sim.finding('vsock.conn.refused', n, this.id, d.dir);
    }

    if (this.handshakeSeen) this.observeCredit(n, from, to, p, bufAlloc, fwdCnt);

    if (p.op === OP.RW || p.op === OP.SEQ_BEGIN || p.op === OP.SEQ_END) {
      if (this.dialect === 'v4') this.observeV4(n, d, p);
      else if (this.dialect === 'eom') this.observeEom(n, d, to, p);
      else if ((p.flags & 3) !== 0) sim.finding('vsock.seq.flags_on_stream', n, this.id, d.dir);
    }
    if (p.op === OP.SHUTDOWN && (p.flags & 2) !== 0) this.closeDir(n, d);
    if (p.op === OP.RST) {
      this.closeDir(n, this.obs.get(this.a)!);
      this.closeDir(n, this.obs.get(this.b)!);
    }
  }

  private observeCredit(n: number, from: Side, to: Side, p: Packet, bufAlloc: number, fwdCnt: number): void {
    const mine = this.credit.get(from)!;
    const theirs = this.credit.get(to)!;
    const d = this.obs.get(from)!;
    if (p.op === OP.RW || p.op === OP.SEQ_BEGIN || p.op === OP.SEQ_END) {
      mine.seenTx += p.op === OP.RW ? p.len : MARKER_LEN;
      if (theirs.lastFwd !== undefined && theirs.lastBuf !== undefined) {
        // (tx - fwd_cnt) mod 2^32, read as a signed distance: after a capture loss the
        // peer's fwd_cnt is ahead of what the capture saw, and the window cannot be
        // exceeded then (the unsigned value would wrap to ~2^32 and report every packet).
        const inFlight = (mine.seenTx - theirs.lastFwd) | 0;
        if (inFlight > theirs.lastBuf) {
          const prev = mine.peerBufAtPrev;
          const shrunk = prev !== undefined && theirs.lastBuf < prev && inFlight <= prev;
          this.sim.finding('vsock.credit.overrun', n, this.id, d.dir, shrunk ? { window_shrunk: true } : undefined);
        }
      }
    }
    if (mine.lastFwd !== undefined && ((fwdCnt - mine.lastFwd) | 0) < 0) {
      this.sim.finding('vsock.credit.fwd_cnt_regression', n, this.id, d.dir);
    }
    // fwd_cnt ahead of what the capture saw the peer send: the capture missed packets.
    const excess = (fwdCnt - theirs.seenTx) | 0;
    if (excess > mine.maxExcess) {
      mine.maxExcess = excess;
      this.sim.finding('vsock.credit.fwd_cnt_ahead', n, this.id, d.dir);
    }
    mine.lastBuf = bufAlloc;
    mine.lastFwd = fwdCnt;
    mine.peerBufAtPrev = theirs.lastBuf;
  }

  private newRecord(d: DirObs, first: number, msgCnt: number | null, msgLen: number | null): OpenRecord {
    return { msgCnt, msgLen, received: 0, first, last: first, eor: false, index: d.index++ };
  }

  private emit(d: DirObs, r: OpenRecord, status: RecordStatus, reason: FindingCode | null, dialect: 'v4' | 'eom' = 'v4'): void {
    this.sim.record(this.serial, {
      conn: this.id, dir: d.dir, dialect, index: r.index, msg_cnt: r.msgCnt, msg_len: r.msgLen,
      received: r.received, first_frame: r.first, last_frame: r.last, status, reason, eor: r.eor, truncated: false,
    });
  }

  private flushOrphan(d: DirObs): void {
    if (d.orphan === null) return;
    this.emit(d, d.orphan, 'orphan', 'vsock.seq.lost_begin');
    d.orphan = null;
  }

  /** ANALYSIS.md 2.4 and section 3 (v4), for one captured RW or marker. */
  private observeV4(n: number, d: DirObs, p: Packet): void {
    const sim = this.sim;
    if (p.op === OP.SEQ_BEGIN) {
      d.pre = false;
      this.flushOrphan(d);
      const got = p.seq!.msg_cnt;
      let expected: number | undefined;
      if (d.open !== null) {
        // Its SEQ_END never arrived: the open record is dropped.
        sim.finding('vsock.seq.lost_end', n, this.id, d.dir, { msg_cnt: d.open.msgCnt! });
        this.emit(d, d.open, 'dropped', 'vsock.seq.lost_end');
        expected = (d.open.msgCnt! + 2) >>> 0;
        d.open = null;
      } else if (d.m !== undefined) {
        expected = (d.m + 1) >>> 0;
      } else if (this.handshakeSeen) {
        expected = 0;
      }
      if (expected !== undefined && got !== expected) {
        const diff = got - expected; // signed: a repeated counter is not "lost records"
        const details: Record<string, number> = { expected, got };
        if (diff > 0 && diff % 2 === 0) details.lost_records = diff / 2;
        sim.finding('vsock.seq.cnt_gap', n, this.id, d.dir, details);
        // Records missing entirely are counted as lost. Nothing of them reached the capture,
        // so no analyser can know their length: msg_len is null.
        for (let k = 0; k < (details.lost_records ?? 0); k++) {
          const cnt = (expected + 2 * k) >>> 0;
          this.sim.record(this.serial, {
            conn: this.id, dir: d.dir, dialect: 'v4', index: d.index++, msg_cnt: cnt,
            msg_len: null, received: 0, first_frame: null, last_frame: null,
            status: 'lost', reason: 'vsock.seq.cnt_gap', eor: false, truncated: false,
          });
        }
      }
      d.open = this.newRecord(d, n, got, p.seq!.msg_len);
      d.m = got;
      return;
    }
    if (p.op === OP.RW) {
      if (d.open !== null) {
        d.open.received += p.len;
        d.open.last = n;
        if ((p.flags & 1) !== 0) d.open.eor = true;
      } else if (!d.pre) {
        if (d.orphan === null) {
          d.orphan = this.newRecord(d, n, null, null);
          sim.finding('vsock.seq.lost_begin', n, this.id, d.dir);
        }
        d.orphan.received += p.len;
        d.orphan.last = n;
        if ((p.flags & 1) !== 0) d.orphan.eor = true;
      }
      return;
    }
    // SEQ_END
    const cnt = p.seq!.msg_cnt;
    if (p.seq!.msg_len !== 0) sim.finding('vsock.seq.end_len_nonzero', n, this.id, d.dir);
    if (d.open !== null) {
      const r = d.open;
      r.last = n;
      const cntOk = ((cnt - r.msgCnt!) >>> 0) === 1;
      const lenOk = r.received === r.msgLen;
      if (!cntOk) sim.finding('vsock.seq.cnt_mismatch', n, this.id, d.dir);
      if (!lenOk) sim.finding('vsock.seq.len_mismatch', n, this.id, d.dir, { expected: r.msgLen!, received: r.received });
      // Both checks failing: the counter is named as the reason (the END belongs to another record).
      if (cntOk && lenOk) this.emit(d, r, 'delivered', null);
      else this.emit(d, r, 'dropped', cntOk ? 'vsock.seq.len_mismatch' : 'vsock.seq.cnt_mismatch');
      d.open = null;
    } else if (d.pre) {
      d.pre = false;
    } else {
      if (d.orphan === null) {
        d.orphan = this.newRecord(d, n, null, null);
        sim.finding('vsock.seq.lost_begin', n, this.id, d.dir);
      }
      d.orphan.last = n;
      // The run's SEQ_END names the record: its BEGIN counter was END - 1.
      d.orphan.msgCnt = (cnt - 1) >>> 0;
      this.flushOrphan(d);
    }
    d.m = cnt;
  }

  /** ANALYSIS.md 2.5 and section 3 (eom), for one captured RW. */
  private observeEom(n: number, d: DirObs, to: Side, p: Packet): void {
    if (p.op !== OP.RW) throw new Error('synth: markers on a merged-dialect connection');
    const sim = this.sim;
    if ((p.flags & 2) !== 0 && (p.flags & 1) === 0) sim.finding('vsock.seq.eor_without_eom', n, this.id, d.dir);
    if (d.msg === null) d.msg = this.newRecord(d, n, null, null);
    d.msg.received += p.len;
    d.msg.last = n;
    if ((p.flags & 1) === 0) return;
    d.msg.eor = (p.flags & 2) !== 0;
    const rbuf = this.credit.get(to)!.lastBuf;
    if (rbuf !== undefined && d.msg.received > rbuf) sim.finding('vsock.seq.msg_too_big', n, this.id, d.dir);
    this.emit(d, d.msg, 'delivered', null, 'eom');
    d.msg = null;
  }

  /** The direction's sender closed (SHUTDOWN with SEND) or the connection reset. */
  private closeDir(n: number, d: DirObs): void {
    this.flushOrphan(d);
    if (d.open !== null) {
      this.sim.finding('vsock.seq.unterminated', n, this.id, d.dir);
      this.emit(d, d.open, 'dropped', 'vsock.seq.unterminated');
      d.open = null;
    }
    if (d.msg !== null) {
      this.sim.finding('vsock.seq.unterminated', n, this.id, d.dir);
      this.emit(d, d.msg, 'dropped', 'vsock.seq.unterminated', 'eom');
      d.msg = null;
    }
  }

  finishCapture(): void {
    for (const d of this.obs.values()) {
      this.flushOrphan(d);
      const open = d.open ?? d.msg;
      if (open === null) continue;
      this.sim.finding('vsock.seq.incomplete', open.last, this.id, d.dir);
      // Not decided (the capture ended): no reason.
      this.emit(d, open, 'incomplete', null, d.open !== null ? 'v4' : 'eom');
      d.open = null;
      d.msg = null;
    }
  }
}
