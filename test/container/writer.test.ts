import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readCaptureFile } from '../../src/source/read-capture.js';
import { CaptureWriteError, createCaptureWriter, type WritablePacket } from '../../src/dissect/container/writer.js';
import { collector, random } from './helpers.js';

const TSHARK = '/usr/bin/tshark';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vsockscope-writer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function payload(length: number, seed: number): Uint8Array {
  const next = random(seed);
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

// Enough bytes to flush the 1 MiB buffer several times, and one record bigger than it.
const packets: (WritablePacket & { comments?: string[] })[] = [
  ...Array.from({ length: 3000 }, (_, i) => ({
    tsSec: 1700000000 + Math.floor(i / 7),
    tsNsec: (i * 987654321) % 1000000000,
    origLen: 76 + (i % 500) + (i % 3),
    data: payload(76 + (i % 500), i),
    comments: i % 100 === 5 ? [`note ${i}`, `ünïcødé ${i} ✓`] : undefined,
  })),
  { tsSec: 1800000000, tsNsec: 5, origLen: 3 * 1024 * 1024, data: payload(3 * 1024 * 1024, 99999) },
  { tsSec: 1800000001, tsNsec: 999999999, origLen: 0, data: new Uint8Array(0), comments: ['empty packet'] },
];

// tshark refuses records above 262144 bytes (its maximum for this link type).
const tsharkPackets = packets.filter((p) => p.data.length <= 262144);

async function writeAndRead(name: string, tsDigits: number, written = packets) {
  const path = join(dir, name);
  const writer = createCaptureWriter(path, { linkType: 271, snaplen: 0, tsResolution: tsDigits });
  for (const p of written) writer.write(p, p.comments);
  await writer.close();
  const sink = collector();
  const end = await readCaptureFile(path, sink);
  return { path, packets: sink.packets, end };
}

describe('capture writers', () => {
  const variants = [
    { name: 'out.pcap', tsDigits: 6, comments: false },
    { name: 'out-ns.pcap', tsDigits: 9, comments: false },
    { name: 'out.pcapng', tsDigits: 6, comments: true },
    { name: 'out-ns.pcapng', tsDigits: 9, comments: true },
  ];
  for (const { name, tsDigits, comments } of variants) {
    test(`${name} reads back as written`, async () => {
      const got = await writeAndRead(name, tsDigits);
      expect(got.end).toEqual({});
      expect(got.packets.length).toBe(packets.length);
      got.packets.forEach((p, i) => {
        const w = packets[i]!;
        expect(p.tsSec).toBe(w.tsSec);
        expect(p.tsNsec).toBe(tsDigits > 6 ? w.tsNsec : Math.floor(w.tsNsec / 1000) * 1000);
        expect(p.tsDigits).toBe(tsDigits);
        expect(p.capLen).toBe(w.data.length);
        expect(p.origLen).toBe(w.origLen);
        expect(p.linkType).toBe(271);
        expect(Buffer.compare(p.data, w.data)).toBe(0);
        expect(p.comments).toEqual(comments && w.comments?.length ? w.comments : undefined);
      });
    });
  }

  test('snaplen and capLen cut the stored bytes, not the original length', async () => {
    const path = join(dir, 'cut.pcapng');
    const writer = createCaptureWriter(path, { linkType: 271, snaplen: 100, tsResolution: 6 });
    writer.write({ tsSec: 1, tsNsec: 0, origLen: 300, data: payload(300, 1) });
    writer.write({ tsSec: 2, tsNsec: 0, origLen: 300, data: payload(300, 2), capLen: 50 });
    await writer.close();
    await writer.close(); // closing twice is harmless
    expect(() => writer.write({ tsSec: 3, tsNsec: 0, origLen: 1, data: new Uint8Array(1) })).toThrowError(/closed/);
    const sink = collector();
    await readCaptureFile(path, sink);
    expect(sink.packets.map((p) => [p.capLen, p.origLen, p.snaplen])).toEqual([
      [100, 300, 100],
      [50, 300, 100],
    ]);
    expect(sink.packets[0]!.data).toEqual(payload(300, 1).subarray(0, 100));
  });

  test('tshark reads the pcapng output with its comments, and the pcap output', async () => {
    expect(existsSync(TSHARK), `tshark is required for this test: ${TSHARK} is missing (apt-get install tshark)`).toBe(true);
    const ng = await writeAndRead('tshark.pcapng', 9, tsharkPackets);
    const fields = execFileSync(TSHARK, ['-r', ng.path, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', '-e', 'frame.number', '-e', 'frame.comment'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines = fields.trimEnd().split('\n');
    expect(lines.length).toBe(tsharkPackets.length);
    lines.forEach((line, i) => {
      const expected = tsharkPackets[i]!.comments?.join('|') ?? '';
      expect(line).toBe(`${i + 1}\t${expected}`);
    });

    for (const out of [ng, await writeAndRead('tshark.pcap', 6, tsharkPackets)]) {
      const table = execFileSync(TSHARK, ['-r', out.path, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        maxBuffer: 64 * 1024 * 1024,
      });
      const rows = table.trimEnd().split('\n').map((row) => row.split('\t'));
      expect(rows.length).toBe(tsharkPackets.length);
      rows.forEach(([time, len, capLen], i) => {
        const p = out.packets[i]!;
        expect(time).toBe(`${p.tsSec}.${String(p.tsNsec).padStart(9, '0')}`);
        expect(Number(len)).toBe(p.origLen);
        expect(Number(capLen)).toBe(p.capLen);
      });
    }
  });

  test('the pcap file starts with the header tcpdump would write', async () => {
    const path = join(dir, 'header.pcap');
    const writer = createCaptureWriter(path, { linkType: 271, snaplen: 262144, tsResolution: 9 });
    await writer.close();
    expect(readFileSync(path).toString('hex')).toBe('4d3cb2a1020004000000000000000000000004000f010000');
  });

  test('a pcap file takes later frames of its resolution or coarser, and refuses another link type or finer timestamps (2^-20 s is finer)', async () => {
    const packet = (tsResolution: number, linkType = 271): WritablePacket => ({ tsSec: 1, tsNsec: 500, tsResolution, linkType, origLen: 1, data: Uint8Array.of(1) });
    const nanos = createCaptureWriter(join(dir, 'ns.pcap'), { linkType: 271, snaplen: 0, tsResolution: 9 });
    nanos.write(packet(9));
    nanos.write(packet(6));
    expect(() => nanos.write(packet(9, 113))).toThrow(CaptureWriteError);
    await nanos.close();
    const sink = collector();
    await readCaptureFile(join(dir, 'ns.pcap'), sink);
    expect(sink.packets.map((p) => [p.tsNsec, p.tsDigits])).toEqual([[500, 9], [500, 9]]);
    const micros = createCaptureWriter(join(dir, 'us.pcap'), { linkType: 271, snaplen: 0, tsResolution: 6 });
    micros.write(packet(6));
    micros.write(packet(0x80 | 19));
    expect(() => micros.write(packet(0x80 | 20))).toThrow(CaptureWriteError);
    expect(() => micros.write(packet(9))).toThrow(/timestamps finer than microseconds, where the first frame's are in microseconds/);
    await micros.close();
  });
});
