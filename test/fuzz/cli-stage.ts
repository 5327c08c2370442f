// The built CLI as a user runs it, in a child process: exit status 0, 1 or 2 as the
// oracle expects, a failure as one stderr line naming a byte offset or a frame, only
// terminal-safe UTF-8 on stdout, no hang and a bounded resident set.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { CLI as BUILT_CLI } from '../helpers/cli.js';
import { expectJsonLine, expectSafeLine, violation } from './verdict.js';
import type { Walk } from './walker.js';

/** The built CLI; FUZZ_CLI points elsewhere (a private build while dist/ is being rebuilt). */
const CLI = process.env.FUZZ_CLI ?? BUILT_CLI;
const RSS_WRAPPER = new URL('./rss-wrapper.mjs', import.meta.url).pathname;
export const CLI_TIME_LIMIT_MS = 10_000;
/** Peak resident set of one run: node itself takes about 50 MB. */
export const CLI_MEMORY_LIMIT_KB = 200 * 1024;

/** Each runs on the file; `-` reads it from a pipe instead (a stream: output as it comes). */
export const CLI_COMMANDS: readonly (readonly string[])[] = [
  ['check'], ['check', '--json'], ['read', '-V', '-x'], ['read', '--json'], ['records'], ['conns'], ['read', '-x', '-'],
  // A filter on fields and one on findings (which reads the file twice), with a count.
  ['read', '-Y', 'vsock.virtio.op == SEQ_END || vsock.virtio.len > 100', '-c', '3'], ['read', '-Y', 'vsock.seq', '-V'],
];

/**
 * What stderr may hold besides a failure: a finding `read` could not print with its frame,
 * and the summary `read` prints there on a stream.
 */
const NOT_AN_ERROR = /^vsockscope: ((error|warning|info): [a-z_.]+( \(frame \d+\))?: |(frames|records|findings): )/;
/** The one line a failure gets: the input, where (a byte offset or a frame), and why. */
export const ERROR_LINE = /^vsockscope: .+: (byte|frame) \d+: \S/;

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly errorLines: string[];
}

/** `stdin`: the bytes to pipe in (for an input argument `-`). */
export function runCli(args: readonly string[], rssFile: string, stdin?: Uint8Array): CliRun {
  const stage = `cli ${args.join(' ')}`;
  rmSync(rssFile, { force: true });
  const r = spawnSync(process.execPath, ['--max-old-space-size=64', RSS_WRAPPER, CLI, ...args], {
    timeout: CLI_TIME_LIMIT_MS, maxBuffer: 1 << 28, env: { ...process.env, FUZZ_RSS_FILE: rssFile }, input: stdin,
  });
  if (r.error !== undefined) violation(stage, `did not finish in ${CLI_TIME_LIMIT_MS} ms: ${r.error.message}`);
  const stderr = r.stderr.toString('utf8');
  if (r.status === null || ![0, 1, 2].includes(r.status)) violation(stage, `exit status ${r.status} (signal ${r.signal}): ${stderr.slice(0, 2000)}`);
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN;
  if (!(rss <= CLI_MEMORY_LIMIT_KB)) violation(stage, `peak resident set ${rss} kB (limit ${CLI_MEMORY_LIMIT_KB} kB)`);
  let stdout: string;
  try {
    stdout = new TextDecoder('utf-8', { fatal: true }).decode(r.stdout);
  } catch {
    violation(stage, 'stdout is not valid UTF-8: raw input bytes reached it');
  }
  const errorLines = stderr.split('\n').filter((l) => l !== '' && !NOT_AN_ERROR.test(l));
  return { status: r.status, stdout, errorLines };
}

export function cliStage(path: string, walk: Walk, rssFile: string): void {
  for (const command of CLI_COMMANDS) {
    const stage = `cli ${command.join(' ')}`;
    const stream = command.at(-1) === '-';
    const run = stream ? runCli(command, rssFile, readFileSync(path)) : runCli([...command, path], rssFile);
    const damaged = walk.end.kind !== 'clean';
    // On a stream, read exits as check would. With -c it may stop before the damage.
    const allowed = damaged ? (command.includes('-c') ? [0, 2] : [2]) : command[0] === 'check' || stream ? [0, 1] : [0];
    if (!allowed.includes(run.status)) violation(stage, `exit status ${run.status}, expected ${allowed.join(' or ')}: ${run.errorLines.join(' | ')}`);
    if (run.status === 2) {
      if (run.errorLines.length !== 1 || !ERROR_LINE.test(run.errorLines[0]!)) {
        violation(stage, `a failure must be one stderr line naming a byte or frame, got ${JSON.stringify(run.errorLines)}`);
      }
    } else if (run.errorLines.length > 0) violation(stage, `stderr without a failure: ${JSON.stringify(run.errorLines)}`);
    for (const line of run.errorLines) expectSafeLine(stage, line);
    const json = command.includes('--json');
    for (const line of run.stdout.split('\n')) {
      if (json && line !== '') expectJsonLine(stage, line);
      else expectSafeLine(stage, line);
    }
    if (command.join(' ') === 'check --json') expectSummaryFrames(stage, run.stdout, walk);
  }
  expectWrittenCopy(path, walk, rssFile);
}

/**
 * `read -w` copies every whole frame: the copy reads as the input does (the same lines),
 * and it is sound even when the input was damaged after them.
 */
function expectWrittenCopy(path: string, walk: Walk, rssFile: string): void {
  const copy = `${path}.copy.pcapng`;
  rmSync(copy, { force: true });
  const written = runCli(['read', '-w', copy, path], rssFile);
  const damaged = walk.end.kind !== 'clean';
  if (written.status !== (damaged ? 2 : 0)) violation('cli read -w', `exit status ${written.status}: ${written.errorLines.join(' | ')}`);
  if (walk.packets === 0) return;
  const again = runCli(['read', copy], rssFile);
  if (again.status !== 0 || again.errorLines.length > 0) violation('cli read -w', `the copy does not read cleanly: status ${again.status}, ${again.errorLines.join(' | ')}`);
  if (damaged) return;
  const original = runCli(['read', path], rssFile);
  if (again.stdout !== original.stdout) violation('cli read -w', 'the copy reads differently from the input');
}

/** `check --json` counts every whole frame before the damage in its summary line (none without a frame). */
function expectSummaryFrames(stage: string, stdout: string, walk: Walk): void {
  const summary = stdout.split('\n').filter((l) => l.startsWith('{"type":"summary"')).map((l) => JSON.parse(l) as { frames: number });
  if (walk.packets === 0 && summary.length === 0) return;
  if (summary.length !== 1 || summary[0]!.frames !== walk.packets) {
    violation(stage, `summary ${JSON.stringify(summary)} for an input with ${walk.packets} whole frames`);
  }
}
