// Loss findings (lost_end, lost_begin, cnt_gap, len_mismatch with bytes missing) and who
// lost the packet (decision 2). Each is held in the event stream until it is complete (a
// lost_begin: its run of orphans ended) and attributed: `capture` once the receiver's
// fwd_cnt credits bytes the capture never saw (also when that was visible before the loss
// was detected), `transport` once, with the sender at a record boundary, fwd_cnt catches
// up with every byte the capture saw and nothing more (never credited), else `unknown`.

import type { FindingCode } from '../dissect/findings.js';
import { plural } from '../dissect/present/words.js';
import type { Conn, Side } from './conn.js';
import type { Context } from './context.js';
import type { Held } from './event-queue.js';
import { senderName } from './names.js';
import { count, engineFinding } from './report.js';
import type { EngineEvent } from './types.js';

const V_PENDING = 0;
const V_CAPTURE = 1;
const V_TRANSPORT = 2;
const V_UNKNOWN = 3;
const V_NO_CREDIT = 4;

/** Per direction: what fwd_cnt has told about its losses so far. */
export class Attribution {
  /** Bytes fwd_cnt proved the capture missed that no loss finding has claimed yet. */
  unexplained = 0;
  unexplainedFrame = 0;
  /** Losses waiting for fwd_cnt. */
  pending: Loss[] | null = null;
}

/** A run of orphans (packets arriving while no record is open): the figures of its lost_begin. */
export class Run {
  frames = 0;
  bytes = 0;
  last = 0;
  /** Counter of the first record the run closes (implied by an orphan SEQ_END), -1: none yet. */
  endCnt = -1;
  loss: Loss | null = null;
  constructor(readonly first: number) {}
}

/** A loss finding waiting for its run to end and/or for fwd_cnt to tell who lost the packet. */
export class Loss {
  hold: Held | null = null;
  verdict = V_PENDING;
  evidence = 0;
  evidenceBytes = 0;
  why = '';
  ready: boolean;
  done = false;
  /** Set when the loss went out while its run was still open: why it could not wait. */
  partial: string | null = null;
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

/** A loss finding about s's data at frame n, at least `minMissing` bytes. */
export function openLoss(
  ctx: Context, c: Conn, s: Side, code: FindingCode, n: number, text: string, related: readonly number[],
  details: Record<string, unknown>, minMissing: number, run: Run | null,
): Loss {
  const loss = new Loss(c, s, code, n, text, related, details, minMissing, run);
  count(ctx, c, s.isA, code);
  const a = s.attribution;
  if (!c.creditChecked) {
    loss.verdict = V_NO_CREDIT;
  } else if (a.unexplained > 0) {
    loss.verdict = V_CAPTURE;
    loss.evidence = a.unexplainedFrame;
    loss.evidenceBytes = a.unexplained;
    a.unexplained = Math.max(0, a.unexplained - minMissing);
  } else {
    (a.pending ??= []).push(loss);
  }
  if (loss.verdict !== V_PENDING && loss.ready) finalize(ctx, loss);
  else ctx.queue.hold(loss);
  return loss;
}

/** A run of orphans of s starts at frame n, with its lost_begin. */
export function openRun(ctx: Context, c: Conn, s: Side, n: number): Run {
  const run = new Run(n);
  run.loss = openLoss(ctx, c, s, 'vsock.seq.lost_begin', n, '', [], {}, 8, run);
  return run;
}

export function runEnded(ctx: Context, run: Run): void {
  const loss = run.loss;
  // done: closed at the hold cap while openLoss() was still opening it.
  if (loss !== null && !loss.done) {
    loss.ready = true;
    if (loss.verdict !== V_PENDING) finalize(ctx, loss);
  }
}

/** The pending losses of a direction, handed over to the caller. */
export function takePending(a: Attribution): Loss[] | null {
  const pending = a.pending;
  a.pending = null;
  return pending;
}

/** fwd_cnt at frame n proved the capture missed `bytes` more: it explains `pending`, or the next losses. */
export function captureMissed(ctx: Context, a: Attribution, pending: Loss[] | null, n: number, bytes: number): void {
  if (pending === null) {
    a.unexplained += bytes;
    a.unexplainedFrame = n;
  } else {
    for (const loss of pending) decide(ctx, loss, V_CAPTURE, n, bytes, '');
  }
}

/** fwd_cnt at frame n credited every byte the capture saw and nothing more: the pending losses were the transport's. */
export function lostInTransport(ctx: Context, a: Attribution, n: number): void {
  decideAll(ctx, a, V_TRANSPORT, n, '');
}

/** The connection or capture ends before fwd_cnt told: the pending losses stay undecided. */
export function undecided(ctx: Context, a: Attribution, why: string): void {
  decideAll(ctx, a, V_UNKNOWN, 0, why);
}

/**
 * The loss cannot wait any longer (past HOLD_CAP held events, or a live capture's output
 * is due): it goes out with what is known (an open run: partial, not reported again).
 */
export function forceLoss(ctx: Context, loss: Loss, when: string): void {
  if (loss.verdict === V_PENDING) {
    const a = loss.side.attribution;
    const pending = a.pending;
    if (pending !== null) {
      const at = pending.indexOf(loss);
      if (at >= 0) pending.splice(at, 1);
      if (pending.length === 0) a.pending = null;
    }
    loss.verdict = V_UNKNOWN;
    loss.why = `the receiver's fwd_cnt had not caught up ${when}`;
  }
  if (!loss.ready) {
    loss.partial = when;
    loss.ready = true; // the run goes on, but is not reported again
  }
  finalize(ctx, loss);
}

function decideAll(ctx: Context, a: Attribution, verdict: number, evidence: number, why: string): void {
  const pending = takePending(a);
  if (pending === null) return;
  for (const loss of pending) decide(ctx, loss, verdict, evidence, 0, why);
}

function decide(ctx: Context, loss: Loss, verdict: number, evidence: number, bytes: number, why: string): void {
  // Already decided: closed at the hold cap after it left the pending list.
  if (loss.verdict !== V_PENDING) return;
  loss.verdict = verdict;
  loss.evidence = evidence;
  loss.evidenceBytes = bytes;
  loss.why = why;
  if (loss.ready) finalize(ctx, loss);
}

function finalize(ctx: Context, loss: Loss): void {
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
      (loss.partial !== null ? ` (Figures up to frame ${run.last}: the run was still open ${loss.partial}.)` : '');
    related = run.last !== run.first ? [run.last] : [];
    details = { frames: run.frames, bytes: run.bytes, last_frame: run.last, ...(run.endCnt >= 0 ? { msg_cnt: run.endCnt } : {}) };
    if (loss.partial !== null) details.partial = true;
  }
  text += verdictText(loss);
  details.lost_by = loss.verdict === V_CAPTURE ? 'capture' : loss.verdict === V_TRANSPORT ? 'transport' : 'unknown';
  if (loss.evidence > 0) details.evidence_frame = loss.evidence;
  const ev: EngineEvent = { type: 'anomaly', finding: engineFinding(c, loss.side.isA, loss.code, loss.frame, text, related, details) };
  const hold = loss.hold;
  if (hold === null) ctx.queue.emit(ev, loss.frame);
  else ctx.queue.resolve(hold, ev);
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
