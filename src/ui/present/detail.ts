// The detail pane: the frame's tree (the one `read -V` prints), flattened into rows
// with each node expanded or collapsed.

import { isFindingCode } from '../../dissect/findings.js';
import { frameTree, type TreeNode } from '../../dissect/present/tree.js';
import type { Session } from '../data/session.js';

export interface DetailRow {
  /** Stable across frames: the path of field names (labels for nodes without one). */
  readonly key: string;
  readonly depth: number;
  readonly label: string;
  /** Display-filter name of the field (for findings: the code). */
  readonly field: string | undefined;
  readonly expandable: boolean;
  readonly expanded: boolean;
}

/** Findings are what this tool is for: their node starts open; headers start closed. */
function openByDefault(node: TreeNode, depth: number): boolean {
  return depth === 0 && node.children !== undefined && node.children.every((c) => c.field !== undefined && isFindingCode(c.field));
}

export function detailRows(nodes: readonly TreeNode[], toggled: ReadonlyMap<string, boolean>): DetailRow[] {
  const rows: DetailRow[] = [];
  const walk = (list: readonly TreeNode[], depth: number, parent: string) => {
    for (const node of list) {
      const key = `${parent}/${node.field ?? node.label}`;
      const expandable = node.children !== undefined && node.children.length > 0;
      const expanded = expandable && (toggled.get(key) ?? openByDefault(node, depth));
      rows.push({ key, depth, label: node.label, field: node.field, expandable, expanded });
      if (expanded) walk(node.children!, depth + 1, key);
    }
  };
  walk(nodes, 0, '');
  return rows;
}

/** The rows of frame n's tree. */
export function frameDetailRows(session: Session, n: number, toggled: ReadonlyMap<string, boolean>): DetailRow[] {
  return detailRows(frameTree(session.frame(n), session.index.v4Dialect(n)), toggled);
}

/** Index of the parent row of `row` (the nearest row above it one level up), or -1. */
export function parentRow(rows: readonly DetailRow[], row: number): number {
  const depth = rows[row]?.depth ?? 0;
  for (let r = row - 1; r >= 0; r--) if (rows[r]!.depth < depth) return r;
  return -1;
}

export function detailLine(row: DetailRow): string {
  const mark = row.expandable ? (row.expanded ? 'v ' : '> ') : '  ';
  return '  '.repeat(row.depth) + mark + row.label;
}
