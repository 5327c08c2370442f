// Bytes read again by position: the capture file itself, or the spool that keeps a
// stream's bytes (spool.ts). The UI re-reads frames through this. A regular file (or a
// file being followed) is read again in place; anything else (a pipe, stdin, a capture
// process) only through the spool its bytes were copied to as they were read.

import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { SourceSpec } from './byte-source.js';

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

/** Whether the capture's bytes can be read again where they are (no spool needed). */
export function readsInPlace(spec: SourceSpec): boolean {
  switch (spec.kind) {
    case 'path': return (spec.path === '-' ? fstatSync(0) : statSync(spec.path)).isFile();
    case 'follow': return true;
    case 'command': return false;
  }
}

/** The capture read in place (readsInPlace(spec) must hold). */
export function openCaptureAccess(spec: SourceSpec): RandomAccess {
  if (spec.kind !== 'path' && spec.kind !== 'follow') throw new Error(`${spec.kind} input is only read through a spool`);
  return spec.path === '-' ? fileAccess(0, false) : fileAccess(openSync(spec.path, 'r'), true);
}
