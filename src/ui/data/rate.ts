// Frames per second and bytes per second of a live capture, over the last few seconds:
// counts sampled as batches arrive; the rate falls to 0 when nothing more comes.

const RATE_WINDOW_MS = 5000;

interface Sample {
  readonly t: number;
  readonly frames: number;
  readonly bytes: number;
}

export interface Rates {
  readonly framesPerSecond: number;
  readonly bytesPerSecond: number;
}

export class RateMeter {
  /** Ascending times; the first is at or before the window's start once the window is full. */
  private samples: Sample[];

  /** @param start when counting started (both counts 0 then), in ms. */
  constructor(start: number, private readonly windowMs = RATE_WINDOW_MS) {
    this.samples = [{ t: start, frames: 0, bytes: 0 }];
    this.lastChange = start;
  }

  /** When data last came (the start while none has). */
  lastChange: number;

  /** The counts so far (totals, not increments) at time t. */
  add(t: number, frames: number, bytes: number): void {
    const previous = this.samples.at(-1)!;
    if (frames !== previous.frames || bytes !== previous.bytes) this.lastChange = t;
    this.samples.push({ t, frames, bytes });
    this.prune(t);
  }

  /** The rates over the window ending at `now` (from when counting started, while that is less). */
  rates(now: number): Rates {
    this.prune(now);
    const base = this.samples[0]!;
    const last = this.samples.at(-1)!;
    const seconds = (now - base.t) / 1000;
    if (seconds <= 0) return { framesPerSecond: 0, bytesPerSecond: 0 };
    return { framesPerSecond: (last.frames - base.frames) / seconds, bytesPerSecond: (last.bytes - base.bytes) / seconds };
  }

  /** Keeps one sample at or before the window's start: the base the rates are taken from. */
  private prune(now: number): void {
    const start = now - this.windowMs;
    let drop = 0;
    while (drop + 1 < this.samples.length && this.samples[drop + 1]!.t <= start) drop++;
    if (drop > 0) this.samples = this.samples.slice(drop);
  }
}
