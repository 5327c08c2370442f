// Frames decoded again from the capture's bytes (the file, or a stream's spool), by
// offset. The bytes before the first packet (the pcap file header, or pcapng's section
// header and interface descriptions) followed by the wanted records, fed to a fresh
// CaptureReader, give the packets the first pass saw; they are renumbered and decoded
// exactly as then.

import { CaptureReader } from '../../dissect/container/reader.js';
import { detachedPacket, keepBytes } from '../../dissect/container/record-bytes.js';
import type { CapturedPacket } from '../../dissect/container/types.js';
import { decodeFrame, type DecodedFrame } from '../../dissect/decode.js';
import type { RandomAccess } from '../../source/random-access.js';
import type { FrameIndex } from './frame-index.js';

/** First read size for a record whose end is not known yet (the newest indexed frame). */
const WINDOW_BYTES = 64 * 1024;
/** Most bytes read at once by each(): its frames are decoded out of one reused buffer. */
const SPAN_BYTES = 4 * 1024 * 1024;
const SCAN_CHUNK_BYTES = 1024 * 1024;
const CACHE_FRAMES = 512;

/** Thrown by a sink that has what it wanted: stops the reader. */
class Enough extends Error {}

export class FrameReader {
  private prefix: Uint8Array | undefined;
  /** Frames after this one are found by scanning from the start of the file (see limitReplay). */
  private replayLimit = Infinity;
  private readonly cache = new Map<number, DecodedFrame>();
  private scratch = new Uint8Array(0);

  /**
   * @param decorate called on every freshly decoded frame: adds the findings later stages
   *   attached to it (the decoder only knows its own).
   */
  constructor(
    private readonly bytes: RandomAccess,
    private readonly index: FrameIndex,
    private readonly decorate: (frame: DecodedFrame) => void = () => undefined,
  ) {}

  /** The file's bytes before its first packet. */
  setPrefix(prefix: Uint8Array): void {
    this.prefix = prefix;
  }

  /**
   * From frame n on, the prefix may not describe the records (a pcapng interface or
   * section that starts after the first packet): those frames are found by scanning.
   */
  limitReplay(n: number): void {
    this.replayLimit = Math.min(this.replayLimit, n - 1);
    for (const cached of this.cache.keys()) if (cached >= n) this.cache.delete(cached);
  }

  get replayableUpTo(): number {
    return this.replayLimit;
  }

  /** Drops a cached frame whose findings changed. */
  forget(n: number): void {
    this.cache.delete(n);
  }

  /** Drops the cached frames before n (--ring dropped them). */
  forgetBefore(n: number): void {
    for (const cached of this.cache.keys()) if (cached < n) this.cache.delete(cached);
  }

  /** Frame n (index.first..index.count), decoded and decorated; the last CACHE_FRAMES are kept. */
  frame(n: number): DecodedFrame {
    const cached = this.cache.get(n);
    if (cached !== undefined) {
      this.cache.delete(n);
      this.cache.set(n, cached);
      return cached;
    }
    let frame: DecodedFrame | undefined;
    this.decode(n, n, (f) => { frame = f; }, false);
    if (frame === undefined) throw new Error(`frame ${n} is no longer in the file (was it changed since it was loaded?)`);
    this.cache.set(n, frame);
    if (this.cache.size > CACHE_FRAMES) this.cache.delete(this.cache.keys().next().value!);
    return frame;
  }

  /**
   * Frames first..last, decoded (and decorated, unless `decorate` is false: what looks only
   * at the frame's own bytes has no use for the later stages' findings) afresh, not cached,
   * in order. Their bytes are only valid during `visit`: one buffer is read into again and again.
   */
  each(first: number, last: number, visit: (frame: DecodedFrame) => void, decorate = true): void {
    this.decode(first, last, visit, true, decorate);
  }

