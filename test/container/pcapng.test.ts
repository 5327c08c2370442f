import { describe, expect, test } from 'vitest';
import {
  buildCapture,
  concatBytes,
  encodePcapngBlock,
  encodePcapngEnhancedPacket,
  encodePcapngInterfaceDescription,
  encodePcapngInterfaceStatistics,
  encodePcapngSectionHeader,
  encodePcapngSimplePacket,
  textOption,
} from '../../src/dissect/container/writer.js';
import { bytesOf, hex, random, readAll, withoutView } from './helpers.js';

// SHB (shb_userappl "vsockscope"), IDB (link type 271, snaplen 262144, if_tsresol 6), and two EPBs:
// 1700000000.123456 with 4 of 6 bytes, 1700000001.999999 with 2 bytes (padded).
const handWritten = {
  'little-endian': hex(`
    0a0d0d0a 30000000 4d3c2b1a 0100 0000 ffffffff ffffffff
    0400 0a00 76736f636b73636f7065 0000 0000 0000 30000000
    01000000 20000000 0f01 0000 00000400 0900 0100 06000000 0000 0000 20000000
    06000000 24000000 00000000 240a0600 40222018 04000000 06000000 deadbeef 24000000
    06000000 24000000 00000000 240a0600 7fc43c18 02000000 02000000 01020000 24000000`),
  'big-endian': hex(`
    0a0d0d0a 00000030 1a2b3c4d 0001 0000 ffffffff ffffffff
    0004 000a 76736f636b73636f7065 0000 0000 0000 00000030
    00000001 00000020 010f 0000 00040000 0009 0001 06000000 0000 0000 00000020
    00000006 00000024 00000000 00060a24 18202240 00000004 00000006 deadbeef 00000024
    00000006 00000024 00000000 00060a24 183cc47f 00000002 00000002 01020000 00000024`),
};

const packets = [
  { tsSec: 1700000000, tsNsec: 123456789, data: hex('deadbeef'), origLen: 6 },
  { tsSec: 1700000001, tsNsec: 999999999, data: hex('0102') },
];

/** An enhanced packet block with a raw 64-bit tick count. */
function rawEpb(interfaceId: number, ticks: bigint, data: Uint8Array, bigEndian = false): Uint8Array {
  const body = new Uint8Array(20 + data.length);
  const view = new DataView(body.buffer);
  view.setUint32(0, interfaceId, !bigEndian);
  view.setUint32(4, Number(ticks >> 32n), !bigEndian);
  view.setUint32(8, Number(ticks & 0xffffffffn), !bigEndian);
  view.setUint32(12, data.length, !bigEndian);
  view.setUint32(16, data.length, !bigEndian);
  body.set(data, 20);
  return encodePcapngBlock(6, body, { bigEndian });
}

