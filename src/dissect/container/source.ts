// Feeds a capture file (or stdin, path "-") to a CaptureReader in large chunks. One reused
// buffer: the reader copies out the only bytes it keeps (a record cut by a chunk boundary).

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

/** Regular files and FIFOs alike: a FIFO just returns shorter reads. */
async function feedFile(path: string, feed: Feed): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      feed(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

async function feedStdin(feed: Feed): Promise<void> {
  const buffer = new Uint8Array(CHUNK_BYTES);
  for (;;) {
    let bytesRead: number;
    try {
      bytesRead = await readStdin(buffer);
    } catch (error) {
      // fd 0 was left non-blocking by whoever started us: fall back to Node's stream,
      // which polls it. Nothing was consumed by the failed read.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      for await (const chunk of process.stdin) feed(chunk as Buffer);
      return;
    }
    if (bytesRead === 0) return;
    feed(buffer.subarray(0, bytesRead));
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
