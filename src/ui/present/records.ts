// The Records view: one connection's records in one direction, as `vsockscope records`
// lists them, plus the frame that revealed each lost or dropped record's fate.

import { table } from '../../cli/table.js';
import type { RecordGroup, RecordStore, StoredRecord } from '../data/records.js';
import { fit } from './text.js';

export const RECORD_HEADER: readonly string[] = ['index', 'msg_cnt', 'status', 'reason', 'declared', 'received', 'frames', 'eor', 'trunc', 'revealed'];

const show = (v: number | null) => (v === null ? '-' : String(v));

// The cells of src/cli/records.ts, without the direction (the view shows one), plus `revealed`.
export function recordCells({ record: r, revealFrame }: StoredRecord): string[] {
  return [
    String(r.index), show(r.msg_cnt), r.status, r.reason ?? '', show(r.msg_len), String(r.received),
    r.first_frame === null ? '-' : `${r.first_frame}-${r.last_frame}`, r.eor ? 'EOR' : '', r.truncated ? `TRUNC(${r.copied})` : '',
    revealFrame === null ? '' : `frame ${revealFrame}`,
  ];
}

/** The other direction of a connection `a-b`: `a>b` <-> `b>a`. */
export function otherDirection(conn: string, dir: string): string {
  const [a, b] = conn.split('-');
  return dir === `${a}>${b}` ? `${b}>${a}` : `${a}>${b}`;
}

/** The frame Enter goes to: the record's first frame (a lost record has none: where its loss showed). */
export function recordFirstTarget({ record: r, revealFrame }: StoredRecord): number | null {
  return r.first_frame ?? revealFrame;
}

/** The frame `e` goes to: where a record that was not delivered was found out, else its last frame (SEQ_END). */
export function recordEndTarget({ record: r, revealFrame }: StoredRecord): number | null {
  return revealFrame ?? r.last_frame;
}

export function recordLines(store: RecordStore, group: RecordGroup | undefined, top: number, height: number, width: number, left: number): { header: string; lines: string[]; records: StoredRecord[] } {
  const records: StoredRecord[] = [];
  const end = Math.min(group?.rows.length ?? 0, top + height);
  for (let i = top; i < end; i++) records.push(store.get(store.rowOf(group!, i)));
  const [header, ...lines] = table(RECORD_HEADER, records.map(recordCells));
  return { header: fit(header!, width, left), lines: lines.map((l) => fit(l, width, left)), records };
}
