import type { CapturedPacket } from '../../src/dissect/container/types.js';
import { ownView } from '../../src/dissect/container/record-bytes.js';
import { decodeFrame, type DecodedFrame } from '../../src/dissect/decode.js';

export function packet(data: Uint8Array, opts: Partial<CapturedPacket> = {}): CapturedPacket {
  return {
    number: 1, linkType: 271, tsSec: 1_700_000_000, tsNsec: 0, tsDigits: 6, tsResolution: 6,
    capLen: data.length, origLen: data.length, ...ownView(data), offset: 0, interfaceId: 0, snaplen: 0, ...opts,
  };
}

export function decode(data: Uint8Array, opts: Partial<CapturedPacket> = {}): DecodedFrame {
  return decodeFrame(packet(data, opts));
}

export function codes(frame: DecodedFrame): string[] {
  return frame.expert.map((f) => f.code);
}
