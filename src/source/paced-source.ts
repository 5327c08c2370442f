// A source whose reads wait for its consumer: `ready` returns a promise when whoever takes
// what is read has fallen behind, resolved once it has caught up, so that what it has not
// taken does not pile up.

import type { ByteSource } from './byte-source.js';

export function pacedSource(source: ByteSource, ready: () => Promise<void> | undefined): ByteSource {
  return {
    streaming: source.streaming,
    read(buffer) {
      // Not awaited when there is no wait: the read must start now, while the reader still
      // works on the previous chunk (read-capture.ts reads ahead).
      const wait = ready();
      return wait === undefined ? source.read(buffer) : wait.then(() => source.read(buffer));
    },
    close: () => source.close(),
    abort: () => source.abort(),
  };
}
