import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedOrder } from '../../src/store/sorted-order.js';

describe('sorted order', () => {
  it('lists items by key, ties in arrival order, however they arrive in batches and are dropped', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ keys: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 12 }), dropBelow: fc.option(fc.integer({ min: 0, max: 20 })), look: fc.boolean() }), { maxLength: 8 }),
      (steps) => {
        let keys: number[] = [];
        const order = new SortedOrder((item) => keys[item]!);
        for (const step of steps) {
          keys = keys.concat(step.keys);
          if (step.dropBelow !== null) {
            const moved = new Int32Array(keys.length).fill(-1);
            const kept: number[] = [];
            keys.forEach((k, i) => {
              if (k >= step.dropBelow!) moved[i] = kept.push(k) - 1;
            });
            keys = kept;
            order.renumber(moved);
          }
          // Not looked at: the items that came stay to be merged (and may be renumbered first).
          if (!step.look) continue;
          const expected = keys.map((k, i) => [k, i]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!).map(([, i]) => i);
          expect(Array.from(order.items(keys.length))).toEqual(expected);
          for (const k of [0, 7, 21]) expect(order.lowerBound(keys.length, k)).toBe(expected.filter((i) => keys[i]! < k).length);
        }
      },
    ), { numRuns: 300 });
  });
});
