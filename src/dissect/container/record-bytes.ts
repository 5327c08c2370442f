// The bytes of a packet: the view a framer hands out (one per packet, the hottest
// allocation of a pass), and packets over bytes of their own.

import type { CapturedPacket } from './types.js';

/**
 * [start, start + length) of the bytes `view` covers, as a Uint8Array view. Built with the
 * constructor rather than subarray(), whose species lookup costs more than the rest of
 * framing a packet.
 */
export function recordBytes(view: DataView, start: number, length: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + start, length);
}

/** A packet's `data`, `view` and `dataOffset` for bytes that are the packet's own. */
export function packetBytes(data: Uint8Array): Pick<CapturedPacket, 'data' | 'view' | 'dataOffset'> {
  return { data, view: new DataView(data.buffer, data.byteOffset, data.byteLength), dataOffset: 0 };
}

/** `p` with a copy of its bytes: valid after the reader's chunk is reused. */
export function detachedPacket(p: CapturedPacket): CapturedPacket {
  return { ...p, ...packetBytes(p.data.slice()) };
}
