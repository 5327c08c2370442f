import { isFindingCode, FINDING_SEVERITY } from '../../dissect/findings.js';
import type { Session } from '../data/session.js';
import { detailLine, frameDetailRows } from '../present/detail.js';
import { fit } from '../present/text.js';
import { clampTop } from '../state/moves.js';
import type { UiState } from '../state/state.js';
import { Filler, Line, Title } from './line.js';

export interface PaneProps {
  readonly session: Session;
  readonly state: UiState;
  readonly height: number;
  readonly color: boolean;
}

/** Whether the packets view has a frame to show in its panes. */
export function shownFrame(session: Session, state: UiState): number | undefined {
  return state.selected > 0 && session.rowOf(state.selected) >= 0 ? state.selected : undefined;
}

/** The selected frame's detail tree; findings rows in their severity's colour. */
export function DetailPane({ session, state, height, color }: PaneProps) {
  const width = state.size.columns;
  const focused = state.pane === 'detail';
  const n = shownFrame(session, state);
  const rows = n === undefined ? [] : frameDetailRows(session, n, state.detail.toggled);
  const cursor = Math.min(state.detail.row, rows.length - 1);
  const top = clampTop(state.detail.top, rows.length, height);
  const shown = rows.slice(top, top + height);
  return (
    <>
      <Title text={n === undefined ? 'Detail' : `Detail: frame ${n}`} width={width} focused={focused} color={color} />
      {shown.map((row, i) => (
        <Line
          key={row.key + i}
          text={fit(detailLine(row), width)}
          severity={row.field !== undefined && isFindingCode(row.field) ? FINDING_SEVERITY[row.field] : undefined}
          inverse={focused && top + i === cursor}
          color={color}
        />
      ))}
      <Filler count={height - shown.length} />
    </>
  );
}
