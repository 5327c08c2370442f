// One packet of a live or ended connection instance, in the order the receiver handles it:
// the op's lifecycle step; for data, the connection checks, credit, and the dialect's
// record machine; then the credit values the packet advertises.

import type { DecodedFrame } from '../dissect/decode.js';
import { enumName, OP, TYPE_SEQPACKET, TYPE_STREAM, VIRTIO_OP_NAMES } from '../dissect/fields.js';
import type { VirtioHeader } from '../dissect/parsers.js';
import type { Conn, Side } from './conn.js';
import type { Context } from './context.js';
import { creditAdvertised, dataSent } from './credit.js';
import { D_EOM, dialectForData } from './dialect.js';
import { eomRw } from './eom-messages.js';
import { afterReset, dataChecks, invalidOp, request, reset, response, shutdown, typeMismatch } from './lifecycle.js';
import { senderName } from './names.js';
import { report } from './report.js';
import { recordRw, seqBegin, seqEnd } from './v4-records.js';

export function packet(ctx: Context, c: Conn, fromA: boolean, f: DecodedFrame, v: VirtioHeader): void {
  const st = fromA ? c.d0 : c.d1;
  st.frames++;
  st.bytes += v.len;
  c.lastFrame = f.number;
  c.lastSec = f.tsSec;
  c.lastNsec = f.tsNsec;
  const op = v.op;
  const L = c.live;
  if (L === null) {
    afterReset(ctx, c, fromA, f.number, op);
    return;
  }
  const s = fromA ? L.a : L.b;
  const p = fromA ? L.b : L.a;
  if (v.type !== c.type) typeMismatch(ctx, c, fromA, f.number, v);
  switch (op) {
    case OP.RW:
    case OP.SEQ_BEGIN:
    case OP.SEQ_END:
      data(ctx, c, s, p, f, v);
      break;
    case OP.REQUEST:
      request(ctx, c, fromA, f.number);
      break;
    case OP.RESPONSE:
      response(ctx, c, fromA, f.number);
      break;
    case OP.SHUTDOWN:
      shutdown(ctx, c, s, p, f, v);
      break;
    case OP.RST:
      reset(ctx, c, L, fromA, f);
      return; // an RST ends the instance: no credit processing
    case OP.INVALID:
      invalidOp(ctx, c, fromA, f.number);
      break;
    default:
      break; // CREDIT_UPDATE, CREDIT_REQUEST; unknown ops were reported by the decoder
  }
  creditAdvertised(ctx, c, s, p, f, v);
}

function data(ctx: Context, c: Conn, s: Side, p: Side, f: DecodedFrame, v: VirtioHeader): void {
  const op = v.op;
  const n = f.number;
  const len = v.len;
  dataChecks(ctx, c, s, p, n, op);
  const isRw = op === OP.RW;
  if (isRw && len === 0) {
    report(ctx, c, s.isA, 'vsock.conn.zero_len_rw', n, `RW with len 0 from ${senderName(c, s.isA)} (Linux never sends one)`);
  }
  if (!isRw && c.type === TYPE_STREAM) {
    report(ctx, c, s.isA, 'vsock.conn.unexpected_op', n,
      `${enumName(VIRTIO_OP_NAMES, op)} on a STREAM connection: markers exist only on SEQPACKET; ignored`, undefined, { op });
    return;
  }
  dataSent(ctx, c, s, p, f, len);
  if (c.type !== TYPE_SEQPACKET) {
    if (c.type === TYPE_STREAM && (v.flags & 3) !== 0) {
      report(ctx, c, s.isA, 'vsock.seq.flags_on_stream', n,
        `RW on a STREAM connection with flags 0x${v.flags.toString(16)}: EOM/EOR bits mean something only on SEQPACKET`, undefined, { flags: v.flags });
    }
    return;
  }
  if (dialectForData(c, ctx.forced, isRw) === D_EOM) {
    if (isRw) eomRw(ctx, c, s, p, n, len, v.flags);
    return; // markers under a forced eom dialect are not records
  }
  if (isRw) {
    recordRw(ctx, c, s, n, len, v.flags);
    return;
  }
  const seq = f.seq;
  if (seq === undefined) return; // malformed marker (vsock.malformed.seq_hdr): ignored by reassembly
  if (op === OP.SEQ_BEGIN) seqBegin(ctx, c, s, n, seq.msg_cnt, seq.msg_len);
  else seqEnd(ctx, c, s, n, seq.msg_cnt, seq.msg_len);
}
