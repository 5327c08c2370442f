// `vsockscope [--follow] [--ring N] FILE|-` on a terminal, and `vsockscope live` on one:
// the interactive analyzer (src/ui). Resolves to the exit status: 0; 2 when the capture
// cannot be read, is damaged or its capture process failed (named on stderr once the
// screen is handed back, as every command names it); a live capture, which `check`
// would have analysed as it ran, also 1 when an error-severity finding was seen.

import { existsSync, writeSync } from 'node:fs';
import type { EngineOptions } from '../reassembly/index.js';
import type { Session } from '../ui/data/session.js';
import { onAbnormalExit, openTerminal } from '../ui/terminal.js';
import { intOption, parseArgs, type OptionSpecs, type ParsedArgs } from './args.js';
import { describeError, reportDamage } from './errors.js';
import { inputArgument, INPUT_OPTIONS, type Input } from './input.js';
import { severityAtLeast } from './tally.js';

export const RING_OPTION: OptionSpecs = {
  ring: { kind: 'string', value: 'N', help: 'interactive view: keep only the newest N frames (a capture that runs for days)' },
};

const TUI_OPTIONS: OptionSpecs = { ...INPUT_OPTIONS, ...RING_OPTION };

export interface TuiOptions {
  readonly ring?: number;
  readonly engine?: EngineOptions;
}

export function ringOption(args: ParsedArgs): TuiOptions {
  const ring = intOption(args, 'ring', 1);
  return ring !== undefined ? { ring } : {};
}

/**
 * `vsockscope [--follow] [--ring N] FILE|-`, when `argv` is that: the input and options
 * (off a terminal, `read` takes the input). Undefined when argv is no such call.
 */
export function tuiCall(argv: readonly string[]): { input: Input; options: TuiOptions; readArgs: string[] } | undefined {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, TUI_OPTIONS);
  } catch {
    return undefined;
  }
  const [path] = args.positionals;
  if (args.positionals.length !== 1 || (path !== '-' && !existsSync(path!))) return undefined;
  const input = inputArgument(args, 'vsockscope');
  return { input, options: ringOption(args), readArgs: [...(args.options.follow === true ? ['--follow'] : []), path!] };
}

export async function runTui(input: Input, options: TuiOptions = {}): Promise<number> {
  const { terminal, release } = openTerminal();
  let session: Session;
  let ui: Promise<typeof import('../ui/launch.js')>;
  // Until the interactive view takes signals over, a signal still ends the process through
  // an exit, which removes the spool (startOpening registered that).
  const removeHandlers = onAbnormalExit(() => undefined);
  try {
    // The session's modules, and ink and react, are loaded here only (not by the other
    // commands). The loader thread starts reading the file first: it is what the full load
    // waits for; the session's modules, ink and react load meanwhile.
    const { startOpening } = await import('../ui/data/opening.js');
    const started = startOpening(input.spec, { worker: true, ...options });
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