describe('pcapng', () => {
  for (const [name, bytes] of Object.entries(handWritten)) {
    test(`reads hand-written ${name}`, () => {
      const { packets: got, end } = readAll(bytes);
      expect(end).toEqual({});
      expect(got.map(withoutView)).toEqual([
        {
          number: 1,
          linkType: 271,
          tsSec: 1700000000,
          tsNsec: 123456000,
          tsDigits: 6,
          tsResolution: 6,
          capLen: 4,
          origLen: 6,
          data: hex('deadbeef'),
          offset: 80,
          interfaceId: 0,
          snaplen: 262144,
          comments: undefined,
        },
        {
          number: 2,
          linkType: 271,
          tsSec: 1700000001,
          tsNsec: 999999000,
          tsDigits: 6,
          tsResolution: 6,
          capLen: 2,
          origLen: 2,
          data: hex('0102'),
          offset: 116,
          interfaceId: 0,
          snaplen: 262144,
          comments: undefined,
        },
      ]);
    });

    test(`builder writes ${name} byte for byte`, () => {
      expect(buildCapture('pcapng', packets, { bigEndian: name === 'big-endian' })).toEqual(bytes);
    });
  }

  test('builder with tsDigits 9 keeps nanoseconds', () => {
    const got = readAll(buildCapture('pcapng', packets, { tsDigits: 9, bigEndian: true })).packets;
    expect(got.map((p) => [p.tsSec, p.tsNsec, p.tsDigits])).toEqual([
      [1700000000, 123456789, 9],
      [1700000001, 999999999, 9],
    ]);
  });

  test('two sections, several interfaces with their own resolution and offset', () => {
    const data = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff);
    const ts = { tsSec: 1700000000, tsNsec: 250000000 };
    const bytes = concatBytes([
      encodePcapngSectionHeader({ options: [textOption(4, 'test')] }),
      encodePcapngInterfaceDescription({ linkType: 271, snaplen: 262144 }), // default 10^-6
      encodePcapngInterfaceDescription({
        linkType: 113,
        snaplen: 0,
        tsresol: 9,
        tsOffset: 100,
        options: [textOption(2, 'vsockmon0')], // if_name before the ones we read
      }),
      encodePcapngInterfaceDescription({ linkType: 276, snaplen: 65535, tsresol: 0x80 | 10, tsOffset: -5 }),
      encodePcapngEnhancedPacket({ ...ts, data: data(5), origLen: 5 }, { interfaceId: 1, tsresol: 9, tsOffset: 100 }),
      encodePcapngEnhancedPacket({ ...ts, data: data(6), origLen: 9 }, { interfaceId: 0 }),
      encodePcapngEnhancedPacket({ ...ts, data: data(7), origLen: 7 }, { interfaceId: 2, tsresol: 0x8a, tsOffset: -5 }),
      encodePcapngBlock(0x00000bad, bytesOf('an unknown block is skipped')),
      encodePcapngBlock(0x80000001, new Uint8Array(0)), // local-use block type, empty body
      encodePcapngInterfaceStatistics({ interfaceId: 1, ifDrop: 3, osDrop: 2 ** 40 }),
      encodePcapngInterfaceStatistics({ interfaceId: 0 }), // no drop counters: no notice
      encodePcapngEnhancedPacket(
        { tsSec: 1700000002, tsNsec: 1, data: data(1), origLen: 1 },
        { interfaceId: 1, tsresol: 9, tsOffset: 100, comments: ['first', 'zweiter Kommentar ✓'] },
      ),
      encodePcapngEnhancedPacket({ ...ts, data: data(8), origLen: 8 }, { interfaceId: 1, tsresol: 9, tsOffset: 100, obsolete: true }),
      // Second section, big-endian: interface ids start again at 0.
      encodePcapngSectionHeader({ bigEndian: true }),
      encodePcapngInterfaceDescription({ linkType: 271, snaplen: 4, tsresol: 9, bigEndian: true }),
      encodePcapngEnhancedPacket({ tsSec: 1800000000, tsNsec: 999999999, data: data(4), origLen: 70 }, { tsresol: 9, bigEndian: true }),
      encodePcapngInterfaceStatistics({ interfaceId: 0, osDrop: 0, bigEndian: true }),
    ]);
    const { packets: got, notices, end } = readAll(bytes);
    expect(end).toEqual({});
    const fields = got.map((p) => ({
      number: p.number,
      interfaceId: p.interfaceId,
      linkType: p.linkType,
      snaplen: p.snaplen,
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      tsDigits: p.tsDigits,
      capLen: p.capLen,
      origLen: p.origLen,
      comments: p.comments,
    }));
    expect(fields).toEqual([
      { number: 1, interfaceId: 1, linkType: 113, snaplen: 0, tsSec: 1700000000, tsNsec: 250000000, tsDigits: 9, capLen: 5, origLen: 5, comments: undefined },
      { number: 2, interfaceId: 0, linkType: 271, snaplen: 262144, tsSec: 1700000000, tsNsec: 250000000, tsDigits: 6, capLen: 6, origLen: 9, comments: undefined },
      { number: 3, interfaceId: 2, linkType: 276, snaplen: 65535, tsSec: 1700000000, tsNsec: 250000000, tsDigits: 4, capLen: 7, origLen: 7, comments: undefined },
      { number: 4, interfaceId: 1, linkType: 113, snaplen: 0, tsSec: 1700000002, tsNsec: 1, tsDigits: 9, capLen: 1, origLen: 1, comments: ['first', 'zweiter Kommentar ✓'] },
      { number: 5, interfaceId: 1, linkType: 113, snaplen: 0, tsSec: 1700000000, tsNsec: 250000000, tsDigits: 9, capLen: 8, origLen: 8, comments: undefined },
      { number: 6, interfaceId: 0, linkType: 271, snaplen: 4, tsSec: 1800000000, tsNsec: 999999999, tsDigits: 9, capLen: 4, origLen: 70, comments: undefined },
    ]);
    expect(got.map((p) => p.data)).toEqual([data(5), data(6), data(7), data(1), data(8), data(4)]);
    // Offsets point at the blocks: check by re-reading each packet's block type there.
    const view = new DataView(bytes.buffer);
    expect(got.map((p) => view.getUint32(p.offset, p.number < 6))).toEqual([6, 6, 6, 6, 2, 6]);
    expect(notices).toEqual([
      { kind: 'if_drops', interfaceId: 1, ifDrop: 3, osDrop: 2 ** 40, afterFrame: 3, offset: expect.any(Number) },
      { kind: 'if_drops', interfaceId: 0, ifDrop: undefined, osDrop: 0, afterFrame: 6, offset: expect.any(Number) },
    ]);
    expect(view.getUint32(notices[0]!.offset, true)).toBe(5);
    expect(view.getUint32(notices[1]!.offset, false)).toBe(5);
  });

  test('simple packet blocks: interface 0, no timestamp, caplen from origlen, snaplen and block', () => {
    const bytes = concatBytes([
      encodePcapngSectionHeader(),
      encodePcapngInterfaceDescription({ linkType: 271, snaplen: 8, tsresol: 9 }),
      encodePcapngSimplePacket(hex('000102030405060708090a0b'), 20), // snaplen wins: 8
      encodePcapngSimplePacket(hex('010203'), 3), // origlen wins over the padded body: 3
      encodePcapngSimplePacket(hex('0102030405'), 100), // body wins: 5 + 3 padding = 8
      encodePcapngSectionHeader({ bigEndian: true }),
      encodePcapngInterfaceDescription({ linkType: 271, snaplen: 0, bigEndian: true }),
      encodePcapngSimplePacket(hex('0102030405060708'), 100, { bigEndian: true }), // body: 8
    ]);
    const got = readAll(bytes).packets;
    expect(got.map((p) => [p.number, p.capLen, p.origLen, p.tsSec, p.tsNsec, p.interfaceId])).toEqual([
      [1, 8, 20, 0, 0, 0],
      [2, 3, 3, 0, 0, 0],
      [3, 8, 100, 0, 0, 0],
      [4, 8, 100, 0, 0, 0],
    ]);
    expect(got.map((p) => p.data)).toEqual([
      hex('0001020304050607'),
      hex('010203'),
      hex('0102030405000000'),
      hex('0102030405060708'),
    ]);
  });

  test('timestamps convert exactly for decimal and binary resolutions', () => {
    const next = random(42);
    const resolutions = [
      { tsresol: 0, perSecond: 1n, digits: 0 },
      { tsresol: 3, perSecond: 1000n, digits: 3 },
      { tsresol: 6, perSecond: 1000000n, digits: 6 },
      { tsresol: 9, perSecond: 1000000000n, digits: 9 },
      { tsresol: 12, perSecond: 10n ** 12n, digits: 9 },
      { tsresol: 0x80 | 10, perSecond: 1024n, digits: 4 },
      { tsresol: 0x80 | 20, perSecond: 1n << 20n, digits: 7 },
      { tsresol: 0x80 | 30, perSecond: 1n << 30n, digits: 9 },
    ];
    for (const { tsresol, perSecond, digits } of resolutions) {
      const ticks: bigint[] = [0n, 1n, perSecond - 1n, perSecond, 0xffffffffn, 1n << 32n, (1n << 63n) + 12345n, (1n << 64n) - 1n];
      for (let i = 0; i < 200; i++) {
        const high = BigInt(Math.floor(next() * 2 ** 32));
        const low = BigInt(Math.floor(next() * 2 ** 32));
        ticks.push((high << 32n) | low);
      }
      const bytes = concatBytes([
        encodePcapngSectionHeader(),
        encodePcapngInterfaceDescription({ linkType: 271, snaplen: 0, tsresol, tsOffset: 7 }),
        ...ticks.map((t) => rawEpb(0, t, new Uint8Array(0))),
      ]);
      const got = readAll(bytes).packets;
      const expected = ticks.map((t) => [Number(t / perSecond) + 7, Number(((t % perSecond) * 1000000000n) / perSecond), digits]);
      expect(got.map((p) => [p.tsSec, p.tsNsec, p.tsDigits]), `if_tsresol ${tsresol}`).toEqual(expected);
    }
  });

  test('realistic nanosecond timestamps survive the writer encoders exactly', () => {
    const next = random(7);
    const stamps = Array.from({ length: 500 }, () => ({
      tsSec: Math.floor(next() * 2 ** 33),
      tsNsec: Math.floor(next() * 1e9),
      data: new Uint8Array(0),
    }));
    const got = readAll(buildCapture('pcapng', stamps, { tsDigits: 9 })).packets;
    expect(got.map((p) => [p.tsSec, p.tsNsec])).toEqual(stamps.map((s) => [s.tsSec, s.tsNsec]));
  });

  test('malformed options do not cost the packet', () => {
    // An option claiming 200 bytes in a block that has 8 left: the walk stops, the packet stays.
    const epb = encodePcapngEnhancedPacket({ tsSec: 1, tsNsec: 0, data: hex('01020304'), origLen: 4 }, { comments: ['x'] });
    new DataView(epb.buffer).setUint16(32 + 2, 200, true);
    const bytes = concatBytes([encodePcapngSectionHeader(), encodePcapngInterfaceDescription({ linkType: 271, snaplen: 0 }), epb]);
    const got = readAll(bytes).packets;
    expect(got).toHaveLength(1);
    expect(got[0]!.comments).toBeUndefined();
    expect(got[0]!.data).toEqual(hex('01020304'));
  });
});
