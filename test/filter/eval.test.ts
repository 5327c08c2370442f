import { describe, expect, it } from 'vitest';
import type { DecodedFrame } from '../../src/dissect/decode.js';
import { FLAG_BITS, filterName, HEADERS, OP, TYPE_STREAM } from '../../src/dissect/fields.js';
import { finding, FINDING_CODES } from '../../src/dissect/findings.js';
import { compileFilter, filterFieldNames, type FilterContext } from '../../src/dissect/filter/index.js';
import { decode, noVirtio, notVsock, rw, seqBegin, shutdown, virtioFrame } from './frames.js';

const MERGED: FilterContext = { v4Dialect: false };
const V4: FilterContext = { v4Dialect: true };

function sel(filter: string, frame: DecodedFrame, ctx: FilterContext = MERGED): boolean {
  return compileFilter(filter)(frame, ctx);
}

describe('field names', () => {
  it('come from the field table, flag bits and finding codes', () => {
    const names = filterFieldNames();
    for (const h of HEADERS) {
      expect(names).toContain(h.path);
      for (const f of h.fields) expect(names).toContain(filterName(h, f));
    }
    for (const b of FLAG_BITS) expect(names).toContain(`vsock.virtio.flags.${b.key}`);
    for (const c of FINDING_CODES) expect(names).toContain(c);
    for (const n of ['frame', 'frame.number', 'frame.len', 'frame.cap_len', 'frame.time_epoch']) expect(names).toContain(n);
    expect(new Set(names).size).toBe(names.length);
  });

  it('every name compiles as a presence test', () => {
    for (const n of filterFieldNames()) expect(() => compileFilter(n), n).not.toThrow();
  });
});

describe('presence', () => {
  const marker = seqBegin();
  const data = rw();
  const bare = noVirtio();
  const other = notVsock();

  it('protocols', () => {
    expect([sel('vsock', data), sel('vsock.virtio', data), sel('vsock.seq', data)]).toEqual([true, true, false]);
    expect([sel('vsock', marker), sel('vsock.virtio', marker), sel('vsock.seq', marker)]).toEqual([true, true, true]);
    expect([sel('vsock', bare), sel('vsock.virtio', bare), sel('vsock.seq', bare)]).toEqual([true, false, false]);
    expect([sel('vsock', other), sel('vsock.virtio', other), sel('frame', other)]).toEqual([false, false, true]);
  });

  it('fields exist only where their header was decoded', () => {
    expect(sel('vsock.seq.msg_cnt', marker)).toBe(true);
    expect(sel('vsock.seq.msg_len', data)).toBe(false);
    expect(sel('vsock.virtio.op', data)).toBe(true);
    expect(sel('vsock.virtio.op', bare)).toBe(false);
    expect(sel('vsock.src_cid', bare)).toBe(true);
    expect(sel('vsock.src_cid', other)).toBe(false);
    expect(sel('vsock.reserved', data)).toBe(true);
    expect(sel('frame.number && frame.len && frame.cap_len && frame.time_epoch', other)).toBe(true);
  });
});

describe('comparison operators', () => {
  const f = rw(); // src_port 1025
  const cases: [string, boolean][] = [
    ['vsock.src_port == 1025', true], ['vsock.src_port == 1024', false],
    ['vsock.src_port != 1025', false], ['vsock.src_port != 1024', true],
    ['vsock.src_port < 1026', true], ['vsock.src_port < 1025', false],
    ['vsock.src_port <= 1025', true], ['vsock.src_port <= 1024', false],
    ['vsock.src_port > 1024', true], ['vsock.src_port > 1025', false],
    ['vsock.src_port >= 1025', true], ['vsock.src_port >= 1026', false],
    ['vsock.src_port eq 1025', true], ['vsock.src_port ne 1025', false],
    ['vsock.src_port lt 1026', true], ['vsock.src_port le 1024', false],
    ['vsock.src_port gt 1024', true], ['vsock.src_port ge 1026', false],
    ['vsock.dst_port == 0x1388', true], ['vsock.dst_port == 0X1388', true], ['vsock.dst_port == 5000', true],
    ['vsock.virtio.buf_alloc == 0x40000', true], ['vsock.virtio.fwd_cnt>=4096', true],
    ['vsock.trans_len == 44', true], ['vsock.virtio.len == 16', true], ['vsock.reserved == 0', true],
    ['vsock.src_cid == 3 && vsock.dst_cid == 2', true], ['vsock.virtio.src_cid == 3', true],
    ['vsock.src_port == 01025', true],
  ];
  it.each(cases)('%s -> %s', (filter, want) => expect(sel(filter, f)).toBe(want));
});

