// The NDJSON lines of ANALYSIS.md section 4, with their keys in the contract's order.

import type { Finding } from '../dissect/findings.js';
import type { ConnSummary, EngineSummary, RecordResult } from '../reassembly/index.js';

/** JSON with 64-bit values above 2^53 - 1 (bigints) written as decimal strings. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function anomalyJson(f: Finding): string {
  return toJson({
    type: 'anomaly', code: f.code, severity: f.severity, frame: f.frame, conn: f.conn ?? null, dir: f.dir ?? null,
    message: f.message, related_frames: f.related_frames ?? [], details: f.details ?? {},
  });
}

export function recordJson(r: RecordResult): string {
  return toJson({
    type: 'record', conn: r.conn, dir: r.dir, dialect: r.dialect, index: r.index, msg_cnt: r.msg_cnt, msg_len: r.msg_len,
    received: r.received, first_frame: r.first_frame, last_frame: r.last_frame, status: r.status, reason: r.reason ?? null,
    eor: r.eor, truncated: r.truncated, ...(r.copied !== undefined ? { copied: r.copied } : {}),
  });
}

export function connJson(c: ConnSummary): string {
  const { type: socketType, ...rest } = c;
  return toJson({ type: 'conn', socket_type: socketType, ...rest });
}

export function summaryJson(s: EngineSummary): string {
  return toJson({ type: 'summary', frames: s.frames, malformed: s.malformed, connections: s.connections, records: s.records, anomalies: s.anomalies });
}
