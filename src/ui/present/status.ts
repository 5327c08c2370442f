// The two bottom lines: the filter bar and the status bar.

import { basename } from 'node:path';
import type { Severity } from '../../dissect/findings.js';
import { escapeText } from '../../dissect/present/escape.js';
import type { Session } from '../data/session.js';
import type { UiState } from '../state/state.js';
import { megabytes, thousands } from './text.js';

export interface Segment {
  readonly text: string;
  /** Coloured like findings of this severity. */
  readonly severity?: Severity;
  readonly bold?: boolean;
}

/** How far loading got, and what stopped it early. */
function loadText(session: Session): Segment {
  const frames = `${thousands(session.index.count)} frames`;
  const load = session.load;
  if (load.phase === 'loading') {
    const percent = session.fileSize > 0 ? Math.floor((100 * session.position) / session.fileSize) : 100;
    return { text: `${frames} loaded, ${percent}% of ${megabytes(session.fileSize)}` };
  }
  if (load.phase === 'failed') return { text: `${frames}; loading failed: ${load.error instanceof Error ? load.error.message : String(load.error)}`, severity: 'error' };
  const { error, truncated } = load.outcome;
  if (error !== undefined) return { text: `${frames}; damaged at byte ${error.byteOffset}: ${error.message}`, severity: 'error' };
  if (truncated !== undefined) return { text: `${frames}; cut short at byte ${truncated.offset}`, severity: 'error' };
  return { text: frames };
}

/** The connection the current view is about. */
function currentConnection(session: Session, state: UiState): string | undefined {
  if (state.view === 'records') return state.records.dir;
  if (state.view === 'conns') return session.conns.all()[state.conns.row]?.id;
  if (state.selected === 0) return undefined;
  return session.connOf(state.selected)?.id;
}

export function statusSegments(session: Session, state: UiState): Segment[] {
  if (state.filterError !== undefined) return [{ text: escapeText(state.filterError), severity: 'error' }];
  const c = session.findings.counts;
  const segments: Segment[] = [
    { text: escapeText(basename(session.path)), bold: true },
    loadText(session),
    { text: `${c.error} errors`, severity: c.error > 0 ? 'error' : undefined },
    { text: `${c.warning} warnings`, severity: c.warning > 0 ? 'warning' : undefined },
    { text: `${c.info} info`, severity: c.info > 0 ? 'info' : undefined },
  ];
  const conn = currentConnection(session, state);
  if (conn !== undefined) segments.push({ text: conn });
  return segments;
}

export function filterBarText(session: Session, state: UiState): string {
  if (state.filterDraft !== undefined) return `/${escapeText(state.filterDraft)}_`;
  const run = session.filter;
  const notice = state.notice === undefined ? '' : `  -- ${state.notice}`;
  if (run === undefined) return `no filter (/ to filter, ? for help)${notice}`;
  const progress = session.filterDone ? '' : `, ${thousands(run.scanned)} tested so far`;
  return `filter: ${escapeText(run.text)}  (${thousands(run.matches.length)} of ${thousands(session.index.count)} frames${progress})${notice}`;
}
