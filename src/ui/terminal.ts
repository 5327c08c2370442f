// Full-screen mode: the alternate screen while the UI runs, and the terminal handed back
// as it was found on every way out: quit, Ctrl-C, a signal, a crash.

import { writeSync } from 'node:fs';

const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALTERNATE_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

export interface Terminal {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
}

/** Switches to the alternate screen; returns the (idempotent) function that switches back. */
export function enterFullScreen({ stdin, stdout }: Terminal): () => void {
  write(stdout, ENTER_ALTERNATE_SCREEN);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    // ink leaves raw mode and shows the cursor when it unmounts; after a crash it may not have.
    if (stdin.isTTY) stdin.setRawMode(false);
    write(stdout, SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
  };
}

/** Writes to a terminal are synchronous, so this is done even when the process is about to exit. */
function write(stdout: NodeJS.WriteStream, text: string): void {
  try {
    stdout.write(text);
  } catch {
    // The terminal is gone: nothing left to restore.
  }
}

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Runs `cleanup` and exits on a terminating signal or an uncaught error; returns the
 * function that removes these handlers. Install after ink's own (it unmounts on signals
 * first, so its last frame lands on the alternate screen, not on the user's).
 */
export function onAbnormalExit(cleanup: () => void): () => void {
  const handlers = Object.entries(SIGNALS).map(([signal, number]) => {
    const handler = () => {
      cleanup();
      process.exit(128 + number);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const crash = (error: unknown) => {
    cleanup();
    writeSync(2, `vsockscope: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(2);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
  };
}
