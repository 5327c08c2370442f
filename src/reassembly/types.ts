// Public shapes of the reference receiver engine (ANALYSIS.md sections 1, 3 and 4).

import type { Finding, FindingCode } from '../dissect/findings.js';

/** SEQPACKET dialect of a connection (ANALYSIS.md 2.4, 2.5). */
export type Dialect = 'v4' | 'v7' | 'eom';

export interface EngineOptions {
  /** `auto` (default): `v4` once an op 8/9 is seen on a SEQPACKET connection, `eom` before. Others force it. */
  readonly dialect?: 'auto' | Dialect;
  /** The application's recv() buffer (`--rcvbuf N`); longer delivered records are MSG_TRUNC. Default unlimited. */
  readonly rcvbuf?: number;
  /** false: no `record` events, for a consumer that reads none (summary() still counts them). Default true. */
  readonly records?: boolean;
  /** false: no `conn` events, for a consumer that reads none (conns() still gives every instance). Default true. */
  readonly conns?: boolean;
  /** Takes the records no finding decided in place of their `record` events (see RecordSink). */
  readonly recordSink?: RecordSink;
}

/**
 * Records as numbers, for a consumer that packs them (the TUI's loader): it is handed the
 * records no finding decided (delivered and incomplete ones) in place of their `record`
 * events, and no object is made for each. Only while no event is held back: a record with
 * a reason, or one behind a held-back finding, still goes out as a `record` event, in its
 * place in the stream.
 */
export interface RecordSink {
  /** RecordResult's fields (null where it has null; `copied` -1 unless truncated), and EngineEvent's `stream`. */
  record(
    stream: number, conn: string, dir: string, dialect: Dialect, index: number, status: RecordStatus,
    msgCnt: number | null, msgLen: number | null, received: number, first: number | null, last: number | null, eor: boolean, copied: number,
  ): void;
}

export type RecordStatus = 'delivered' | 'dropped' | 'orphan' | 'lost' | 'incomplete';

/** The findings that decide a record's fate: a dropped, orphan or lost record's `reason`. */
export const RECORD_REASONS = [
  'vsock.seq.lost_end', 'vsock.seq.cnt_mismatch', 'vsock.seq.len_mismatch', 'vsock.seq.unterminated', 'vsock.seq.lost_begin', 'vsock.seq.cnt_gap',
] as const satisfies readonly FindingCode[];
export type RecordReason = (typeof RECORD_REASONS)[number];

/**
 * One record (v4/v7) or message (eom) as the reference receiver saw it: exactly the
 * `record` line of ANALYSIS.md 4, so `JSON.stringify(record)` is that line.
 */
export interface RecordResult {
  readonly type: 'record';
  readonly conn: string;
  readonly dir: string;
  readonly dialect: Dialect;
  /** 0-based per direction, lost records included (clean v4: msg_cnt / 2; clean v7: msg_cnt). */
  readonly index: number;
  /** SEQ_BEGIN counter (an orphan: the one its SEQ_END implies, null without one); null in eom. */
  readonly msg_cnt: number | null;
  /** SEQ_BEGIN msg_len; null in eom and for orphans and lost records. */
  readonly msg_len: number | null;
  /** Payload bytes received between the markers (virtio `len`, never the captured bytes). */
  readonly received: number;
  /** First and last frame of the record (its SEQ_BEGIN / SEQ_END in v4); null for lost records. */
  readonly first_frame: number | null;
  readonly last_frame: number | null;
  readonly status: RecordStatus;
  /** Present for dropped (the code that dropped it), orphan (vsock.seq.lost_begin) and lost (vsock.seq.cnt_gap). */
  readonly reason?: RecordReason;
  /** v4/v7: any RW of the record had flag bit 0 (MSG_EOR); eom: the EOM packet had bit 1 (EOR). */
  readonly eor: boolean;
  /** Delivered and longer than `--rcvbuf`: recv() returns MSG_TRUNC with `copied` bytes. */
  readonly truncated: boolean;
  /** Present only when `truncated`: the bytes recv() copied (the `--rcvbuf` size). */
  readonly copied?: number;
}

/** A connection instance's states, in the order of the engine's state numbers (conn.ts). */
export const CONN_STATES = ['requested', 'established', 'refused', 'half-closed', 'closed', 'reset'] as const;
export type ConnState = (typeof CONN_STATES)[number];

export interface RecordCounts {
  delivered: number;
  dropped: number;
  orphan: number;
  lost: number;
  incomplete: number;
}

/** One direction (half) of a connection instance. */
export interface DirSummary {
  /** `"<src_cid>:<src_port>><dst_cid>:<dst_port>"`. */
  readonly dir: string;
  readonly frames: number;
  /** Sum of the virtio `len` of the direction's frames. */
  readonly bytes: number;
  readonly records: Readonly<RecordCounts>;
  /** Engine findings attached to frames of this direction. */
  readonly findings: number;
  /**
   * Seconds the sender's bytes in flight were >= the receiver's buf_alloc (window full).
   * null when credit is not analysed (the handshake was not captured).
   */
  readonly window_full_s: number | null;
}

/** A connection instance (ANALYSIS.md 1). A snapshot: the engine builds a fresh one on each request. */
export interface ConnSummary {
  /** `"<cid>:<port>-<cid>:<port>"`, initiator first (midstream: lower pair first). */
  readonly id: string;
  /** Frame number of its first packet: tells instances of one 4-tuple apart. */
  readonly first_frame: number;
  readonly last_frame: number;
  /** `STREAM`, `SEQPACKET` or `unknown(N)`, from its first packet. */
  readonly type: string;
  /** null for STREAM, and for SEQPACKET before any RW or marker decided it (auto). */
  readonly dialect: Dialect | null;
  readonly state: ConnState;
  /** The capture started after its REQUEST. */
  readonly midstream: boolean;
  /** Seconds since the epoch of its first and last frame. */
  readonly first_time: number;
  readonly last_time: number;
  /** [initiator -> responder, responder -> initiator] (midstream: [lower -> higher, higher -> lower]). */
  readonly dirs: readonly [DirSummary, DirSummary];
}

export interface EngineSummary {
  /** Every frame pushed, with or without a virtio header. */
  readonly frames: number;
  /** Frames that carried at least one `vsock.malformed.*` decoder finding. */
  readonly malformed: number;
  /** Connection instances. */
  readonly connections: number;
  readonly records: Readonly<RecordCounts>;
  /**
   * Findings by code: the decoder's (frame.expert of each frame when it was pushed) and
   * the engine's (as created, including ones still held back).
   */
  readonly anomalies: Readonly<Record<string, number>>;
}

export type EngineEvent =
  /** A finding: `conn` and `dir` (the direction of the frame it is attached to) are filled. */
  | { readonly type: 'anomaly'; readonly finding: Finding }
  /**
   * `stream` numbers the record's connection id and direction within the run: two records
   * have the same stream exactly when they have the same `conn` and `dir` (a consumer that
   * groups records can index by it instead of hashing the strings).
   */
  | { readonly type: 'record'; readonly record: RecordResult; readonly stream: number }
  /**
   * A connection instance ended (its first RST: attached to that frame), or the capture
   * ended with it still open (after everything else). A snapshot: packets of the instance
   * after its RST (Linux's second RST, CREDIT_UPDATEs) are counted later by `conns()`.
   */
  | { readonly type: 'conn'; readonly conn: ConnSummary };
