// The Connections, Records and Findings views: lists whose Enter leads to frames.

import type { FindingCode } from '../../dissect/findings.js';
import type { Session } from '../data/session.js';
import { findingsRowAt, findingsRowCount, groupRowOf, occurrenceFrame } from '../present/findings.js';
import { otherDirection, recordEndTarget, recordFirstTarget } from '../present/records.js';
import type { Action } from './actions.js';
import { recordRows, scrollTo, tableRows } from './layout.js';
import { moveScroll, sideways } from './moves.js';
import type { UiState } from './state.js';

/** What a table's Enter can ask for: a frame to show (and the finding to point at). */
export type Goto = (state: UiState, frame: number | null, code?: FindingCode) => UiState;

export function reduceConns(state: UiState, action: Action, session: Session): UiState {
  const s = state.conns;
  switch (action.type) {
    case 'move': return { ...state, conns: moveScroll(s, action.move, session.conns.count(), tableRows(state.size)) };
    case 'left': case 'right': return { ...state, conns: { ...s, left: sideways(s.left, action.type === 'right') } };
    case 'enter': {
      const c = session.conns.at(s.row);
      if (c === undefined) return state;
      return { ...state, view: 'records', records: { row: 0, top: 0, left: state.records.left, conn: c.id, dir: c.dirs[0].dir } };
    }
    case 'escape': return { ...state, view: 'packets' };
    default: return state;
  }
}

export function reduceRecords(state: UiState, action: Action, session: Session, goto: Goto): UiState {
  const s = state.records;
  const group = s.conn === undefined || s.dir === undefined ? undefined : session.records.group(s.conn, s.dir);
  const count = group?.rows.length ?? 0;
  const current = () => (group === undefined || s.row >= count ? undefined : session.records.get(session.records.rowOf(group, s.row)));
  switch (action.type) {
    case 'move': return { ...state, records: { ...s, ...moveScroll(s, action.move, count, recordRows(state.size)) } };
    case 'left': case 'right': return { ...state, records: { ...s, left: sideways(s.left, action.type === 'right') } };
    case 'enter': {
      const r = current();
      return r === undefined ? state : goto(state, recordFirstTarget(r));
    }
    case 'recordEnd': {
      const r = current();
      return r === undefined ? state : goto(state, recordEndTarget(r));
    }
    case 'tab': case 'otherDirection':
      if (s.conn === undefined || s.dir === undefined) return state;
      return { ...state, records: { ...s, row: 0, top: 0, dir: otherDirection(s.conn, s.dir) } };
    case 'escape': {
      const at = s.conn === undefined ? -1 : session.conns.rowOf(s.conn);
      const row = Math.max(0, at);
      return { ...state, view: 'conns', conns: { ...state.conns, row, top: scrollTo(state.conns.top, row, tableRows(state.size)) } };
    }
    default: return state;
  }
}

export function reduceFindings(state: UiState, action: Action, session: Session, goto: Goto): UiState {
  const s = state.findings;
  const groups = session.findings.sortedGroups();
  const row = findingsRowAt(groups, s.expanded, s.row);
  const withExpanded = (code: string, open: boolean): UiState => {
    const expanded = new Set(s.expanded);
    if (open) expanded.add(code);
    else expanded.delete(code);
    return { ...state, findings: { ...s, expanded } };
  };
  switch (action.type) {
    case 'move': return { ...state, findings: { ...s, ...moveScroll(s, action.move, findingsRowCount(groups, s.expanded), tableRows(state.size)) } };
    case 'right': return row?.kind === 'group' && !row.expanded ? withExpanded(row.group.code, true) : state;
    case 'left': {
      if (row?.kind === 'group') return row.expanded ? withExpanded(row.group.code, false) : state;
      if (row === undefined) return state;
      const up = groupRowOf(groups, s.expanded, s.row);
      return { ...state, findings: { ...s, row: up, top: scrollTo(s.top, up, tableRows(state.size)) } };
    }
    case 'enter': return row === undefined ? state : goto(state, occurrenceFrame(row), row.group.code);
    case 'escape': return { ...state, view: 'packets' };
    default: return state;
  }
}
