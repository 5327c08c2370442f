// Every test's temporary files (captures of up to tens of megabytes, spools, gate files)
// go under one directory made for the run, removed when it ends: os.tmpdir() follows
// TMPDIR, and the test workers and the processes they start inherit it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'vsockscope-test-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
