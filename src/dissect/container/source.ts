// Feeds a capture file (or stdin, path "-") to a CaptureReader in large chunks. One reused
// buffer of two chunks: the reader copies out the only bytes it keeps (a record cut by a
// chunk boundary).

import { read } from 'node:fs';
import { open } from 'node:fs/promises';
import { CaptureReader } from './reader.js';
import type { CaptureEnd, CaptureSink } from './types.js';

const CHUNK_BYTES = 1024 * 1024;

export async function readCaptureFile(path: string, sink: CaptureSink): Promise<CaptureEnd> {
  const reader = new CaptureReader(sink);
  const feed = (chunk: Uint8Array) => {
    reader.push(chunk);
    sink.chunkEnd?.();
  };
  if (path === '-') await feedStdin(feed);
  else await feedFile(path, feed);
  return reader.end();
}

type Feed = (chunk: Uint8Array) => void;
type ReadInto = (buffer: Uint8Array) => Promise<number>;

/**
 * Reads chunk after chunk into the two halves of one buffer, the next chunk while the
 * current one is fed (the read runs on libuv's thread pool, so I/O and decoding overlap).
 * A half is read into again only once its chunk has been fed, chunkEnd included.
 */
async function feedAhead(readInto: ReadInto, feed: Feed): Promise<void> {
  const buffer = new Uint8Array(2 * CHUNK_BYTES);
  const halves = [buffer.subarray(0, CHUNK_BYTES), buffer.subarray(CHUNK_BYTES)];
  let half = 0;
  let next = readInto(halves[half]!);
  try {
    for (;;) {
      const bytesRead = await next;
      if (bytesRead === 0) return;
      const chunk = halves[half]!.subarray(0, bytesRead);
      half ^= 1;
      next = readInto(halves[half]!);
      feed(chunk);
    }
  } finally {
    // A read still in flight (feed threw) must finish before the caller closes the file.
    await next.catch(() => 0);
  }
}

/** Regular files and FIFOs alike: a FIFO just returns shorter reads. */
async function feedFile(path: string, feed: Feed): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await feedAhead(async (buffer) => (await handle.read(buffer, 0, buffer.length, null)).bytesRead, feed);
  } finally {
    await handle.close();
  }
}

async function feedStdin(feed: Feed): Promise<void> {
  try {
    await feedAhead(readStdin, feed);
  } catch (error) {
    // fd 0 was left non-blocking by whoever started us: fall back to Node's stream,
    // which polls it. Nothing was consumed by the failed read.
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    for await (const chunk of process.stdin) feed(chunk as Buffer);
  }
}

function readStdin(buffer: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    read(0, buffer, 0, buffer.length, null, (error, bytesRead) => {
      if (error) reject(error);
      else resolve(bytesRead);
    });
  });
}