describe('enum names', () => {
  const cases: [string, DecodedFrame, boolean][] = [
    ['vsock.virtio.op == SEQ_BEGIN', seqBegin(), true],
    ['vsock.virtio.op == SEQ_END', seqBegin(), false],
    ['vsock.virtio.op == SEQ_END', virtioFrame({ op: OP.SEQ_END, seq: { msg_cnt: 7, msg_len: 0 } }), true],
    ['vsock.virtio.op == RW', rw(), true],
    ['vsock.virtio.op != RW', rw(), false],
    ['vsock.virtio.op > RW', seqBegin(), true],
    ['vsock.virtio.op <= SHUTDOWN', rw(), false],
    ['vsock.virtio.type == SEQPACKET', rw(), true],
    ['vsock.virtio.type == STREAM', rw(), false],
    ['vsock.virtio.type == STREAM', virtioFrame({ op: OP.RW, type: TYPE_STREAM }), true],
    ['vsock.op == PAYLOAD', rw(), true],
    ['vsock.op == CONTROL', seqBegin(), true],
    ['vsock.op == DISCONNECT', shutdown(0), true],
    ['vsock.trans == VIRTIO', rw(), true],
    ['vsock.trans == NO_INFO', noVirtio(), true],
    ['vsock.trans == VIRTIO', noVirtio(), false],
    ['vsock.virtio.op == 9', virtioFrame({ op: OP.SEQ_END, seq: { msg_cnt: 7, msg_len: 0 } }), true],
  ];
  it.each(cases)('%s', (filter, frame, want) => expect(sel(filter, frame)).toBe(want));
});

describe('logic and precedence', () => {
  const f = rw(); // vsock, vsock.virtio; no vsock.seq
  const cases: [string, boolean][] = [
    ['vsock && vsock.virtio', true], ['vsock and vsock.seq', false],
    ['vsock.seq || vsock', true], ['vsock.seq or vsock.seq', false],
    ['!vsock.seq', true], ['not vsock', false], ['!!vsock', true], ['not not not vsock', false], ['! ! vsock.seq', false],
    // && binds tighter than ||: true || (false && false)
    ['vsock || vsock.seq && vsock.seq', true],
    ['vsock.seq && vsock.seq || vsock', true],
    ['(vsock || vsock.seq) && vsock.seq', false],
    // ! binds tighter than &&: (!true) && false
    ['!vsock && vsock.seq', false],
    ['!(vsock && vsock.seq)', true],
    ['!vsock.seq && vsock', true],
    ['!vsock || vsock.virtio', true],
    ['vsock and not vsock.seq or vsock.seq', true],
    ['((vsock))', true], ['(!(vsock.seq))', true],
    ['vsock&&vsock.virtio||vsock.seq', true],
    ['vsock && vsock.virtio && vsock.src_port == 1025 && vsock.dst_port == 5000', true],
    ['vsock && vsock.virtio && vsock.src_port == 1025 && vsock.dst_port == 5001', false],
    ['vsock.seq || vsock.src_port == 1 || vsock.dst_port == 2 || vsock.virtio', true],
    ['vsock.seq || vsock.src_port == 1 || vsock.dst_port == 2', false],
  ];
  it.each(cases)('%s -> %s', (filter, want) => expect(sel(filter, f)).toBe(want));
});

