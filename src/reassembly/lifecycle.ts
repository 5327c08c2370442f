// Connection lifecycle (ANALYSIS.md 2.2, decisions 5 and 8-10): a new instance,
// REQUEST/RESPONSE/SHUTDOWN/RST and the state they lead to, what a side's SHUTDOWN(SEND)
// or an RST does to the records it has open, and the end of the capture for a live side.

import type { DecodedFrame } from '../dissect/decode.js';
import { enumName, OP, TYPE_SEQPACKET, VIRTIO_OP_NAMES, VIRTIO_TYPE_NAMES } from '../dissect/fields.js';
import type { VirtioHeader } from '../dissect/parsers.js';
import {
  Conn, S_CLOSED, S_ESTABLISHED, S_HALF_CLOSED, S_REFUSED, S_REQUESTED, S_RESET, type Live, type Side,
} from './conn.js';
import type { ConnTable } from './conn-table.js';
import { relTime, type Context } from './context.js';
import { stopWindowClock } from './credit.js';
import { D_NONE, forceDialect } from './dialect.js';
import { undecided } from './loss.js';
import { connId, endpointLess, senderName } from './names.js';
import { endRun } from './orphans.js';
import { closeRecord, incomplete, openDetails, openName, terminator } from './records.js';
import { report } from './report.js';
import { CONN_STATES } from './types.js';
import { snapshot } from './summary.js';

const SHUT_RCV = 1;
const SHUT_SEND = 2;

/** A new instance from its first frame: a REQUEST, or any other op for a capture that started mid-connection. */
export function openConn(ctx: Context, table: ConnTable, f: DecodedFrame, v: VirtioHeader): Conn {
  const midstream = v.op !== OP.REQUEST;
  // The initiator is A; midstream, the lower endpoint.
  const srcFirst = !midstream || !endpointLess(v.dst_cid, v.dst_port, v.src_cid, v.src_port);
  const c = srcFirst
    ? new Conn(v.src_cid, v.src_port, v.dst_cid, v.dst_port, f.number, f.tsSec, f.tsNsec, v.type, midstream)
    : new Conn(v.dst_cid, v.dst_port, v.src_cid, v.src_port, f.number, f.tsSec, f.tsNsec, v.type, midstream);
  if (v.type === TYPE_SEQPACKET && ctx.forced !== D_NONE) forceDialect(c, ctx.forced);
  table.add(c, v);
  if (midstream) {
    c.live!.a.rec.leading = true;
    c.live!.b.rec.leading = true;
    report(ctx, c, srcFirst, 'vsock.conn.midstream', f.number,
      `the capture starts mid-connection: the first packet of ${connId(c)} is ${enumName(VIRTIO_OP_NAMES, v.op)}, not REQUEST; credit is not analysed and orphans before each direction's first record boundary are expected`,
      undefined, { op: v.op });
  }
  return c;
}

/** A packet of an instance that ended with an RST: control packets are normal Linux behaviour, data is not. */
export function afterReset(ctx: Context, c: Conn, fromA: boolean, n: number, op: number): void {
  if (op === OP.RW || op === OP.SEQ_BEGIN || op === OP.SEQ_END) {
    report(ctx, c, fromA, 'vsock.conn.after_reset', n,
      `${enumName(VIRTIO_OP_NAMES, op)} from ${senderName(c, fromA)} after connection ${connId(c)} was reset (RST at frame ${c.rstFrame}): no socket receives it`,
      [c.rstFrame], { rst_frame: c.rstFrame, op });
  }
}

export function typeMismatch(ctx: Context, c: Conn, fromA: boolean, n: number, v: VirtioHeader): void {
  report(ctx, c, fromA, 'vsock.conn.type_mismatch', n,
    `${enumName(VIRTIO_OP_NAMES, v.op)} of type ${enumName(VIRTIO_TYPE_NAMES, v.type)} on a ${enumName(VIRTIO_TYPE_NAMES, c.type)} connection (type set by frame ${c.first}); packets of one connection never change type`,
    [c.first], { type: v.type, conn_type: c.type });
}

export function request(ctx: Context, c: Conn, fromA: boolean, n: number): void {
  if (n === c.first) return;
  const what = c.state === S_REQUESTED
    ? `a second REQUEST while the first (frame ${c.first}) is unanswered`
    : `REQUEST on connection ${connId(c)}, which is ${CONN_STATES[c.state]}`;
  report(ctx, c, fromA, 'vsock.conn.unexpected_op', n, what, undefined, { op: OP.REQUEST });
}

export function response(ctx: Context, c: Conn, fromA: boolean, n: number): void {
  if (c.state === S_REQUESTED) {
    if (fromA) {
      report(ctx, c, fromA, 'vsock.conn.unexpected_op', n,
        `RESPONSE from ${senderName(c, true)}, the side that sent the REQUEST (frame ${c.first})`, [c.first], { op: OP.RESPONSE });
    } else {
      c.state = S_ESTABLISHED;
    }
  } else if (n !== c.first) {
    report(ctx, c, fromA, 'vsock.conn.unexpected_op', n,
      `RESPONSE without REQUEST: connection ${connId(c)} is already ${CONN_STATES[c.state]}`, undefined, { op: OP.RESPONSE });
  }
}

