// The capture reader on its own, fed in chunks: frames and damage as the oracle says,
// and no allocation sized by what the input claims rather than by what it holds.

import { CaptureReader } from '../../src/dissect/container/reader.js';
import type { CaptureEnd } from '../../src/dissect/container/types.js';
import { expectOutcome, violation } from './verdict.js';
import type { Walk } from './walker.js';

/**
 * Buffer memory the reader may hold for an input of n bytes: a record straddling chunks is
 * copied once, into a carry of at least 64 KiB grown by doubling.
 */
export function allocationBound(inputBytes: number): number {
  return 1024 * 1024 + 2 * inputBytes;
}

export function readerStage(bytes: Uint8Array, chunk: number, walk: Walk): void {
  let frames = 0;
  const reader = new CaptureReader({ packet: () => void frames++, notice: () => undefined });
  const before = process.memoryUsage().arrayBuffers;
  let error: unknown;
  let end: CaptureEnd | undefined;
  try {
    for (let at = 0; at < bytes.length; at += chunk) reader.push(bytes.subarray(at, at + chunk));
  } catch (e) {
    error = e;
  }
  // Measured while the reader still holds whatever it allocated.
  const grown = process.memoryUsage().arrayBuffers - before;
  if (grown > allocationBound(bytes.length)) {
    violation('reader', `${grown} bytes of buffers allocated for a ${bytes.length}-byte input`);
  }
  if (error === undefined) {
    try {
      end = reader.end();
    } catch (e) {
      error = e;
    }
  }
  expectOutcome(`reader (chunks of ${chunk})`, walk, { frames, error, truncated: end?.truncated });
}
