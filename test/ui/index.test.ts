import { describe, expect, it } from 'vitest';
import { GrowableArray, PagedColumn } from '../../src/store/columns.js';
import { FrameIndex } from '../../src/ui/data/frame-index.js';

describe('frame index', () => {
  it('keeps offsets and flags across page boundaries, at 9 bytes a frame', () => {
    const index = new FrameIndex();
    const frames = 150_000;
    for (let n = 1; n <= frames; n++) index.append(n * 100 + 0.5 * (n % 2), n % 3 === 0);
    expect(index.count).toBe(frames);
    for (const n of [1, 65_536, 65_537, 131_072, frames]) {
      expect(index.offset(n)).toBe(n * 100 + 0.5 * (n % 2));
      expect(index.v4Dialect(n)).toBe(n % 3 === 0);
    }
    // Three pages of 65,536 entries each, for offsets (8 bytes) and flags (1 byte).
    expect(index.byteLength).toBe(3 * 65_536 * 9);
  });

  it('indexes a loader batch at once: v4 flags across page boundaries, findings marked before kept', () => {
    const index = new FrameIndex();
    index.markFinding(65_537, 'error');
    const frames = 140_000;
    const offsets = Float64Array.from({ length: frames }, (_, i) => 24 + 100 * i);
    // v4 frames at page and batch edges, and none on the last two pages, which must exist all the same.
    const v4Frames = [1, 1000, 1001, 65_536];
    const v4 = Uint8Array.from({ length: frames }, (_, i) => (v4Frames.includes(i + 1) ? 1 : 0));
    index.appendAll(offsets.subarray(0, 1000), v4.subarray(0, 1000));
    index.appendAll(offsets.subarray(1000), v4.subarray(1000));
    expect(index.count).toBe(frames);
    for (const n of [1, 2, 1000, 1001, 65_536, 65_537, 65_538, 131_073, frames]) {
      expect(index.offset(n)).toBe(24 + 100 * (n - 1));
      expect(index.v4Dialect(n)).toBe(v4Frames.includes(n));
    }
    expect(index.severity(65_537)).toBe('error');
    expect(index.hasFinding(65_538)).toBe(false);
    expect(index.byteLength).toBe(3 * 65_536 * 9);
  });

  it('takes findings for frames not indexed yet and keeps the worst severity', () => {
    const index = new FrameIndex();
    index.markFinding(3, 'info');
    index.markFinding(3, 'warning');
    index.append(24, true);
    index.append(100, false);
    index.append(200, true);
    expect(index.severity(1)).toBeUndefined();
    expect(index.hasFinding(3)).toBe(true);
    expect(index.severity(3)).toBe('warning');
    expect(index.v4Dialect(3)).toBe(true);
    index.markFinding(3, 'error');
    index.markFinding(0, 'error'); // a finding about the whole capture marks no frame
    expect(index.severity(3)).toBe('error');
  });
});

describe('columns', () => {
  it('a paged column reads 0 where nothing was written', () => {
    const c = new PagedColumn((n) => new Uint32Array(n));
    c.set(70_000, 7);
    expect(c.get(70_000)).toBe(7);
    expect(c.get(5)).toBe(0);
    expect(c.get(1_000_000)).toBe(0);
  });

  it('a growable array keeps order through inserts and removals', () => {
    const a = new GrowableArray((n) => new Uint32Array(n), 2);
    for (const v of [1, 5, 9]) a.push(v);
    a.insert(a.lowerBound(7), 7);
    a.insert(a.lowerBound(0), 0);
    expect([...a.view()]).toEqual([0, 1, 5, 7, 9]);
    a.remove(a.lowerBound(5));
    expect([...a.view()]).toEqual([0, 1, 7, 9]);
    expect(a.lowerBound(10)).toBe(4);
  });
});
