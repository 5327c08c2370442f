// How endpoints are ordered, and how they, connection instances and their directions are
// written in findings and records. An instance's strings are built on first use and kept
// with it while it is live. An ended instance is kept for the whole run, so its RST drops
// them (lifecycle.ts) and a snapshot of it builds them without keeping them (summary.ts);
// a later finding about it builds them again.

import type { Cid } from '../dissect/parsers.js';
import type { Conn } from './conn.js';

export function endpoint(cid: Cid, port: number): string {
  return cid + ':' + port;
}

/** (cid, port) order, CIDs compared numerically (a bigint CID is above every number one). */
export function endpointLess(c1: Cid, p1: number, c2: Cid, p2: number): boolean {
  return c1 < c2 || (c1 === c2 && p1 < p2);
}

/** The strings naming one connection instance (endpoint A is its first frame's sender). */
export class ConnNames {
  /** `"<cid>:<port>"` of A and of B. */
  readonly a: string;
  readonly b: string;
  /** `"<A>-<B>"`. */
  readonly id: string;
  /** `"<A>><B>"` and `"<B>><A>"`: the directions sent by A and by B. */
  readonly ab: string;
  readonly ba: string;

  constructor(c: Conn) {
    const a = endpoint(c.aCid, c.aPort);
    const b = endpoint(c.bCid, c.bPort);
    this.a = a;
    this.b = b;
    this.id = a + '-' + b;
    this.ab = a + '>' + b;
    this.ba = b + '>' + a;
  }
}

/** c's names, built and kept with it on first use. */
export function namesOf(c: Conn): ConnNames {
  return c.names ?? (c.names = new ConnNames(c));
}

/** `"<cid>:<port>-<cid>:<port>"`, endpoint A first. */
export function connId(c: Conn): string {
  return namesOf(c).id;
}

/** `"<src_cid>:<src_port>><dst_cid>:<dst_port>"` of the direction sent by A (fromA) or B. */
export function dirName(c: Conn, fromA: boolean): string {
  const n = namesOf(c);
  return fromA ? n.ab : n.ba;
}

export function senderName(c: Conn, fromA: boolean): string {
  const n = namesOf(c);
  return fromA ? n.a : n.b;
}
