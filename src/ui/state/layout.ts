// How the screen is divided, shared by the state (paging, keeping the cursor in view)
// and the views (what they draw). The output stays one row short of the terminal: ink
// redraws a screen-high output by clearing the whole terminal, which flickers.

export interface Size {
  readonly columns: number;
  readonly rows: number;
}

/** Tab bar, filter bar and status bar. */
const CHROME_ROWS = 3;

/** Rows of the output: the whole screen but one. */
export function screenRows(size: Size): number {
  return Math.max(1, size.rows - 1);
}

/** Rows for the current view, below the tab bar and above the filter and status bars. */
export function bodyRows(size: Size): number {
  return Math.max(1, screenRows(size) - CHROME_ROWS);
}

export interface PacketsLayout {
  /** Frame rows of the list (below its column header). */
  readonly list: number;
  /** Tree rows of the detail pane and hex rows of the hex pane (below their titles); 0: not shown. */
  readonly detail: number;
  readonly hex: number;
}

/** The packet list gets half of the rows, the hex dump a fifth, the detail tree the rest. */
export function packetsLayout(size: Size): PacketsLayout {
  const body = bodyRows(size);
  // Each pane has a title row; below 9 rows only the list is shown.
  if (body < 9) return { list: Math.max(1, body - 1), detail: 0, hex: 0 };
  const rows = body - 3;
  const list = Math.max(2, Math.floor(rows * 0.5));
  const hex = Math.max(1, Math.floor(rows * 0.2));
  return { list, detail: rows - list - hex, hex };
}

/** Data rows of the Connections and Findings views (below one header row). */
export function tableRows(size: Size): number {
  return Math.max(1, bodyRows(size) - 1);
}

/** Data rows of the Records view (below its connection line and header row). */
export function recordRows(size: Size): number {
  return Math.max(1, bodyRows(size) - 2);
}

/** The first visible row so that `row` is visible in a window of `height` rows starting at `top`. */
export function scrollTo(top: number, row: number, height: number): number {
  if (row < top) return Math.max(0, row);
  if (row >= top + height) return row - height + 1;
  return top;
}
