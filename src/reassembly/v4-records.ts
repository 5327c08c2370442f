// The RFC v4 record machine (ANALYSIS.md 2.4), and its v7 option: records delimited by
// SEQ_BEGIN/SEQ_END markers whose counters step by 2 per record (v7: by 1, the SEQ_END
// repeating its SEQ_BEGIN's).

import { plural } from '../dissect/present/words.js';
import type { Conn, Side } from './conn.js';
import type { Context } from './context.js';
import { D_V7 } from './dialect.js';
import { openLoss } from './loss.js';
import { endRun, orphan } from './orphans.js';
import { closeRecord, emitRecord, recName } from './records.js';
import { report } from './report.js';

/** At most this many `lost` records are emitted for one counter gap (the index still advances by the whole gap). */
export const LOST_RECORDS_CAP = 4096;

export function recordRw(ctx: Context, c: Conn, s: Side, n: number, len: number, flags: number): void {
  const r = s.rec;
  if (r.open) {
    r.recv += len;
    r.last = n;
    if ((flags & 1) !== 0) r.eor = true;
  } else if (!r.leading) {
    orphan(ctx, c, s, n, len, -1, flags);
  }
}

export function seqBegin(ctx: Context, c: Conn, s: Side, n: number, cnt: number, mlen: number): void {
  const r = s.rec;
  const step = c.dialect === D_V7 ? 1 : 2;
  const cut = r.open;
  let expected = -1;
  if (cut) {
    expected = (r.cnt + step) >>> 0;
    openLoss(ctx, c, s, 'vsock.seq.lost_end', n,
      `SEQ_END for ${recName(s)} never arrived: SEQ_BEGIN msg_cnt=${cnt} started a new record.`,
      [r.first], { msg_cnt: r.cnt, msg_len: r.len, received: r.recv, begin_frame: r.first }, 8, null);
  } else {
    if (r.run !== null) endRun(ctx, c, s);
    if (r.leading) r.leading = false;
    else if (r.m >= 0) expected = (r.m + 1) >>> 0;
    else if (c.countFromZero) expected = 0;
  }
  let lost = 0;
  if (expected >= 0 && cnt !== expected) {
    const basis = cut ? `the open record's msg_cnt=${r.cnt} + ${step}`
      : r.m >= 0 ? `after SEQ_${r.mEnd ? 'END' : 'BEGIN'} msg_cnt=${r.m} at frame ${r.mFrame}`
      : 'the first record of a connection whose handshake was captured';
    const d = (cnt - expected) | 0;
    const related = r.mFrame > 0 ? [r.mFrame] : undefined;
    if (d > 0 && d % step === 0) {
      lost = d / step;
      openLoss(ctx, c, s, 'vsock.seq.cnt_gap', n,
        `SEQ_BEGIN msg_cnt=${cnt}, expected ${expected} (${basis}): ${plural(lost, 'whole record')} (msg_cnt ${counterList(expected, step, lost)}) never arrived.`,
        related ?? [], { expected, got: cnt, lost_records: lost }, lost * 16, null);
    } else {
      report(ctx, c, s.isA, 'vsock.seq.cnt_gap', n,
        `SEQ_BEGIN msg_cnt=${cnt}, expected ${expected} (${basis}): the sender's counter is out of step (${d < 0 ? `${-d} behind` : `${d} ahead, not a whole number of records`})`,
        related, { expected, got: cnt });
    }
  }
  if (cut) closeRecord(ctx, c, s, 'dropped', 'vsock.seq.lost_end');
  if (lost > 0) lostRecords(ctx, c, s, expected, step, lost);
  r.open = true;
  r.cnt = cnt;
  r.len = mlen;
  r.first = n;
  r.last = n;
  r.recv = 0;
  r.eor = false;
  r.m = cnt;
  r.mFrame = n;
  r.mEnd = false;
}

export function seqEnd(ctx: Context, c: Conn, s: Side, n: number, cnt: number, mlen: number): void {
  const r = s.rec;
  const v7 = c.dialect === D_V7;
  if (mlen !== 0) {
    report(ctx, c, s.isA, 'vsock.seq.end_len_nonzero', n, `SEQ_END msg_cnt=${cnt} carries msg_len ${mlen}; it should be 0`, undefined, { msg_len: mlen });
  }
  if (r.open) {
    r.last = n;
    const expEnd = v7 ? r.cnt : (r.cnt + 1) >>> 0;
    const cntBad = cnt !== expEnd;
    const lenBad = r.recv !== r.len;
    if (cntBad) {
      const owner = v7 ? cnt : (cnt - 1) >>> 0;
      report(ctx, c, s.isA, 'vsock.seq.cnt_mismatch', n,
        `SEQ_END msg_cnt=${cnt} does not close ${recName(s)}: expected msg_cnt=${expEnd}; it is the SEQ_END of record msg_cnt=${owner}, so the receiver drops the record silently (the application never learns)`,
        [r.first], { expected: expEnd, got: cnt, msg_cnt: r.cnt });
    }
    if (lenBad) {
      const details = { expected: r.len, received: r.recv, msg_cnt: r.cnt };
      if (r.recv < r.len) {
        const missing = r.len - r.recv;
        openLoss(ctx, c, s, 'vsock.seq.len_mismatch', n,
          `${recName(s)} ended by SEQ_END msg_cnt=${cnt}: ${plural(missing, 'byte')} of its RW data never arrived.`,
          [r.first], details, missing, null);
      } else {
        report(ctx, c, s.isA, 'vsock.seq.len_mismatch', n,
          `${recName(s)} ended by SEQ_END msg_cnt=${cnt}: ${r.recv - r.len} bytes more than SEQ_BEGIN declared arrived, so the receiver drops the record silently (the application never learns)`,
          [r.first], details);
      }
    }
    if (cntBad) closeRecord(ctx, c, s, 'dropped', 'vsock.seq.cnt_mismatch');
    else if (lenBad) closeRecord(ctx, c, s, 'dropped', 'vsock.seq.len_mismatch');
    else closeRecord(ctx, c, s, 'delivered', undefined);
  } else if (r.leading) {
    r.leading = false;
  } else {
    orphan(ctx, c, s, n, 0, cnt, 0);
  }
  r.m = cnt;
  r.mFrame = n;
  r.mEnd = true;
}

function lostRecords(ctx: Context, c: Conn, s: Side, first: number, step: number, n: number): void {
  const emitted = Math.min(n, LOST_RECORDS_CAP);
  for (let i = 0; i < emitted; i++) {
    emitRecord(ctx, c, s, 'lost', 'vsock.seq.cnt_gap', (first + i * step) >>> 0, null, 0, null, null, false);
  }
  s.rec.index += n - emitted;
}

/** Counters first, first + step, ... (n of them), elided past 4. */
function counterList(first: number, step: number, n: number): string {
  if (n <= 4) {
    const parts: number[] = [];
    for (let i = 0; i < n; i++) parts.push((first + i * step) >>> 0);
    return parts.join(', ');
  }
  return `${first}, ${(first + step) >>> 0}, ..., ${(first + (n - 1) * step) >>> 0}`;
}
