// The built binary in a real terminal, for the end-to-end tests: tmux runs it, keys go in
// with send-keys, the screen comes back with capture-pane. Needs `npm run build` first,
// and tmux (the tests fail without it: apt-get install -y tmux).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CLI } from '../helpers/cli.js';

/** One tmux server per test: a socket reused right after kill-server can race its shutdown. */
let socket = '';
let servers = 0;
export const dir = mkdtempSync(join(tmpdir(), 'vsockscope-e2e-'));

// ink draws nothing until exit when it believes it runs under CI.
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION'));
ENV.TERM = 'xterm-256color';

export function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: ENV });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the analyzer on `file` in an 80x24 terminal; the shell around it records the terminal settings before and after. */
export function start(file: string, env = ''): void {
  startCommand(`${env} ${JSON.stringify(process.execPath)} ${CLI} ${file}`);
}

/** Runs a shell command line (no single quotes) in an 80x24 terminal, recording the terminal settings before and after. */
export function startCommand(command: string): void {
  // Each test fails (never skips) without what it needs.
  expect(spawnSync('tmux', ['-V']).status, 'tmux is required for this test: apt-get install -y tmux').toBe(0);
  expect(existsSync(CLI), 'run `npm run build` first: the test runs the built binary').toBe(true);
  socket = `vsockscope-e2e-${process.pid}-${++servers}`;
  const script = `stty -g > ${dir}/stty.before; ${command}; echo EXIT=$?; stty -g > ${dir}/stty.after; sleep 600`;
  tmux('new-session', '-d', '-s', 'e2e', '-x', '80', '-y', '24', `sh -c '${script}'`);
}

/** Ends the test's tmux server. */
export function stopTmux(): void {
  if (socket !== '') spawnSync('tmux', ['-L', socket, 'kill-server'], { env: ENV });
  socket = '';
}

export function screen(styles = false): string[] {
  return tmux('capture-pane', '-p', ...(styles ? ['-e'] : []), '-t', 'e2e').split('\n');
}

export async function waitFor(what: string, test: (lines: string[]) => boolean, ms = 15_000): Promise<string[]> {
  const until = Date.now() + ms;
  for (;;) {
    const lines = screen();
    if (test(lines)) return lines;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the screen:\n${lines.join('\n')}`);
    await sleep(50);
  }
}

export const shows = (text: string | RegExp) => (lines: string[]) => lines.some((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)));

export async function keys(...names: string[]): Promise<void> {
  for (const name of names) tmux('send-keys', '-t', 'e2e', name);
}

/** SGR parameters in effect on a captured line (capture-pane -e). */
export function styles(line: string): Set<string> {
  return new Set([...line.matchAll(/\x1b\[([\d;]*)m/g)].flatMap((m) => m[1]!.split(';')));
}

/** Checks the terminal was handed back as it was found, after the analyzer exited with `status`. */
export async function expectTerminalRestored(status = 0): Promise<void> {
  await waitFor('the exit status', shows(`EXIT=${status}`));
  expect(tmux('display', '-p', '-t', 'e2e', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
  expect(readFileSync(`${dir}/stty.after`, 'utf8')).toBe(readFileSync(`${dir}/stty.before`, 'utf8'));
}

export async function quitAndCheckTerminal(key: string): Promise<void> {
  await keys(key);
  await expectTerminalRestored();
}

