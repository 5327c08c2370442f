// Credit accounting per direction (ANALYSIS.md 2.3, decisions 3 and 4): the sender's bytes
// in flight against the receiver's latest buf_alloc and fwd_cnt (overruns, window-full
// time), fwd_cnt regressions, and fwd_cnt crediting bytes the capture never saw, the
// evidence loss.ts attributes losses with.

import type { DecodedFrame } from '../dissect/decode.js';
import type { VirtioHeader } from '../dissect/parsers.js';
import { plural } from '../dissect/present/words.js';
import type { Conn, Side } from './conn.js';
import { relTime, type Context } from './context.js';
import { captureMissed, lostInTransport, takePending } from './loss.js';
import { senderName } from './names.js';
import { report } from './report.js';

export class CreditState {
  // As a receiver: its latest advertised values (for the peer's data).
  seen = false;
  bufAlloc = 0;
  fwd = 0;
  creditFrame = 0;
  /** Its latest buf_alloc decrease. */
  shrinkFrame = 0;
  // As a sender.
  tx = 0;
  prevFrame = 0;
  peerBufAtPrev = 0;
  full = false;
  fullSince = 0;
  /** Bytes of this side's data the peer's fwd_cnt proved the capture missed (max so far). */
  aheadMax = 0;
}

/** s sent a data packet (RW or marker) of `len` bytes: its bytes in flight against p's window. */
export function dataSent(ctx: Context, c: Conn, s: Side, p: Side, f: DecodedFrame, len: number): void {
  const sc = s.credit;
  sc.tx = (sc.tx + len) >>> 0;
  if (c.creditChecked && p.credit.seen) checkWindow(ctx, c, s, p, f);
}

/** Any packet of s but an RST: what s advertises as a receiver, checked against p's data. */
export function creditAdvertised(ctx: Context, c: Conn, s: Side, p: Side, f: DecodedFrame, v: VirtioHeader): void {
  receiverValues(ctx, c, s, p, f, v);
  s.credit.prevFrame = f.number;
  s.credit.peerBufAtPrev = p.credit.bufAlloc;
}

/** Stops s's window-full clock at `at` (seconds from the first frame): its instance or the capture ends. */
export function stopWindowClock(s: Side, at: number): void {
  if (s.credit.full) setFull(s, false, at);
}

/** Seconds s's window has been full so far, its open interval running to `at`. */
export function windowFullSeconds(s: Side | undefined, windowFull: number, at: number): number {
  return windowFull + (s !== undefined && s.credit.full ? at - s.credit.fullSince : 0);
}

/** Bytes in flight from a sender (tx counts the captured payload plus what fwd_cnt proved the capture missed). */
function inFlight(sender: CreditState, receiver: CreditState): number {
  return (sender.tx + sender.aheadMax - receiver.fwd) >>> 0;
}

function setFull(s: Side, full: boolean, at: number): void {
  const sc = s.credit;
  if (full) sc.fullSince = at;
  else s.stats.windowFull += at - sc.fullSince;
  sc.full = full;
}

function trackFull(ctx: Context, s: Side, full: boolean, f: DecodedFrame): void {
  if (full !== s.credit.full) setFull(s, full, relTime(ctx, f.tsSec, f.tsNsec));
}

