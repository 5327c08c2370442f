// Runs a routed command line (route.ts); turns every failure into one line on stderr and
// the exit status ANALYSIS.md section 4 fixes (2: unreadable input or bad arguments).

import { writeSync } from 'node:fs';
import type { CommandName } from './command-names.js';
import { COMMANDS, commandUsage, mainUsage } from './commands.js';
import { describeError, UsageError } from './errors.js';
import { keepYoungGenerationSmall } from './heap.js';
import { Output, OutputClosed } from './output.js';
import type { Route } from './route.js';

function fail(message: string): number {
  writeSync(2, `vsockscope: ${message}\n`);
  return 2;
}

/** Every route but the interactive view of a file, which main.ts runs (interactive.ts). */
export async function dispatch(route: Exclude<Route, { kind: 'interactive' }>): Promise<number> {
  switch (route.kind) {
    case 'usage':
      writeSync(route.asked ? 1 : 2, mainUsage() + '\n');
      return route.asked ? 0 : 2;
    case 'fail':
      return fail(route.message);
    case 'command':
      return runCommand(route.name, route.args);
  }
}

async function runCommand(name: CommandName, args: readonly string[]): Promise<number> {
  const command = COMMANDS[name];
  if (args.includes('--help') || args.includes('-h')) {
    writeSync(1, commandUsage(name) + '\n');
    return 0;
  }
  // Every command, `live` on a terminal too: a live view runs for days, at the capture's pace.
  // Not the interactive view of a file (main.ts): its loader makes short-lived objects
  // by the million while the user waits, which a larger young generation collects more cheaply.
  keepYoungGenerationSmall();
  const out = new Output(1);
  const interrupt = onInterrupt();
  try {
    const status = await command.run(args, out, interrupt.signal);
    out.flush();
    return status;
  } catch (e) {
    if (e instanceof OutputClosed) return 0;
    try { out.flush(); } catch { /* the reader is gone; the error line below still matters */ }
    if (e instanceof UsageError) return fail(e.message);
    return fail(describeError(command.inputOf(args), e));
  } finally {
    interrupt.dispose();
  }
}

/**
 * The first Ctrl-C (or SIGTERM) stops reading: the command finishes what it read and
 * prints its summary. A second one exits at once.
 */
function onInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
