// Findings: the engine's, built with the connection and direction they are about, counted
// (summary().anomalies and the direction's DirSummary) and put in the event stream; and
// the decoder's, counted.

import { finding, type Finding, type FindingCode } from '../dissect/findings.js';
import type { Conn } from './conn.js';
import type { Context } from './context.js';
import { connId, dirName } from './names.js';

/** A finding about frame n, from A (fromA) or B, emitted now (in its place in the stream). */
export function report(
  ctx: Context, c: Conn, fromA: boolean, code: FindingCode, n: number, message: string,
  related?: readonly number[], details?: Record<string, unknown>,
): void {
  count(ctx, c, fromA, code);
  ctx.queue.emit({ type: 'anomaly', finding: engineFinding(c, fromA, code, n, message, related, details) }, n);
}

export function engineFinding(
  c: Conn, fromA: boolean, code: FindingCode, n: number, message: string,
  related: readonly number[] | undefined, details: Record<string, unknown> | undefined,
): Finding {
  return finding(code, n, message, {
    conn: connId(c), dir: dirName(c, fromA),
    ...(related !== undefined && related.length > 0 ? { related_frames: related } : {}),
    ...(details !== undefined ? { details } : {}),
  });
}

/** Counts an engine finding when it is created, even if it is emitted later. */
export function count(ctx: Context, c: Conn, fromA: boolean, code: FindingCode): void {
  (fromA ? c.d0 : c.d1).findings++;
  ctx.anomalies.set(code, (ctx.anomalies.get(code) ?? 0) + 1);
}

/** The decoder's findings of a pushed frame. */
export function countDecoderFindings(ctx: Context, ex: readonly Finding[]): void {
  let bad = false;
  for (const f of ex) {
    ctx.anomalies.set(f.code, (ctx.anomalies.get(f.code) ?? 0) + 1);
    if (f.code.startsWith('vsock.malformed.')) bad = true;
  }
  if (bad) ctx.malformed++;
}