describe('absent fields', () => {
  const bare = noVirtio();
  const other = notVsock();
  const rwFrame = rw();
  const cases: [string, DecodedFrame, boolean][] = [
    ['vsock.virtio.op == 5', bare, false],
    ['vsock.virtio.op != 5', bare, false],
    ['vsock.virtio.op < 100', bare, false],
    ['vsock.virtio.op <= 100', bare, false],
    ['vsock.virtio.op > 0', bare, false],
    ['vsock.virtio.op >= 0', bare, false],
    ['vsock.virtio.op == RW', bare, false],
    ['!(vsock.virtio.op == 5)', bare, true],
    ['!(vsock.virtio.op != 5)', bare, true],
    ['vsock.virtio.flags & 0x1', bare, false],
    ['vsock.virtio.src_cid == 3', bare, false],
    ['vsock.virtio.src_cid != 3', bare, false],
    ['vsock.src_cid != 1', other, false],
    ['vsock.src_cid >= 0', other, false],
    ['vsock.seq.msg_cnt == 6', rwFrame, false],
    ['vsock.seq.msg_cnt != 6', rwFrame, false],
    ['vsock.seq.msg_cnt < 0xffffffff', rwFrame, false],
    ['vsock.seq.msg_cnt == 6 && vsock.seq.msg_len == 4096', seqBegin(6, 4096), true],
    ['vsock.seq.msg_cnt != 6', seqBegin(7, 4096), true],
  ];
  it.each(cases)('%s', (filter, frame, want) => expect(sel(filter, frame)).toBe(want));
});

describe('flag bits', () => {
  const bits = (frame: DecodedFrame, ctx: FilterContext): string[] =>
    FLAG_BITS.map((b) => `vsock.virtio.flags.${b.key}`).filter((n) => sel(n, frame, ctx));

  it('RW in the merged dialect: EOM and EOR', () => {
    expect(bits(rw(0), MERGED)).toEqual([]);
    expect(bits(rw(1), MERGED)).toEqual(['vsock.virtio.flags.eom']);
    expect(bits(rw(2), MERGED)).toEqual(['vsock.virtio.flags.eor']);
    expect(bits(rw(3), MERGED)).toEqual(['vsock.virtio.flags.eom', 'vsock.virtio.flags.eor']);
  });

  it('RW in the v4 dialect: MSG_EOR only', () => {
    expect(bits(rw(0), V4)).toEqual([]);
    expect(bits(rw(1), V4)).toEqual(['vsock.virtio.flags.msg_eor']);
    expect(bits(rw(2), V4)).toEqual([]);
    expect(bits(rw(3), V4)).toEqual(['vsock.virtio.flags.msg_eor']);
  });

  it('SHUTDOWN: RCV and SEND, in either dialect', () => {
    for (const ctx of [MERGED, V4]) {
      expect(bits(shutdown(0), ctx)).toEqual([]);
      expect(bits(shutdown(1), ctx)).toEqual(['vsock.virtio.flags.shutdown_rcv']);
      expect(bits(shutdown(2), ctx)).toEqual(['vsock.virtio.flags.shutdown_send']);
      expect(bits(shutdown(3), ctx)).toEqual(['vsock.virtio.flags.shutdown_rcv', 'vsock.virtio.flags.shutdown_send']);
    }
  });

  it('other ops give the bits no meaning', () => {
    for (const ctx of [MERGED, V4]) {
      expect(bits(seqBegin(6, 4096, 3), ctx)).toEqual([]);
      expect(bits(virtioFrame({ op: OP.CREDIT_UPDATE, flags: 3 }), ctx)).toEqual([]);
      expect(bits(noVirtio(), ctx)).toEqual([]);
    }
  });

  it('combine with logic; the raw flags field stays comparable', () => {
    expect(sel('vsock.virtio.flags.eom && !vsock.virtio.flags.eor', rw(1))).toBe(true);
    expect(sel('vsock.virtio.flags.eom && !vsock.virtio.flags.eor', rw(3))).toBe(false);
    expect(sel('vsock.virtio.flags == 3', rw(3))).toBe(true);
    expect(sel('vsock.virtio.flags == 3', seqBegin(6, 4096, 3))).toBe(true);
  });
});

