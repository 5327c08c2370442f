// The summary line's Source > Destination column, remembered by 4-tuple: a capture has
// few of them, and copying the column's bytes costs far less than writing four numbers.

import type { Cid } from '../parsers.js';
import { TextPiece, type ByteText } from './text.js';

/** Direct-mapped: a 4-tuple's slot is its hash's; a newer tuple takes it over. */
const SLOT_BITS = 10;
/** A slot holds a column of up to this many bytes; a longer one is not remembered. */
const SLOT_BYTES = 48;

/** A slot's column, rewritten in place (no allocation) when another 4-tuple takes the slot over. */
interface Slot {
  /** Length 0: nothing remembered. */
  readonly piece: TextPiece;
  /** The piece's words as bytes. */
  readonly bytes: Uint8Array;
}

function emptySlot(): Slot {
  const words = new Uint32Array(SLOT_BYTES / 4);
  return { piece: new TextPiece(0, words), bytes: new Uint8Array(words.buffer) };
}

export class EndpointColumnCache {
  private readonly keys = new Float64Array(4 << SLOT_BITS);
  private readonly slots: (Slot | null)[] = new Array<Slot | null>(1 << SLOT_BITS).fill(null);
  /** The slot find() last missed in, -1: none. */
  private missed = -1;

  /** The column of this 4-tuple, or null: then write it and remember() it. bigint CIDs are never remembered. */
  find(srcCid: Cid, srcPort: number, dstCid: Cid, dstPort: number): TextPiece | null {
    this.missed = -1;
    if (typeof srcCid !== 'number' || typeof dstCid !== 'number') return null;
    const h = Math.imul(srcCid ^ Math.imul(srcPort, 0x9e3779b1), 0x85ebca77) ^ Math.imul(dstCid ^ Math.imul(dstPort, 0xc2b2ae35), 0x27d4eb2f);
    const i = h >>> (32 - SLOT_BITS);
    const k = this.keys;
    const at = 4 * i;
    const slot = this.slots[i]!;
    if (slot !== null && slot.piece.length > 0 && k[at] === srcCid && k[at + 1] === srcPort && k[at + 2] === dstCid && k[at + 3] === dstPort) return slot.piece;
    k[at] = srcCid;
    k[at + 1] = srcPort;
    k[at + 2] = dstCid;
    k[at + 3] = dstPort;
    if (slot !== null) slot.piece.length = 0;
    this.missed = i;
    return null;
  }

  /** What `t` holds since `start` is the column of the 4-tuple find() last missed. */
  remember(t: ByteText, start: number): void {
    const i = this.missed;
    this.missed = -1;
    const n = t.pos - start;
    if (i < 0 || n > SLOT_BYTES) return;
    const slot = (this.slots[i] ??= emptySlot());
    const from = t.bytes;
    for (let j = 0; j < n; j++) slot.bytes[j] = from[start + j]!;
    slot.piece.length = n;
  }
}
