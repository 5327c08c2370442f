import { describe, expect, test } from 'vitest';
import { CaptureReader } from '../../src/dissect/container/reader.js';
import { CaptureError, MAX_RECORD_BYTES } from '../../src/dissect/container/types.js';
import {
  buildCapture,
  concatBytes,
  encodePcapHeader,
  encodePcapngBlock,
  encodePcapngEnhancedPacket,
  encodePcapngInterfaceDescription,
  encodePcapngSectionHeader,
  encodePcapngSimplePacket,
} from '../../src/dissect/container/writer.js';
import { collector, hex } from './helpers.js';

const packets = [
  { tsSec: 1, tsNsec: 1000, data: hex('0102030405') },
  { tsSec: 2, tsNsec: 2000, data: hex('060708') },
];

/** Reads bytes (in the given chunk size) and returns the CaptureError it must throw. */
function failure(bytes: Uint8Array, chunk = bytes.length || 1): { error: CaptureError; delivered: number } {
  const sink = collector();
  const reader = new CaptureReader(sink);
  try {
    for (let at = 0; at < bytes.length; at += chunk) reader.push(bytes.subarray(at, at + chunk));
    reader.end();
  } catch (error) {
    expect(error).toBeInstanceOf(CaptureError);
    return { error: error as CaptureError, delivered: sink.packets.length };
  }
  throw new Error('expected a CaptureError');
}

function u32(bytes: Uint8Array, offset: number, value: number, littleEndian = true): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(offset, value, littleEndian);
  return copy;
}

const pcap = buildCapture('pcap', packets, { snaplen: 1000 });
const secondRecord = 24 + 16 + 5;

const shb = encodePcapngSectionHeader();
const idb = encodePcapngInterfaceDescription({ linkType: 271, snaplen: 0 });
const epb = (p: (typeof packets)[number], interfaceId = 0) => encodePcapngEnhancedPacket(p, { interfaceId });
const pcapng = concatBytes([shb, idb, epb(packets[0]!), epb(packets[1]!)]);
const secondBlock = shb.length + idb.length + epb(packets[0]!).length;

