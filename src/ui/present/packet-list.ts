// Rows of the packet list: the summary columns `vsockscope read` prints, decoded on
// demand for the visible frames only.

import type { DecodedFrame } from '../../dissect/decode.js';
import type { Severity } from '../../dissect/findings.js';
import { summaryColumns } from '../../dissect/present/summary.js';
import type { Session } from '../data/session.js';
import { fit } from './text.js';

export const PACKET_HEADER: readonly string[] = ['No.', 'Time', 'Source', 'Destination', 'Type', 'Op', 'Len', 'Info'];
const RIGHT_ALIGNED: readonly boolean[] = [true, true, false, false, false, false, true, false];
const INFO = PACKET_HEADER.length - 1;

export interface PacketRow {
  readonly frame: number;
  readonly severity: Severity | undefined;
  readonly cells: readonly string[];
}

/** One letter per severity, so that rows with findings stand out without colour too. */
export const SEVERITY_MARK: Readonly<Record<Severity, string>> = { error: 'E', warning: 'W', info: 'I' };

/** Decoded frames are cached by the reader; their rows are cached with them. */
const rowsByFrame = new WeakMap<DecodedFrame, PacketRow>();

export function packetRow(session: Session, n: number): PacketRow {
  const frame = session.frame(n);
  let row = rowsByFrame.get(frame);
  if (row === undefined) {
    const c = summaryColumns(frame, session.origin ?? frame, session.index.v4Dialect(n));
    const info = c.codes === '' ? c.info : `${c.info} [${c.codes}]`;
    row = { frame: n, severity: session.index.severity(n), cells: [c.number, c.time, c.source, c.destination, c.type, c.op, String(frame.len), info] };
    rowsByFrame.set(frame, row);
  }
  return row;
}

/** The rows from list row `top`, as many as fit in `height` and exist. */
export function visiblePacketRows(session: Session, top: number, height: number): PacketRow[] {
  const rows: PacketRow[] = [];
  const end = Math.min(session.rowCount(), top + height);
  for (let r = top; r < end; r++) rows.push(packetRow(session, session.frameAt(r)));
  return rows;
}

/**
 * The header and lines for these rows, each `width` columns from column `left`. Column
 * widths fit the rows shown (and the header); Info takes the rest of the line.
 */
export function packetLines(rows: readonly PacketRow[], width: number, left: number): { header: string; lines: string[] } {
  const widths = PACKET_HEADER.map((h, i) => (i === INFO ? 0 : Math.max(h.length, ...rows.map((r) => r.cells[i]!.length))));
  const line = (mark: string, cells: readonly string[]) =>
    fit(mark + ' ' + cells.map((c, i) => (i === INFO ? c : RIGHT_ALIGNED[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' '), width, left);
  return {
    header: line(' ', PACKET_HEADER),
    lines: rows.map((r) => line(r.severity === undefined ? ' ' : SEVERITY_MARK[r.severity], r.cells)),
  };
}
