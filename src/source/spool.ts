// A stream's bytes kept on disk, so that frames can be read again by offset like a file's:
// segment files of a fixed size, segment i holding stream bytes [i * size, (i + 1) * size).
// One thread appends (SpoolWriter), another reads and drops whole old segments (SpoolReader:
// --ring). The directory is removed when the session ends, however it ends.

import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RandomAccess } from './random-access.js';

export const SEGMENT_BYTES = 64 * 1024 * 1024;

export interface SpoolLayout {
  readonly dir: string;
  readonly segmentBytes: number;
}

function segmentPath(layout: SpoolLayout, i: number): string {
  return join(layout.dir, `segment-${i}`);
}

export class SpoolWriter {
  /** Stream bytes written so far: the offset of the next one. */
  length = 0;
  private fd: number | undefined;
  private segment = -1;

  constructor(private readonly layout: SpoolLayout) {}

  append(bytes: Uint8Array): void {
    const size = this.layout.segmentBytes;
    for (let done = 0; done < bytes.length; ) {
      const i = Math.floor(this.length / size);
      if (i !== this.segment) this.open(i);
      const take = Math.min(bytes.length - done, (i + 1) * size - this.length);
      for (let w = 0; w < take; ) w += writeSync(this.fd!, bytes, done + w, take - w);
      done += take;
      this.length += take;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(i: number): void {
    this.close();
    this.fd = openSync(segmentPath(this.layout, i), 'w');
    this.segment = i;
  }
}

export class SpoolReader implements RandomAccess {
  private readonly fds = new Map<number, number>();
  /** Segments before this one were dropped. */
  private firstSegment = 0;

  constructor(private readonly layout: SpoolLayout) {}

  readAt(position: number, length: number, buffer: Uint8Array): number {
    const size = this.layout.segmentBytes;
    let filled = 0;
    while (filled < length) {
      const at = position + filled;
      const i = Math.floor(at / size);
      const fd = this.segmentFd(i, at);
      if (fd === undefined) break;
      const n = readSync(fd, buffer, filled, Math.min(length - filled, (i + 1) * size - at), at - i * size);
      if (n === 0) break;
      filled += n;
    }
    return filled;
  }

  /** Deletes every segment that holds only bytes before `position`. */
  trimBefore(position: number): void {
    const keep = Math.floor(position / this.layout.segmentBytes);
    for (let i = this.firstSegment; i < keep; i++) {
      const fd = this.fds.get(i);
      if (fd !== undefined) closeSync(fd);
      this.fds.delete(i);
      rmSync(segmentPath(this.layout, i), { force: true });
    }
    this.firstSegment = Math.max(this.firstSegment, keep);
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  /** Undefined: not written yet (the end of the data so far). */
  private segmentFd(i: number, position: number): number | undefined {
    if (i < this.firstSegment) throw new RangeError(`byte ${position} of the stream is no longer kept (--ring dropped it)`);
    let fd = this.fds.get(i);
    if (fd !== undefined) return fd;
    try {
      fd = openSync(segmentPath(this.layout, i), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    this.fds.set(i, fd);
    return fd;
  }
}

/** Removes the spool directory and whatever is in it (synchronously: also on the way out of the process). */
export function removeSpool(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

