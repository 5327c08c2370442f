// Runs the interactive analyzer on a terminal until the user quits.

import { render } from 'ink';
import type { Session } from './data/session.js';
import { UiStore } from './state/store.js';
import { enterFullScreen, onAbnormalExit, type Terminal } from './terminal.js';
import { App } from './view/app.js';

/** https://no-color.org: set and not empty. */
export function colorWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.NO_COLOR ?? '') === '';
}

/**
 * ink's options besides the streams. ink draws at most maxFps times a second and holds a
 * change back until the interval since its last frame has passed: at 60 that is up to
 * 17 ms added to a keypress that follows another repaint (a progress update while the
 * capture loads). Progress is throttled where it is reported (Session), so ink's
 * throttle only needs to merge the repaints of one burst of input.
 */
export const INK_OPTIONS = { exitOnCtrlC: true, patchConsole: false, maxFps: 250 } as const;

export async function runInteractive(session: Session, terminal: Terminal): Promise<void> {
  const { stdin, stdout } = terminal;
  const store = new UiStore(session, { columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const restore = enterFullScreen(terminal);
  const instance = render(<App store={store} color={colorWanted()} />, { stdin, stdout, ...INK_OPTIONS });
  const leave = () => {
    instance.unmount();
    restore();
  };
  // A live capture's process is stopped on the way out, however the way out is taken.
  const removeHandlers = onAbnormalExit(leave, () => session.stop());
  try {
    await instance.waitUntilExit();
  } finally {
    removeHandlers();
    leave();
    store.dispose();
  }
}