export function invalidOp(ctx: Context, c: Conn, fromA: boolean, n: number): void {
  report(ctx, c, fromA, 'vsock.conn.unexpected_op', n, `op INVALID (0) from ${senderName(c, fromA)}`, undefined, { op: OP.INVALID });
}

/** Connection findings about a data packet of s: sent after a SHUTDOWN that forbids it, or before the RESPONSE. */
export function dataChecks(ctx: Context, c: Conn, s: Side, p: Side, n: number, op: number): void {
  if ((s.shut & SHUT_SEND) !== 0 || (p.shut & SHUT_RCV) !== 0) afterShutdown(ctx, c, s, p, n, op);
  if (c.state === S_REQUESTED) {
    report(ctx, c, s.isA, 'vsock.conn.unexpected_op', n,
      `${enumName(VIRTIO_OP_NAMES, op)} from ${senderName(c, s.isA)} before the RESPONSE to the REQUEST at frame ${c.first}`,
      [c.first], { op });
  }
}

export function shutdown(ctx: Context, c: Conn, s: Side, p: Side, f: DecodedFrame, v: VirtioHeader): void {
  const bits = v.flags & (SHUT_RCV | SHUT_SEND);
  const fresh = bits & ~s.shut;
  s.shut |= bits;
  if ((fresh & SHUT_RCV) !== 0) s.rcvShutFrame = f.number;
  if ((fresh & SHUT_SEND) !== 0) {
    s.sendShutFrame = f.number;
    closeSide(ctx, c, s, s.isA, f.number, 'SHUTDOWN(SEND)');
  }
  if (bits !== 0 && c.state !== S_REQUESTED) {
    const aShut = (s.shut & SHUT_SEND) !== 0 || (p.shut & SHUT_RCV) !== 0;
    const bShut = (p.shut & SHUT_SEND) !== 0 || (s.shut & SHUT_RCV) !== 0;
    c.state = aShut && bShut ? S_CLOSED : S_HALF_CLOSED;
  }
}

/** The instance's first RST ends it: what is open is closed, and only its counters are kept. */
export function reset(ctx: Context, c: Conn, L: Live, fromA: boolean, f: DecodedFrame): void {
  const n = f.number;
  if (c.state === S_REQUESTED && !fromA) {
    c.state = S_REFUSED;
    report(ctx, c, fromA, 'vsock.conn.refused', n,
      `connection refused: RST answers the REQUEST at frame ${c.first} (no listener, type mismatch or a full accept queue)`,
      [c.first], { request_frame: c.first });
  } else {
    c.state = (L.a.shut | L.b.shut) !== 0 ? S_CLOSED : S_RESET;
  }
  const why = `the connection was reset (frame ${n}) before the receiver's fwd_cnt caught up`;
  const at = relTime(ctx, f.tsSec, f.tsNsec);
  for (const s of [L.a, L.b]) {
    closeSide(ctx, c, s, fromA, n, 'RST');
    undecided(ctx, s.attribution, why);
    stopWindowClock(s, at);
  }
  c.rstFrame = n;
  c.creditChecked = false;
  c.live = null;
  if (ctx.connEvents) ctx.queue.emit({ type: 'conn', conn: snapshot(ctx, c) }, n);
  else ctx.queue.skip();
  // The instance is kept for the whole run; its name strings would double what it keeps
  // (a port scan: 500k instances). Another finding about it builds them again.
  c.names = null;
}

/** The capture ends with s live (after every open loss was settled): its run ends, its record is incomplete. */
export function captureEnded(ctx: Context, c: Conn, s: Side, at: number): void {
  if (s.rec.run !== null) endRun(ctx, c, s);
  stopWindowClock(s, at);
  if (s.rec.open) incomplete(ctx, c, s);
}

/**
 * A side stops sending: frame n, sent by A (frameFromA) or B, is its SHUTDOWN(SEND) or an
 * RST (`op`). Its open record or message is cut.
 */
function closeSide(ctx: Context, c: Conn, s: Side, frameFromA: boolean, n: number, op: string): void {
  const r = s.rec;
  if (r.open) {
    report(ctx, c, frameFromA, 'vsock.seq.unterminated', n,
      `${op} from ${senderName(c, frameFromA)} while ${openName(c, s)} from ${senderName(c, s.isA)} was still open: it never got its ${terminator(c)}, the receiver drops it`,
      [r.first], openDetails(c, s));
    closeRecord(ctx, c, s, 'dropped', 'vsock.seq.unterminated');
  }
  if (r.run !== null) endRun(ctx, c, s);
}

function afterShutdown(ctx: Context, c: Conn, s: Side, p: Side, n: number, op: number): void {
  const own = (s.shut & SHUT_SEND) !== 0;
  const at = own ? s.sendShutFrame : p.rcvShutFrame;
  const why = own
    ? `after it sent SHUTDOWN with SEND (frame ${at})`
    : `after ${senderName(c, !s.isA)} sent SHUTDOWN with RCV (frame ${at})`;
  report(ctx, c, s.isA, 'vsock.conn.send_after_shutdown', n,
    `${enumName(VIRTIO_OP_NAMES, op)} from ${senderName(c, s.isA)} ${why}`, [at], { shutdown_frame: at, op });
}