describe('bitwise and', () => {
  const cases: [string, DecodedFrame, boolean][] = [
    ['vsock.virtio.flags & 0x1', rw(1), true],
    ['vsock.virtio.flags & 0x2', rw(1), false],
    ['vsock.virtio.flags & 3', rw(2), true],
    ['vsock.virtio.flags & 0', rw(3), false],
    ['vsock.virtio.flags & 0xffffffff', rw(0), false],
    ['vsock.virtio.flags & 0x1 && vsock.virtio.op == RW', rw(1), true],
    ['!vsock.virtio.flags & 0x1', rw(1), false],
    ['vsock.src_cid & 0x20000000000000', virtioFrame({ op: OP.RW, src_cid: 0x20000000000001n }), true],
    ['vsock.src_cid & 0x1', virtioFrame({ op: OP.RW, src_cid: 0x20000000000000n }), false],
    ['vsock.src_cid & 0x100000000', virtioFrame({ op: OP.RW, src_cid: 0x100000003 }), true],
    ['vsock.src_cid & 0x2', virtioFrame({ op: OP.RW, src_cid: 0x100000003 }), true],
    ['vsock.src_cid & 0x4', virtioFrame({ op: OP.RW, src_cid: 0x100000003 }), false],
    ['vsock.src_cid & 0x200000000', virtioFrame({ op: OP.RW, src_cid: 0x100000003 }), false],
    ['frame.number & 1', rw(0, { number: 7 }), true],
    ['frame.number & 0x100000000', rw(0, { number: 7 }), false],
  ];
  it.each(cases)('%s', (filter, frame, want) => expect(sel(filter, frame)).toBe(want));
});

describe('64-bit CIDs', () => {
  const above = virtioFrame({ op: OP.RW, src_cid: 0x20000000000001n, dst_cid: 0xffffffffffffffffn });
  const at = virtioFrame({ op: OP.RW, src_cid: 0x20000000000000n });
  const below = virtioFrame({ op: OP.RW, src_cid: 0x1fffffffffffff });

  it('decodes them as the types the filter expects', () => {
    expect(above.vsock!.src_cid).toBe(0x20000000000001n);
    expect(below.vsock!.src_cid).toBe(Number.MAX_SAFE_INTEGER);
  });

  const cases: [string, DecodedFrame, boolean][] = [
    ['vsock.src_cid == 0x20000000000001', above, true],
    ['vsock.src_cid == 0x20000000000000', above, false],
    ['vsock.src_cid == 9007199254740993', above, true],
    ['vsock.src_cid != 9007199254740992', above, true],
    ['vsock.src_cid > 0x20000000000000', above, true],
    ['vsock.src_cid < 0x20000000000001', above, false],
    ['vsock.src_cid <= 0x20000000000001', above, true],
    ['vsock.virtio.src_cid == 0x20000000000001', above, true],
    ['vsock.dst_cid == 0xffffffffffffffff', above, true],
    ['vsock.dst_cid == 18446744073709551615', above, true],
    ['vsock.dst_cid < 18446744073709551615', above, false],
    // 2^53 exactly: a double would round 2^53 + 1 to it.
    ['vsock.src_cid == 0x20000000000000', at, true],
    ['vsock.src_cid == 0x20000000000001', at, false],
    ['vsock.src_cid < 0x20000000000001', at, true],
    ['vsock.src_cid >= 9007199254740992', at, true],
    // 2^53 - 1, held as a number.
    ['vsock.src_cid == 9007199254740991', below, true],
    ['vsock.src_cid == 0x20000000000000', below, false],
    ['vsock.src_cid < 0x20000000000000', below, true],
    ['vsock.src_cid != 0x20000000000001', below, true],
    ['vsock.src_cid > 0xffffffffffffffff', below, false],
    ['vsock.src_cid == 3', above, false],
    ['vsock.src_cid > 3', above, true],
    ['vsock.dst_cid == 2', at, true],
  ];
  it.each(cases)('%s', (filter, frame, want) => expect(sel(filter, frame)).toBe(want));

  it('is exact even for a number that equals a rounded literal', () => {
    const odd = { ...at, vsock: { ...at.vsock!, src_cid: 2 ** 53 } };
    expect(sel('vsock.src_cid == 0x20000000000000', odd)).toBe(true);
    expect(sel('vsock.src_cid == 0x20000000000001', odd)).toBe(false);
    expect(sel('vsock.src_cid < 0x20000000000001', odd)).toBe(true);
    expect(sel('vsock.src_cid > 0x1fffffffffffff', odd)).toBe(true);
    const small = { ...at, vsock: { ...at.vsock!, src_cid: 3n } };
    expect(sel('vsock.src_cid == 3', small)).toBe(true);
  });
});

