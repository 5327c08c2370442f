// The view a framer hands out as a packet's bytes: one per packet, the hottest allocation
// of a pass.

/**
 * [start, start + length) of the bytes `view` covers, as a Uint8Array view. Built with the
 * constructor rather than subarray(), whose species lookup costs more than the rest of
 * framing a packet.
 */
export function recordBytes(view: DataView, start: number, length: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + start, length);
}
