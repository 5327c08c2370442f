// The loader's batches: the index's part of a full batch goes in the arrays it was written
// to (transferred, not copied); a smaller batch's is copied out of them.

import { describe, expect, it } from 'vitest';
import { LoadBatcher } from '../../src/ui/data/load-batcher.js';
import type { LoadBatch } from '../../src/ui/data/load-messages.js';

const FULL = 65_536;

function collect(): { batcher: LoadBatcher; sent: { batch: LoadBatch; transfer: readonly ArrayBuffer[] }[] } {
  const sent: { batch: LoadBatch; transfer: readonly ArrayBuffer[] }[] = [];
  const batcher = new LoadBatcher((message, transfer) => {
    if (message.type === 'batch') sent.push({ batch: message.batch, transfer: transfer as ArrayBuffer[] });
  });
  return { batcher, sent };
}

describe('LoadBatcher index', () => {
  it('sends every frame once, in order, a full batch in its own arrays and the rest copied', () => {
    const { batcher, sent } = collect();
    const offsetOf = (i: number) => 24 + 100 * i;
    const total = FULL + 300;
    for (let i = 0; i < total; i++) {
      batcher.frame(offsetOf(i), i % 3 === 0);
      if (i === 99 || batcher.full) batcher.send(offsetOf(i), 0, undefined);
    }
    batcher.send(offsetOf(total - 1), 0, undefined);
    // 100 frames, then 65,536 (full), then the last 200.
    expect(sent.map((s) => s.batch.offsets.length)).toEqual([100, FULL, total - 100 - FULL]);
    const offsets = sent.flatMap((s) => [...s.batch.offsets]);
    const v4 = sent.flatMap((s) => [...s.batch.v4]);
    expect(offsets).toEqual(Array.from({ length: total }, (_, i) => offsetOf(i)));
    expect(v4).toEqual(Array.from({ length: total }, (_, i) => (i % 3 === 0 ? 1 : 0)));
    for (const { batch, transfer } of sent) {
      expect(transfer).toContain(batch.offsets.buffer);
      expect(transfer).toContain(batch.v4.buffer);
      // Nothing beyond the batch's frames travels with it.
      expect(batch.offsets.buffer.byteLength).toBe(8 * batch.offsets.length);
      expect(batch.v4.buffer.byteLength).toBe(batch.v4.length);
    }
  });

  it('is full at 65,536 frames and takes no frame more until it is sent', () => {
    const { batcher } = collect();
    for (let i = 0; i < FULL - 1; i++) batcher.frame(i, false);
    expect(batcher.full).toBe(false);
    batcher.frame(FULL, false);
    expect(batcher.full).toBe(true);
    expect(() => batcher.frame(FULL + 1, false)).toThrow(RangeError);
    batcher.send(FULL, 0, undefined);
    expect(batcher.full).toBe(false);
    expect(() => batcher.frame(FULL + 1, false)).not.toThrow();
  });
});
