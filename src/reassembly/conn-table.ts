// The connection table: every instance in order of its first frame, and the current
// instance of each 4-tuple (either direction), the last one used cached. Current instances
// are found through a hash table of their own: slots indexed by a small-integer hash of
// the unordered 4-tuple, each a chain through Conn.tableNext, doubled past one instance per
// two slots. A lookup allocates and converts nothing.

import type { Cid, VirtioHeader } from '../dissect/parsers.js';
import type { Conn } from './conn.js';
import { TupleStreams } from './records.js';

const INITIAL_SLOTS = 256;

export class ConnTable {
  readonly all: Conn[] = [];
  /** The instance of the latest frame pushed. */
  last: Conn | null = null;
  /** Chain heads, a power of two of them; replaced as the table grows. */
  private slots: (Conn | null)[] = [];
  /** Current instances (one per 4-tuple seen). */
  private current = 0;

  constructor() {
    // Stored a second time so that V8 does not take the field for a constant (it compiles
    // code that reads a field stored only once as if it were one, and throws that code away
    // when the field is stored again): the engine's optimised code for every frame would go
    // at the first grow(). `check` on the bench capture: 10 ms less (medians of 11 runs).
    this.slots = emptySlots(INITIAL_SLOTS);
  }

  /** The current instance of v's 4-tuple, or null. */
  find(v: VirtioHeader): Conn | null {
    const c = this.last;
    if (c !== null && matches(c, v)) return c;
    const slots = this.slots;
    let e: Conn | null = slots[tupleHash(v.src_cid, v.src_port, v.dst_cid, v.dst_port) & (slots.length - 1)]!;
    while (e !== null && !matches(e, v)) e = e.tableNext;
    return e;
  }

  /** c, first seen in a frame with header v, becomes the current instance of its 4-tuple. */
  add(c: Conn, v: VirtioHeader): void {
    const slots = this.slots;
    const i = tupleHash(v.src_cid, v.src_port, v.dst_cid, v.dst_port) & (slots.length - 1);
    let prev: Conn | null = null;
    let e: Conn | null = slots[i]!;
    while (e !== null && !matches(e, v)) {
      prev = e;
      e = e.tableNext;
    }
    if (e === null) {
      c.tableNext = slots[i]!;
      slots[i] = c;
      if (++this.current * 2 > slots.length) this.grow();
    } else {
      // c takes the place of the 4-tuple's previous instance in the chain.
      c.tuple = e.tuple ??= new TupleStreams();
      c.tableNext = e.tableNext;
      e.tableNext = null;
      if (prev === null) slots[i] = c;
      else prev.tableNext = c;
    }
    this.all.push(c);
  }

  private grow(): void {
    const old = this.slots;
    const slots = emptySlots(old.length * 2);
    const mask = slots.length - 1;
    for (let e of old) {
      while (e !== null) {
        const next = e.tableNext;
        const i = tupleHash(e.aCid, e.aPort, e.bCid, e.bPort) & mask;
        e.tableNext = slots[i]!;
        slots[i] = e;
        e = next;
      }
    }
    this.slots = slots;
  }
}

function emptySlots(n: number): (Conn | null)[] {
  return Array.from({ length: n }, () => null);
}

function matches(c: Conn, v: VirtioHeader): boolean {
  return (v.src_port === c.aPort && v.dst_port === c.bPort && v.src_cid === c.aCid && v.dst_cid === c.bCid) ||
    (v.src_port === c.bPort && v.dst_port === c.aPort && v.src_cid === c.bCid && v.dst_cid === c.aCid);
}

/** A small integer, the same for both directions of a 4-tuple. */
function tupleHash(cid1: Cid, port1: number, cid2: Cid, port2: number): number {
  const h = endpointHash(cid1, port1) + endpointHash(cid2, port2);
  return Math.imul(h ^ (h >>> 16), 0x45d9_f3b) & 0x3fff_ffff;
}

/** Low 32 bits of a number CID (all bigint CIDs, 2^53 and above, share one value) mixed with the port. */
function endpointHash(cid: Cid, port: number): number {
  const low = typeof cid === 'number' ? cid >>> 0 : 1;
  return Math.imul(low, 0x9e37_79b1) ^ Math.imul(port, 0x85eb_ca77);
}
