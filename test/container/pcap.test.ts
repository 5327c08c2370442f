import { describe, expect, test } from 'vitest';
import { buildCapture, encodePcapHeader, encodePcapRecord, concatBytes } from '../../src/dissect/container/writer.js';
import { hex, readAll, withoutView } from './helpers.js';

// Two records: 1700000000.123456(789) with 4 of 6 bytes captured, and 1700000001.999999(999).
const handWritten = {
  'µs little-endian': hex(`
    d4c3b2a1 0200 0400 00000000 00000000 00000400 0f010000
    00f15365 40e20100 04000000 06000000 deadbeef
    01f15365 3f420f00 02000000 02000000 0102`),
  'µs big-endian': hex(`
    a1b2c3d4 0002 0004 00000000 00000000 00040000 0000010f
    6553f100 0001e240 00000004 00000006 deadbeef
    6553f101 000f423f 00000002 00000002 0102`),
  'ns little-endian': hex(`
    4d3cb2a1 0200 0400 00000000 00000000 00000400 0f010000
    00f15365 15cd5b07 04000000 06000000 deadbeef
    01f15365 ffc99a3b 02000000 02000000 0102`),
  'ns big-endian': hex(`
    a1b23c4d 0002 0004 00000000 00000000 00040000 0000010f
    6553f100 075bcd15 00000004 00000006 deadbeef
    6553f101 3b9ac9ff 00000002 00000002 0102`),
};

const packets = [
  { tsSec: 1700000000, tsNsec: 123456789, data: hex('deadbeef'), origLen: 6 },
  { tsSec: 1700000001, tsNsec: 999999999, data: hex('0102') },
];

describe('classic pcap', () => {
  for (const [name, bytes] of Object.entries(handWritten)) {
    const nanoseconds = name.startsWith('ns');
    test(`reads hand-written ${name}`, () => {
      const { packets: got, end } = readAll(bytes);
      expect(end).toEqual({});
      expect(got.map(withoutView)).toEqual([
        {
          number: 1,
          linkType: 271,
          tsSec: 1700000000,
          tsNsec: nanoseconds ? 123456789 : 123456000,
          tsDigits: nanoseconds ? 9 : 6,
          tsResolution: nanoseconds ? 9 : 6,
          capLen: 4,
          origLen: 6,
          data: hex('deadbeef'),
          offset: 24,
          interfaceId: 0,
          snaplen: 262144,
          comments: undefined,
        },
        {
          number: 2,
          linkType: 271,
          tsSec: 1700000001,
          tsNsec: nanoseconds ? 999999999 : 999999000,
          tsDigits: nanoseconds ? 9 : 6,
          tsResolution: nanoseconds ? 9 : 6,
          capLen: 2,
          origLen: 2,
          data: hex('0102'),
          offset: 44,
          interfaceId: 0,
          snaplen: 262144,
          comments: undefined,
        },
      ]);
    });

    test(`builder writes ${name} byte for byte`, () => {
      const bigEndian = name.endsWith('big-endian');
      expect(buildCapture(nanoseconds ? 'pcap-ns' : 'pcap', packets, { bigEndian })).toEqual(bytes);
      const pieces = concatBytes([
        encodePcapHeader({ linkType: 271, snaplen: 262144, nanoseconds, bigEndian }),
        ...packets.map((p) => encodePcapRecord(p, { nanoseconds, bigEndian })),
      ]);
      expect(pieces).toEqual(bytes);
    });
  }

  test('link type is the low 16 bits: FCS length and flag bits are masked off', () => {
    const bytes = buildCapture('pcap', packets, { linkType: 0x1400010f, bigEndian: true });
    expect(readAll(bytes).packets.map((p) => p.linkType)).toEqual([271, 271]);
  });

  test('delivers non-vsock link types as they are', () => {
    const bytes = buildCapture('pcap', packets, { linkType: 113 });
    expect(readAll(bytes).packets.map((p) => p.linkType)).toEqual([113, 113]);
  });

  test('snaplen 0 or absurd in the header means no limit below the 256 MiB ceiling', () => {
    const big = { tsSec: 1, tsNsec: 0, data: new Uint8Array(300000) };
    for (const snaplen of [0, 0xffffffff, 0x10000001]) {
      const { packets: got } = readAll(buildCapture('pcap', [big], { snaplen }));
      expect(got).toHaveLength(1);
      expect(got[0]!.capLen).toBe(300000);
      expect(got[0]!.snaplen).toBe(snaplen);
    }
  });

  test('a caplen equal to the snaplen is fine', () => {
    const { packets: got } = readAll(buildCapture('pcap', packets, { snaplen: 4 }));
    expect(got.map((p) => p.capLen)).toEqual([4, 2]);
  });

  test('a fraction of a second out of range is carried into the seconds', () => {
    const bytes = hex(`
      d4c3b2a1 0200 0400 00000000 00000000 00000400 0f010000
      00f15365 40420f00 00000000 00000000
      00f15365 e1f50500 00000000 00000000`); // 1000000 and 390625 µs
    const got = readAll(bytes).packets.map((p) => [p.tsSec, p.tsNsec]);
    expect(got).toEqual([
      [1700000001, 0],
      [1700000000, 390625000],
    ]);
  });

  test('a header with no records is an empty capture, not an error', () => {
    const { packets: got, end } = readAll(buildCapture('pcap', []));
    expect(got).toEqual([]);
    expect(end).toEqual({});
  });
});
