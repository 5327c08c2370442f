// A display filter applied to every frame, a slice at a time: frames are decoded again
// from the file, so filtering a million of them is a second pass that must not hold up
// keys. It follows the loader when started before loading is done.

import type { DecodedFrame } from '../../dissect/decode.js';
import type { FrameFilter } from '../../dissect/filter/index.js';
import { GrowableArray } from '../../store/columns.js';
import type { FrameIndex } from './frame-index.js';
import type { FrameReader } from './frame-reader.js';

const SLICE_FRAMES = 1024;

export class FilterRun {
  /** Matching frame numbers, ascending. */
  readonly matches = new GrowableArray((n) => new Uint32Array(n), 1024);
  /** Matches dropped from the front of the list (--ring). */
  dropped = 0;
  /** Frames up to `scanned` have been tested. */
  scanned: number;
  /** Tested frames that got a finding since (the engine reports some late): tested again. */
  private readonly retest = new Set<number>();

  /** `testsFindings`: the filter tests the findings on a frame (filterTestsFindings), not only its bytes. */
  constructor(
    readonly text: string,
    private readonly filter: FrameFilter,
    private readonly testsFindings: boolean,
    private readonly index: FrameIndex,
    private readonly reader: FrameReader,
  ) {
    this.scanned = index.first - 1;
  }

  /** Tests frames for about `budgetMs`; returns whether indexed frames remain to be tested. */
  step(budgetMs: number): boolean {
    const deadline = performance.now() + budgetMs;
    this.retestChanged();
    while (this.scanned < this.index.count && performance.now() < deadline) {
      const last = Math.min(this.index.count, this.scanned + SLICE_FRAMES);
      this.reader.each(this.scanned + 1, last, (frame) => {
        if (this.test(frame)) this.matches.push(frame.number);
      }, this.testsFindings);
      this.scanned = last;
    }
    return this.pending;
  }

  get pending(): boolean {
    return this.scanned < this.index.count || this.retest.size > 0;
  }

  /** Forgets frames before n (--ring): they are neither listed nor tested. */
  dropBefore(n: number): void {
    const gone = this.matches.lowerBound(n);
    this.matches.dropFront(gone);
    this.dropped += gone;
    this.scanned = Math.max(this.scanned, n - 1);
    for (const r of this.retest) if (r < n) this.retest.delete(r);
  }

  findingAdded(n: number): void {
    if (this.testsFindings && n <= this.scanned) this.retest.add(n);
  }

  private retestChanged(): void {
    for (const n of this.retest) {
      const matches = this.test(this.reader.frame(n));
      const at = this.matches.lowerBound(n);
      const listed = at < this.matches.length && this.matches.get(at) === n;
      if (matches && !listed) this.matches.insert(at, n);
      else if (!matches && listed) this.matches.remove(at);
    }
    this.retest.clear();
  }

  private test(frame: DecodedFrame): boolean {
    return this.filter(frame, { v4Dialect: this.index.v4Dialect(frame.number) });
  }
}
