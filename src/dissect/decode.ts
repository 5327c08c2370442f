// Frame decoder: one captured packet in, its headers and frame-level findings
// (ANALYSIS.md 2.1) out. Stateless; knows nothing of connections.

import type { CapturedPacket } from './container/types.js';
import { LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_VSOCK } from './container/types.js';
import {
  enumName, isMarkerOp, MON_OP_NAMES, monOpExpected, MON_TRANSPORT_NAMES, OP, SEQ_HEADER,
  TRANSPORT_VIRTIO, TYPE_SEQPACKET, TYPE_STREAM, VIRTIO_HEADER, VIRTIO_OP_NAMES, VSOCKMON_HEADER,
} from './fields.js';
import { finding, type Finding } from './findings.js';
import {
  fillSeqHeader, fillVirtioHeader, fillVsockmonHeader, readSeqHeader, readVirtioHeader, readVsockmonHeader,
  type SeqHeader, type VirtioHeader, type VsockmonHeader,
} from './parsers.js';

export interface DecodedFrame {
  readonly number: number;
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly tsDigits: number;
  /** As the capture stored it (CapturedPacket.tsResolution). */
  readonly tsResolution: number;
  /** Original (wire) length and captured length of the whole link-layer frame. */
  readonly len: number;
  readonly capLen: number;
  readonly linkType: number;
  /** Byte offset of the frame's record in the capture file. */
  readonly offset: number;
  /**
   * The captured link-layer bytes are view's [dataOffset, dataOffset + capLen) (bytesOf()
   * gives them): the reader's chunk, valid only while it is, unless keepBytes() moved them.
   */
  view: DataView;
  dataOffset: number;
  /** Where af_vsockmon_hdr starts in the captured bytes (after a Linux cooked header, if any); -1: not vsock. */
  readonly vsockOffset: number;
  readonly vsock?: VsockmonHeader;
  readonly virtio?: VirtioHeader;
  readonly seq?: SeqHeader;
  /** Where the payload after the transport header starts in the captured bytes, and how much of it was captured. */
  readonly payloadOffset: number;
  readonly payloadCaptured: number;
  /** Findings attached to this frame. The decoder fills the frame-level ones; later stages may add. */
  readonly expert: Finding[];
}

const ARPHRD_VSOCKMON = 826;
const MON_SIZE = VSOCKMON_HEADER.size;
const VIRTIO_SIZE = VIRTIO_HEADER.size;
const SEQ_SIZE = SEQ_HEADER.size;

/** Offset of af_vsockmon_hdr for the link types that carry vsockmon frames, else -1. */
function vsockOffsetFor(p: CapturedPacket): number {
  const linkType = p.linkType;
  if (linkType === LINKTYPE_VSOCK) return 0;
  // Linux "any" captures: SLL has ARPHRD at bytes 2-3, SLL2 at bytes 8-9 (big-endian).
  if (linkType === LINKTYPE_LINUX_SLL && p.capLen >= 16 && p.view.getUint16(p.dataOffset + 2, false) === ARPHRD_VSOCKMON) return 16;
  if (linkType === LINKTYPE_LINUX_SLL2 && p.capLen >= 20 && p.view.getUint16(p.dataOffset + 8, false) === ARPHRD_VSOCKMON) return 20;
  return -1;
}

function addrEqual(mon: VsockmonHeader, v: VirtioHeader): boolean {
  return mon.src_cid === v.src_cid && mon.dst_cid === v.dst_cid && mon.src_port === v.src_port && mon.dst_port === v.dst_port;
}

/** A frame of its own, with header objects of its own: keep it as long as you like. */
export function decodeFrame(p: CapturedPacket): DecodedFrame {
  return decode(p, undefined);
}

type Slot = { -readonly [K in keyof DecodedFrame]: DecodedFrame[K] };

/** A frame object and its header objects, which a FrameDecoder fills again and again. */
interface Reused {
  readonly frame: Slot;
  readonly vsock: VsockmonHeader;
  readonly virtio: VirtioHeader;
  readonly seq: SeqHeader;
}

