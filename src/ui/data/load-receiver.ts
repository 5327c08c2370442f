// The UI's side of the messages: applies the loader's batches to the stores.

import { bytesOf } from '../../dissect/container/record-bytes.js';
import { CaptureError } from '../../dissect/container/types.js';
import { FINDING_CODES } from '../../dissect/findings.js';
import { MemoryLimitError } from '../../cli/memory-limit.js';
import { LiveError } from '../../source/live-errors.js';
import type { ConnTable } from './conns.js';
import type { FindingsStore } from './findings.js';
import type { FrameIndex } from './frame-index.js';
import type { FrameReader } from './frame-reader.js';
import type { LoadBatch, ReplayProbe, SentError, SentOutcome } from './load-messages.js';
import type { RecordStore } from '../../store/records.js';

export interface LoadTargets {
  readonly index: FrameIndex;
  readonly reader: FrameReader;
  readonly findings: FindingsStore;
  readonly records: RecordStore;
  readonly conns: ConnTable;
}

export function applyBatch(batch: LoadBatch, to: LoadTargets): void {
  to.index.appendAll(batch.offsets, batch.v4);
  const decoded = batch.decoded;
  for (let i = 0; i < decoded.length; i += 2) to.findings.addDecoded(FINDING_CODES[decoded[i]!]!, decoded[i + 1]!);
  to.findings.addKept(batch.kept);
  to.records.add(batch.records);
  to.conns.add(batch.conns);
  if (batch.live !== undefined) to.conns.setLive(batch.live);
  for (const probe of batch.probes) checkReplay(probe, to.reader);
}

/** Reads a frame again from the prefix and the index; where it differs from what the loader decoded, scanning takes over. */
function checkReplay(probe: ReplayProbe, reader: FrameReader): void {
  let same = false;
  try {
    const again = reader.frame(probe.number);
    same = again.tsSec === probe.tsSec && again.tsNsec === probe.tsNsec && again.linkType === probe.linkType
      && again.len === probe.len && Buffer.compare(bytesOf(again), probe.bytes) === 0;
  } catch {
    same = false;
  }
  if (!same) reader.limitReplay(probe.number);
}

export interface LoadOutcome {
  readonly frames: number;
  readonly stopped: boolean;
  readonly interrupted: boolean;
  /** The damage (or the capture process's failure, or the heap filling up) that stopped loading; every frame before it was loaded. */
  readonly error?: CaptureError | LiveError | MemoryLimitError;
  readonly truncated?: SentOutcome['truncated'];
  readonly summary: SentOutcome['summary'];
}

export function receivedOutcome(sent: SentOutcome): LoadOutcome {
  const { error, ...rest } = sent;
  if (error === undefined) return rest;
  // A pass's outcome only ever holds damage (a CaptureError, sent with its offset), a LiveError or a MemoryLimitError.
  return { ...rest, error: receivedError(error) as CaptureError | LiveError | MemoryLimitError };
}

/** The error as thrown where the loader ran: a CaptureError, a LiveError, a MemoryLimitError, or an Error with its errno code. */
export function receivedError(sent: SentError): Error {
  if (sent.name === 'CaptureError' && sent.byteOffset !== undefined) return new CaptureError(sent.message, sent.byteOffset);
  if (sent.name === 'LiveError') return new LiveError(sent.message);
  if (sent.name === 'MemoryLimitError' && sent.frame !== undefined) return new MemoryLimitError(sent.frame, sent.message);
  const error = new Error(sent.message) as Error & { code?: string; syscall?: string };
  error.name = sent.name;
  if (sent.code !== undefined) error.code = sent.code;
  if (sent.syscall !== undefined) error.syscall = sent.syscall;
  return error;
}
