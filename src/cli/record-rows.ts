// The records table's columns and cells (without the direction): `vsockscope
// records` and the TUI's Records view print the same columns.

import type { RecordResult } from '../reassembly/index.js';

export const RECORD_HEADER: readonly string[] = ['index', 'msg_cnt', 'status', 'reason', 'declared', 'received', 'frames', 'eor', 'trunc'];

const show = (v: number | null) => (v === null ? '-' : String(v));

export function recordCells(r: RecordResult): string[] {
  return [
    String(r.index), show(r.msg_cnt), r.status, r.reason ?? '', show(r.msg_len), String(r.received),
    r.first_frame === null ? '-' : `${r.first_frame}-${r.last_frame}`, r.eor ? 'EOR' : '', r.truncated ? `TRUNC(${r.copied})` : '',
  ];
}
