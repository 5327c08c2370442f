import { describe, expect, test } from 'vitest';
import { CaptureReader } from '../../src/dissect/container/reader.js';
import {
  buildCapture,
  concatBytes,
  encodePcapngEnhancedPacket,
  encodePcapngInterfaceDescription,
  encodePcapngInterfaceStatistics,
  encodePcapngSectionHeader,
} from '../../src/dissect/container/writer.js';
import { collector, random, readAll, readInChunks, summary } from './helpers.js';
import { bytesOf } from '../../src/dissect/container/record-bytes.js';

function payload(length: number, seed: number): Uint8Array {
  const next = random(seed);
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

const packets = [1, 76, 0, 333, 4096, 3, 70000, 44, 65612, 2].map((length, i) => ({
  tsSec: 1700000000 + i,
  tsNsec: i * 111111111,
  data: payload(length, i),
  origLen: length + (i % 3),
  comments: i % 4 === 1 ? [`comment ${i}`] : undefined,
}));

const multiSection = concatBytes([
  encodePcapngSectionHeader(),
  encodePcapngInterfaceDescription({ linkType: 271, snaplen: 0, tsresol: 9 }),
  ...packets.slice(0, 5).map((p) => encodePcapngEnhancedPacket(p, { tsresol: 9, comments: p.comments })),
  encodePcapngInterfaceStatistics({ interfaceId: 0, ifDrop: 1 }),
  encodePcapngSectionHeader({ bigEndian: true }),
  encodePcapngInterfaceDescription({ linkType: 271, snaplen: 0, tsresol: 0x80 | 10, bigEndian: true }),
  ...packets.slice(5).map((p) => encodePcapngEnhancedPacket(p, { tsresol: 0x8a, bigEndian: true })),
]);

const captures: Record<string, Uint8Array> = {
  pcap: buildCapture('pcap', packets),
  'pcap-ns big-endian': buildCapture('pcap-ns', packets, { bigEndian: true }),
  pcapng: buildCapture('pcapng', packets, { tsDigits: 9 }),
  'pcapng two sections': multiSection,
};

/** Record boundaries, from the offsets of the packets and the file length. */
function lastRecord(bytes: Uint8Array): { start: number; headerBytes: number } {
  const { packets: got } = readAll(bytes);
  return { start: got[got.length - 1]!.offset, headerBytes: got[0]!.offset === 24 ? 16 : 12 };
}

describe('chunking', () => {
  for (const [name, bytes] of Object.entries(captures)) {
    test(`${name}: 1-byte, 7-byte and random chunks give identical packets`, () => {
      const whole = readAll(bytes);
      expect(whole.packets).toHaveLength(packets.length);
      expect(whole.end).toEqual({});
      const next = random(bytes.length);
      const randomSizes = Array.from({ length: 997 }, () => 1 + Math.floor(next() * 9000));
      for (const sizes of [[1], [7], randomSizes, [65536], [4, 100000]]) {
        const chunked = readInChunks(bytes, sizes);
        expect(chunked.packets.map(summary)).toEqual(whole.packets.map(summary));
        expect(chunked.notices).toEqual(whole.notices);
        expect(chunked.end).toEqual({});
      }
    });

    test(`${name}: cut inside the last record: earlier frames delivered, truncation reported`, () => {
      const whole = readAll(bytes).packets;
      const { start, headerBytes } = lastRecord(bytes);
      const recordLength = bytes.length - start;
      for (let cut = start; cut < bytes.length; cut++) {
        for (const sizes of [[cut], [7]]) {
          const got = readInChunks(bytes.subarray(0, cut), sizes);
          expect(got.packets.map(summary)).toEqual(whole.slice(0, -1).map(summary));
          const have = cut - start;
          if (have === 0) expect(got.end).toEqual({});
          else {
            const need = have < headerBytes ? headerBytes : recordLength;
            expect(got.end, `cut at ${cut}`).toEqual({ truncated: { offset: start, have, need } });
          }
        }
      }
    });
  }

  test('cut inside a large last record that straddles many chunks', () => {
    for (const format of ['pcap', 'pcapng'] as const) {
      const bytes = buildCapture(format, packets.slice(0, 7)); // ends with the 70000-byte packet
      const whole = readAll(bytes).packets;
      const { start, headerBytes } = lastRecord(bytes);
      for (let cut = start + 1; cut < bytes.length; cut += cut - start < 40 ? 1 : 1009) {
        const got = readInChunks(bytes.subarray(0, cut), [4093]);
        expect(got.packets).toHaveLength(6);
        expect(got.packets.map(summary)).toEqual(whole.slice(0, 6).map(summary));
        const have = cut - start;
        const need = have < headerBytes ? headerBytes : bytes.length - start;
        expect(got.end).toEqual({ truncated: { offset: start, have, need } });
      }
    }
  });

  test('data views are only needed during the callback: a record straddling chunks is whole', () => {
    const bytes = captures.pcap!;
    const seen: number[] = [];
    const reader = new CaptureReader({
      packet: (p) => seen.push(bytesOf(p).reduce((sum, b) => sum + b, 0)),
      notice: () => {},
    });
    for (let at = 0; at < bytes.length; at += 1000) reader.push(bytes.subarray(at, at + 1000));
    reader.end();
    expect(seen).toEqual(packets.map((p) => p.data.reduce((sum, b) => sum + b, 0)));
  });

  test('every packet a push delivers keeps its bytes until the push returns (chunkEnd may copy them then)', () => {
    // In every format and at every chunk size, records straddle chunks: delivered from the
    // carry, and followed in the same push by the next record cut at the chunk's end.
    for (const [format, bytes] of Object.entries(captures)) {
      for (const size of [7, 100, 333, 1000, 4096, 70001]) {
        const kept: { live: Uint8Array; copy: Uint8Array; number: number }[] = [];
        const reader = new CaptureReader({
          packet: (p) => {
            const live = bytesOf(p);
            kept.push({ live, copy: live.slice(), number: p.number });
          },
          notice: () => {},
        });
        for (let at = 0; at < bytes!.length; at += size) {
          reader.push(bytes!.subarray(at, at + size));
          for (const k of kept) expect(Buffer.compare(k.live, k.copy), `${format}, ${size}-byte chunks, frame ${k.number}`).toBe(0);
          kept.length = 0;
        }
        reader.end();
      }
    }
  });

  test('a reused chunk buffer is safe: the reader copies what it keeps', () => {
    const bytes = captures.pcapng!;
    const sink = collector();
    const reader = new CaptureReader(sink);
    const buffer = new Uint8Array(4096);
    for (let at = 0; at < bytes.length; at += buffer.length) {
      const piece = bytes.subarray(at, at + buffer.length);
      buffer.set(piece);
      reader.push(buffer.subarray(0, piece.length));
      buffer.fill(0xee);
    }
    expect(reader.end()).toEqual({});
    expect(sink.packets.map(summary)).toEqual(readAll(bytes).packets.map(summary));
  });

  test('empty chunks are harmless', () => {
    const bytes = captures.pcap!;
    const sink = collector();
    const reader = new CaptureReader(sink);
    reader.push(new Uint8Array(0));
    reader.push(bytes.subarray(0, 10));
    reader.push(new Uint8Array(0));
    reader.push(bytes.subarray(10));
    reader.push(new Uint8Array(0));
    expect(reader.end()).toEqual({});
    expect(sink.packets).toHaveLength(packets.length);
    expect(reader.format).toBe('pcap');
  });
});
