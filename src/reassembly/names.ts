// How endpoints, connection instances and their directions are written in findings and records.

import type { Cid } from '../dissect/parsers.js';
import type { Conn } from './conn.js';

export function endpoint(cid: Cid, port: number): string {
  return cid + ':' + port;
}

/** `"<cid>:<port>-<cid>:<port>"`, endpoint A first. */
export function connId(c: Conn): string {
  return endpoint(c.aCid, c.aPort) + '-' + endpoint(c.bCid, c.bPort);
}

/** `"<src_cid>:<src_port>><dst_cid>:<dst_port>"` of the direction sent by A (fromA) or B. */
export function dirName(c: Conn, fromA: boolean): string {
  return fromA ? endpoint(c.aCid, c.aPort) + '>' + endpoint(c.bCid, c.bPort) : endpoint(c.bCid, c.bPort) + '>' + endpoint(c.aCid, c.aPort);
}

export function senderName(c: Conn, fromA: boolean): string {
  return fromA ? endpoint(c.aCid, c.aPort) : endpoint(c.bCid, c.bPort);
}