const NO_BYTES = new DataView(new ArrayBuffer(64));

function reusable(): Reused {
  // Objects of the shapes decodeFrame's have, so that code sees one shape of each.
  const frame = decodeFrame({
    number: 0, linkType: 0, tsSec: 0, tsNsec: 0, tsDigits: 0, tsResolution: 0, capLen: 0, origLen: 0,
    view: NO_BYTES, dataOffset: 0, offset: 0, interfaceId: 0, snaplen: 0, comments: undefined,
  }) as Slot;
  return { frame, vsock: readVsockmonHeader(NO_BYTES, 0), virtio: readVirtioHeader(NO_BYTES, 0), seq: readSeqHeader(NO_BYTES, 0) };
}

/**
 * Decodes into reused objects, like gopacket's DecodingLayerParser: a pass that lets
 * each frame go before the next but one spares the allocation of a frame, its headers
 * and its expert list (most of what a pass allocates). decode() returns one of two
 * frames in turn: a frame stays valid while the next one is decoded (the pipeline holds
 * one back), and is overwritten by the one after.
 */
export class FrameDecoder {
  private readonly slots: readonly [Reused, Reused] = [reusable(), reusable()];
  private turn = 0;

  decode(p: CapturedPacket): DecodedFrame {
    this.turn ^= 1;
    return decode(p, this.slots[this.turn]!);
  }
}

function decode(p: CapturedPacket, into: Reused | undefined): DecodedFrame {
  const capLen = p.capLen;
  const n = p.number;
  let expert: Finding[];
  if (into === undefined) expert = [];
  else {
    expert = into.frame.expert;
    // Most frames have no findings: only an emptied list is written (a length store is a runtime call).
    if (expert.length !== 0) expert.length = 0;
  }
  let vsock: VsockmonHeader | undefined;
  let virtio: VirtioHeader | undefined;
  let seq: SeqHeader | undefined;
  let payloadOffset = capLen;

  if (p.capLen < p.origLen) {
    expert.push(finding('frame.snaplen_truncated', n, `only ${p.capLen} of ${p.origLen} bytes captured (snaplen)`));
  }
  const base = vsockOffsetFor(p);
  if (base < 0) {
    expert.push(finding('frame.not_vsock', n, `link type ${p.linkType} does not carry vsockmon frames; not decoded`, { details: { link_type: p.linkType } }));
  } else if (p.origLen - base < MON_SIZE || capLen - base < MON_SIZE) {
    expert.push(finding('vsock.malformed.short_frame', n, `${p.origLen - base} bytes: too short for the ${MON_SIZE}-byte vsockmon header`));
  } else {
    // Headers are read through the reader's view: the frame's byte i is at view offset at0 + i.
    const view = p.view;
    const at0 = p.dataOffset;
    vsock = into === undefined ? readVsockmonHeader(view, at0 + base) : fillVsockmonHeader(into.vsock, view, at0 + base);
    payloadOffset = base + MON_SIZE + vsock.trans_len;
    const wireBody = p.origLen - base - MON_SIZE;
    if (wireBody < vsock.trans_len) {
      expert.push(finding('vsock.malformed.short_frame', n, `vsockmon header declares a ${vsock.trans_len}-byte transport header but only ${wireBody} bytes follow`));
      payloadOffset = capLen;
    }
    if (vsock.trans !== TRANSPORT_VIRTIO) {
      expert.push(finding('vsock.malformed.unknown_transport', n, `transport ${enumName(MON_TRANSPORT_NAMES, vsock.trans)}: no virtio header decoded`, { details: { trans: vsock.trans } }));
    } else {
      if (vsock.trans_len !== VIRTIO_SIZE) {
        expert.push(finding('vsock.malformed.trans_len', n, `transport VIRTIO with header length ${vsock.trans_len}, expected ${VIRTIO_SIZE}`, { details: { trans_len: vsock.trans_len } }));
      }
      const at = base + MON_SIZE;
      if (vsock.trans_len >= VIRTIO_SIZE && capLen - at >= VIRTIO_SIZE) {
        virtio = into === undefined ? readVirtioHeader(view, at0 + at) : fillVirtioHeader(into.virtio, view, at0 + at);
        if (checkVirtio(n, vsock, virtio, p.origLen - payloadOffset, expert) && capLen - payloadOffset >= SEQ_SIZE) {
          seq = into === undefined ? readSeqHeader(view, at0 + payloadOffset) : fillSeqHeader(into.seq, view, at0 + payloadOffset);
        }
      }
    }
  }
  const payloadCaptured = Math.max(0, capLen - payloadOffset);
  if (into === undefined) {
    return {
      number: n, tsSec: p.tsSec, tsNsec: p.tsNsec, tsDigits: p.tsDigits, tsResolution: p.tsResolution, len: p.origLen, capLen,
      linkType: p.linkType, offset: p.offset, view: p.view, dataOffset: p.dataOffset, vsockOffset: base, vsock, virtio, seq,
      payloadOffset, payloadCaptured, expert,
    };
  }
  const f = into.frame;
  f.number = n;
  f.tsSec = p.tsSec;
  f.tsNsec = p.tsNsec;
  f.tsDigits = p.tsDigits;
  f.tsResolution = p.tsResolution;
  f.len = p.origLen;
  f.capLen = capLen;
  f.linkType = p.linkType;
  f.offset = p.offset;
  f.view = p.view;
  f.dataOffset = p.dataOffset;
  f.vsockOffset = base;
  f.vsock = vsock;
  f.virtio = virtio;
  f.seq = seq;
  f.payloadOffset = payloadOffset;
  f.payloadCaptured = payloadCaptured;
  return f;
}

