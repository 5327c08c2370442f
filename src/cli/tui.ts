// `vsockscope FILE` on a terminal: the interactive analyzer (src/ui). Resolves to the
// exit status: 0, or 2 when the file cannot be read or is damaged (named on stderr once
// the screen is handed back, as every command names it).

import { writeSync } from 'node:fs';
import { Session } from '../ui/data/session.js';
import { describeError, reportDamage } from './errors.js';

export async function runTui(path: string): Promise<number> {
  // React's development build checks and allocates far more on every render; a user of
  // the tool is not developing it.
  process.env.NODE_ENV ??= 'production';
  // ink and react take a quarter of a second to load: loaded here only (not by the other
  // commands), while the worker thread starts reading the file.
  const ui = import('../ui/launch.js');
  ui.catch(() => undefined);
  let session: Session;
  try {
    session = await Session.open(path, { worker: true });
  } catch (error) {
    writeSync(2, `vsockscope: ${describeError(path, error)}\n`);
    return 2;
  }
  try {
    const { runInteractive } = await ui;
    await runInteractive(session);
  } catch (error) {
    writeSync(2, `vsockscope: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    session.close();
  }
  const load = session.load;
  if (load.phase === 'failed') {
    writeSync(2, `vsockscope: ${describeError(path, load.error)}\n`);
    return 2;
  }
  return load.phase === 'done' && reportDamage(path, load.outcome) ? 2 : 0;
}
