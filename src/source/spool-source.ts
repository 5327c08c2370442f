// A source whose every chunk is also handed to `tap` as it is read (before the reader
// parses it): the spool keeps a stream's bytes this way, at the same offsets.

import type { ByteSource } from './byte-source.js';

export function tappedSource(source: ByteSource, tap: (chunk: Uint8Array) => void): ByteSource {
  return {
    streaming: source.streaming,
    async read(buffer) {
      const n = await source.read(buffer);
      if (n > 0) tap(buffer.subarray(0, n));
      return n;
    },
    close: () => source.close(),
    abort: () => source.abort(),
  };
}
