// A packet's captured bytes, as the reader delivers them: a range of the DataView over
// its chunk, not a Uint8Array per packet (whose allocation cost as much as decoding the
// headers, for bytes most passes never look at).

import type { CapturedPacket } from './types.js';

/** Where a packet's captured bytes are: view's [dataOffset, dataOffset + capLen). */
export interface CapturedBytes {
  readonly view: DataView;
  readonly dataOffset: number;
  readonly capLen: number;
}

/**
 * The captured bytes as a Uint8Array view (no copy: valid as long as the view's bytes
 * are). Built with the constructor rather than subarray(), whose species lookup costs
 * more than the rest of the call.
 */
export function bytesOf(r: CapturedBytes): Uint8Array {
  const view = r.view;
  return new Uint8Array(view.buffer, view.byteOffset + r.dataOffset, r.capLen);
}

/** The `view` and `dataOffset` of bytes that are the packet's own (a copy, or built by hand). */
export function ownView(data: Uint8Array): { view: DataView; dataOffset: number } {
  return { view: new DataView(data.buffer, data.byteOffset, data.byteLength), dataOffset: 0 };
}

/** Moves r's bytes into a buffer of their own: they stay valid after the reader's chunk is reused. */
export function keepBytes(r: { view: DataView; dataOffset: number; readonly capLen: number }): void {
  const own = ownView(bytesOf(r).slice());
  r.view = own.view;
  r.dataOffset = own.dataOffset;
}

/** `p` with a copy of its bytes (and an object of its own): valid after the reader's chunk is reused. */
export function detachedPacket(p: CapturedPacket): CapturedPacket {
  const copy = { ...p };
  keepBytes(copy);
  return copy;
}
