import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/dissect/encode.js';
import { escapeText } from '../../src/dissect/present/escape.js';
import { frameJson } from '../../src/dissect/present/frame-json.js';
import { hexdumpLines } from '../../src/dissect/present/hexdump.js';
import { summaryColumns, summaryLine } from '../../src/dissect/present/summary.js';
import { ByteText, render, textPiece } from '../../src/dissect/present/text.js';
import { formatEpoch, formatIso, formatRelative, writeRelativeRight } from '../../src/dissect/present/time.js';
import { frameTree, renderTree } from '../../src/dissect/present/tree.js';
import type { Cid } from '../../src/dissect/parsers.js';
import { decode } from '../helpers/packets.js';

const seqBegin = encodeFrame({
  virtio: { src_cid: 1, dst_cid: 1, src_port: 1025, dst_port: 5000, type: 2, op: 8, flags: 0, buf_alloc: 262144, fwd_cnt: 0 },
  seq: { msg_cnt: 0, msg_len: 4096 },
  vsock: { op: 4 },
});

describe('read --json', () => {
  it('writes the object of ANALYSIS.md section 4', () => {
    const f = decode(seqBegin, { tsSec: 1700000000, tsNsec: 123456000, tsDigits: 6 });
    // The contract's example, verbatim; its vsockmon op 4 (PAYLOAD) for a SEQ_BEGIN is an op mismatch.
    const expected = '{"frame":{"number":1,"time_epoch":1700000000.123456,"len":84,"cap_len":84},' +
      '"vsock":{"src_cid":1,"dst_cid":1,"src_port":1025,"dst_port":5000,"op":4,"trans":2,"trans_len":44,' +
      '"virtio":{"src_cid":1,"dst_cid":1,"src_port":1025,"dst_port":5000,"len":8,"type":2,"op":8,"flags":0,"buf_alloc":262144,"fwd_cnt":0},' +
      '"seq":{"msg_cnt":0,"msg_len":4096}},' +
      '"expert":["vsock.malformed.op_mismatch"]}';
    expect(frameJson(f)).toBe(expected);
    expect(() => JSON.parse(frameJson(f))).not.toThrow();
  });

  it('writes CIDs above 2^53 - 1 as decimal strings', () => {
    const f = decode(encodeFrame({ virtio: { src_cid: 2n ** 60n, dst_cid: 2, src_port: 1, dst_port: 2, type: 1, op: 6, flags: 0, buf_alloc: 0, fwd_cnt: 0 } }));
    const obj = JSON.parse(frameJson(f));
    expect(obj.vsock.virtio.src_cid).toBe('1152921504606846976');
    expect(obj.vsock.virtio.dst_cid).toBe(2);
  });
});

describe('time formatting', () => {
  it('prints at the capture resolution', () => {
    expect(formatEpoch({ tsSec: 5, tsNsec: 7000, tsDigits: 6 })).toBe('5.000007');
    expect(formatEpoch({ tsSec: 5, tsNsec: 7, tsDigits: 9 })).toBe('5.000000007');
    // Before 1970 (a pcapng if_tsoffset can get there): -5 s + 0.123 s is -4.877 s.
    expect(formatEpoch({ tsSec: -5, tsNsec: 123000000, tsDigits: 6 })).toBe('-4.877000');
    expect(formatEpoch({ tsSec: -1, tsNsec: 0, tsDigits: 6 })).toBe('-1.000000');
    expect(formatRelative({ tsSec: 10, tsNsec: 100, tsDigits: 9 }, { tsSec: 9, tsNsec: 200, tsDigits: 9 })).toBe('0.999999900');
    expect(formatRelative({ tsSec: 9, tsNsec: 0, tsDigits: 6 }, { tsSec: 10, tsNsec: 500000000, tsDigits: 6 })).toBe('-1.500000');
    expect(formatRelative({ tsSec: 9, tsNsec: 0, tsDigits: 0 }, { tsSec: 10, tsNsec: 0, tsDigits: 0 })).toBe('-1');
    expect(formatEpoch({ tsSec: 2 ** 40, tsNsec: 999999999, tsDigits: 3 })).toBe('1099511627776.999');
    expect(formatIso({ tsSec: 1700000000, tsNsec: 5000, tsDigits: 6 })).toBe('2023-11-14T22:13:20.000005Z');
  });

  it('right-aligns a relative time in place as padStart would', () => {
    const origin = { tsSec: 1700000000, tsNsec: 500000000, tsDigits: 9 };
    const cases: [number, number, number, string][] = [
      [1700000000, 500000000, 6, '    0.000000'],
      [1700000012, 499999999, 9, '11.999999999'],
      [1700000000, 0, 6, '   -0.500000'],
      [1699999000, 0, 3, '   -1000.500'],
      [1700000005, 500000000, 0, '           5'],
      [1700123456, 600000000, 6, '123456.100000'], // wider than the column: not cut
      [2 ** 40, 500000000, 6, `${2 ** 40 - 1700000000}.000000`.padStart(12)],
    ];
    for (const [tsSec, tsNsec, tsDigits, text] of cases) {
      const t = { tsSec, tsNsec, tsDigits };
      expect(render((out) => writeRelativeRight(out, t, origin, 12)), `${tsSec}.${tsNsec}/${tsDigits}`).toBe(text);
      expect(text).toBe(formatRelative(t, origin).padStart(12));
    }
  });
});

