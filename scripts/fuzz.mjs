#!/usr/bin/env node
// `npm run fuzz -- --minutes N [--seed S]`: the fuzz test (test/fuzz) with a longer
// budget and a fresh seed: four fifths of the time in process, the rest through the
// built CLI. A hang is caught by a watchdog; the input it hung on is kept, as is a
// failing one (the directory goes after a clean run).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '5' }, seed: { type: 'string' } } });
const minutes = Number(values.minutes);
if (!(minutes > 0)) {
  console.error(`fuzz: --minutes needs a positive number, got '${values.minutes}'`);
  process.exit(2);
}
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const total = minutes * 60;
const dir = mkdtempSync(join(tmpdir(), 'vsockscope-fuzz-'));
const env = {
  ...process.env,
  FUZZ_SEED: String(seed),
  FUZZ_SECONDS: String(Math.round(total * 0.8)),
  FUZZ_CLI_SECONDS: String(Math.round(total * 0.2)),
  FUZZ_CLI_INPUTS: String(Number.MAX_SAFE_INTEGER),
  FUZZ_DIR: dir,
};
console.log(`fuzz: ${minutes} min, seed ${seed}; the input being checked is kept in ${dir}/current.bin`);
const child = spawn('npx', ['vitest', 'run', 'test/fuzz/pipeline.fuzz.test.ts'], { env, stdio: 'inherit' });
// Budget, plus time to shrink a failure, plus startup.
const watchdog = setTimeout(() => {
  console.error(`fuzz: no end after ${minutes} min and the shrinking allowance: a hang; its input is ${dir}/current.bin`);
  child.kill('SIGKILL');
}, (total + 900) * 1000);
child.on('exit', (code, signal) => {
  clearTimeout(watchdog);
  // A failure's input stays for the report; a clean run leaves nothing behind.
  if (code === 0) rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? (signal !== null ? 2 : 1));
});
