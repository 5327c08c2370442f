// SEQPACKET dialects (ANALYSIS.md 2.4, 2.5) and how a connection gets one (decision 6).

import type { Dialect } from './types.js';
import type { Conn } from './conn.js';

export const D_NONE = 0;
const D_V4 = 1;
export const D_V7 = 2;
export const D_EOM = 3;
export const DIALECTS: readonly (Dialect | undefined)[] = [undefined, 'v4', 'v7', 'eom'];

export function parseDialect(option: 'auto' | Dialect | undefined): number {
  return option === 'v4' ? D_V4 : option === 'v7' ? D_V7 : option === 'eom' ? D_EOM : D_NONE;
}

/** A new SEQPACKET instance under a forced dialect. */
export function forceDialect(c: Conn, forced: number): void {
  c.dialect = forced;
  c.countFromZero = !c.midstream;
}

/**
 * The dialect a data packet (RW or marker) of a SEQPACKET connection is analysed in. auto:
 * the first RW or marker decides (marker: v4, RW: eom), and a later marker switches an eom
 * connection to v4 from there.
 */
export function dialectForData(c: Conn, forced: number, isRw: boolean): number {
  const d = c.dialect;
  if (d === D_NONE) {
    c.countFromZero = !c.midstream;
    return (c.dialect = isRw ? D_EOM : D_V4);
  }
  if (!isRw && d === D_EOM && forced === D_NONE) {
    switchToV4(c);
    return D_V4;
  }
  return d;
}

/** v4 starts at the switching marker, as if mid-connection. */
function switchToV4(c: Conn): void {
  c.dialect = D_V4;
  c.countFromZero = false;
  const L = c.live!;
  for (const s of [L.a, L.b]) {
    s.rec.open = false; // an open eom message is not a record of the v4 analysis
    s.rec.leading = true;
  }
}
