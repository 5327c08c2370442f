// The reducer: UI state and an action in, the next UI state out. It reads the session
// (row counts, frames, connections); the display filter is the one thing it changes
// there, through the session's own methods.

import type { FindingCode } from '../../dissect/findings.js';
import type { Session } from '../data/session.js';
import type { Action } from './actions.js';
import { bodyRows, packetsLayout, scrollTo } from './layout.js';
import { clampTop, movedRow } from './moves.js';
import { reducePackets, selectRow, showFrame } from './packets.js';
import type { UiState } from './state.js';
import { reduceConns, reduceFindings, reduceRecords, type Goto } from './tables.js';
import { helpLines } from '../present/help.js';

export function reduce(state: UiState, action: Action, session: Session): UiState {
  const current = keepOrigin(state, session);
  const next = reduceAction(current, action, session);
  if (!session.live || action.type === 'sync' || action.type === 'resize' || action.type === 'follow' || next.selected === current.selected) return next;
  // The user moved the selection: following stops, or resumes on the newest frame.
  return { ...next, follow: session.rowOf(next.selected) === session.rowCount() - 1 };
}

/**
 * The packet list's first row shifted by the rows --ring dropped from its front since,
 * so that the rows in view stay in view.
 */
function keepOrigin(state: UiState, session: Session): UiState {
  const origin = session.listOrigin();
  const was = state.listOrigin;
  if (origin.listing === was.listing && origin.dropped === was.dropped) return state;
  const listTop = origin.listing === was.listing ? Math.max(0, state.listTop - (origin.dropped - was.dropped)) : state.listTop;
  return { ...state, listTop, listOrigin: origin };
}

function reduceAction(state: UiState, action: Action, session: Session): UiState {
  switch (action.type) {
    case 'sync': return reconcile(state, session);
    case 'resize': return reconcile({ ...state, size: action.size }, session);
    case 'quit': return { ...state, quit: true };
    case 'help': return { ...state, help: { open: !state.help.open, top: 0 } };
    case 'follow': return toggleFollow(state, session);
    case 'filterOpen': return { ...state, filterDraft: session.filter?.text ?? '', filterError: undefined, notice: undefined };
    case 'filterType': return { ...state, filterDraft: (state.filterDraft ?? '') + action.text };
    case 'filterErase': return { ...state, filterDraft: (state.filterDraft ?? '').slice(0, -1) };
    case 'filterClear': return { ...state, filterDraft: '' };
    case 'filterCancel': return { ...state, filterDraft: undefined, filterError: undefined };
    case 'filterApply': return applyFilter(state, session);
    case 'goto': return goto(state, session, action.frame, action.code);
    default: break;
  }
  if (state.help.open) return reduceHelp(state, action);
  switch (action.type) {
    case 'view': return openView(state, session, action.view);
    case 'finding': return nextFinding(state, session, action.step);
    default: break;
  }
  const to: Goto = (s, frame, code) => goto(s, session, frame, code);
  switch (state.view) {
    case 'packets': return reducePackets(state, action, session);
    case 'conns': return reduceConns(state, action, session);
    case 'records': return reduceRecords(state, action, session, to);
    case 'findings': return reduceFindings(state, action, session, to);
  }
}

/** Brings the state in line with the session after its data changed (or the screen size did). */
function reconcile(state: UiState, session: Session): UiState {
  const rows = session.rowCount();
  let { selected, filterAnchor } = state;
  if (state.follow && rows > 0) {
    selected = session.frameAt(rows - 1);
    filterAnchor = undefined;
  } else if (rows > 0) {
    const run = session.filter;
    if (filterAnchor !== undefined && (run === undefined || run.scanned >= filterAnchor || session.filterDone)) {
      selected = session.frameAt(session.nearestRow(filterAnchor));
      filterAnchor = undefined;
    } else if (selected === 0 || session.rowOf(selected) < 0) {
      selected = session.frameAt(filterAnchor !== undefined ? 0 : session.nearestRow(selected));
    }
  }
  const height = packetsLayout(state.size).list;
  const row = session.rowOf(selected);
  const listTop = row < 0 ? 0 : clampTop(scrollTo(state.listTop, row, height), rows, height);
  const moved = selected !== state.selected;
  return {
    ...state, selected, filterAnchor, listTop, version: session.version,
    ...(moved ? { detail: { ...state.detail, row: 0, top: 0 }, hexTop: 0 } : {}),
  };
}

function toggleFollow(state: UiState, session: Session): UiState {
  if (!session.live) return { ...state, notice: 'F follows a capture as it arrives; this one was read whole' };
  return state.follow ? { ...state, follow: false } : reconcile({ ...state, follow: true, notice: undefined }, session);
}

function applyFilter(state: UiState, session: Session): UiState {
  const error = session.setFilter(state.filterDraft ?? '');
  // A bad filter leaves the bar open with its text, and everything else as it was.
  if (error !== undefined) return { ...state, filterError: error };
  return reconcile({ ...state, filterDraft: undefined, filterError: undefined, filterAnchor: state.selected > 0 ? state.selected : undefined }, session);
}

function goto(state: UiState, session: Session, n: number | null, code: FindingCode | undefined): UiState {
  if (n === null || n < 1) return { ...state, notice: 'no frame to go to: it is about the whole capture' };
  if (n > session.index.count) return { ...state, notice: `frame ${n} is not loaded yet` };
  if (n < session.index.first) return { ...state, notice: `frame ${n} is no longer kept (--ring keeps the newest ${session.ring ?? 0})` };
  let notice: string | undefined;
  if (session.rowOf(n) < 0) {
    session.clearFilter();
    notice = `frame ${n} was hidden by the filter: filter cleared`;
  }
  return { ...showFrame(state, session, n, code), notice, version: session.version };
}

function openView(state: UiState, session: Session, view: UiState['view']): UiState {
  if (view !== 'records' || state.selected === 0 || session.rowOf(state.selected) < 0) return { ...state, view };
  // The selected frame's connection and direction, when it has them.
  const v = session.frame(state.selected).virtio;
  const conn = session.connOf(state.selected);
  if (v === undefined || conn === undefined) return { ...state, view };
  const dir = `${v.src_cid}:${v.src_port}>${v.dst_cid}:${v.dst_port}`;
  if (conn.id === state.records.conn && dir === state.records.dir) return { ...state, view };
  return { ...state, view, records: { row: 0, top: 0, left: state.records.left, conn: conn.id, dir } };
}

function nextFinding(state: UiState, session: Session, step: 1 | -1): UiState {
  const listed = session.rowOf(state.selected);
  const from = listed >= 0 ? listed : step > 0 ? -1 : session.rowCount();
  const row = session.findingRow(from, step);
  const partial = session.load.phase === 'loading' || (session.filter !== undefined && !session.filterDone) ? ' (so far)' : '';
  if (row === undefined) return { ...state, view: 'packets', notice: `no frame with a finding ${step > 0 ? 'after' : 'before'} this one${partial}` };
  return { ...selectRow({ ...state, view: 'packets', pane: 'list', notice: undefined }, session, row) };
}

function reduceHelp(state: UiState, action: Action): UiState {
  const height = bodyRows(state.size) - 1;
  const count = Math.max(1, helpLines().length - height + 1);
  if (action.type === 'move') return { ...state, help: { ...state.help, top: Math.max(0, movedRow(state.help.top, action.move, count, height)) } };
  if (action.type === 'escape') return { ...state, help: { open: false, top: 0 } };
  return state;
}
