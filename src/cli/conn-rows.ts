// The connection table's columns and cells: `vsockscope conns` and the TUI's
// Connections view print the same table.

import type { ConnSummary, DirSummary } from '../reassembly/index.js';

export const CONN_HEADER: readonly string[] = [
  'connection', 'first', 'type', 'dialect', 'state', 'duration_s', 'frames/bytes >', 'frames/bytes <',
  'rec >', 'rec <', 'findings', 'full_s >', 'full_s <',
];

export const CONN_LEGEND = '> initiator to responder, < back; rec: delivered/dropped/lost; full_s: seconds the sender had its window full';

function records(d: DirSummary): string {
  return `${d.records.delivered}/${d.records.dropped + d.records.orphan}/${d.records.lost}`;
}

function windowFull(d: DirSummary): string {
  return d.window_full_s === null ? '-' : d.window_full_s.toFixed(3);
}

export function connCells(c: ConnSummary): string[] {
  const [ab, ba] = c.dirs;
  return [
    c.id, String(c.first_frame), c.type, c.dialect ?? '-', c.state + (c.midstream ? ' (midstream)' : ''),
    (c.last_time - c.first_time).toFixed(3),
    `${ab.frames}/${ab.bytes}`, `${ba.frames}/${ba.bytes}`, records(ab), records(ba),
    String(ab.findings + ba.findings), windowFull(ab), windowFull(ba),
  ];
}
