// The properties every input must satisfy, stage by stage; the fuzz test and
// `npm run fuzz` both run them through runFuzz (one harness, two budgets).

import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { cliStage } from './cli-stage.js';
import { fuzzInput, loadSeeds, type FuzzInput } from './mutators.js';
import { pipelineStage } from './pipeline-stage.js';
import { readerStage } from './reader-stage.js';
import { tuiStage } from './tui-stage.js';
import { violation } from './verdict.js';
import { walk } from './walker.js';

/** Wall-clock limit for one input through every in-process stage. */
export const INPUT_TIME_LIMIT_MS = 5000;

/**
 * Where the input being checked is written: FUZZ_DIR (`npm run fuzz`: after a hang or a
 * crash, it is still there), else a temporary directory, which a test run removes.
 */
export function workDir(): string {
  const dir = process.env.FUZZ_DIR ?? join(tmpdir(), `vsockscope-fuzz-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Reader, pipeline and TUI stages in this process. */
export async function checkInProcess(input: FuzzInput, path: string): Promise<void> {
  writeFileSync(path, input.bytes);
  const started = performance.now();
  const w = walk(input.bytes);
  readerStage(input.bytes, input.chunk, w);
  const { frames } = await pipelineStage(path, w);
  await tuiStage(path, w, frames);
  const took = performance.now() - started;
  if (took > INPUT_TIME_LIMIT_MS) violation('time', `${Math.round(took)} ms for a ${input.bytes.length}-byte input (limit ${INPUT_TIME_LIMIT_MS} ms)`);
}

/** Every command of the built CLI in a child process. */
export async function checkCli(input: FuzzInput, path: string): Promise<void> {
  writeFileSync(path, input.bytes);
  cliStage(path, walk(input.bytes), `${path}.rss`);
}

export interface FuzzOptions {
  readonly seed: number;
  readonly budgetMs: number;
  /** Stop after this many inputs even if time is left. */
  readonly maxInputs?: number;
  readonly check: (input: FuzzInput, path: string) => Promise<void>;
}

export interface FuzzRun {
  readonly inputs: number;
  readonly seconds: number;
  readonly failure?: string;
}

/** Checks generated inputs until the budget is spent; a failure is shrunk and described. */
export async function runFuzz({ seed, budgetMs, maxInputs, check }: FuzzOptions): Promise<FuzzRun> {
  const seeds = loadSeeds();
  const path = join(workDir(), 'current.bin');
  let inputs = 0;
  const started = performance.now();
  const details = await fc.check(
    fc.asyncProperty(fuzzInput(seeds), async (input) => {
      inputs++;
      await check(input, path);
    }),
    { seed, numRuns: maxInputs ?? Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: budgetMs, markInterruptAsFailure: false },
  );
  const seconds = (performance.now() - started) / 1000;
  if (!details.failed) return { inputs, seconds };
  const example = details.counterexample?.[0];
  const kept = failingInputPath(path, seed);
  if (example !== undefined) writeFileSync(kept, example.bytes);
  const failure = [
    `fuzz failure (seed ${seed}, path "${details.counterexamplePath}"; rerun with FUZZ_SEED=${seed}):`,
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance),
    `input: ${example?.how ?? '?'} (${example?.bytes.length ?? 0} bytes, chunks of ${example?.chunk ?? '?'}), saved as ${kept}`,
  ].join('\n');
  return { inputs, seconds, failure };
}

/** A failing input is saved where the report can send the reader: outside a test run's temporary directory (test/global-setup.ts). */
function failingInputPath(path: string, seed: number): string {
  const outer = process.env.VSOCKSCOPE_TEST_OUTER_TMPDIR;
  return process.env.FUZZ_DIR !== undefined || outer === undefined ? path : join(outer, `vsockscope-fuzz-failure-seed-${seed}.bin`);
}
