#!/usr/bin/env node
// Entry point: dispatch to a command; turn every failure into one line on stderr
// and the exit status ANALYSIS.md section 4 fixes (2: unreadable input or bad arguments).

import { writeSync } from 'node:fs';
import { canRunInteractive } from '../ui/terminal.js';
import { COMMANDS, commandUsage, mainUsage } from './commands.js';
import { describeError, UsageError } from './errors.js';
import { keepYoungGenerationSmall } from './heap.js';
import { Output, OutputClosed } from './output.js';
import { runTui, tuiCall } from './tui.js';

function fail(message: string): number {
  writeSync(2, `vsockscope: ${message}\n`);
  return 2;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    writeSync(name === undefined ? 2 : 1, mainUsage() + '\n');
    return name === undefined ? 2 : 0;
  }
  // Own names only: `toString` is no command (a file of that name opens the analyzer).
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    // `vsockscope [--follow] [--ring N] FILE|-`: the interactive analyzer on a terminal
    // (keys from /dev/tty when the capture comes on stdin), the `read` output otherwise.
    let call;
    try {
      call = tuiCall(argv);
    } catch (e) {
      if (e instanceof UsageError) return fail(e.message);
      throw e;
    }
    if (call !== undefined) return canRunInteractive() ? runTui(call.input, call.options) : main(['read', ...call.readArgs]);
    return fail(`unknown command '${name}' (try: vsockscope help)`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    writeSync(1, commandUsage(name) + '\n');
    return 0;
  }
  // Every command, `live` on a terminal too: a live view runs for days, at the capture's pace.
  // Not the interactive view of a file (runTui above): its loader makes short-lived objects
  // by the million while the user waits, which a larger young generation collects more cheaply.
  keepYoungGenerationSmall();
  const out = new Output(1);
  const interrupt = onInterrupt();
  try {
    const status = await command.run(rest, out, interrupt.signal);
    out.flush();
    return status;
  } catch (e) {
    if (e instanceof OutputClosed) return 0;
    try { out.flush(); } catch { /* the reader is gone; the error line below still matters */ }
    if (e instanceof UsageError) return fail(e.message);
    return fail(describeError(command.inputOf(rest), e));
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

main(process.argv.slice(2)).then(
  // Exit now: a read of a pipe may still be blocked on the thread pool after Ctrl-C.
  (status) => process.exit(status),
  (e: unknown) => { process.exitCode = fail(`internal error: ${e instanceof Error ? e.message : String(e)}`); },
);
