// `vsockscope [--follow] [--ring N] FILE|-` on a terminal, and `vsockscope live` on one:
// the interactive analyzer (src/ui). Resolves to the exit status: 0; 2 when the capture
// cannot be read, is damaged or its capture process failed (named on stderr once the
// screen is handed back, as every command names it); a live capture, which `check`
// would have analysed as it ran, also 1 when an error-severity finding was seen.

import { writeSync } from 'node:fs';
import type { Session } from '../ui/data/session.js';
import { describeError, reportDamage } from './errors.js';
import { severityAtLeast } from './tally.js';
import type { TuiStart } from './tui-start.js';

/** The rest of the interactive view, after startTui (tui-start.ts). */
export async function runTui(start: TuiStart): Promise<number> {
  const { input, options, terminal, release, removeHandlers } = start;
  let session: Session;
  let ui: Promise<typeof import('../ui/launch.js')>;
  try {
    if (!start.opening.ok) throw start.opening.error;
    const started = start.opening.value;
    // The session's modules, and ink and react, are loaded here only (not by the other commands).
    const { Session: SessionClass } = await import('../ui/data/session.js').catch((error: unknown) => {
      started.thread?.terminate();
      started.removeSpool?.();
      throw error;
    });
    const opening = SessionClass.open(started, options);
    ui = import('../ui/launch.js');
    ui.catch(() => undefined);
    session = await opening;
  } catch (error) {
    removeHandlers();
    release();
    writeSync(2, `vsockscope: ${describeError(input.name, error)}\n`);
    return 2;
  }
  try {
    const { runInteractive } = await ui;
    removeHandlers();
    await runInteractive(session, terminal);
  } catch (error) {
    writeSync(2, `vsockscope: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    removeHandlers();
    release();
    // A live capture: its process is stopped, and what it wrote is analysed to the end.
    await session.stop();
    session.close();
  }
  const load = session.load;
  if (load.phase === 'failed') {
    writeSync(2, `vsockscope: ${describeError(input.name, load.error)}\n`);
    return 2;
  }
  if (load.phase === 'done' && reportDamage(input.name, load.outcome)) return 2;
  return session.live && severityAtLeast(session.findings.worst, 'error') ? 1 : 0;
}
