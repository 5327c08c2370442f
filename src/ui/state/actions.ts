// Everything that can happen to the UI state.

import type { FindingCode } from '../../dissect/findings.js';
import type { Size } from './layout.js';
import type { View } from './state.js';

export type Move = 'up' | 'down' | 'pageUp' | 'pageDown' | 'first' | 'last';

export type Action =
  /** Moves the cursor of the focused list, tree or dump. */
  | { readonly type: 'move'; readonly move: Move }
  /** Collapse / expand, or scroll a wide table sideways. */
  | { readonly type: 'left' }
  | { readonly type: 'right' }
  | { readonly type: 'enter' }
  | { readonly type: 'escape' }
  | { readonly type: 'tab'; readonly back: boolean }
  /** The next / previous frame carrying a finding. */
  | { readonly type: 'finding'; readonly step: 1 | -1 }
  | { readonly type: 'view'; readonly view: View }
  /** Records: go to the selected record's SEQ_END, or to the frame that revealed its loss. */
  | { readonly type: 'recordEnd' }
  | { readonly type: 'otherDirection' }
  | { readonly type: 'help' }
  /** A live capture: follow the newest frames, or stop following. */
  | { readonly type: 'follow' }
  | { readonly type: 'filterOpen' }
  | { readonly type: 'filterType'; readonly text: string }
  | { readonly type: 'filterErase' }
  | { readonly type: 'filterClear' }
  | { readonly type: 'filterApply' }
  | { readonly type: 'filterCancel' }
  /** Shows frame n, with a finding's row in the detail tree when `code` is given. */
  | { readonly type: 'goto'; readonly frame: number; readonly code?: FindingCode }
  | { readonly type: 'resize'; readonly size: Size }
  /** The session's data changed (more frames loaded, the filter progressed). */
  | { readonly type: 'sync' }
  | { readonly type: 'quit' };
