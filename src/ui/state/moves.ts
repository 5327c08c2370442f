// Cursor arithmetic shared by every list, tree and dump.

import type { Move } from './actions.js';
import { scrollTo } from './layout.js';
import type { Scroll } from './state.js';

/** The row a move lands on in a list of `count` rows showing `page` at a time (-1: empty list). */
export function movedRow(row: number, move: Move, count: number, page: number): number {
  if (count === 0) return -1;
  const step = Math.max(1, page);
  const target = move === 'up' ? row - 1 : move === 'down' ? row + 1 : move === 'pageUp' ? row - step
    : move === 'pageDown' ? row + step : move === 'first' ? 0 : count - 1;
  return Math.min(Math.max(target, 0), count - 1);
}

/** A scroll position with its cursor moved and kept in view. */
export function moveScroll(s: Scroll, move: Move, count: number, height: number): Scroll {
  const row = Math.max(0, movedRow(s.row, move, count, height));
  return { ...s, row, top: scrollTo(s.top, row, height) };
}

/** A first visible row that shows `row` in the middle when it was out of view. */
export function centreOn(top: number, row: number, height: number): number {
  if (row >= top && row < top + height) return top;
  return Math.max(0, row - Math.floor(height / 2));
}

/** A first visible row that does not leave blank rows below the last one. */
export function clampTop(top: number, count: number, height: number): number {
  return Math.max(0, Math.min(top, count - height));
}

/** Sideways scroll of wide tables, in steps of this many columns. */
export const SIDE_STEP = 8;

export function sideways(left: number, right: boolean): number {
  return Math.max(0, left + (right ? SIDE_STEP : -SIDE_STEP));
}
