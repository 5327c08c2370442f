import type { Severity } from '../../dissect/findings.js';
import { plural } from '../../dissect/present/words.js';
import type { RecordStatus } from '../../reassembly/index.js';
import type { Session } from '../data/session.js';
import { recordLines } from '../present/records.js';
import { fit } from '../present/text.js';
import { recordRows } from '../state/layout.js';
import { clampTop } from '../state/moves.js';
import type { UiState } from '../state/state.js';
import { Filler, Line } from './line.js';

/** Records the receiver lost are shown like the findings that report them. */
const STATUS_SEVERITY: Readonly<Record<RecordStatus, Severity | undefined>> = {
  delivered: undefined, dropped: 'error', orphan: 'error', lost: 'error', incomplete: 'info',
};

/** One connection's records in one direction. */
export function RecordsView({ session, state, color }: { session: Session; state: UiState; color: boolean }) {
  const width = state.size.columns;
  const height = recordRows(state.size);
  const { conn, dir, row, left } = state.records;
  if (conn === undefined || dir === undefined) {
    return (
      <>
        <Line text={fit('no connection chosen: select a frame of one (p) or a connection (c), then r', width)} color={color} />
        <Filler count={height + 1} />
      </>
    );
  }
  const group = session.records.group(conn, dir);
  const count = group?.rows.length ?? 0;
  const top = clampTop(state.records.top, count, height);
  const { header, lines, records } = recordLines(session.records, group, top, height, width, left);
  return (
    <>
      <Line text={fit(`${dir}: ${plural(count, 'record')}  (d: other direction, Enter: first frame, e: end/loss)`, width)} bold color={color} />
      <Line text={header} bold color={color} />
      {lines.map((text, i) => (
        <Line key={i} text={text} severity={STATUS_SEVERITY[records[i]!.record.status]} inverse={top + i === row} color={color} />
      ))}
      {count === 0 && <Line text={fit(`no SEQPACKET records in this direction${session.load.phase === 'loading' ? ' yet' : ''}`, width)} color={color} dim />}
      <Filler count={height - lines.length - (count === 0 ? 1 : 0)} />
    </>
  );
}
