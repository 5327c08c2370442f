// The merged dialect's message machine (ANALYSIS.md 2.5): RWs up to the one with EOM (flag
// bit 0) make a message; EOR (bit 1) on that packet is the message's MSG_EOR.

import type { Conn, Side } from './conn.js';
import type { Context } from './context.js';
import { senderName } from './names.js';
import { closeRecord, msgName } from './records.js';
import { report } from './report.js';

export function eomRw(ctx: Context, c: Conn, s: Side, p: Side, n: number, len: number, flags: number): void {
  if ((flags & 3) === 2) {
    report(ctx, c, s.isA, 'vsock.seq.eor_without_eom', n,
      `RW from ${senderName(c, s.isA)} has EOR (bit 1) without EOM (bit 0); a Linux sender sets EOR only on a message's last packet`, undefined, { flags });
  }
  const r = s.rec;
  if (r.leading) {
    if ((flags & 1) !== 0) r.leading = false; // the first boundary of a mid-connection capture
    return;
  }
  if (!r.open) {
    r.open = true;
    r.first = n;
    r.recv = 0;
    r.eor = false;
  }
  r.recv += len;
  r.last = n;
  if ((flags & 1) === 0) return;
  const pc = p.credit;
  if (pc.seen && r.recv > pc.bufAlloc) {
    report(ctx, c, s.isA, 'vsock.seq.msg_too_big', n,
      `${msgName(s)} ends here with ${r.recv} bytes, more than the receiver's buf_alloc ${pc.bufAlloc} (frame ${pc.creditFrame}); a Linux sender refuses such a message (EMSGSIZE)`,
      [r.first], { length: r.recv, buf_alloc: pc.bufAlloc, first_frame: r.first });
  }
  r.eor = (flags & 2) !== 0;
  closeRecord(ctx, c, s, 'delivered', undefined);
}
