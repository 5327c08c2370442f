// A capture that needs more heap than Node allows (a port scan: every connection instance
// is kept) stops reading with one line naming the frame, exit status 2, and the analysis
// of every frame before it; never Node's out-of-memory crash with its native stack trace.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { writePortScan } from '../helpers/port-scan.js';
import { CLI } from '../helpers/cli.js';

/**
 * 200,000 frames: more connection instances than a 40 MiB old generation holds (reading
 * stops after 40,000 to 130,000, by how much each command keeps of an instance; the heap is
 * looked at once per 1 MiB piece of a read, about 11,000 frames here).
 */
const scan = writePortScan(100_000);

function run(command: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--max-old-space-size=40', CLI, command, scan], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a capture too big for the heap', () => {
  it.each(['check', 'conns', 'records', 'read'])('%s: stops reading at a frame it names, exit status 2', (command) => {
    const r = run(command);
    expect(r.stderr).not.toMatch(/FATAL|heap out of memory|\n\s+at /);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    const m = /^vsockscope: .*scan\.pcap: frame (\d+): reading stopped: .* fills 75% of the \d+ MiB Node allows it; every frame up to here was analysed/.exec(lines[0]!);
    expect(m, lines[0]).not.toBeNull();
    const frame = Number(m![1]);
    expect(frame).toBeGreaterThan(1000);
    expect(frame).toBeLessThan(200_000);
    expect(r.status).toBe(2);
    // check analysed every frame up to there: its summary says so.
    if (command === 'check') expect(r.stdout).toContain(`frames: ${frame},`);
  });
});
