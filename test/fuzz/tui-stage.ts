// The terminal UI's data and text: the loader's pass, every frame read again by offset,
// and the lines each view draws (packet rows, the fully expanded detail tree, the hex
// pane, findings, connections, records, status and filter bars).

import { CaptureError } from '../../src/dissect/container/types.js';
import { Session } from '../../src/ui/data/session.js';
import { connLines } from '../../src/ui/present/conns.js';
import { detailLine, detailRows } from '../../src/ui/present/detail.js';
import { findingsLines, findingsRowCount } from '../../src/ui/present/findings.js';
import { payloadHexLines } from '../../src/ui/present/hex.js';
import { packetLines, visiblePacketRows } from '../../src/ui/present/packet-list.js';
import { otherDirection, recordLines } from '../../src/ui/present/records.js';
import { filterBarText, statusSegments } from '../../src/ui/present/status.js';
import { frameTree } from '../../src/dissect/present/tree.js';
import { initialState } from '../../src/ui/state/state.js';
import { fingerprint } from './pipeline-stage.js';
import { errorText, expectOutcome, expectSafeLine, FuzzViolation, violation } from './verdict.js';
import type { Walk } from './walker.js';

const STAGE = 'tui';
const WIDTH = 160;
/** Frames whose rows and trees are drawn: a few screens' worth. */
const MOST_FRAMES = 400;

/** Every node open, whatever its default. */
class AllOpen extends Map<string, boolean> {
  override get(): boolean {
    return true;
  }
}

function lines(list: readonly string[]): void {
  for (const line of list) expectSafeLine(STAGE, line);
}

/** `firstPass`: fingerprint() of each frame as the pipeline read it; the views must show those frames. */
function drawEverything(session: Session, firstPass: readonly string[]): void {
  const count = Math.min(session.index.count, MOST_FRAMES);
  const rows = visiblePacketRows(session, 0, count);
  const packets = packetLines(rows, WIDTH, 0);
  lines([packets.header, ...packets.lines]);
  for (let n = 1; n <= count; n++) {
    const frame = session.frame(n);
    if (fingerprint(frame) !== firstPass[n - 1]) violation(STAGE, `frame ${n} read again by offset is not the frame the first pass read`);
    lines(detailRows(frameTree(frame, session.index.v4Dialect(n)), new AllOpen()).map(detailLine));
    lines(payloadHexLines(frame));
  }
  const groups = session.findings.sortedGroups();
  const expanded = new Set<string>(groups.map((g) => g.code));
  lines(findingsLines(session, groups, expanded, 0, Math.min(findingsRowCount(groups, expanded), MOST_FRAMES), WIDTH).map((l) => l.text));
  const conns = session.conns.slice(0, session.conns.count());
  const table = connLines(conns, WIDTH, 0);
  lines([table.header, ...table.lines]);
  for (const c of conns) {
    const [a, b] = c.id.split('-');
    for (const dir of [`${a}>${b}`, otherDirection(c.id, `${a}>${b}`)]) {
      const group = session.records.group(c.id, dir);
      const shown = recordLines(session.records, group, 0, MOST_FRAMES, WIDTH, 0);
      lines([shown.header, ...shown.lines]);
    }
  }
  const state = initialState({ columns: WIDTH, rows: 40 });
  lines(statusSegments(session, state).map((s) => s.text));
  expectSafeLine(STAGE, filterBarText(session, state));
}

export async function tuiStage(path: string, walk: Walk, firstPass: readonly string[]): Promise<void> {
  let session: Session;
  try {
    session = await Session.open(path);
    await session.whenLoaded();
  } catch (e) {
    // Only an input with no frame at all may be refused outright.
    if (e instanceof CaptureError && walk.packets === 0) return;
    violation(STAGE, `opening failed: ${errorText(e)}`);
  }
  try {
    const load = session.load;
    if (load.phase !== 'done') violation(STAGE, `loading ended in phase ${load.phase}: ${load.phase === 'failed' ? errorText(load.error) : ''}`);
    expectOutcome(STAGE, walk, { ...load.outcome, frames: session.index.count });
    drawEverything(session, firstPass);
  } catch (e) {
    if (e instanceof FuzzViolation) throw e;
    violation(STAGE, `an exception escaped: ${errorText(e)}`);
  } finally {
    session.close();
  }
}
