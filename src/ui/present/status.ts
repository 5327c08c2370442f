// The two bottom lines: the filter bar and the status bar.

import type { Severity } from '../../dissect/findings.js';
import { MemoryLimitError } from '../../cli/memory-limit.js';
import { CaptureError } from '../../dissect/container/types.js';
import { LiveError } from '../../source/live-errors.js';
import { escapeText } from '../../dissect/present/escape.js';
import { plural } from '../../dissect/present/words.js';
import type { Session } from '../data/session.js';
import type { UiState } from '../state/state.js';
import { megabytes, thousands } from './text.js';

export interface Segment {
  readonly text: string;
  /** Coloured like findings of this severity. */
  readonly severity?: Severity;
  readonly bold?: boolean;
}

/** No data for this long is shown: a capture that stalled, or a quiet interface. */
const IDLE_SHOWN_MS = 5000;

/** How far loading got, and what stopped it early. */
function loadText(session: Session): Segment {
  const kept = session.ring !== undefined && session.index.first > 1 ? ` (last ${thousands(session.index.kept)} kept)` : '';
  const frames = `${thousands(session.index.count)} frames${kept}`;
  const load = session.load;
  if (load.phase === 'loading') {
    if (session.live) return { text: frames };
    const percent = session.fileSize > 0 ? Math.floor((100 * session.position) / session.fileSize) : 100;
    return { text: `${frames} loaded, ${percent}% of ${megabytes(session.fileSize)}` };
  }
  const stop = load.phase === 'failed' ? load.error : load.outcome.error;
  if (stop instanceof MemoryLimitError) return { text: `${frames}; at frame ${thousands(stop.frame)}: ${stop.message}`, severity: 'error' };
  if (load.phase === 'failed') return { text: `${frames}; loading failed: ${load.error instanceof Error ? load.error.message : String(load.error)}`, severity: 'error' };
  const { error, truncated } = load.outcome;
  if (error instanceof LiveError) return { text: `${frames}; capture failed: ${error.message}`, severity: 'error' };
  if (error instanceof CaptureError) return { text: `${frames}; damaged at byte ${error.byteOffset}: ${error.message}`, severity: 'error' };
  if (truncated !== undefined) return { text: `${frames}; cut short at byte ${truncated.offset}`, severity: 'error' };
  return { text: session.live ? `${frames}; the capture ended` : frames };
}

/** While a live capture runs: that it is live, whether the list follows it, its rates, and a stall. */
function liveSegments(session: Session, state: UiState, now: number): Segment[] {
  if (!session.live || session.load.phase !== 'loading') return [];
  const r = session.rates(now);
  const segments: Segment[] = [
    { text: state.follow ? 'LIVE, following' : 'LIVE, paused (F follows)', bold: true },
    { text: `${perSecond(r.framesPerSecond)} frames/s, ${byteRate(r.bytesPerSecond)}` },
  ];
  if (r.idleMs >= IDLE_SHOWN_MS) segments.push({ text: `no data for ${Math.floor(r.idleMs / 1000)} s`, severity: 'warning' });
  return segments;
}

export function perSecond(rate: number): string {
  return rate < 10 ? rate.toFixed(1) : thousands(Math.round(rate));
}

export function byteRate(bytesPerSecond: number): string {
  if (bytesPerSecond < 1000) return `${Math.round(bytesPerSecond)} B/s`;
  if (bytesPerSecond < 1e6) return `${(bytesPerSecond / 1e3).toFixed(1)} kB/s`;
  return `${megabytes(bytesPerSecond)}/s`;
}

/** The connection the current view is about. */
function currentConnection(session: Session, state: UiState): string | undefined {
  if (state.view === 'records') return state.records.dir;
  if (state.view === 'conns') return session.conns.at(state.conns.row)?.id;
  if (state.selected === 0) return undefined;
  return session.connOf(state.selected)?.id;
}

export function statusSegments(session: Session, state: UiState, now = performance.now()): Segment[] {
  if (state.filterError !== undefined) return [{ text: escapeText(state.filterError), severity: 'error' }];
  const c = session.findings.counts;
  const segments: Segment[] = [
    { text: escapeText(session.name), bold: true },
    loadText(session),
    ...liveSegments(session, state, now),
    { text: plural(c.error, 'error'), severity: c.error > 0 ? 'error' : undefined },
    { text: plural(c.warning, 'warning'), severity: c.warning > 0 ? 'warning' : undefined },
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
  return `filter: ${escapeText(run.text)}  (${thousands(run.matches.length)} of ${thousands(session.index.kept)} frames${progress})${notice}`;
}
