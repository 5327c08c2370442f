// Feeds a source to a CaptureReader in large chunks: one reused buffer of two halves, the
// next chunk read while the current one is decoded (reads run on libuv's thread pool, so
// I/O and decoding overlap). A chunk is handed to the reader a piece at a time; the reader
// copies out the only bytes it keeps (a record cut by a piece's end).

import { CaptureReader } from '../dissect/container/reader.js';
import type { CaptureEnd, CaptureSink } from '../dissect/container/types.js';
import type { ByteSource, SourceSpec } from './byte-source.js';
import { openCommandSource } from './command-source.js';
import { openPathSource } from './file-source.js';
import { openFollowSource } from './follow-source.js';

/**
 * Bytes a read asks for. Each read costs the thread that starts it about 30 us on this VM
 * (fs.read's hand-off to the thread pool), whatever its size: with 4 MiB instead of 1 the
 * bench capture's 272 reads became 68; `check` took 4-7 ms less, the TUI's full load 19 ms
 * less (medians of 9 and 15 runs). 8 MiB was slower than 4.
 */
export const CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * Bytes handed to the reader at a time. After each piece the sink's chunkEnd runs (the
 * pipeline looks at the heap there) and the consumer may make reading wait (`pace`): both
 * want pieces of about this size, whatever a read brings.
 */
export const PIECE_BYTES = 1024 * 1024;

/**
 * Undefined when the consumer keeps up; else a promise resolved once it has caught up, and
 * no more bytes reach the reader until then (what the reader makes of them would pile up).
 */
export type Pace = () => Promise<void> | undefined;

export function openSource(spec: SourceSpec): Promise<ByteSource> {
  switch (spec.kind) {
    case 'path': return openPathSource(spec.path);
    case 'follow': return openFollowSource(spec.path);
    case 'command': return openCommandSource(spec);
  }
}

export interface ReadEnd extends CaptureEnd {
  /** Reading was stopped by the signal (Ctrl-C) before the input ended. */
  readonly interrupted: boolean;
}

/**
 * Reads the source to its end (or until `signal` aborts) into a fresh CaptureReader.
 * An interrupted read does not report a record cut by the interruption: it was still
 * arriving.
 */
export async function readCapture(source: ByteSource, sink: CaptureSink, signal?: AbortSignal, pace?: Pace): Promise<ReadEnd> {
  const reader = new CaptureReader(sink);
  const ended = await feedAhead(source, (piece) => {
    reader.push(piece);
    sink.chunkEnd?.();
  }, signal, pace);
  if (!ended) return { interrupted: true };
  return { ...reader.end(), interrupted: false };
}

/** A capture file (or `-`, stdin) read to its end. */
export async function readCaptureFile(path: string, sink: CaptureSink): Promise<CaptureEnd> {
  const source = await openPathSource(path);
  const { interrupted: _, ...end } = await readCapture(source, sink);
  return end;
}

/** Resolves true at the end of the input, false when aborted. Closes the source either way it can. */
async function feedAhead(source: ByteSource, feed: (piece: Uint8Array) => void, signal: AbortSignal | undefined, pace: Pace | undefined): Promise<boolean> {
  const buffer = new Uint8Array(2 * CHUNK_BYTES);
  const halves = [buffer.subarray(0, CHUNK_BYTES), buffer.subarray(CHUNK_BYTES)];
  const aborted = abortPromise(signal);
  let half = 0;
  let next = source.read(halves[half]!);
  let settled = false;
  // Reading ends early (aborted, or an error thrown): a file's read in flight finishes and
  // the file is closed (finally); a read of a pipe may block forever, so it is aborted.
  const stopEarly = () => {
    if (source.streaming) source.abort();
    else settled = true;
  };
  try {
    for (;;) {
      const bytesRead = await Promise.race([next, aborted.promise]);
      if (bytesRead === ABORTED) {
        stopEarly();
        return false;
      }
      if (bytesRead === 0) {
        settled = true;
        return true;
      }
      const chunk = halves[half]!.subarray(0, bytesRead);
      half ^= 1;
      next = source.read(halves[half]!);
      for (let at = 0; at < bytesRead; at += PIECE_BYTES) {
        const wait = pace?.();
        if (wait !== undefined && (await Promise.race([wait, aborted.promise])) === ABORTED) {
          stopEarly();
          return false;
        }
        feed(chunk.subarray(at, at + PIECE_BYTES));
      }
    }
  } catch (error) {
    // A consumer that stopped reading (-c N), or damage.
    stopEarly();
    throw error;
  } finally {
    aborted.dispose();
    if (settled) {
      // A read still in flight must finish before the file is closed.
      await next.catch(() => 0);
      await source.close();
    }
  }
}

const ABORTED = -1;

function abortPromise(signal: AbortSignal | undefined): { promise: Promise<number>; dispose(): void } {
  if (signal === undefined) return { promise: new Promise<number>(() => undefined), dispose: () => undefined };
  let onAbort = () => undefined as void;
  const promise = new Promise<number>((resolve) => {
    onAbort = () => resolve(ABORTED);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
