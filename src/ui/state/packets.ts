// The packets view: the packet list, the detail tree and the hex dump.

import type { FindingCode } from '../../dissect/findings.js';
import { frameTree } from '../../dissect/present/tree.js';
import type { Session } from '../data/session.js';
import { detailRows, frameDetailRows, parentRow, type DetailRow } from '../present/detail.js';
import { payloadHexLines } from '../present/hex.js';
import type { Action } from './actions.js';
import { packetsLayout, scrollTo } from './layout.js';
import { centreOn, moveScroll, movedRow, sideways } from './moves.js';
import type { Pane, UiState } from './state.js';

const FRESH_DETAIL = { row: 0, top: 0, left: 0 } as const;

/** Selects the frame at list row `row`, keeping it in view. */
export function selectRow(state: UiState, session: Session, row: number): UiState {
  const selected = session.frameAt(row);
  const height = packetsLayout(state.size).list;
  return {
    ...state, selected, filterAnchor: undefined, listTop: scrollTo(state.listTop, row, height),
    ...(selected !== state.selected ? { detail: { ...state.detail, ...FRESH_DETAIL }, hexTop: 0 } : {}),
  };
}

/** Shows frame n in the packets view; with `code`, the detail tree's cursor on that finding. */
export function showFrame(state: UiState, session: Session, n: number, code: FindingCode | undefined): UiState {
  const layout = packetsLayout(state.size);
  const row = session.rowOf(n);
  const shown: UiState = {
    ...state, view: 'packets', pane: 'list', selected: n, filterAnchor: undefined,
    listTop: centreOn(state.listTop, row, layout.list), detail: { ...state.detail, ...FRESH_DETAIL }, hexTop: 0,
  };
  const found = code === undefined || layout.detail === 0 ? undefined : findingRow(session, n, code, state.detail.toggled);
  if (found === undefined) return shown;
  return { ...shown, pane: 'detail', detail: { ...FRESH_DETAIL, toggled: found.toggled, row: found.row, top: scrollTo(0, found.row, layout.detail) } };
}

/** The detail row of a finding, opening its parent node if the user had closed it. */
function findingRow(session: Session, n: number, code: FindingCode, toggled: ReadonlyMap<string, boolean>): { row: number; toggled: ReadonlyMap<string, boolean> } | undefined {
  const nodes = frameTree(session.frame(n), session.index.v4Dialect(n));
  const at = (rows: DetailRow[]) => rows.findIndex((r) => r.field === code);
  const rows = detailRows(nodes, toggled);
  if (at(rows) >= 0) return { row: at(rows), toggled };
  for (const closed of rows.filter((r) => r.depth === 0 && r.expandable && !r.expanded)) {
    const opened = new Map(toggled).set(closed.key, true);
    const row = at(detailRows(nodes, opened));
    if (row >= 0) return { row, toggled: opened };
  }
  return undefined;
}

function panes(state: UiState): Pane[] {
  return packetsLayout(state.size).detail > 0 ? ['list', 'detail', 'hex'] : ['list'];
}

export function reducePackets(state: UiState, action: Action, session: Session): UiState {
  if (action.type === 'tab') {
    const all = panes(state);
    const at = all.indexOf(state.pane);
    return { ...state, pane: all[(at + (action.back ? all.length - 1 : 1)) % all.length]! };
  }
  if (state.selected === 0 || session.rowOf(state.selected) < 0) {
    return action.type === 'move' && session.rowCount() > 0 ? selectRow(state, session, 0) : state;
  }
  switch (state.pane) {
    case 'list': return reduceList(state, action, session);
    case 'detail': return reduceDetail(state, action, session);
    case 'hex': return reduceHex(state, action, session);
  }
}

function reduceList(state: UiState, action: Action, session: Session): UiState {
  const layout = packetsLayout(state.size);
  switch (action.type) {
    case 'move': return selectRow(state, session, movedRow(session.rowOf(state.selected), action.move, session.rowCount(), layout.list));
    case 'left': case 'right': return { ...state, listLeft: sideways(state.listLeft, action.type === 'right') };
    case 'enter': return layout.detail > 0 ? { ...state, pane: 'detail' } : state;
    case 'escape': return { ...state, notice: undefined };
    default: return state;
  }
}

function reduceDetail(state: UiState, action: Action, session: Session): UiState {
  const height = packetsLayout(state.size).detail;
  const rows = frameDetailRows(session, state.selected, state.detail.toggled);
  const d = state.detail;
  const current = rows[Math.min(d.row, rows.length - 1)];
  const toggle = (open: boolean): UiState => ({ ...state, detail: { ...d, toggled: new Map(d.toggled).set(current!.key, open) } });
  const moveTo = (row: number): UiState => ({ ...state, detail: { ...d, row, top: scrollTo(d.top, row, height) } });
  switch (action.type) {
    case 'move': return { ...state, detail: { ...d, ...moveScroll(d, action.move, rows.length, height) } };
    case 'enter': return current?.expandable ? toggle(!current.expanded) : state;
    case 'right':
      if (current === undefined || !current.expandable) return state;
      return current.expanded ? moveTo(d.row + 1) : toggle(true);
    case 'left':
      if (current?.expandable && current.expanded) return toggle(false);
      return parentRow(rows, d.row) >= 0 ? moveTo(parentRow(rows, d.row)) : state;
    case 'escape': return { ...state, pane: 'list' };
    default: return state;
  }
}

function reduceHex(state: UiState, action: Action, session: Session): UiState {
  const height = packetsLayout(state.size).hex;
  const count = payloadHexLines(session.frame(state.selected)).length;
  switch (action.type) {
    case 'move': {
      // The dump has no cursor: moves scroll it.
      const top = Math.max(0, movedRow(state.hexTop, action.move, Math.max(1, count - height + 1), height));
      return { ...state, hexTop: top };
    }
    case 'escape': return { ...state, pane: 'list' };
    default: return state;
  }
}
