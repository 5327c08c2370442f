// The Records view: one connection's records in one direction, as `vsockscope records`
// lists them, plus the frame that revealed each lost or dropped record's fate.

import { RECORD_HEADER, recordCells } from '../../cli/record-rows.js';
import { table } from '../../cli/table.js';
import type { RecordGroup, RecordStore, StoredRecord } from '../../store/records.js';
import { fit } from './text.js';

/** The columns of `vsockscope records` (the view shows one direction), plus the frame that revealed the loss. */
export const RECORD_VIEW_HEADER: readonly string[] = [...RECORD_HEADER, 'revealed'];

export function recordViewCells({ record: r, revealFrame }: StoredRecord): string[] {
  return [...recordCells(r), revealFrame === null ? '' : `frame ${revealFrame}`];
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
  const [header, ...lines] = table(RECORD_VIEW_HEADER, records.map(recordViewCells));
  return { header: fit(header!, width, left), lines: lines.map((l) => fit(l, width, left)), records };
}
