// The whole pipeline on mutated and random captures: see harness.ts for the properties.
// CI runs a fixed seed for a bounded time (about 50 s); `npm run fuzz -- --minutes N`
// sets FUZZ_SEED, FUZZ_SECONDS, FUZZ_CLI_SECONDS and FUZZ_CLI_INPUTS to run longer.

import { expect, test } from 'vitest';
import { checkCli, checkInProcess, runFuzz, type FuzzRun } from './harness.js';

const seed = Number(process.env.FUZZ_SEED ?? 20240601);
const seconds = Number(process.env.FUZZ_SECONDS ?? 35);
const cliSeconds = Number(process.env.FUZZ_CLI_SECONDS ?? 60);
const cliInputs = Number(process.env.FUZZ_CLI_INPUTS ?? 10);
/** Room for shrinking a failure after the budget. */
const SHRINK_MS = 600_000;

function report(what: string, run: FuzzRun, runSeed: number): void {
  console.log(`fuzz ${what}: ${run.inputs} inputs in ${run.seconds.toFixed(1)} s (seed ${runSeed})${run.failure !== undefined ? `, FAILED\n${run.failure}` : ''}`);
}

test(`reader, decoder, engine, text, JSON and TUI rendering stay correct on hostile inputs (seed ${seed}, ${seconds} s)`, async () => {
  const run = await runFuzz({ seed, budgetMs: seconds * 1000, check: checkInProcess });
  report('in process', run, seed);
  expect(run.failure).toBeUndefined();
  expect(run.inputs).toBeGreaterThan(0);
}, seconds * 1000 + SHRINK_MS);

test(`the built CLI exits 0, 1 or 2 with one error line, within time and memory (seed ${seed + 1}, up to ${cliInputs} inputs)`, async () => {
  const run = await runFuzz({ seed: seed + 1, budgetMs: cliSeconds * 1000, maxInputs: cliInputs, check: checkCli });
  report('CLI', run, seed + 1);
  expect(run.failure).toBeUndefined();
  expect(run.inputs).toBeGreaterThan(0);
}, cliSeconds * 1000 + SHRINK_MS);
