// The built CLI as a running process whose output the test watches as it comes, and the
// gated writer (gated-writer.mjs) that feeds it a capture piece by piece.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from './cli.js';

export const GATED_WRITER = new URL('./gated-writer.mjs', import.meta.url).pathname;

const running = new Set<LiveRun>();

/** Ends every run still going (a test that failed before its writer finished): SIGTERM stops a capture command too. */
export async function stopAll(): Promise<void> {
  const left = [...running];
  for (const run of left) run.terminate();
  await Promise.all(left.map((run) => run.exited));
}

export class LiveRun {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: readonly string[], stdin: 'ignore' | 'pipe' = 'ignore') {
    this.child = spawn(process.execPath, [CLI, ...args], { stdio: [stdin, 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => { this.stdout += d; });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => { this.stderr += d; });
    running.add(this);
    this.exited = new Promise((resolve) => this.child.on('close', (code) => {
      running.delete(this);
      resolve(code);
    }));
  }

  terminate(): void {
    this.child.kill('SIGTERM');
  }

  get stdin(): NodeJS.WritableStream {
    return this.child.stdin!;
  }

  /** Resolves once stdout matches; rejects with what was printed after `ms`. */
  async waitFor(pattern: RegExp, ms = 10_000, stream: 'stdout' | 'stderr' = 'stdout'): Promise<void> {
    const until = Date.now() + ms;
    while (!pattern.test(this[stream])) {
      if (Date.now() > until) throw new Error(`no ${pattern} on ${stream} after ${ms} ms; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  interrupt(): void {
    this.child.kill('SIGINT');
  }
}

/** Byte offset of each record of a classic pcap file (little-endian), by frame number - 1. */
export function pcapRecordOffsets(path: string): number[] {
  const bytes = readFileSync(path);
  const offsets: number[] = [];
  for (let at = 24; at + 16 <= bytes.length; at += 16 + bytes.readUInt32LE(at + 8)) offsets.push(at);
  return offsets;
}

/** Opens gate n of a gated writer: it writes its next piece. */
export function openGate(dir: string, n: number): void {
  writeFileSync(join(dir, String(n)), '');
}
