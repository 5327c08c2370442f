// The spool that keeps a stream's bytes for the UI: segment files at stream offsets,
// read back across segment boundaries, whole old segments dropped by --ring, and the
// directory gone once removed.

import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tappedSource } from '../../src/source/spool-source.js';
import { removeSpool, SpoolReader, SpoolWriter, type SpoolLayout } from '../../src/source/spool.js';

function layout(segmentBytes: number): SpoolLayout {
  return { dir: mkdtempSync(join(tmpdir(), 'vsockscope-spool-test-')), segmentBytes };
}

/** Bytes 0, 1, 2, ... (mod 251: no period that lines up with a segment). */
function stream(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i % 251);
}

function readBack(reader: SpoolReader, position: number, length: number): number[] {
  const buffer = new Uint8Array(length);
  return [...buffer.subarray(0, reader.readAt(position, length, buffer))];
}

describe('spool', () => {
  it('writes chunks at their stream offsets into fixed-size segments; reads across a segment boundary', () => {
    const spool = layout(100);
    const bytes = stream(350);
    const writer = new SpoolWriter(spool);
    // Chunks that do not line up with segments: one straddles two boundaries.
    for (const [from, to] of [[0, 30], [30, 250], [250, 251], [251, 350]] as const) writer.append(bytes.subarray(from, to));
    expect(writer.length).toBe(350);
    expect(readdirSync(spool.dir).sort()).toEqual(['segment-0', 'segment-1', 'segment-2', 'segment-3']);
    const reader = new SpoolReader(spool);
    expect(readBack(reader, 90, 20)).toEqual([...bytes.subarray(90, 110)]);
    expect(readBack(reader, 0, 350)).toEqual([...bytes]);
    // Past what was written: what there is, then nothing.
    expect(readBack(reader, 340, 50)).toEqual([...bytes.subarray(340, 350)]);
    expect(readBack(reader, 400, 10)).toEqual([]);
    writer.close();
    reader.close();
    removeSpool(spool.dir);
  });

  it('reads what the writer appends after the reader opened a segment', () => {
    const spool = layout(100);
    const bytes = stream(150);
    const writer = new SpoolWriter(spool);
    const reader = new SpoolReader(spool);
    writer.append(bytes.subarray(0, 40));
    expect(readBack(reader, 30, 20)).toEqual([...bytes.subarray(30, 40)]);
    writer.append(bytes.subarray(40, 150));
    expect(readBack(reader, 30, 100)).toEqual([...bytes.subarray(30, 130)]);
    writer.close();
    reader.close();
    removeSpool(spool.dir);
  });

  it('--ring: drops only whole segments before the first byte kept', () => {
    const spool = layout(100);
    const bytes = stream(450);
    const writer = new SpoolWriter(spool);
    writer.append(bytes);
    const reader = new SpoolReader(spool);
    expect(readBack(reader, 50, 10)).toEqual([...bytes.subarray(50, 60)]);
    // Byte 250 is in segment 2: segments 0 and 1 go, segment 2 stays whole.
    reader.trimBefore(250);
    expect(readdirSync(spool.dir).sort()).toEqual(['segment-2', 'segment-3', 'segment-4']);
    expect(readBack(reader, 200, 60)).toEqual([...bytes.subarray(200, 260)]);
    expect(() => readBack(reader, 150, 10)).toThrow(/byte 150 of the stream is no longer kept/);
    // Trimming never brings a segment back or goes backwards.
    reader.trimBefore(120);
    expect(readBack(reader, 200, 10)).toEqual([...bytes.subarray(200, 210)]);
    writer.close();
    reader.close();
    removeSpool(spool.dir);
    expect(existsSync(spool.dir)).toBe(false);
  });

  it('a tapped source hands every chunk read to the spool before the reader sees it', async () => {
    const spool = layout(64);
    const bytes = stream(300);
    let at = 0;
    const source = tappedSource({
      streaming: true,
      read: async (buffer) => {
        const n = Math.min(70, bytes.length - at, buffer.length);
        buffer.set(bytes.subarray(at, at + n));
        at += n;
        return n;
      },
      close: async () => undefined,
      abort: () => undefined,
    }, (chunk) => writer.append(chunk));
    const writer = new SpoolWriter(spool);
    const reader = new SpoolReader(spool);
    const buffer = new Uint8Array(100);
    for (let n = await source.read(buffer); n > 0; n = await source.read(buffer)) {
      // What was just read is in the spool already.
      expect(readBack(reader, writer.length - n, n)).toEqual([...buffer.subarray(0, n)]);
    }
    expect(writer.length).toBe(300);
    expect(source.streaming).toBe(true);
    writer.close();
    reader.close();
    removeSpool(spool.dir);
  });
});