describe('unreadable input', () => {
  test('empty input: "empty file" at offset 0', () => {
    const reader = new CaptureReader(collector());
    expect(() => reader.end()).toThrow(new CaptureError('empty file', 0));
    const again = new CaptureReader(collector());
    again.push(new Uint8Array(0));
    expect(() => again.end()).toThrowError(/empty file/);
  });

  test('too short for a magic number', () => {
    const { error } = failure(hex('d4c3b2'));
    expect(error.byteOffset).toBe(0);
    expect(error.message).toMatch(/too short/);
  });

  test('unknown magic, at offset 0, as soon as 4 bytes are in', () => {
    const reader = new CaptureReader(collector());
    reader.push(hex('7f45'));
    expect(() => reader.push(hex('4c46020101'))).toThrowError(/unknown magic 0x7f454c46/);
    const { error } = failure(new TextEncoder().encode('hello, this is not a capture'));
    expect(error.byteOffset).toBe(0);
    expect(failure(hex('1f8b0800000000000003')).error.message).toMatch(/gzip/);
  });

  test('errors are sticky: pushing after a failure throws the same error', () => {
    const reader = new CaptureReader(collector());
    let first: unknown;
    try {
      reader.push(hex('00000000'));
    } catch (e) {
      first = e;
    }
    expect(first).toBeInstanceOf(CaptureError);
    expect(() => reader.push(pcap)).toThrow(first as Error);
    expect(() => reader.end()).toThrow(first as Error);
  });

  test('input shorter than the pcap file header', () => {
    for (let length = 4; length < 24; length++) {
      const { error } = failure(pcap.subarray(0, length));
      expect(error.byteOffset).toBe(0);
      expect(error.message).toMatch(new RegExp(`truncated pcap file header: ${length} of 24 bytes`));
    }
  });

  test('input shorter than the first pcapng section header', () => {
    for (const length of [4, 11, 12, 27]) {
      const { error } = failure(pcapng.subarray(0, length));
      expect(error.byteOffset).toBe(0);
      expect(error.message).toMatch(/truncated pcapng file header/);
    }
  });

  test('pcap caplen above the snaplen: thrown from the record header alone, before buffering', () => {
    const bad = u32(pcap, secondRecord + 8, 1001);
    for (const chunk of [bad.length, 1, 7]) {
      const { error, delivered } = failure(bad, chunk);
      expect(error.byteOffset).toBe(secondRecord);
      expect(error.message).toMatch(/caplen 1001 exceeds the file's snapshot length 1000/);
      expect(delivered).toBe(1);
    }
    // Only the header of the bogus record is present: the length is rejected before anything waits for it.
    const headerOnly = failure(bad.subarray(0, secondRecord + 16));
    expect(headerOnly.error.byteOffset).toBe(secondRecord);
  });

  test('pcap caplen above 256 MiB with no snaplen limit', () => {
    for (const snaplen of [0, 0xffffffff]) {
      const file = buildCapture('pcap', packets, { snaplen });
      const bad = u32(file, secondRecord + 8, MAX_RECORD_BYTES + 1);
      const { error, delivered } = failure(bad.subarray(0, secondRecord + 16));
      expect(error.byteOffset).toBe(secondRecord);
      expect(error.message).toMatch(/exceeds the 268435456-byte record limit/);
      expect(delivered).toBe(1);
    }
    const header = encodePcapHeader({ linkType: 271, snaplen: 0 });
    const first = concatBytes([header, hex('00000000 00000000 ffffffff ffffffff')]);
    expect(failure(first).error.byteOffset).toBe(24);
  });

  const blockLengthCases: [string, number, RegExp][] = [
    ['below 12', 8, /block length 8 is below the minimum 12/],
    ['not a multiple of 4', 38, /block length 38 is not a multiple of 4/],
    ['over 256 MiB', MAX_RECORD_BYTES + 4, /block length 268435460 exceeds the 268435456-byte record limit/],
    ['0xffffffff', 0xffffffff, /block length 4294967295/],
  ];
  for (const [name, length, message] of blockLengthCases) {
    test(`pcapng block length ${name}`, () => {
      const bad = u32(pcapng, secondBlock + 4, length);
      for (const chunk of [bad.length, 1, 5]) {
        const { error, delivered } = failure(bad, chunk);
        expect(error.byteOffset).toBe(secondBlock);
        expect(error.message).toMatch(message);
        expect(delivered).toBe(1);
      }
      expect(failure(bad.subarray(0, secondBlock + 12)).error.byteOffset).toBe(secondBlock);
    });
  }

  test('pcapng block whose trailing length disagrees', () => {
    const length = epb(packets[1]!).length;
    const bad = u32(pcapng, secondBlock + length - 4, length + 4);
    for (const chunk of [bad.length, 3]) {
      const { error, delivered } = failure(bad, chunk);
      expect(error.byteOffset).toBe(secondBlock);
      expect(error.message).toMatch(new RegExp(`length ${length} disagrees with its trailing copy ${length + 4}`));
      expect(delivered).toBe(1);
    }
  });

  test('pcapng caplen larger than its block', () => {
    const bad = u32(pcapng, secondBlock + 20, 9);
    const { error } = failure(bad);
    expect(error.byteOffset).toBe(secondBlock);
    expect(error.message).toMatch(/caplen 9 does not fit its 36-byte block/);
  });

  test('pcapng packet naming an interface the section does not define', () => {
    const bad = concatBytes([shb, idb, epb(packets[0]!), epb(packets[1]!, 1)]);
    const { error, delivered } = failure(bad);
    expect(error.byteOffset).toBe(secondBlock);
    expect(error.message).toMatch(/interface 1, but the section defines only 1/);
    expect(delivered).toBe(1);
    // Interfaces of an earlier section do not count.
    const later = concatBytes([shb, idb, epb(packets[0]!), shb, epb(packets[1]!)]);
    expect(failure(later).error.byteOffset).toBe(secondBlock + shb.length);
  });

  test('pcapng packet before any interface description block', () => {
    for (const packet of [epb(packets[0]!), encodePcapngSimplePacket(hex('01'), 1)]) {
      const { error } = failure(concatBytes([shb, packet]));
      expect(error.byteOffset).toBe(shb.length);
      expect(error.message).toMatch(/packet before any interface description block/);
    }
  });

  test('pcapng section header without a byte-order magic, or of another major version', () => {
    const noMagic = u32(pcapng, 8, 0x12345678);
    expect(failure(noMagic).error.message).toMatch(/byte-order magic/);
    const secondSection = concatBytes([pcapng, u32(shb, 8, 0)]);
    expect(failure(secondSection).error.byteOffset).toBe(pcapng.length);
    const version2 = shb.slice();
    new DataView(version2.buffer).setUint16(12, 2, true);
    expect(failure(concatBytes([version2, idb])).error.message).toMatch(/unsupported pcapng version 2/);
  });

  test('pcapng blocks too short for their type', () => {
    const shortEpb = encodePcapngBlock(6, new Uint8Array(16));
    const { error } = failure(concatBytes([shb, idb, shortEpb]));
    expect(error.byteOffset).toBe(shb.length + idb.length);
    expect(error.message).toMatch(/packet block of 28 bytes is shorter than 32/);
  });
});
