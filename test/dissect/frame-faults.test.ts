import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURES_DIR, decodeFile } from '../helpers/captures.js';
import { frameFaultsCapture } from '../fixtures/frame-faults.js';

const dir = `${CAPTURES_DIR}frame-faults/`;

// REGENERATE=1 rewrites the capture from the fixture (after changing the fixture on purpose).
if (process.env.REGENERATE === '1') writeFileSync(`${dir}frame-faults.pcap`, frameFaultsCapture());

describe('captures/frame-faults', () => {
  it('is the capture the fixture builds', () => {
    expect(Buffer.from(readFileSync(`${dir}frame-faults.pcap`)).equals(Buffer.from(frameFaultsCapture()))).toBe(true);
  });

  it('carries exactly the hand-written findings on each frame', async () => {
    const expected = JSON.parse(readFileSync(`${dir}frame-faults.expected.json`, 'utf8')).frames as Record<string, string[]>;
    const { frames, end } = await decodeFile(`${dir}frame-faults.pcap`);
    expect(end.truncated).toBeUndefined();
    expect(Object.fromEntries(frames.map((f) => [String(f.number), f.expert.map((x) => x.code)]))).toEqual(expected);
    expect(frames[13]!.virtio!.src_cid).toBe(2n ** 60n + 3n);
  });
});