describe('frame fields', () => {
  const f = rw(0, { number: 42, tsSec: 1700000000, tsNsec: 123456000 });
  const cases: [string, boolean][] = [
    ['frame.number == 42', true], ['frame.number > 42', false],
    [`frame.len == ${32 + 44 + 16}`, true], [`frame.cap_len == ${32 + 44 + 16}`, true],
    ['frame.time_epoch == 1700000000.123456', true],
    ['frame.time_epoch == 1700000000.123456000', true],
    ['frame.time_epoch == 1700000000.1234560001', false],
    ['frame.time_epoch < 1700000000.1234560001', true],
    ['frame.time_epoch > 1700000000.123455999', true],
    ['frame.time_epoch >= 1700000000.123457', false],
    ['frame.time_epoch != 1700000000.123456', false],
    ['frame.time_epoch >= 1700000000', true],
    ['frame.time_epoch == 1700000000', false],
    ['frame.time_epoch < 1700000001', true],
    ['frame.time_epoch > 0x6553f100', true], ['frame.time_epoch <= 0x6553f100', false],
    ['frame.time_epoch > 1699999999.9', true],
  ];
  it.each(cases)('%s -> %s', (filter, want) => expect(sel(filter, f)).toBe(want));

  it('cap_len differs from len on a snaplen-truncated frame', () => {
    const t = rw(0, { capLen: 40 });
    expect(sel('frame.len == 92 && frame.cap_len == 40', t)).toBe(true);
    expect(sel('frame.snaplen_truncated', t)).toBe(true);
    expect(sel('frame.snaplen_truncated', rw())).toBe(false);
  });
});

describe('finding codes', () => {
  it('select frames that carry the finding', () => {
    const f = seqBegin();
    const lost = compileFilter('vsock.seq.lost_end');
    expect(lost(f, V4)).toBe(false);
    f.expert.push(finding('vsock.seq.lost_end', f.number, 'SEQ_END never arrived'));
    expect(lost(f, V4)).toBe(true);
    expect(sel('vsock.seq.cnt_gap', f)).toBe(false);
    expect(sel('vsock.seq.lost_end && vsock.virtio.op == SEQ_BEGIN', f)).toBe(true);
    expect(sel('!vsock.seq.lost_end', f)).toBe(false);
    f.expert.push(finding('vsock.seq.cnt_gap', f.number, 'gap'));
    expect(sel('vsock.seq.cnt_gap && vsock.seq.lost_end', f)).toBe(true);
  });

  it('include the decoder\'s own findings', () => {
    const f = virtioFrame({ op: OP.RW, len: 100 }); // header says 100, no payload follows
    expect(sel('vsock.malformed.payload_len', f)).toBe(true);
    expect(sel('vsock.malformed.payload_len', rw())).toBe(false);
    expect(sel('frame.not_vsock', notVsock())).toBe(true);
    expect(sel('vsock.malformed.unknown_transport', noVirtio())).toBe(true);
    expect(sel('vsock.malformed.short_frame', decode(new Uint8Array(10)))).toBe(true);
  });
});

describe('compiled filters', () => {
  it('are reusable across frames and contexts', () => {
    const f = compileFilter('vsock.virtio.flags.msg_eor || vsock.virtio.op == SEQ_BEGIN');
    const frames = [rw(1), seqBegin(), rw(0), shutdown(1)];
    expect(frames.map((fr) => f(fr, V4))).toEqual([true, true, false, false]);
    expect(frames.map((fr) => f(fr, MERGED))).toEqual([false, true, false, false]);
    expect(frames.map((fr) => f(fr, V4))).toEqual([true, true, false, false]);
  });

  it('handle long chains without deep recursion', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `vsock.src_port == ${i + 2000}`).join(' || ') + ' || vsock.src_port == 1025';
    expect(compileFilter(text)(rw(), MERGED)).toBe(true);
    expect(compileFilter('!'.repeat(10001) + 'vsock')(rw(), MERGED)).toBe(false);
  });
});
