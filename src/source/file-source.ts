// A capture file or FIFO by path, read sequentially; `-` is stdin.

import { fstatSync, read } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ByteSource } from './byte-source.js';
import { StreamSource } from './stream-source.js';

export async function openPathSource(path: string): Promise<ByteSource> {
  if (path === '-') return stdinSource();
  const handle = await open(path, 'r');
  const streaming = !(await handle.stat()).isFile();
  const fd = handle.fd;
  return {
    streaming,
    read: (buffer) => readFd(fd, buffer),
    close: () => handle.close(),
    abort: () => undefined,
  };
}

/** The next bytes of fd into buffer, on the thread pool (fs.read: FileHandle.read's promise machinery costs more). */
function readFd(fd: number, buffer: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, buffer.length, null, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)));
  });
}

/**
 * fd 0 read directly (on the thread pool, like a file). When whoever started us left it
 * non-blocking, reads fail with EAGAIN: then Node's stream takes over, which polls it.
 */
function stdinSource(): ByteSource {
  let stream: StreamSource | undefined;
  return {
    streaming: !fstatSync(0).isFile(),
    async read(buffer) {
      if (stream !== undefined) return stream.read(buffer);
      try {
        return await readFd(0, buffer);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        stream = new StreamSource(process.stdin);
        return stream.read(buffer);
      }
    },
    close: async () => stream?.abort(),
    abort: () => stream?.abort(),
  };
}
