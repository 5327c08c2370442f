// captures/linux-cooked: real vsockmon captures as a Linux "any" capture holds them, each
// frame behind an SLL or SLL2 header (test/fixtures/linux-cooked.ts). What they must decode
// to is the capture each was built from, by construction.

import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURES_DIR, decodeFile } from '../helpers/captures.js';
import { vsockscope } from '../cli/run.js';
import { COOKED_HEADER_BYTES, cookedCapture, type Cooked } from '../fixtures/linux-cooked.js';

const dir = `${CAPTURES_DIR}linux-cooked/`;
const CASES: readonly { file: string; source: string; kind: Cooked }[] = [
  { file: 'seqpacket-sll.pcap', source: 'linux-6.1-loopback/seqpacket-loopback.pcap', kind: 'sll' },
  { file: 'rst-sll2.pcap', source: 'linux-6.1-loopback/rst-loopback.pcap', kind: 'sll2' },
];

// REGENERATE=1 rewrites the captures from the fixture (after changing it on purpose).
if (process.env.REGENERATE === '1') for (const c of CASES) writeFileSync(dir + c.file, cookedCapture(CAPTURES_DIR + c.source, c.kind));

describe.each(CASES)('captures/linux-cooked/$file', ({ file, source, kind }) => {
  const path = dir + file;
  const header = COOKED_HEADER_BYTES[kind];

  it('is the capture the fixture builds', () => {
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(cookedCapture(CAPTURES_DIR + source, kind)))).toBe(true);
  });

  it(`decodes every frame behind its ${kind.toUpperCase()} header as the frame it wraps`, async () => {
    const cooked = (await decodeFile(path)).frames;
    const plain = (await decodeFile(CAPTURES_DIR + source)).frames;
    expect(cooked.length).toBe(plain.length);
    cooked.forEach((f, i) => {
      const p = plain[i]!;
      expect(f.vsockOffset).toBe(header);
      expect([f.len, f.capLen]).toEqual([p.len + header, p.capLen + header]);
      expect([f.vsock, f.virtio, f.seq]).toEqual([p.vsock, p.virtio, p.seq]);
      expect([f.payloadOffset, f.payloadCaptured]).toEqual([p.payloadOffset + header, p.payloadCaptured]);
      expect(f.expert.map((x) => x.code)).toEqual(p.expert.map((x) => x.code));
    });
  });

  it('gets the records, findings and connections of the capture it wraps from check', () => {
    const cooked = vsockscope(['check', '--json', path]);
    const plain = vsockscope(['check', '--json', CAPTURES_DIR + source]);
    expect(cooked.status).toBe(plain.status);
    expect(cooked.stdout.length).toBeGreaterThan(0);
    expect(cooked.stdout).toBe(plain.stdout);
  });
});
