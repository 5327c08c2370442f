// Every test's temporary files (captures of up to tens of megabytes, spools, gate files)
// go under one directory made for the run, removed when it ends: os.tmpdir() follows
// TMPDIR, and the test workers and the processes they start inherit it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const outer = tmpdir();
  const dir = mkdtempSync(join(outer, 'vsockscope-test-'));
  // For what must outlive the run: a failing fuzz input (test/fuzz/harness.ts).
  process.env.VSOCKSCOPE_TEST_OUTER_TMPDIR = outer;
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