describe('ByteText', () => {
  const text = (write: (t: ByteText) => void) => render(write);
  it('writes numbers as String() does, whatever their size', () => {
    for (const v of [0, 9, 10, 99, 100, 65535, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1, -7, 1.5]) {
      expect(text((t) => t.number(v))).toBe(String(v));
      expect(text((t) => t.numberRight(v, 6))).toBe(String(v).padStart(6));
      expect(text((t) => t.numberZeros(v, 6))).toBe(String(v).padStart(6, '0'));
    }
    expect(text((t) => t.integer(2n ** 64n - 1n))).toBe('18446744073709551615');
    expect(text((t) => t.integer(-5))).toBe('-5');
    expect(text((t) => t.numberZeros(1234567, 3))).toBe('1234567');
  });
  it('pads like padStart and padEnd, and encodes any text as UTF-8', () => {
    expect(text((t) => { t.text('ab'); t.padStart(0, 5); t.text('é\u2028x'); })).toBe('   abé\u2028x');
    expect(text((t) => { t.text('abcdef'); t.padEnd(0, 3); t.padStart(0, 2); })).toBe('abcdef');
    expect(text((t) => { t.text('ab'); t.padEnd(0, 4); t.byte(0x7c); })).toBe('ab  |');
  });
  it('grows without moving positions, and render() nests', () => {
    const t = new ByteText(4);
    t.text('0123');
    const start = t.pos;
    for (let i = 0; i < 1000; i++) t.number(i % 10);
    t.padStart(start, 1010);
    expect(t.takeString(0)).toBe('0123' + ' '.repeat(10) + '0123456789'.repeat(100));
    expect(render((outer) => { outer.text('a'); outer.text(render((inner) => inner.text('b'))); outer.text('c'); })).toBe('abc');
  });
  it('writes constant pieces of any length, growing as it must', () => {
    const t = new ByteText(4);
    const pieces = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', ' buf_alloc=', 'SEQPACKET', 'é '].map((p) => [p, textPiece(p)] as const);
    let expected = '';
    for (let i = 0; i < 200; i++) {
      const [p, piece] = pieces[i % pieces.length]!;
      t.raw(piece);
      t.labelled(piece, i);
      expected += p + p + String(i);
    }
    expect(t.takeString(0)).toBe(expected);
  });

});

describe('terminal safety', () => {
  it('escapes control characters', () => {
    expect(escapeText('a\u001b[2Jb\u0007\u009b')).toBe('a\\x1b[2Jb\\x07\\x9b');
  });
  it('hex dumps show control bytes as dots', () => {
    expect(hexdumpLines(new Uint8Array([0x41, 0x1b, 0x0a, 0x7f, 0x42]))).toEqual([
      '0000  41 1b 0a 7f 42                                    A...B',
    ]);
  });
});

