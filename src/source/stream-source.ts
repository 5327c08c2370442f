// A Node readable stream (a child's stdout, a non-blocking stdin) as a ByteSource:
// chunks are queued as they come and copied out on read; the stream is paused while
// more than HIGH_WATER bytes wait, so a slow consumer bounds memory.

import type { Readable } from 'node:stream';
import type { ByteSource } from './byte-source.js';

const HIGH_WATER = 4 * 1024 * 1024;

export class StreamSource implements ByteSource {
  readonly streaming = true;
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.queue.push(chunk);
      this.queued += chunk.length;
      if (this.queued > HIGH_WATER) stream.pause();
      this.notify();
    });
    stream.on('end', () => { this.ended = true; this.notify(); });
    stream.on('close', () => { this.ended = true; this.notify(); });
    stream.on('error', (error) => { this.failure = error; this.notify(); });
  }

  async read(buffer: Uint8Array): Promise<number> {
    while (this.queue.length === 0) {
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) return 0;
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
    let filled = 0;
    while (filled < buffer.length && this.queue.length > 0) {
      const head = this.queue[0]!;
      const n = Math.min(head.length, buffer.length - filled);
      buffer.set(head.subarray(0, n), filled);
      filled += n;
      if (n === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(n);
    }
    this.queued -= filled;
    if (this.queued <= HIGH_WATER && this.stream.isPaused()) this.stream.resume();
    return filled;
  }

  async close(): Promise<void> {
    this.abort();
  }

  abort(): void {
    this.stream.destroy();
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
