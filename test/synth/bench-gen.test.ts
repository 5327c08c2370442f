// The benchmark capture generator, on small frame counts: exact frame count, well-formed
// frames, the traffic mix, determinism, and the up-to-date marker.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeHugeCapture } from '../../bench/gen/make-bench-captures.mjs';
import { readCaptureFile } from '../../src/source/read-capture.js';
import { decodeFrame } from '../../src/dissect/decode.js';
import { OP } from '../../src/dissect/fields.js';

const tmp = mkdtempSync(join(tmpdir(), 'vsockscope-benchgen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bench capture generator', () => {
  it('writes exactly N well-formed frames of a realistic mix, deterministically, once', async () => {
    const a = await makeHugeCapture(join(tmp), 50_000);
    expect(a).toBe(join(tmp, 'mix-50000.pcap'));
    const ops = new Map<number, number>();
    const rw: number[] = [];
    let frames = 0;
    await readCaptureFile(a, {
      packet: (p) => {
        const f = decodeFrame(p);
        frames++;
        expect(f.expert).toEqual([]);
        const v = f.virtio!;
        ops.set(v.op, (ops.get(v.op) ?? 0) + 1);
        if (v.op === OP.RW) rw.push(v.len);
      },
      notice: () => undefined,
    });
    expect(frames).toBe(50_000);
    for (const op of [OP.REQUEST, OP.RESPONSE, OP.RW, OP.CREDIT_UPDATE, OP.SEQ_BEGIN, OP.SEQ_END, OP.SHUTDOWN, OP.RST]) {
      expect(ops.get(op) ?? 0, `op ${op}`).toBeGreaterThan(0);
    }
    rw.sort((x, y) => x - y);
    const median = rw[rw.length >> 1]!;
    expect(median).toBeGreaterThan(180);
    expect(median).toBeLessThan(350);

    // Up to date: not rewritten.
    const mtime = statSync(a).mtimeMs;
    const marker = JSON.parse(readFileSync(`${a}.done`, 'utf8')) as { frames: number; bytes: number };
    expect(marker.frames).toBe(50_000);
    expect(marker.bytes).toBe(statSync(a).size);
    await new Promise((r) => setTimeout(r, 20));
    await makeHugeCapture(tmp, 50_000);
    expect(statSync(a).mtimeMs).toBe(mtime);

    // Deterministic: the same traffic again, and a longer file starts with the same frames.
    const other = mkdtempSync(join(tmp, 'again-'));
    const b = await makeHugeCapture(other, 50_000);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
    const longer = await makeHugeCapture(other, 60_000);
    const head = readFileSync(a);
    expect(readFileSync(longer).subarray(0, 4096).equals(head.subarray(0, 4096))).toBe(true);
  });
});
