// What the receiver has of a direction's records: the record (v4/v7) or message (eom) it
// has open, the orphans it is discarding, and turning them into `record` events.

import type { Conn, Side } from './conn.js';
import type { Context } from './context.js';
import { D_EOM, DIALECTS } from './dialect.js';
import type { Run } from './loss.js';
import { connId, dirName, endpointLess, senderName } from './names.js';
import { report } from './report.js';
import type { RecordReason, RecordResult, RecordStatus } from './types.js';

export class RecordState {
  // The open record or message.
  open = false;
  cnt = 0;
  len = 0;
  first = 0;
  last = 0;
  recv = 0;
  eor = false;
  /** Last marker counter, -1: none yet. */
  m = -1;
  mFrame = 0;
  mEnd = false;
  /** Before the first boundary of a capture that started mid-connection: orphans expected. */
  leading = false;
  /** The open run of orphans (orphans.ts). */
  run: Run | null = null;
  // The orphan record being collected.
  orphOpen = false;
  orphFirst = 0;
  orphLast = 0;
  orphBytes = 0;
  /** Some RW of the open orphan record had flag bit 0 (MSG_EOR, ANALYSIS.md 3). */
  orphEor = false;
  /** Index of the direction's next record, lost ones included. */
  index = 0;
}

/**
 * The record streams of a 4-tuple, shared by its instances: an even stream number for each
 * orientation (which endpoint is A), -1 until its first record; the direction sent by A
 * takes it, the other direction the next odd one. An instance's `conn` and `dir` strings
 * follow from its orientation alone, so records share a stream exactly when they share both.
 */
export class TupleStreams {
  /** Instances whose endpoint A is the lower one (or the same as B: all its frames are then A's). */
  lowA = -1;
  highA = -1;
}

function streamOf(ctx: Context, c: Conn, fromA: boolean): number {
  const t = (c.tuple ??= new TupleStreams());
  const lowA = !endpointLess(c.bCid, c.bPort, c.aCid, c.aPort);
  let base = lowA ? t.lowA : t.highA;
  if (base < 0) {
    base = ctx.nextStream;
    ctx.nextStream += 2;
    if (lowA) t.lowA = base;
    else t.highA = base;
  }
  return fromA ? base : base + 1;
}

/** The open record or message of s ends with `status`. */
export function closeRecord(ctx: Context, c: Conn, s: Side, status: RecordStatus, reason: RecordReason | undefined): void {
  const r = s.rec;
  r.open = false;
  const eom = c.dialect === D_EOM;
  emitRecord(ctx, c, s, status, reason, eom ? null : r.cnt, eom ? null : r.len, r.recv, r.first, r.last, r.eor);
}

export function emitRecord(
  ctx: Context, c: Conn, s: Side, status: RecordStatus, reason: RecordReason | undefined, msgCnt: number | null, msgLen: number | null,
  received: number, first: number | null, last: number | null, eor: boolean,
): void {
  const index = s.rec.index++;
  s.stats[status]++;
  ctx.records[status]++;
  if (!ctx.recordEvents) {
    ctx.queue.skip();
    return;
  }
  const rcvbuf = ctx.rcvbuf;
  const truncated = status === 'delivered' && rcvbuf >= 0 && received > rcvbuf;
  const conn = connId(c);
  const dir = dirName(c, s.isA);
  const dialect = DIALECTS[c.dialect]!;
  const sink = ctx.recordSink;
  if (sink !== undefined && reason === undefined && ctx.queue.idle()) {
    sink.record(streamOf(ctx, c, s.isA), conn, dir, dialect, index, status, msgCnt, msgLen, received, first, last, eor, truncated ? rcvbuf : -1);
    return;
  }
  // Literals, not spreads: the key order is the record line's (ANALYSIS.md 4).
  const r: RecordResult = reason === undefined
    ? truncated
      ? { type: 'record', conn, dir, dialect, index, msg_cnt: msgCnt, msg_len: msgLen, received, first_frame: first, last_frame: last, status, eor, truncated, copied: rcvbuf }
      : { type: 'record', conn, dir, dialect, index, msg_cnt: msgCnt, msg_len: msgLen, received, first_frame: first, last_frame: last, status, eor, truncated }
    : truncated
      ? { type: 'record', conn, dir, dialect, index, msg_cnt: msgCnt, msg_len: msgLen, received, first_frame: first, last_frame: last, status, reason, eor, truncated, copied: rcvbuf }
      : { type: 'record', conn, dir, dialect, index, msg_cnt: msgCnt, msg_len: msgLen, received, first_frame: first, last_frame: last, status, reason, eor, truncated };
  ctx.queue.emit({ type: 'record', record: r, stream: streamOf(ctx, c, s.isA) }, last ?? first ?? 0);
}

/** The capture ends with s's record or message open. */
export function incomplete(ctx: Context, c: Conn, s: Side): void {
  const r = s.rec;
  report(ctx, c, s.isA, 'vsock.seq.incomplete', r.last,
    `the capture ends while ${openName(c, s)} from ${senderName(c, s.isA)} is still open (no ${terminator(c)} yet)`,
    [r.first], openDetails(c, s));
  closeRecord(ctx, c, s, 'incomplete', undefined);
}

/** The open record or message, for finding messages. */
export function openName(c: Conn, s: Side): string {
  return c.dialect === D_EOM ? msgName(s) : recName(s);
}

export function recName(s: Side): string {
  const r = s.rec;
  return `record msg_cnt=${r.cnt} (SEQ_BEGIN frame ${r.first}, ${r.recv} of ${r.len} bytes received)`;
}

export function msgName(s: Side): string {
  const r = s.rec;
  return `the message starting at frame ${r.first} (${r.recv} bytes received)`;
}

/** What ends a record or message in c's dialect. */
export function terminator(c: Conn): string {
  return c.dialect === D_EOM ? 'EOM' : 'SEQ_END';
}

/** Details of a finding about the open record or message of s (possibly the other direction's). */
export function openDetails(c: Conn, s: Side): Record<string, unknown> {
  const r = s.rec;
  return c.dialect === D_EOM
    ? { received: r.recv, first_frame: r.first, record_dir: dirName(c, s.isA) }
    : { msg_cnt: r.cnt, msg_len: r.len, received: r.recv, first_frame: r.first, record_dir: dirName(c, s.isA) };
}
