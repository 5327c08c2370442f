// The UI state: what is shown and where the cursors are. Frames are named by number
// (stable while loading and filtering), list positions by row.

import type { ListOrigin } from '../data/session.js';
import type { Size } from './layout.js';

export type View = 'packets' | 'conns' | 'records' | 'findings';
export type Pane = 'list' | 'detail' | 'hex';

export interface Scroll {
  /** The cursor row and the first visible row. */
  readonly row: number;
  readonly top: number;
  /** Columns scrolled off to the left, for tables wider than the screen. */
  readonly left: number;
}

export interface UiState {
  readonly size: Size;
  readonly view: View;
  /** The focused pane of the packets view. */
  readonly pane: Pane;
  /** The selected frame (0: none yet). */
  readonly selected: number;
  /** The packet list's first visible row, and horizontal scroll. */
  readonly listTop: number;
  /** The session's listOrigin() when listTop was last set. */
  readonly listOrigin: ListOrigin;
  /** A live capture: the newest frame is selected as frames arrive (until the user moves away; F toggles). */
  readonly follow: boolean;
  readonly listLeft: number;
  /** The detail tree's cursor and scroll; `toggled` overrides each node's default expansion, by node key. */
  readonly detail: Scroll & { readonly toggled: ReadonlyMap<string, boolean> };
  readonly hexTop: number;
  readonly conns: Scroll;
  /** The connection id and direction the Records view shows. */
  readonly records: Scroll & { readonly conn: string | undefined; readonly dir: string | undefined };
  /** Finding codes whose occurrences are listed. */
  readonly findings: Scroll & { readonly expanded: ReadonlySet<string> };
  readonly help: { readonly open: boolean; readonly top: number };
  /**
   * The frame selected when the filter was applied: it is selected again (or the next
   * match after it) once the filter has tested it, unless the user moved first.
   */
  readonly filterAnchor: number | undefined;
  /** The filter bar's text while it is being edited. */
  readonly filterDraft: string | undefined;
  /** Why the last filter typed was not applied. */
  readonly filterError: string | undefined;
  /** A one-line message for the status bar (what a key did, or why not). */
  readonly notice: string | undefined;
  /** The session version this state was last reconciled with. */
  readonly version: number;
  /** The user asked to quit. */
  readonly quit: boolean;
}

const TOP: Scroll = { row: 0, top: 0, left: 0 };

export function initialState(size: Size, follow = false): UiState {
  return {
    size, view: 'packets', pane: 'list', selected: 0, listTop: 0, listOrigin: { listing: 0, dropped: 0 }, follow, listLeft: 0,
    detail: { ...TOP, toggled: new Map() }, hexTop: 0, conns: TOP,
    records: { ...TOP, conn: undefined, dir: undefined },
    findings: { ...TOP, expanded: new Set() },
    help: { open: false, top: 0 }, filterAnchor: undefined, filterDraft: undefined, filterError: undefined, notice: undefined, version: -1, quit: false,
  };
}
