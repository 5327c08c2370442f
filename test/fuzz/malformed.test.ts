// Every capture kept under captures/malformed/ (each one a fuzz find, minimised) against
// the behaviour its NAME.expected.json requires, written by hand.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CaptureReader } from '../../src/dissect/container/reader.js';
import type { CaptureEnd } from '../../src/dissect/container/types.js';
import { analyzeFile } from '../helpers/analysis.js';
import { MALFORMED_DIR } from '../helpers/captures.js';
import { ERROR_LINE, runCli } from './cli-stage.js';
import { checkInProcess, workDir } from './harness.js';

interface Expected {
  readonly description: string;
  readonly frames: number;
  readonly end: { readonly kind: 'clean' | 'cut' | 'damaged'; readonly offset?: number };
  /** Most buffer memory reading it may allocate, whatever its length fields claim. */
  readonly max_buffer_bytes: number;
  /** Exit status by command line (before the file name), e.g. `read -V`. */
  readonly exit: Readonly<Record<string, number>>;
  /** Part of the one stderr line a damaged capture gets. */
  readonly stderr?: string;
}

const names = readdirSync(MALFORMED_DIR).filter((n) => /\.pcap(ng)?$/.test(n)).sort();

/** The reader alone, the whole file in one push: its frames, how it ended, and the buffers it allocated meanwhile. */
function readAlone(bytes: Uint8Array): { frames: number; end?: CaptureEnd; error?: unknown; allocated: number } {
  let frames = 0;
  const reader = new CaptureReader({ packet: () => void frames++, notice: () => undefined });
  const before = process.memoryUsage().arrayBuffers;
  try {
    reader.push(bytes);
    const allocated = process.memoryUsage().arrayBuffers - before;
    return { frames, end: reader.end(), allocated };
  } catch (error) {
    return { frames, error, allocated: process.memoryUsage().arrayBuffers - before };
  }
}

test('every kept capture has its expected behaviour written down', () => {
  const files = readdirSync(MALFORMED_DIR);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(files).toContain(name.replace(/\.pcap(ng)?$/, '.expected.json'));
  for (const file of files.filter((f) => f.endsWith('.expected.json'))) {
    expect(names.some((n) => n.replace(/\.pcap(ng)?$/, '.expected.json') === file)).toBe(true);
  }
});

describe.each(names)('%s', (name) => {
  const path = join(MALFORMED_DIR, name);
  const expected = JSON.parse(readFileSync(join(MALFORMED_DIR, name.replace(/\.pcap(ng)?$/, '.expected.json')), 'utf8')) as Expected;

  test('the reader delivers every whole frame, names the cut or the damage, and allocates no more than the file holds', () => {
    const got = readAlone(new Uint8Array(readFileSync(path)));
    expect(got.frames).toBe(expected.frames);
    expect(got.allocated).toBeLessThanOrEqual(expected.max_buffer_bytes);
    if (expected.end.kind === 'cut') expect(got.end?.truncated?.offset).toBe(expected.end.offset);
    else if (expected.end.kind === 'damaged') expect((got.error as { byteOffset?: number }).byteOffset).toBe(expected.end.offset);
    else expect(got.end).toEqual({});
  });

  test.each([1, 1 << 20])('every in-process property of the fuzz harness holds, read in chunks of %i bytes', async (chunk) => {
    await checkInProcess({ how: name, bytes: new Uint8Array(readFileSync(path)), chunk }, join(workDir(), 'malformed.bin'));
  });

  test('the analysis decodes every frame and reports capture.truncated when cut', async () => {
    const { findings, result } = await analyzeFile(path);
    expect(result.frames).toBe(expected.frames);
    expect(result.summary.frames).toBe(expected.frames);
    const cut = findings.filter((f) => f.code === 'capture.truncated');
    expect(cut.map((f) => f.frame)).toEqual(expected.end.kind === 'cut' ? [expected.frames] : []);
  });

  test.each(Object.entries(expected.exit))('vsockscope %s: exit status %i, and a failure as one line naming the offset', (command, status) => {
    const run = runCli([...command.split(' '), path], join(workDir(), `${name}.rss`));
    expect(run.status).toBe(status);
    if (expected.stderr === undefined) expect(run.errorLines).toEqual([]);
    else {
      expect(run.errorLines).toHaveLength(1);
      expect(run.errorLines[0]).toMatch(ERROR_LINE);
      expect(run.errorLines[0]).toContain(expected.stderr);
    }
  });
});
