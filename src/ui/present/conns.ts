// The Connections view: the table `vsockscope conns` prints.

import type { ConnSummary, DirSummary } from '../../reassembly/index.js';
import { table } from '../../cli/table.js';
import { fit } from './text.js';

// Columns and cells as src/cli/conns.ts prints them.
export const CONN_HEADER: readonly string[] = [
  'connection', 'first', 'type', 'dialect', 'state', 'duration_s', 'frames/bytes >', 'frames/bytes <',
  'rec >', 'rec <', 'findings', 'full_s >', 'full_s <',
];

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

export const CONN_LEGEND = '> initiator to responder, < back; rec: delivered/dropped/lost; full_s: seconds the sender had its window full';

/** Header and rows top..top+height of the table, laid out over the rows shown. */
export function connLines(conns: readonly ConnSummary[], top: number, height: number, width: number, left: number): { header: string; lines: string[] } {
  const [header, ...lines] = table(CONN_HEADER, conns.slice(top, top + height).map(connCells));
  return { header: fit(header!, width, left), lines: lines.map((l) => fit(l, width, left)) };
}