describe('summary and tree', () => {
  const rw = (flags: number) => decode(encodeFrame({
    virtio: { src_cid: 3, dst_cid: 2, src_port: 1025, dst_port: 5000, type: 2, op: 5, flags, buf_alloc: 100, fwd_cnt: 9 },
    payload: new Uint8Array(3),
  }));
  it('names RW flag bits by dialect', () => {
    const origin = { tsSec: 1_700_000_000, tsNsec: 0, tsDigits: 6 };
    expect(summaryLine(rw(3), origin, false)).toContain('RW            len=3 [EOM,EOR] buf_alloc=100 fwd_cnt=9');
    expect(summaryLine(rw(1), origin, true)).toContain('len=3 [MSG_EOR]');
    expect(summaryLine(rw(3), origin, false)).toMatch(/^ {5}1 +0\.000000 3:1025 > 2:5000 +SEQPACKET/);
  });

  it('writes each frame\'s own buf_alloc, however the values repeat or change', () => {
    const origin = { tsSec: 1_700_000_000, tsNsec: 0, tsDigits: 6 };
    const credit = (bufAlloc: number) => decode(encodeFrame({
      virtio: { src_cid: 3, dst_cid: 2, src_port: 1025, dst_port: 5000, type: 2, op: 6, flags: 0, buf_alloc: bufAlloc, fwd_cnt: 7 },
    }));
    const values = [262144, 262144, 262144, 65536, 262144, 262144, 0, 0, 4294967295, 4294967295, 1, 262144];
    for (const v of values) expect(summaryLine(credit(v), origin, false)).toMatch(new RegExp(` buf_alloc=${v} fwd_cnt=7$`));
  });
  it('gives the same columns as a packet list and as a line', () => {
    const origin = { tsSec: 1_699_999_990, tsNsec: 250_000_000, tsDigits: 6 };
    const c = summaryColumns(rw(3), origin, false);
    expect(c).toEqual({
      number: '1', time: '9.750000', source: '3:1025', destination: '2:5000', type: 'SEQPACKET', op: 'RW',
      info: 'len=3 [EOM,EOR] buf_alloc=100 fwd_cnt=9', codes: '',
    });
    expect(summaryLine(rw(3), origin, false)).toBe(`${c.number.padStart(6)} ${c.time.padStart(12)} ${`${c.source} > ${c.destination}`.padEnd(23)} ${c.type.padEnd(9)} ${c.op.padEnd(13)} ${c.info}`);
  });
  it('pads Type and Op to their columns for every type and op, named or not', () => {
    const origin = { tsSec: 1_700_000_000, tsNsec: 0, tsDigits: 6 };
    for (const type of [0, 1, 2, 3, 7, 65_535]) {
      for (const op of [...Array.from({ length: 18 }, (_, i) => i), 65_535]) {
        const f = decode(encodeFrame({
          virtio: { src_cid: 3, dst_cid: 2, src_port: 1025, dst_port: 5000, type, op, flags: 0, buf_alloc: 1, fwd_cnt: 2 },
        }));
        const c = summaryColumns(f, origin, false);
        const columns = `${c.type.padEnd(9)} ${c.op.padEnd(13)} `;
        expect(summaryLine(f, origin, false).slice(44, 44 + columns.length)).toBe(columns);
      }
    }
  });
  it('gives every 4-tuple its own endpoints, however often tuples recur or share a cache slot', () => {
    const origin = { tsSec: 1_700_000_000, tsNsec: 0, tsDigits: 6 };
    const line = (c: ReturnType<typeof summaryColumns>) =>
      `${c.number.padStart(6)} ${c.time.padStart(12)} ${`${c.source} > ${c.destination}`.padEnd(23)} ${c.type.padEnd(9)} ${c.op.padEnd(13)} ${c.info}`;
    const cids: Cid[] = [2, 3, 0xffffffff, 2 ** 40, 2 ** 53 - 1, 2n ** 60n];
    for (let i = 0; i < 6000; i++) {
      const j = (i * 7919) % 2500;
      const f = decode(encodeFrame({
        virtio: { src_cid: cids[j % cids.length]!, dst_cid: cids[(j >> 3) % cids.length]!, src_port: j % 5 === 0 ? 0xffffffff - j : 1024 + j, dst_port: 5000 + (j % 7), type: 1, op: 6, flags: 0, buf_alloc: 1, fwd_cnt: 2 },
      }));
      expect(summaryLine(f, origin, false)).toBe(line(summaryColumns(f, origin, false)));
    }
  });
  it('renders the field table as a tree', () => {
    const lines = renderTree(frameTree(rw(3), false));
    expect(lines).toContain('    Operation: RW (5)');
    expect(lines).toContain('    Flags: 0x00000003');
    expect(lines).toContain('        EOM: set');
    expect(lines).toContain('        EOR: set');
    expect(lines).toContain('    Operation: PAYLOAD (4)');
  });
});
