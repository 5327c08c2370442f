// The interactive view's first step, which main.ts takes before the commands' modules load:
// the terminal is taken and the loader thread starts reading the capture.

import { startOpening, type Opening } from '../ui/data/opening.js';
import { onAbnormalExit, openTerminal, type Terminal } from '../ui/terminal.js';
import type { Input } from './input.js';
import type { TuiOptions } from './tui-call.js';

export interface TuiStart {
  readonly input: Input;
  readonly options: TuiOptions;
  readonly terminal: Terminal;
  readonly release: () => void;
  /** Signal and crash handlers until the interactive view takes them over. */
  readonly removeHandlers: () => void;
  /** The loader thread reading already; or why it could not start. */
  readonly opening: { readonly ok: true; readonly value: Opening } | { readonly ok: false; readonly error: unknown };
}

/**
 * The first step of the interactive view: takes the terminal and starts the loader thread
 * reading the capture. Call it as early as possible (main.ts): the full load waits for that
 * thread, which Node takes 20 ms to start; the session's modules, ink and react load while
 * it reads. A loader that cannot start is reported by runTui, as every failure to open is.
 */
export function startTui(input: Input, options: TuiOptions = {}): TuiStart {
  const { terminal, release } = openTerminal();
  // Until the interactive view takes signals over, a signal still ends the process through
  // an exit, which removes the spool (startOpening registered that).
  const removeHandlers = onAbnormalExit(() => undefined);
  let opening: TuiStart['opening'];
  try {
    opening = { ok: true, value: startOpening(input.spec, { worker: true, ...options }) };
  } catch (error) {
    opening = { ok: false, error };
  }
  return { input, options, terminal, release, removeHandlers, opening };
}
