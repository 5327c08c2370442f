import type { Session } from '../data/session.js';
import { findingsHeader, findingsLines } from '../present/findings.js';
import { tableRows } from '../state/layout.js';
import type { UiState } from '../state/state.js';
import { Filler, Line } from './line.js';

/** Expert info: one row per code with its count; an expanded code lists its occurrences. */
export function FindingsView({ session, state, color }: { session: Session; state: UiState; color: boolean }) {
  const width = state.size.columns;
  const height = tableRows(state.size);
  const groups = session.findings.sortedGroups();
  const { row, top, expanded } = state.findings;
  const lines = findingsLines(session, groups, expanded, top, height, width);
  return (
    <>
      <Line text={findingsHeader(width)} bold color={color} />
      {lines.map((line, i) => <Line key={i} text={line.text} severity={line.severity} inverse={top + i === row} color={color} />)}
      {groups.length === 0 && <Line text={session.load.phase === 'loading' ? 'no findings so far' : 'no findings'} color={color} dim />}
      <Filler count={height - lines.length - (groups.length === 0 ? 1 : 0)} />
    </>
  );
}