  private decode(first: number, last: number, visit: (frame: DecodedFrame) => void, reuse: boolean, decorate = true): void {
    if (first > last) return;
    if (last > this.index.count) throw new RangeError(`frame ${last} is not indexed yet (${this.index.count} are)`);
    if (first < this.index.first) throw new RangeError(`frame ${first} is no longer kept (--ring keeps frames from ${this.index.first} on)`);
    const decorated = decorate ? (frame: DecodedFrame) => {
      this.decorate(frame);
      visit(frame);
    } : visit;
    if (this.prefix === undefined || last > this.replayLimit) {
      this.scan(first, last, decorated);
      return;
    }
    // The newest frame's end is not known until the next one is indexed.
    const whole = last < this.index.count ? last : last - 1;
    for (let from = first; from <= whole; ) {
      const start = this.index.offset(from);
      let to = from;
      while (to < whole && this.index.offset(to + 2) - start <= SPAN_BYTES) to++;
      const length = this.index.offset(to + 1) - start;
      const bytes = this.readAt(start, length, reuse ? this.scratchOf(length) : new Uint8Array(length));
      const delivered = this.replay(from, bytes, start, to - from + 1, decorated);
      if (delivered !== to - from + 1) {
        throw new Error(`frames ${from}..${to} are no longer where they were when the file was loaded (was it changed since?)`);
      }
      from = to + 1;
    }
    if (whole < last) this.replayOne(last, decorated);
  }

  private scratchOf(length: number): Uint8Array {
    if (this.scratch.length < length) this.scratch = new Uint8Array(Math.max(length, 2 * this.scratch.length));
    return this.scratch;
  }

  /** One record whose length is unknown: read a window, doubling it until the record is whole. */
  private replayOne(n: number, visit: (frame: DecodedFrame) => void): void {
    const start = this.index.offset(n);
    for (let size = WINDOW_BYTES; ; size *= 2) {
      const bytes = this.readAt(start, size, new Uint8Array(size));
      let frame: DecodedFrame | undefined;
      try {
        this.replay(n, bytes, start, 1, (f) => { frame = f; });
      } catch (error) {
        // Damage after the record (a capture cut mid-record) does not concern it.
        if (frame === undefined) throw error;
      }
      if (frame !== undefined) {
        keepBytes(frame);
        visit(frame);
        return;
      }
      if (bytes.length < size) throw new Error(`frame ${n}: its record at byte ${start} is cut short (was the file changed since it was loaded?)`);
    }
  }

  /** Feeds prefix + bytes (read from file offset `start`) to a fresh reader; returns how many packets it delivered. */
  private replay(first: number, bytes: Uint8Array, start: number, most: number, visit: (frame: DecodedFrame) => void): number {
    const prefix = this.prefix!;
    let n = first;
    const reader = new CaptureReader({
      packet: (p) => {
        if (n - first === most) throw new Enough();
        visit(decodeFrame(renumbered(p, n++, start + p.offset - prefix.length)));
      },
      notice: () => undefined,
    });
    try {
      reader.push(prefix);
      reader.push(bytes);
    } catch (error) {
      if (!(error instanceof Enough)) throw error;
    }
    return n - first;
  }

  /** The slow path: read the file from its start, as the first pass did. */
  private scan(first: number, last: number, visit: (frame: DecodedFrame) => void): void {
    const reader = new CaptureReader({
      packet: (p) => {
        if (p.number > last) throw new Enough();
        // Packets are views into the reader's chunk or carry: copy the ones kept.
        if (p.number >= first) visit(decodeFrame(detachedPacket(p)));
      },
      notice: () => undefined,
    });
    try {
      const buffer = new Uint8Array(SCAN_CHUNK_BYTES);
      for (let at = 0; ; ) {
        const chunk = this.readAt(at, SCAN_CHUNK_BYTES, buffer);
        if (chunk.length === 0) return;
        reader.push(chunk);
        at += chunk.length;
      }
    } catch (error) {
      if (!(error instanceof Enough)) throw error;
    }
  }

  /** Up to `length` bytes of the capture from `position`, into `buffer`; fewer at the end of what was read. */
  private readAt(position: number, length: number, buffer: Uint8Array): Uint8Array {
    return buffer.subarray(0, this.bytes.readAt(position, length, buffer));
  }
}

function renumbered(p: CapturedPacket, number: number, offset: number): CapturedPacket {
  return { ...p, number, offset };
}
