// `--follow`: the followed file's descriptor is closed once reading was aborted, as the
// reader leaves a streaming source to close itself.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFollowSource } from '../../src/source/follow-source.js';
import { readCapture } from '../../src/source/read-capture.js';
import { CAPTURES_DIR } from '../helpers/captures.js';

const openFds = () => readdirSync('/proc/self/fd').length;

describe('follow source', () => {
  it('reads what the file holds, and closes it once aborted', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vsockscope-follow-src-')), 'grow.pcap');
    writeFileSync(path, readFileSync(`${CAPTURES_DIR}linux-6.1-loopback/rst-loopback.pcap`));
    const before = openFds();
    const source = await openFollowSource(path, 10);
    expect(openFds()).toBe(before + 1);
    const stop = new AbortController();
    let frames = 0;
    const reading = readCapture(source, { packet: () => void frames++, notice: () => undefined, chunkEnd: () => stop.abort() }, stop.signal);
    expect(await reading).toEqual({ interrupted: true });
    expect(frames).toBe(24);
    // The read in flight sees the abort within a poll and closes the file.
    for (let i = 0; i < 50 && openFds() > before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(openFds()).toBe(before);
  });
});
