// The one-line summary of a frame (`vsockscope read`, the TUI packet list), in the
// spirit of tshark's summary line.

import type { DecodedFrame } from '../decode.js';
import {
  enumName, flagContext, flagNames, MON_OP_NAMES, MON_TRANSPORT_NAMES, VIRTIO_OP_NAMES, VIRTIO_TYPE_NAMES,
} from '../fields.js';
import { formatRelative, type Timestamp } from './time.js';

export interface SummaryColumns {
  readonly number: string;
  readonly time: string;
  readonly source: string;
  readonly destination: string;
  readonly type: string;
  readonly op: string;
  readonly info: string;
  readonly codes: string;
}

/** Everything a packet list shows, as separate columns. `v4Dialect` names RW flag bits as MSG_EOR. */
export function summaryColumns(frame: DecodedFrame, origin: Timestamp, v4Dialect: boolean): SummaryColumns {
  const number = String(frame.number);
  const time = formatRelative(frame, origin);
  let codes = '';
  for (const f of frame.expert) codes += (codes === '' ? '' : ',') + f.code;
  const v = frame.virtio;
  if (v !== undefined) {
    let info = 'len=' + v.len;
    const flags = flagNames(v.flags, flagContext(v.op, v4Dialect));
    if (flags.length > 0) info += ' [' + flags.join(',') + ']';
    else if (v.flags !== 0) info += ' flags=0x' + v.flags.toString(16);
    if (frame.seq !== undefined) info += ' msg_cnt=' + frame.seq.msg_cnt + ' msg_len=' + frame.seq.msg_len;
    info += ' buf_alloc=' + v.buf_alloc + ' fwd_cnt=' + v.fwd_cnt;
    return {
      number, time, codes, info,
      source: v.src_cid + ':' + v.src_port,
      destination: v.dst_cid + ':' + v.dst_port,
      type: enumName(VIRTIO_TYPE_NAMES, v.type),
      op: enumName(VIRTIO_OP_NAMES, v.op),
    };
  }
  const m = frame.vsock;
  if (m !== undefined) {
    return {
      number, time, codes,
      source: m.src_cid + ':' + m.src_port,
      destination: m.dst_cid + ':' + m.dst_port,
      type: 'vsockmon',
      op: enumName(MON_OP_NAMES, m.op),
      info: 'transport=' + enumName(MON_TRANSPORT_NAMES, m.trans) + ' len=' + frame.len,
    };
  }
  return { number, time, codes, source: '?', destination: '?', type: 'frame', op: '-', info: 'len=' + frame.len + ' link_type=' + frame.linkType };
}

export function summaryLine(frame: DecodedFrame, origin: Timestamp, v4Dialect: boolean): string {
  const c = summaryColumns(frame, origin, v4Dialect);
  const line = c.number.padStart(6) + ' ' + c.time.padStart(12) + ' ' + (c.source + ' > ' + c.destination).padEnd(23) +
    ' ' + c.type.padEnd(9) + ' ' + c.op.padEnd(13) + ' ' + c.info;
  return c.codes === '' ? line : line + ' [' + c.codes + ']';
}
