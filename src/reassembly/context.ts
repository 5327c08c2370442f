// What every part of the engine shares: the options, the capture clock, the event queue
// and the totals behind summary().

import { EventQueue } from './event-queue.js';
import { forceLoss } from './loss.js';
import type { EngineEvent, RecordCounts, RecordSink } from './types.js';

export class Context {
  frames = 0;
  malformed = 0;
  readonly records: RecordCounts = { delivered: 0, dropped: 0, orphan: 0, lost: 0, incomplete: 0 };
  readonly anomalies = new Map<string, number>();
  /** Seconds of the first frame with a virtio header (-1: none yet): window-full times are relative to it. */
  baseSec = -1;
  /** Time of the latest frame with a virtio header. */
  capSec = 0;
  capNsec = 0;
  /** The next unused record stream number (records.ts). */
  nextStream = 0;
  readonly queue: EventQueue;

  constructor(
    onEvent: (e: EngineEvent) => void,
    /** D_NONE (auto) or the dialect every SEQPACKET connection is analysed in. */
    readonly forced: number,
    /** `--rcvbuf`, -1: unlimited. */
    readonly rcvbuf: number,
    /** Emit `record` events (EngineOptions.records). */
    readonly recordEvents: boolean,
    /** Emit `conn` events (EngineOptions.conns). */
    readonly connEvents: boolean,
    /** Where records no finding decided go instead of `record` events (EngineOptions.recordSink). */
    readonly recordSink: RecordSink | undefined,
  ) {
    this.queue = new EventQueue(onEvent, (loss, when) => forceLoss(this, loss, when));
  }
}

/** Seconds from the first frame to (sec, nsec). */
export function relTime(ctx: Context, sec: number, nsec: number): number {
  return sec - ctx.baseSec + nsec / 1e9;
}
