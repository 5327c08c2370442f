// The connection table: every instance in order of its first frame, and the current
// instance of each 4-tuple (either direction), the last one used cached.

import type { Cid, VirtioHeader } from '../dissect/parsers.js';
import type { Conn } from './conn.js';
import { endpoint } from './names.js';

/** Endpoint CIDs up to this value fit a numeric (cid, port) key: cid * 2^32 + port < 2^53. */
const NUMERIC_CID_MAX = 0x1f_ffff;
const TWO32 = 4294967296;

export class ConnTable {
  readonly all: Conn[] = [];
  /** The instance of the latest frame pushed. */
  last: Conn | null = null;
  /** Lower endpoint key -> higher endpoint key -> instance. */
  private readonly slots = new Map<number, Map<number, Conn>>();
  /** 4-tuples with a CID too large for a numeric key. */
  private readonly bigSlots = new Map<string, Conn>();

  /** The current instance of v's 4-tuple, or null. */
  find(v: VirtioHeader): Conn | null {
    const c = this.last;
    if (c !== null && matches(c, v)) return c;
    const k1 = numericKey(v.src_cid, v.src_port);
    const k2 = numericKey(v.dst_cid, v.dst_port);
    if (k1 >= 0 && k2 >= 0) return this.slots.get(k1 < k2 ? k1 : k2)?.get(k1 < k2 ? k2 : k1) ?? null;
    return this.bigSlots.get(bigKey(v)) ?? null;
  }

  /** c, first seen in a frame with header v, becomes the current instance of its 4-tuple. */
  add(c: Conn, v: VirtioHeader): void {
    const k1 = numericKey(v.src_cid, v.src_port);
    const k2 = numericKey(v.dst_cid, v.dst_port);
    if (k1 >= 0 && k2 >= 0) {
      const lo = k1 < k2 ? k1 : k2;
      let inner = this.slots.get(lo);
      if (inner === undefined) this.slots.set(lo, (inner = new Map()));
      inner.set(k1 < k2 ? k2 : k1, c);
    } else {
      this.bigSlots.set(bigKey(v), c);
    }
    this.all.push(c);
  }
}

/** (cid, port) order, CIDs compared numerically (a bigint CID is above every number one). */
export function endpointLess(c1: Cid, p1: number, c2: Cid, p2: number): boolean {
  return c1 < c2 || (c1 === c2 && p1 < p2);
}

function matches(c: Conn, v: VirtioHeader): boolean {
  return (v.src_port === c.aPort && v.dst_port === c.bPort && v.src_cid === c.aCid && v.dst_cid === c.bCid) ||
    (v.src_port === c.bPort && v.dst_port === c.aPort && v.src_cid === c.bCid && v.dst_cid === c.aCid);
}

function numericKey(cid: Cid, port: number): number {
  return typeof cid === 'number' && cid <= NUMERIC_CID_MAX ? cid * TWO32 + port : -1;
}

/** Map key of a 4-tuple with a CID too large for the numeric key: lower endpoint first. */
function bigKey(v: VirtioHeader): string {
  return endpointLess(v.dst_cid, v.dst_port, v.src_cid, v.src_port)
    ? endpoint(v.dst_cid, v.dst_port) + '-' + endpoint(v.src_cid, v.src_port)
    : endpoint(v.src_cid, v.src_port) + '-' + endpoint(v.dst_cid, v.dst_port);
}
