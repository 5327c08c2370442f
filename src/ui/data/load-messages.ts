// What the loader sends to the UI while it reads the file: compact batches (typed arrays on
// shared memory, which cross without a copy) that the UI applies to its stores. The loader
// may run in a worker thread; these are the only things that cross over.

import type { Timestamp } from '../../dissect/present/time.js';
import type { EngineOptions, EngineSummary } from '../../reassembly/index.js';
import type { SourceSpec } from '../../source/byte-source.js';
import type { SpoolLayout } from '../../source/spool.js';
import type { PackedConns } from '../../store/conns.js';
import type { PackedFindings } from '../../store/findings.js';
import type { PackedRecords } from '../../store/records.js';

/** What the loader reads (sent to the worker: serialisable). */
export interface LoadSpec {
  readonly source: SourceSpec;
  /** Where a stream's bytes are kept for the UI to read frames again; absent: the capture is read in place. */
  readonly spool?: SpoolLayout;
  readonly engine?: EngineOptions;
}

/** What the UI tells a loader in a worker thread: stop reading; a batch was applied (Loader.applied). */
export type LoaderRequest = { readonly type: 'stop' } | { readonly type: 'applied' };

/** A frame whose replay from the prefix must be checked (see checkReplay in load-receiver.ts): what it decoded to. */
export interface ReplayProbe {
  readonly number: number;
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly linkType: number;
  readonly len: number;
  readonly bytes: Uint8Array;
}

export interface LoadBatch {
  /** File offset of the newest frame. */
  readonly position: number;
  /** Bytes read from the source so far. */
  readonly received: number;
  /** The next frames of the index, in order: record offsets and the RW flag dialect. */
  readonly offsets: Float64Array;
  readonly v4: Uint8Array;
  /** The decoder's findings as pairs: index in FINDING_CODES, frame. */
  readonly decoded: Uint32Array;
  /** Findings of the engine and the container, in the order reported. */
  readonly kept: PackedFindings;
  readonly records: PackedRecords;
  /** `conn` events. */
  readonly conns: PackedConns;
  /** Snapshots of the instances whose `conn` event has not gone out yet (Engine.liveConns; now and then while loading). */
  readonly live: PackedConns | undefined;
  readonly probes: readonly ReplayProbe[];
}

/** An error as it can cross a thread: enough for describeError() and CaptureError. */
export interface SentError {
  readonly name: string;
  readonly message: string;
  readonly byteOffset?: number;
  /** A MemoryLimitError's. */
  readonly frame?: number;
  readonly code?: string;
  readonly syscall?: string;
}

export interface SentOutcome {
  readonly frames: number;
  readonly stopped: boolean;
  /** Reading was stopped (Ctrl-C in live mode) before the input ended. */
  readonly interrupted: boolean;
  readonly error?: SentError;
  readonly truncated?: { readonly offset: number; readonly have: number; readonly need: number };
  readonly summary: EngineSummary;
}

export type LoadMessage =
  /** Frame 1: the time origin, and the file's bytes before it (see FrameReader). */
  | { readonly type: 'start'; readonly origin: Timestamp; readonly prefix: Uint8Array }
  | { readonly type: 'batch'; readonly batch: LoadBatch }
  | { readonly type: 'end'; readonly outcome: SentOutcome }
  | { readonly type: 'failed'; readonly error: SentError };

/** Typed arrays in a message are on shared memory: nothing is transferred (store/shared-arrays.ts). */
export type Post = (message: LoadMessage) => void;

export function sentError(error: unknown): SentError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const e = error as Error & { byteOffset?: unknown; frame?: unknown; code?: unknown; syscall?: unknown };
  return {
    name: e.name, message: e.message,
    ...(typeof e.byteOffset === 'number' ? { byteOffset: e.byteOffset } : {}),
    ...(typeof e.frame === 'number' ? { frame: e.frame } : {}),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.syscall === 'string' ? { syscall: e.syscall } : {}),
  };
}
