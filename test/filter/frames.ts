// Frames for the display-filter tests, built with the real encoder and decoder.

import { ownView } from '../../src/dissect/container/record-bytes.js';
import type { CapturedPacket } from '../../src/dissect/container/types.js';
import { decodeFrame, type DecodedFrame } from '../../src/dissect/decode.js';
import { encodeFrame, type FrameSpec } from '../../src/dissect/encode.js';
import { OP, TYPE_SEQPACKET } from '../../src/dissect/fields.js';
import type { Cid } from '../../src/dissect/parsers.js';

export interface PacketOpts {
  number?: number;
  tsSec?: number;
  tsNsec?: number;
  linkType?: number;
  /** Captured bytes kept (default: all). */
  capLen?: number;
}

export function decode(data: Uint8Array, o: PacketOpts = {}): DecodedFrame {
  const capLen = o.capLen ?? data.length;
  const p: CapturedPacket = {
    number: o.number ?? 1, linkType: o.linkType ?? 271, tsSec: o.tsSec ?? 1700000000, tsNsec: o.tsNsec ?? 0, tsDigits: 6, tsResolution: 6,
    capLen, origLen: data.length, ...ownView(data.subarray(0, capLen)), offset: 0, interfaceId: 0, snaplen: 0,
  };
  return decodeFrame(p);
}

export interface VirtioOpts {
  op: number;
  flags?: number;
  type?: number;
  src_cid?: Cid;
  dst_cid?: Cid;
  len?: number;
  payload?: Uint8Array;
  seq?: { msg_cnt: number; msg_len: number };
  vsock?: FrameSpec['vsock'];
}

/** A frame from 1025 on CID 3 to port 5000 on CID 2 (the host). */
export function virtioFrame(v: VirtioOpts, o: PacketOpts = {}): DecodedFrame {
  return decode(encodeFrame({
    virtio: {
      src_cid: v.src_cid ?? 3, dst_cid: v.dst_cid ?? 2, src_port: 1025, dst_port: 5000, len: v.len,
      type: v.type ?? TYPE_SEQPACKET, op: v.op, flags: v.flags ?? 0, buf_alloc: 262144, fwd_cnt: 4096,
    },
    payload: v.payload, seq: v.seq, vsock: v.vsock,
  }), o);
}

export const rw = (flags = 0, o: PacketOpts = {}): DecodedFrame => virtioFrame({ op: OP.RW, flags, payload: new Uint8Array(16) }, o);
export const shutdown = (flags: number): DecodedFrame => virtioFrame({ op: OP.SHUTDOWN, flags });
export const seqBegin = (msg_cnt = 6, msg_len = 4096, flags = 0): DecodedFrame =>
  virtioFrame({ op: OP.SEQ_BEGIN, seq: { msg_cnt, msg_len }, flags });
/** A vsockmon frame with a non-virtio transport: vsock header only. */
export const noVirtio = (): DecodedFrame => virtioFrame({ op: OP.RW, vsock: { trans: 1, trans_len: 0 } });
/** A frame on a link type that carries no vsockmon header. */
export const notVsock = (): DecodedFrame => decode(new Uint8Array(60), { linkType: 1 });
