// Bytes read again by position: the capture file itself, or the spool that keeps a
// stream's bytes (spool.ts). The UI re-reads frames through this.

import { closeSync, readSync } from 'node:fs';

export interface RandomAccess {
  /** Reads up to `length` bytes from `position` into `buffer` (from its start); returns the count, fewer at the end of the data. */
  readAt(position: number, length: number, buffer: Uint8Array): number;
  close(): void;
}

/** A regular file open on `fd`; `owned`: close() closes it (not for stdin). */
export function fileAccess(fd: number, owned: boolean): RandomAccess {
  return {
    readAt(position, length, buffer) {
      let filled = 0;
      while (filled < length) {
        const n = readSync(fd, buffer, filled, length - filled, position + filled);
        if (n === 0) break;
        filled += n;
      }
      return filled;
    },
    close: () => {
      if (owned) closeSync(fd);
    },
  };
}
