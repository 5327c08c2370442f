// Full-screen mode: the alternate screen while the UI runs, and the terminal handed back
// as it was found on every way out: quit, Ctrl-C, a signal, a crash.

import { closeSync, openSync, writeSync } from 'node:fs';
import { isatty, ReadStream } from 'node:tty';

const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALTERNATE_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

export interface Terminal {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
}

/**
 * Whether the interactive view can run: stdout is a terminal (isatty, not process.stdout:
 * creating that stream can make a piped fd 1 non-blocking) and keys can be read from one.
 */
export function canRunInteractive(): boolean {
  return isatty(1) && hasTerminal();
}

/** Whether keys can be read from a terminal: stdin is one, or there is a controlling terminal (/dev/tty). */
function hasTerminal(): boolean {
  if (isatty(0)) return true;
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return true;
  } catch {
    return false;
  }
}

/**
 * The terminal the UI draws on and reads keys from: stdin when it is one, else
 * /dev/tty (the capture comes on stdin). `release` closes what was opened here.
 * Call before ink is loaded: see below.
 */
export function openTerminal(): { terminal: Terminal; release(): void } {
  if (isatty(0)) return { terminal: { stdin: process.stdin, stdout: process.stdout }, release: () => undefined };
  const stdin = new ReadStream(openSync('/dev/tty', 'r'));
  // ink reads process.stdin as it loads. Created for a pipe, that stream would make fd 0
  // non-blocking under the loader, which reads the capture from it: the terminal stands in.
  Object.defineProperty(process, 'stdin', { value: stdin, configurable: true });
  return { terminal: { stdin, stdout: process.stdout }, release: () => stdin.destroy() };
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
 * `shutdown` (stopping a live capture's process) runs after `cleanup`, before the exit.
 */
export function onAbnormalExit(cleanup: () => void, shutdown: () => Promise<void> = async () => undefined): () => void {
  let exiting = false;
  const exit = (status: number, message?: string) => {
    if (exiting) return;
    exiting = true;
    cleanup();
    if (message !== undefined) writeSync(2, message);
    void shutdown().catch(() => undefined).finally(() => process.exit(status));
  };
  const handlers = Object.entries(SIGNALS).map(([signal, number]) => {
    const handler = () => exit(128 + number);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const crash = (error: unknown) => {
    exit(2, `vsockscope: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
  };
}
