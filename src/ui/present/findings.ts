// The Findings view: one row per code (severity, count), and under an expanded code one
// row per occurrence, with its frame and message.

import { FINDING_CODES, type Severity } from '../../dissect/findings.js';
import { escapeText } from '../../dissect/present/escape.js';
import type { FindingGroup } from '../data/findings.js';
import type { Session } from '../data/session.js';
import { fit, thousands } from './text.js';

const SEVERITY_WIDTH = 'severity'.length;
const CODE_WIDTH = Math.max(...FINDING_CODES.map((code) => code.length));
/** `1,000,000` */
const COUNT_WIDTH = 9;

/** The titles over findingsLines()' rows of codes, and the keys that open and follow them (80 columns). */
export function findingsHeader(width: number): string {
  return fit(`  severity ${'code'.padEnd(CODE_WIDTH)} ${'count'.padStart(COUNT_WIDTH)}  right: list, Enter: jump`, width);
}

export type FindingsRow =
  | { readonly kind: 'group'; readonly group: FindingGroup; readonly expanded: boolean }
  | { readonly kind: 'item'; readonly group: FindingGroup; readonly index: number };

export function findingsRowCount(groups: readonly FindingGroup[], expanded: ReadonlySet<string>): number {
  let n = 0;
  for (const g of groups) n += 1 + (expanded.has(g.code) ? g.frames.length : 0);
  return n;
}

export function findingsRowAt(groups: readonly FindingGroup[], expanded: ReadonlySet<string>, row: number): FindingsRow | undefined {
  let r = row;
  for (const group of groups) {
    const open = expanded.has(group.code);
    if (r === 0) return { kind: 'group', group, expanded: open };
    r--;
    const items = open ? group.frames.length : 0;
    if (r < items) return { kind: 'item', group, index: r };
    r -= items;
  }
  return undefined;
}

/** The row of the group header at or above `row`. */
export function groupRowOf(groups: readonly FindingGroup[], expanded: ReadonlySet<string>, row: number): number {
  let start = 0;
  for (const g of groups) {
    const size = 1 + (expanded.has(g.code) ? g.frames.length : 0);
    if (row < start + size) return start;
    start += size;
  }
  return row;
}

export function occurrenceFrame(row: FindingsRow): number {
  return row.kind === 'group' ? row.group.frames.get(0) : row.group.frames.get(row.index);
}

/** An occurrence's message: kept with the finding, or found on the frame decoded again. */
function occurrenceMessage(session: Session, group: FindingGroup, index: number): string {
  const { frame, finding } = session.findings.occurrence(group, index);
  if (finding !== undefined) return finding.message;
  return session.frame(frame).expert.find((f) => f.code === group.code)?.message ?? '';
}

export interface FindingsLine {
  readonly text: string;
  readonly severity: Severity;
}

export function findingsLines(session: Session, groups: readonly FindingGroup[], expanded: ReadonlySet<string>, top: number, height: number, width: number): FindingsLine[] {
  const lines: FindingsLine[] = [];
  for (let r = top; r < top + height; r++) {
    const row = findingsRowAt(groups, expanded, r);
    if (row === undefined) break;
    const g = row.group;
    if (row.kind === 'group') {
      const mark = row.expanded ? 'v' : '>';
      lines.push({ text: fit(`${mark} ${g.severity.padEnd(SEVERITY_WIDTH)} ${g.code.padEnd(CODE_WIDTH)} ${thousands(g.frames.length).padStart(COUNT_WIDTH)}`, width), severity: g.severity });
    } else {
      const n = g.frames.get(row.index);
      const where = n > 0 ? `frame ${n}` : 'capture';
      lines.push({ text: fit(`    ${where.padStart(13)}  ${escapeText(occurrenceMessage(session, g, row.index))}`, width), severity: g.severity });
    }
  }
  return lines;
}
