// Builds vsockmon frames from header values, laid out by the same field table the
// decoder uses. For test captures, `synth` and the benchmark generator.

import { expectedMonOps, isMarkerOp, SEQ_HEADER, TRANSPORT_VIRTIO, VIRTIO_HEADER, VSOCKMON_HEADER, type HeaderDef } from './fields.js';
import type { Cid, SeqHeader, VirtioHeader, VsockmonHeader } from './parsers.js';

function encodeHeader(header: HeaderDef, values: object, into: Uint8Array, at: number): void {
  const view = new DataView(into.buffer, into.byteOffset + at, header.size);
  const record = values as Record<string, number | bigint | undefined>;
  for (const f of header.fields) {
    const v = record[f.key] ?? 0;
    if (f.type === 'u64') view.setBigUint64(f.offset, BigInt(v), true);
    else if (f.type === 'u32') view.setUint32(f.offset, Number(v), true);
    else view.setUint16(f.offset, Number(v), true);
  }
}

export interface FrameSpec {
  /** The virtio header; `len` defaults to the payload's length. */
  readonly virtio: Omit<VirtioHeader, 'len'> & { len?: number };
  /** Marker payload for SEQ_BEGIN/SEQ_END; written as the 8-byte payload when no `payload` is given. */
  readonly seq?: SeqHeader;
  readonly payload?: Uint8Array;
  /** Overrides of the vsockmon header, which otherwise mirrors the virtio header as the kernel writes it. */
  readonly vsock?: Partial<VsockmonHeader>;
}

function vsockmonFor(v: { src_cid: Cid; dst_cid: Cid; src_port: number; dst_port: number; op: number }): VsockmonHeader {
  return {
    src_cid: v.src_cid, dst_cid: v.dst_cid, src_port: v.src_port, dst_port: v.dst_port,
    op: expectedMonOps(v.op)[0]!, trans: TRANSPORT_VIRTIO, trans_len: VIRTIO_HEADER.size, reserved: 0,
  };
}

export function encodeFrame(spec: FrameSpec): Uint8Array {
  let payload = spec.payload;
  if (payload === undefined && spec.seq !== undefined && isMarkerOp(spec.virtio.op)) {
    payload = new Uint8Array(SEQ_HEADER.size);
    encodeHeader(SEQ_HEADER, spec.seq, payload, 0);
  }
  payload ??= new Uint8Array(0);
  const mon = { ...vsockmonFor(spec.virtio), ...spec.vsock };
  const out = new Uint8Array(VSOCKMON_HEADER.size + mon.trans_len + payload.length);
  encodeHeader(VSOCKMON_HEADER, mon, out, 0);
  if (mon.trans_len >= VIRTIO_HEADER.size) {
    encodeHeader(VIRTIO_HEADER, { ...spec.virtio, len: spec.virtio.len ?? payload.length }, out, VSOCKMON_HEADER.size);
  }
  out.set(payload, VSOCKMON_HEADER.size + mon.trans_len);
  return out;
}
