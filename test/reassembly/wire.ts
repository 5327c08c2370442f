// Terse builders of DecodedFrame sequences for the engine tests: real frames, encoded by
// encodeFrame and decoded by decodeFrame, numbered from 1 in capture order.

import { ownView } from '../../src/dissect/container/record-bytes.js';
import type { CapturedPacket } from '../../src/dissect/container/types.js';
import { decodeFrame, type DecodedFrame } from '../../src/dissect/decode.js';
import { encodeFrame } from '../../src/dissect/encode.js';
import { OP, TYPE_SEQPACKET, TYPE_STREAM } from '../../src/dissect/fields.js';
import type { Finding } from '../../src/dissect/findings.js';
import type { Cid } from '../../src/dissect/parsers.js';
import { Engine } from '../../src/reassembly/index.js';
import type { ConnSummary, EngineEvent, EngineOptions, RecordResult } from '../../src/reassembly/index.js';

export type Op = keyof typeof OP;
/** `a`: the first endpoint (the client, sender of the REQUEST), `b`: the other one. */
export type Who = 'a' | 'b';

export interface FrameOpts {
  len?: number;
  flags?: number;
  /** SEQ_BEGIN/SEQ_END msg_cnt and msg_len. */
  cnt?: number;
  mlen?: number;
  /** The sender's buf_alloc / fwd_cnt; sticky per endpoint once given. */
  buf?: number;
  fwd?: number;
  /** Socket type (default: the wire's). */
  type?: number;
  /** Seconds since the start; default: 1 ms after the previous frame. */
  t?: number;
  /** Captured payload bytes when different from len (kernel tap bug, malformed markers). */
  captured?: number;
  /** Another port for endpoint `a` in this frame: a second connection on the same wire. */
  aPort?: number;
}

const BASE_SEC = 1_700_000_000;

export class Wire {
  readonly frames: DecodedFrame[] = [];
  private t = 0;
  private readonly ep: Record<Who, { cid: Cid; port: number; buf: number; fwd: number }>;

  constructor(
    readonly type: 'seq' | 'stream' = 'seq',
    a: [Cid, number] = [3, 1025],
    b: [Cid, number] = [2, 5000],
    buf = 262144,
  ) {
    this.ep = {
      a: { cid: a[0], port: a[1], buf, fwd: 0 },
      b: { cid: b[0], port: b[1], buf, fwd: 0 },
    };
  }

  get next(): number {
    return this.frames.length + 1;
  }

  /** Appends one frame; returns its number. */
  f(who: Who, op: Op, o: FrameOpts = {}): number {
    const src = this.ep[who];
    const dst = this.ep[who === 'a' ? 'b' : 'a'];
    if (o.buf !== undefined) src.buf = o.buf;
    if (o.fwd !== undefined) src.fwd = o.fwd;
    this.t = o.t ?? this.t + 0.001;
    const marker = op === 'SEQ_BEGIN' || op === 'SEQ_END';
    const len = o.len ?? (marker ? 8 : 0);
    const captured = o.captured ?? (marker && len === 8 ? undefined : len);
    const data = encodeFrame({
      virtio: {
        src_cid: src.cid, dst_cid: dst.cid, len,
        src_port: who === 'a' ? o.aPort ?? src.port : src.port,
        dst_port: who === 'b' ? o.aPort ?? dst.port : dst.port,
        type: o.type ?? (this.type === 'seq' ? TYPE_SEQPACKET : TYPE_STREAM),
        op: OP[op], flags: o.flags ?? 0, buf_alloc: src.buf, fwd_cnt: src.fwd,
      },
      ...(marker ? { seq: { msg_cnt: o.cnt ?? 0, msg_len: o.mlen ?? 0 } } : {}),
      ...(captured !== undefined ? { payload: new Uint8Array(captured) } : {}),
    });
    const sec = Math.floor(this.t);
    const p: CapturedPacket = {
      number: this.next, linkType: 271, tsSec: BASE_SEC + sec, tsNsec: Math.round((this.t - sec) * 1e9), tsDigits: 9, tsResolution: 9,
      capLen: data.length, origLen: data.length, ...ownView(data), offset: 0, interfaceId: 0, snaplen: 0,
    };
    this.frames.push(decodeFrame(p));
    return p.number;
  }

  // Shorthands.
  req(o?: FrameOpts): number { return this.f('a', 'REQUEST', o); }
  resp(o?: FrameOpts): number { return this.f('b', 'RESPONSE', o); }
  /** REQUEST + RESPONSE. */
  open(): void { this.req(); this.resp(); }
  begin(who: Who, cnt: number, mlen: number, o: FrameOpts = {}): number { return this.f(who, 'SEQ_BEGIN', { cnt, mlen, ...o }); }
  end(who: Who, cnt: number, o: FrameOpts = {}): number { return this.f(who, 'SEQ_END', { cnt, mlen: 0, ...o }); }
  rw(who: Who, len: number, flags = 0, o: FrameOpts = {}): number { return this.f(who, 'RW', { len, flags, ...o }); }
  credit(who: Who, fwd: number, o: FrameOpts = {}): number { return this.f(who, 'CREDIT_UPDATE', { fwd, ...o }); }
  shut(who: Who, flags: number, o: FrameOpts = {}): number { return this.f(who, 'SHUTDOWN', { flags, ...o }); }
  rst(who: Who, o: FrameOpts = {}): number { return this.f(who, 'RST', o); }
  /** A whole RFC v4 record: SEQ_BEGIN, one RW per length, SEQ_END. Returns [begin, end] frames. */
  record(who: Who, cnt: number, lens: number[], flags = 0): [number, number] {
    const total = lens.reduce((x, y) => x + y, 0);
    const b = this.begin(who, cnt, total);
    for (const l of lens) this.rw(who, l, flags);
    return [b, this.end(who, cnt + 1)];
  }
}

export interface Run {
  engine: Engine;
  events: EngineEvent[];
  findings: Finding[];
  records: RecordResult[];
  conns: ConnSummary[];
}

/** Feeds every frame to a fresh engine, then ends it. */
export function run(frames: readonly DecodedFrame[], options?: EngineOptions): Run {
  const events: EngineEvent[] = [];
  const engine = new Engine((e) => events.push(e), options);
  for (const f of frames) engine.push(f);
  engine.end();
  return split(engine, events);
}

export function split(engine: Engine, events: EngineEvent[]): Run {
  const findings: Finding[] = [];
  const records: RecordResult[] = [];
  const conns: ConnSummary[] = [];
  for (const e of events) {
    if (e.type === 'anomaly') findings.push(e.finding);
    else if (e.type === 'record') records.push(e.record);
    else conns.push(e.conn);
  }
  return { engine, events, findings, records, conns };
}

/** `code@frame` for every finding, in emission order. */
export function at(r: Run): string[] {
  return r.findings.map((f) => `${f.code}@${f.frame}`);
}

/** `status:msg_cnt` for every record, in emission order. */
export function recs(r: Run): string[] {
  return r.records.map((x) => `${x.status}:${x.msg_cnt}`);
}