/** The virtio-level checks of ANALYSIS.md 2.1; returns whether the frame is a marker with a valid marker header length. */
function checkVirtio(n: number, mon: VsockmonHeader, v: VirtioHeader, wirePayload: number, expert: Finding[]): boolean {
  if (!addrEqual(mon, v)) {
    expert.push(finding('vsock.malformed.addr_mismatch', n,
      `vsockmon addresses ${mon.src_cid}:${mon.src_port} > ${mon.dst_cid}:${mon.dst_port} differ from the virtio header's ${v.src_cid}:${v.src_port} > ${v.dst_cid}:${v.dst_port}`));
  }
  if (!monOpExpected(v.op, mon.op)) {
    expert.push(finding('vsock.malformed.op_mismatch', n,
      `vsockmon op ${enumName(MON_OP_NAMES, mon.op)} does not match virtio op ${enumName(VIRTIO_OP_NAMES, v.op)}`, { details: { mon_op: mon.op, virtio_op: v.op } }));
  }
  if (v.type !== TYPE_STREAM && v.type !== TYPE_SEQPACKET) {
    expert.push(finding('vsock.malformed.unknown_type', n, `unknown socket type ${v.type}`, { details: { type: v.type } }));
  }
  if (v.op > OP.SEQ_END) {
    expert.push(finding('vsock.malformed.unknown_op', n, `unknown virtio op ${v.op}`, { details: { op: v.op } }));
  }
  if (wirePayload !== v.len) {
    expert.push(finding('vsock.malformed.payload_len', n,
      `header says ${v.len} payload bytes but the frame carries ${wirePayload}; reassembly uses the header's ${v.len}`, { details: { len: v.len, captured: wirePayload } }));
  }
  if (!isMarkerOp(v.op)) return false;
  if (v.len !== SEQ_SIZE) {
    expert.push(finding('vsock.malformed.seq_hdr', n,
      `${enumName(VIRTIO_OP_NAMES, v.op)} with len ${v.len}, expected ${SEQ_SIZE}: marker ignored`, { details: { len: v.len } }));
    return false;
  }
  return true;
}
