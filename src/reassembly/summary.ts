// Snapshots of connection instances (conns(), `conn` events) and the engine totals (summary()).

import { enumName, VIRTIO_TYPE_NAMES } from '../dissect/fields.js';
import type { Conn, DirStats, Side } from './conn.js';
import { relTime, type Context } from './context.js';
import { windowFullSeconds } from './credit.js';
import { DIALECTS } from './dialect.js';
import { ConnNames, namesOf } from './names.js';
import { CONN_STATES, type ConnSummary, type DirSummary, type EngineSummary } from './types.js';

export function snapshot(ctx: Context, c: Conn): ConnSummary {
  const L = c.live;
  const at = relTime(ctx, ctx.capSec, ctx.capNsec);
  // A live instance may be snapshotted again and again (a live TUI): its names are kept. An
  // ended one is kept for the whole run, without them (names.ts).
  const names = c.live !== null ? namesOf(c) : c.names ?? new ConnNames(c);
  return {
    id: names.id,
    first_frame: c.first,
    last_frame: c.lastFrame,
    type: enumName(VIRTIO_TYPE_NAMES, c.type),
    dialect: DIALECTS[c.dialect] ?? null,
    state: CONN_STATES[c.state]!,
    midstream: c.midstream,
    first_time: c.firstSec + c.firstNsec / 1e9,
    last_time: c.lastSec + c.lastNsec / 1e9,
    dirs: [dirSummary(c, names.ab, c.d0, L?.a, at), dirSummary(c, names.ba, c.d1, L?.b, at)],
  };
}

export function engineSummary(ctx: Context, connections: number): EngineSummary {
  const anomalies: Record<string, number> = {};
  for (const [k, n] of ctx.anomalies) anomalies[k] = n;
  return { frames: ctx.frames, malformed: ctx.malformed, connections, records: { ...ctx.records }, anomalies };
}

function dirSummary(c: Conn, dir: string, st: DirStats, s: Side | undefined, at: number): DirSummary {
  return {
    dir,
    frames: st.frames,
    bytes: st.bytes,
    records: { delivered: st.delivered, dropped: st.dropped, orphan: st.orphan, lost: st.lost, incomplete: st.incomplete },
    findings: st.findings,
    window_full_s: c.midstream ? null : Math.round(windowFullSeconds(s, st.windowFull, at) * 1e9) / 1e9,
  };
}
