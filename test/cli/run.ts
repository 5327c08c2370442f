import { spawnSync } from 'node:child_process';
import { CLI } from '../helpers/cli.js';

export interface Run { status: number | null; stdout: string; stderr: string }

/** Runs the built CLI (npm test builds before vitest runs). */
export function vsockscope(args: readonly string[], input?: Buffer): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}
