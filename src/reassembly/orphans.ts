// Orphans: packets of a direction arriving while no record is open (v4/v7). Consecutive
// ones form a run, reported once, as a vsock.seq.lost_begin, when the run ends; the RWs up
// to an orphan SEQ_END, or to the end of the run, make one orphan record (decision 7).

import type { Conn, Side } from './conn.js';
import type { Context } from './context.js';
import { D_V7 } from './dialect.js';
import { openRun, runEnded } from './loss.js';
import { emitRecord } from './records.js';

/** An RW (endCnt -1) or SEQ_END arriving while no record is open. */
export function orphan(ctx: Context, c: Conn, s: Side, n: number, bytes: number, endCnt: number, flags: number): void {
  const r = s.rec;
  let run = r.run;
  if (run === null) run = r.run = openRun(ctx, c, s, n);
  run.frames++;
  run.bytes += bytes;
  run.last = n;
  if (!r.orphOpen) {
    r.orphOpen = true;
    r.orphFirst = n;
    r.orphBytes = 0;
    r.orphEor = false;
  }
  r.orphBytes += bytes;
  if ((flags & 1) !== 0) r.orphEor = true;
  r.orphLast = n;
  if (endCnt >= 0) {
    const owner = c.dialect === D_V7 ? endCnt : (endCnt - 1) >>> 0;
    if (run.endCnt < 0) run.endCnt = owner;
    r.orphOpen = false;
    emitRecord(ctx, c, s, 'orphan', 'vsock.seq.lost_begin', owner, null, r.orphBytes, r.orphFirst, n, r.orphEor);
  }
}

/** The run of orphans ends (a SEQ_BEGIN, the side closing, the capture ending). */
export function endRun(ctx: Context, c: Conn, s: Side): void {
  const r = s.rec;
  const run = r.run!;
  r.run = null;
  if (r.orphOpen) {
    r.orphOpen = false;
    emitRecord(ctx, c, s, 'orphan', 'vsock.seq.lost_begin', null, null, r.orphBytes, r.orphFirst, r.orphLast, r.orphEor);
  }
  runEnded(ctx, run);
}
