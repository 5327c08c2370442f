// The event stream, in capture order of the frame each event is attached to. A finding
// only complete after later frames takes a Held slot at its place and every later event
// waits behind it; past HOLD_CAP waiting events the open findings are closed with what is
// known (closeHeld). From end() on, events are collected and then emitted sorted by frame.

import type { Loss } from './loss.js';
import type { EngineEvent } from './types.js';

/** Held-back events beyond which open findings are emitted with the figures so far. */
export const HOLD_CAP = 65_536;

/** A held-back slot in the event stream; `ev` null while open. */
export class Held {
  ev: EngineEvent | null = null;
  constructor(readonly loss: Loss) {}
}

/**
 * Holds the place of an event its consumer asked not to get (EngineOptions.records, .conns)
 * while events are held back: it still counts toward HOLD_CAP, so the findings (which the cap
 * can close early) are the same whichever events a consumer reads.
 */
const SKIPPED = Symbol('skipped event');

interface EndItem {
  readonly frame: number;
  readonly ev: EngineEvent;
}

export class EventQueue {
  private items: (EngineEvent | Held | typeof SKIPPED)[] = [];
  private start = 0;
  private forcing = false;
  private endItems: EndItem[] | null = null;

  constructor(
    private readonly onEvent: (e: EngineEvent) => void,
    /** Closes an open held loss with what is known (it then resolves its slot); `when` says why it could not wait. */
    private readonly closeHeld: (loss: Loss, when: string) => void,
  ) {}

  emit(ev: EngineEvent, frame: number): void {
    if (this.endItems !== null) {
      this.endItems.push({ frame, ev });
    } else if (this.start === this.items.length) {
      this.onEvent(ev);
    } else {
      this.items.push(ev);
      this.checkCap();
    }
  }

  /**
   * The frame from which events may be held back: that of the oldest open finding, whose
   * slot every later event waits behind (Infinity when nothing is held).
   */
  heldSince(): number {
    const first = this.items[this.start];
    return first instanceof Held ? first.loss.frame : Infinity;
  }

  /** Nothing is held back and the capture has not ended: an event emitted now would go out at once. */
  idle(): boolean {
    return this.endItems === null && this.start === this.items.length;
  }

  /** An event not emitted (see SKIPPED): counted only while events are held back. */
  skip(): void {
    if (this.endItems === null && this.start !== this.items.length) {
      this.items.push(SKIPPED);
      this.checkCap();
    }
  }

  /** Opens a held-back slot for the loss at the current position of the stream. */
  hold(loss: Loss): void {
    const h = new Held(loss);
    loss.hold = h; // before checkCap(), which may have to close it at once
    this.items.push(h);
    this.checkCap();
  }

  resolve(h: Held, ev: EngineEvent): void {
    h.ev = ev;
    if (!this.forcing && this.items[this.start] === h) this.flush();
  }

  /** Emits everything up to the first open slot. */
  flush(): void {
    const q = this.items;
    let i = this.start;
    while (i < q.length) {
      const it = q[i]!;
      if (it === SKIPPED) {
        i++;
        this.start = i;
      } else if (it instanceof Held) {
        if (it.ev === null) break;
        i++;
        this.start = i;
        this.onEvent(it.ev);
      } else {
        i++;
        this.start = i;
        this.onEvent(it);
      }
    }
    if (this.start === q.length) {
      this.items = [];
      this.start = 0;
    } else if (this.start > 1024 && this.start * 2 > q.length) {
      this.items = q.slice(this.start);
      this.start = 0;
    }
  }

  /** The capture ended: from here on events are collected for endEmit(). */
  endCollect(): void {
    this.endItems = [];
  }

  /** Emits what endCollect() collected, by frame; later events go out at once. */
  endEmit(): void {
    const items = this.endItems!;
    this.endItems = null;
    items.sort((x, y) => x.frame - y.frame);
    for (const it of items) this.onEvent(it.ev);
  }

  /** Closes the open slots of losses at or before `upToFrame` with what is known, and emits what they held back. */
  settle(upToFrame: number, when: string): void {
    if (this.forcing) return;
    this.forcing = true;
    const q = this.items;
    for (let i = this.start; i < q.length; i++) {
      const it = q[i]!;
      if (it instanceof Held && it.ev === null && it.loss.frame <= upToFrame) this.closeHeld(it.loss, when);
    }
    this.forcing = false;
    this.flush();
  }

  /** Too much held back: close every open slot with what is known so far. */
  private checkCap(): void {
    if (this.items.length - this.start > HOLD_CAP) this.settle(Infinity, `after ${HOLD_CAP} held-back events`);
  }
}