/** Bytes in flight from s to p after s's packet, against p's latest buf_alloc. */
function checkWindow(ctx: Context, c: Conn, s: Side, p: Side, f: DecodedFrame): void {
  const sc = s.credit;
  const pc = p.credit;
  const inflight = inFlight(sc, pc);
  trackFull(ctx, s, inflight >= pc.bufAlloc, f);
  if (inflight <= pc.bufAlloc) return;
  const n = f.number;
  const shrunk = pc.shrinkFrame > sc.prevFrame && inflight <= sc.peerBufAtPrev;
  const details: Record<string, unknown> = {
    in_flight: inflight, buf_alloc: pc.bufAlloc, tx_cnt: sc.tx, fwd_cnt: pc.fwd, credit_frame: pc.creditFrame,
  };
  let text = `window exceeded: ${inflight} bytes in flight from ${senderName(c, s.isA)} after this packet, but ${senderName(c, p.isA)} advertised buf_alloc ${pc.bufAlloc} (fwd_cnt ${pc.fwd}, frame ${pc.creditFrame}); the receiver may have dropped this packet`;
  const related = [pc.creditFrame];
  if (shrunk) {
    details.window_shrunk = true;
    details.shrink_frame = pc.shrinkFrame;
    details.previous_buf_alloc = sc.peerBufAtPrev;
    if (pc.shrinkFrame !== pc.creditFrame) related.push(pc.shrinkFrame);
    text += `. Only because the receiver lowered buf_alloc from ${sc.peerBufAtPrev} to ${pc.bufAlloc} at frame ${pc.shrinkFrame}, after the sender's previous packet (frame ${sc.prevFrame}): the packets crossed`;
  }
  report(ctx, c, s.isA, 'vsock.credit.overrun', n, text, related, details);
}

/** s's buf_alloc/fwd_cnt in this frame: checks on p's data direction. */
function receiverValues(ctx: Context, c: Conn, s: Side, p: Side, f: DecodedFrame, v: VirtioHeader): void {
  const ba = v.buf_alloc;
  const fw = v.fwd_cnt;
  const n = f.number;
  const sc = s.credit;
  if (c.creditChecked && sc.seen) {
    if (ba < sc.bufAlloc) sc.shrinkFrame = n;
    if (fw !== sc.fwd && ((fw - sc.fwd) | 0) < 0) {
      report(ctx, c, s.isA, 'vsock.credit.fwd_cnt_regression', n,
        `fwd_cnt of ${senderName(c, s.isA)} went back from ${sc.fwd} (frame ${sc.creditFrame}) to ${fw} (${((sc.fwd - fw) >>> 0)} bytes): it counts consumed bytes and never decreases`,
        [sc.creditFrame], { previous: sc.fwd, fwd_cnt: fw, previous_frame: sc.creditFrame });
    }
  }
  sc.seen = true;
  sc.bufAlloc = ba;
  sc.fwd = fw;
  sc.creditFrame = n;
  if (!c.creditChecked) return;
  const pc = p.credit;
  const ahead = (fw - pc.tx) | 0;
  if (ahead > pc.aheadMax) {
    fwdAhead(ctx, c, s, p, n, fw, ahead);
  } else if (p.attribution.pending !== null && ahead === pc.aheadMax && !p.rec.open && p.rec.run === null) {
    // The receiver consumed every byte the capture saw, and none it did not see, with the
    // sender at a record boundary. (Mid-record the receiver may still owe the new record's
    // SEQ_BEGIN: 8 unconsumed bytes that would mask 8 missed ones, e.g. a lost SEQ_END.)
    lostInTransport(ctx, p.attribution, n);
  }
  trackFull(ctx, p, inFlight(pc, sc) >= ba, f);
}

/** s's fwd_cnt credits more of p's bytes than the capture saw: the capture missed them. */
function fwdAhead(ctx: Context, c: Conn, s: Side, p: Side, n: number, fw: number, ahead: number): void {
  const pc = p.credit;
  const inc = ahead - pc.aheadMax;
  const pending = takePending(p.attribution);
  const related = pending === null ? undefined : [...new Set(pending.map((l) => l.frame))];
  let text = `fwd_cnt ${fw} of ${senderName(c, s.isA)} credits ${ahead} bytes more than the capture saw ${senderName(c, p.isA)} send (${pc.tx})` +
    (pc.aheadMax > 0 ? `, ${inc} more than before` : '') +
    `: the capture itself missed ${plural(inc, 'byte')} of packets that the receiver got`;
  if (pending !== null) text += ` (this explains ${pending.map((l) => `${l.code} at frame ${l.frame}`).join(', ')})`;
  report(ctx, c, s.isA, 'vsock.credit.fwd_cnt_ahead', n, text, related, { fwd_cnt: fw, tx_cnt: pc.tx, ahead, missed: inc });
  pc.aheadMax = ahead;
  captureMissed(ctx, p.attribution, pending, n, inc);
}
