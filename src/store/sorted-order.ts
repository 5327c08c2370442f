// Items numbered 0, 1, 2, ... as they arrive, listed in the order of a numeric key that
// arrival does not follow (connection instances by first frame, findings by frame). The
// ones that came since the order was last asked for are sorted and merged in: a long
// list grows by a batch at a time without being sorted whole again.

import { GrowableArray } from './columns.js';

export class SortedOrder {
  private readonly order = new GrowableArray((n) => new Int32Array(n), 64);
  /** Items [0, merged) are in `order`. */
  private merged = 0;

  /** `key`: an item's sort key; items with equal keys stay in arrival order. */
  constructor(private readonly key: (item: number) => number) {}

  /** The items 0 .. count - 1 in key order (a view: valid until the next change). */
  items(count: number): Int32Array {
    if (count > this.merged) this.mergeUpTo(count);
    return this.order.view();
  }

  /** The first position in items(count) whose item's key is >= key. */
  lowerBound(count: number, key: number): number {
    const items = this.items(count);
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.key(items[mid]!) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The items were renumbered (`moved[old]`: the new number, -1: gone); call before adding more. */
  renumber(moved: Int32Array): void {
    const order = this.order;
    let w = 0;
    const data = order.array();
    for (let r = 0; r < order.length; r++) {
      const to = moved[data[r]!]!;
      if (to >= 0) data[w++] = to;
    }
    order.length = w;
    // Items not merged yet were dropped or kept in arrival order: merge them next time.
    let kept = 0;
    for (let item = 0; item < this.merged; item++) if (moved[item]! >= 0) kept++;
    this.merged = kept;
  }

  private mergeUpTo(count: number): void {
    const key = this.key;
    const fresh = Int32Array.from({ length: count - this.merged }, (_, i) => this.merged + i).sort((a, b) => key(a) - key(b) || a - b);
    const old = this.order.view().slice();
    this.order.clear();
    this.order.append(old.length + fresh.length);
    const out = this.order.array();
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < old.length || j < fresh.length) {
      const takeOld = j === fresh.length || (i < old.length && key(old[i]!) <= key(fresh[j]!));
      out[n++] = takeOld ? old[i++]! : fresh[j++]!;
    }
    this.merged = count;
  }
}
