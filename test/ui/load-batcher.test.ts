// The loader's batches: the index's part of a full batch goes in the arrays it was written
// to; a smaller batch's is copied out of them. Every typed array in a batch is on shared
// memory, so that none is transferred (store/shared-arrays.ts).

import { describe, expect, it } from 'vitest';
import { finding } from '../../src/dissect/findings.js';
import { LoadBatcher } from '../../src/ui/data/load-batcher.js';
import type { LoadBatch } from '../../src/ui/data/load-messages.js';

const FULL = 65_536;

function collect(): { batcher: LoadBatcher; sent: { batch: LoadBatch }[] } {
  const sent: { batch: LoadBatch }[] = [];
  const batcher = new LoadBatcher((message) => {
    if (message.type === 'batch') sent.push({ batch: message.batch });
  });
  return { batcher, sent };
}

/** Every typed array in `value`, however deep. */
function typedArraysIn(value: unknown): ArrayBufferView[] {
  if (ArrayBuffer.isView(value)) return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(typedArraysIn);
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
    for (const { batch } of sent) {
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

  it('holds its typed arrays on shared memory, where none needs to be transferred', () => {
    const { batcher, sent } = collect();
    batcher.frame(24, true);
    batcher.decodedFinding(finding('vsock.malformed.unknown_op', 1, 'an unknown op'));
    batcher.keptFinding(finding('vsock.seq.lost_end', 1, 'a lost SEQ_END'));
    batcher.probe({ number: 1, tsSec: 0, tsNsec: 0, linkType: 271, len: 4, bytes: new Uint8Array([1, 2, 3, 4]) });
    batcher.send(24, 100, []);
    const arrays = typedArraysIn(sent[0]!.batch);
    // offsets, v4, decoded, kept's keys and ends, records' words and received, conns' and live's values, the probe's bytes
    expect(arrays.length).toBe(10);
    for (const array of arrays) expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
