// A connection instance (ANALYSIS.md 1): its identity, lifecycle state, dialect and
// per-direction counters, and while it is live its two endpoints. Each endpoint's state is
// split by the module that owns it: credit.ts, records.ts, loss.ts.

import type { Cid } from '../dissect/parsers.js';
import { CreditState } from './credit.js';
import { D_NONE } from './dialect.js';
import { Attribution } from './loss.js';
import type { ConnNames } from './names.js';
import { RecordState, type TupleStreams } from './records.js';

// A connection's state: its index in CONN_STATES (types.ts).
export const S_REQUESTED = 0;
export const S_ESTABLISHED = 1;
export const S_REFUSED = 2;
export const S_HALF_CLOSED = 3;
export const S_CLOSED = 4;
export const S_RESET = 5;

/** A direction's counters for its DirSummary: all an ended instance keeps. */
export class DirStats {
  frames = 0;
  bytes = 0;
  delivered = 0;
  dropped = 0;
  orphan = 0;
  lost = 0;
  incomplete = 0;
  findings = 0;
  windowFull = 0;
}

/** One endpoint of a live instance: the data it sends, and what it advertises as a receiver. */
export class Side {
  readonly credit = new CreditState();
  readonly rec = new RecordState();
  readonly attribution = new Attribution();
  /** SHUTDOWN bits it sent, and the frames that first set them. */
  shut = 0;
  sendShutFrame = 0;
  rcvShutFrame = 0;
  constructor(readonly isA: boolean, readonly stats: DirStats) {}
}

export class Live {
  constructor(readonly a: Side, readonly b: Side) {}
}

export class Conn {
  lastFrame: number;
  lastSec: number;
  lastNsec: number;
  dialect = D_NONE;
  state: number;
  /** Handshake captured and not ended: credit is analysed. */
  creditChecked: boolean;
  /** The first SEQ_BEGIN counter of each direction must be 0. */
  countFromZero = false;
  rstFrame = 0;
  readonly d0 = new DirStats();
  readonly d1 = new DirStats();
  /** null once the instance ended (its first RST) or the capture did: its sides are dropped. */
  live: Live | null;
  /** Its endpoint and direction strings (names.ts), built on first use. */
  names: ConnNames | null = null;
  /** conn-table.ts: the next current instance in its hash bucket. */
  tableNext: Conn | null = null;
  /** Shared by the instances of its 4-tuple; made when first needed (records.ts, ConnTable.add). */
  tuple: TupleStreams | null = null;
  constructor(
    readonly aCid: Cid, readonly aPort: number, readonly bCid: Cid, readonly bPort: number,
    /** Its first frame: its REQUEST unless midstream. */
    readonly first: number, readonly firstSec: number, readonly firstNsec: number,
    readonly type: number, readonly midstream: boolean,
  ) {
    this.lastFrame = first;
    this.lastSec = firstSec;
    this.lastNsec = firstNsec;
    this.state = midstream ? S_ESTABLISHED : S_REQUESTED;
    this.creditChecked = !midstream;
    this.live = new Live(new Side(true, this.d0), new Side(false, this.d1));
  }
}
