// synth: reproducibility, and structural checks of every scenario's frames against its
// truth that need no analyser: each finding sits on a frame with the op its rule needs,
// each record's frames say what the record says, and the faults' consequences are the
// ones stated here (independently of the scenario code).

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/source/read-capture.js';
import { decodeFrame, type DecodedFrame } from '../../src/dissect/decode.js';
import { ownView } from '../../src/dissect/container/record-bytes.js';
import { OP, TYPE_SEQPACKET, TYPE_STREAM } from '../../src/dissect/fields.js';
import { FINDING_CODES } from '../../src/dissect/findings.js';
import { generateScenario, SCENARIOS, writeScenario, type SynthFrame, type Truth, type TruthRecord } from '../../src/synth/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'vsockscope-synth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function decodeAll(frames: readonly SynthFrame[]): DecodedFrame[] {
  return frames.map((f, i) => decodeFrame({
    number: i + 1, linkType: 271, tsSec: f.tsSec, tsNsec: f.tsNsec, tsDigits: 6, tsResolution: 6,
    capLen: f.data.length, origLen: f.data.length, ...ownView(f.data), offset: 0, interfaceId: 0, snaplen: 0,
  }));
}

function dirOf(f: DecodedFrame): string {
  const v = f.virtio!;
  return `${v.src_cid}:${v.src_port}>${v.dst_cid}:${v.dst_port}`;
}

function sameConn(f: DecodedFrame, conn: string): boolean {
  const v = f.virtio!;
  const [x, y] = conn.split('-');
  const a = `${v.src_cid}:${v.src_port}`;
  const b = `${v.dst_cid}:${v.dst_port}`;
  return (a === x && b === y) || (a === y && b === x);
}

function counts<T extends string>(items: readonly T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}

/** The consequences of each scenario's faults, stated independently of src/synth. */
const EXPECTED: Record<string, { findings: Record<string, number>; records?: Record<string, number> }> = {
  'clean-v4': { findings: {} },
  'lost-end': { findings: { 'vsock.seq.lost_end': 1 }, records: { dropped: 1 } },
  'lost-begin': { findings: { 'vsock.seq.lost_begin': 1 }, records: { orphan: 1 } },
  'lost-rw': { findings: { 'vsock.seq.len_mismatch': 1 }, records: { dropped: 1 } },
  'lost-record': { findings: { 'vsock.seq.cnt_gap': 1 }, records: { lost: 1 } },
  'lost-end-and-begin': { findings: { 'vsock.seq.cnt_mismatch': 1, 'vsock.seq.len_mismatch': 1 }, records: { dropped: 1 } },
  'counter-skew': {
    findings: { 'vsock.seq.cnt_gap': 3, 'vsock.seq.cnt_mismatch': 1, 'vsock.seq.end_len_nonzero': 1 },
    records: { lost: 1, dropped: 1 },
  },
  'capture-loss': {
    findings: { 'vsock.seq.lost_end': 1, 'vsock.seq.len_mismatch': 1, 'vsock.credit.fwd_cnt_ahead': 2 },
    records: { dropped: 2 },
  },
  'transport-loss': { findings: { 'vsock.seq.lost_end': 1, 'vsock.seq.len_mismatch': 1 }, records: { dropped: 2 } },
  'credit-overrun': { findings: { 'vsock.credit.overrun': 7 } },
  'window-shrunk': { findings: { 'vsock.credit.overrun': 1 } },
  'cut-mid-record': { findings: { 'vsock.seq.unterminated': 2, 'vsock.seq.incomplete': 1 }, records: { dropped: 2, incomplete: 1 } },
  'midstream': { findings: { 'vsock.conn.midstream': 1 } },
  'refused': { findings: { 'vsock.conn.refused': 3 } },
  'eom-clean': { findings: {} },
  'eom-faults': {
    findings: {
      'vsock.seq.eor_without_eom': 1, 'vsock.seq.msg_too_big': 1, 'vsock.credit.overrun': 1,
      'vsock.credit.fwd_cnt_ahead': 1, 'vsock.seq.unterminated': 1,
    },
    records: { dropped: 1 },
  },
  'stream': { findings: {} },
  'stream-flags': { findings: { 'vsock.seq.flags_on_stream': 2 } },
};

const CLEAN = ['clean-v4', 'eom-clean', 'stream'];

describe('synth scenario list', () => {
  it('has every scenario this suite knows, with kebab-case names and descriptions', () => {
    expect(SCENARIOS.map((s) => s.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const s of SCENARIOS) {
      expect(s.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(s.description.length).toBeGreaterThan(10);
    }
  });

  it('rejects unknown scenarios and bad seeds', () => {
    expect(() => generateScenario('no-such-thing', 1)).toThrow(/unknown synth scenario/);
    expect(() => generateScenario('lost-end', -1)).toThrow(/seed/);
    expect(() => generateScenario('lost-end', 1.5)).toThrow(/seed/);
  });
});

describe('reproducibility', () => {
  it('same seed: identical frames and truth; different seed: different bytes', () => {
    for (const { name } of SCENARIOS) {
      const a = generateScenario(name, 1);
      const b = generateScenario(name, 1);
      const c = generateScenario(name, 2);
      expect(b.frames.length).toBe(a.frames.length);
      a.frames.forEach((f, i) => {
        expect(b.frames[i]!.tsSec).toBe(f.tsSec);
        expect(b.frames[i]!.tsNsec).toBe(f.tsNsec);
        expect(Buffer.from(b.frames[i]!.data).equals(Buffer.from(f.data))).toBe(true);
      });
      expect(JSON.stringify(b.truth)).toBe(JSON.stringify(a.truth));
      const same = c.frames.length === a.frames.length && c.frames.every((f, i) =>
        f.tsSec === a.frames[i]!.tsSec && f.tsNsec === a.frames[i]!.tsNsec && Buffer.from(f.data).equals(Buffer.from(a.frames[i]!.data)));
      expect(same, name).toBe(false);
    }
  });

  it('writeScenario: byte-identical files for one seed, different for another; the truth file is the truth', async () => {
    const one = join(tmp, 'a.pcap');
    const two = join(tmp, 'b.pcap');
    const three = join(tmp, 'c.pcap');
    await writeScenario('capture-loss', 5, one);
    await writeScenario('capture-loss', 5, two);
    await writeScenario('capture-loss', 6, three);
    expect(readFileSync(one).equals(readFileSync(two))).toBe(true);
    expect(readFileSync(`${one}.truth.json`).equals(readFileSync(`${two}.truth.json`))).toBe(true);
    expect(readFileSync(one).equals(readFileSync(three))).toBe(false);
    const truth = JSON.parse(readFileSync(`${one}.truth.json`, 'utf8')) as Truth;
    expect(truth).toEqual(JSON.parse(JSON.stringify(generateScenario('capture-loss', 5).truth)));
    let n = 0;
    await readCaptureFile(one, { packet: () => void n++, notice: () => undefined });
    expect(n).toBe(truth.frames);
  });

  it('writes pcapng when asked', async () => {
    const out = join(tmp, 'x.pcapng');
    await writeScenario('lost-end', 3, out);
    const head = readFileSync(out).subarray(0, 4);
    expect(head.readUInt32LE(0)).toBe(0x0a0d0d0a);
    let n = 0;
    await readCaptureFile(out, { packet: () => void n++, notice: () => undefined });
    expect(n).toBe(generateScenario('lost-end', 3).truth.frames);
  });
});

for (const { name } of SCENARIOS) {
  describe(`scenario ${name}`, () => {
    for (const seed of [1, 42, 0xdeadbeef]) {
      it(`seed ${seed}: frames and truth agree structurally`, () => {
        const { frames, truth } = generateScenario(name, seed);
        checkScenario(name, seed, frames, truth);
      });
    }
  });
}

function checkScenario(name: string, seed: number, frames: SynthFrame[], truth: Truth): void {
  expect(truth.scenario).toBe(name);
  expect(truth.seed).toBe(seed);
  expect(truth.frames).toBe(frames.length);
  const bytes = frames.reduce((sum, f) => sum + 16 + f.data.length, 24);
  expect(bytes).toBeLessThan(5_000_000);

  const decoded = decodeAll(frames);
  // Well-formed frames only: the faults are in the traffic, not in the encoding.
  for (const f of decoded) {
    expect(f.expert.map((e) => e.code), `frame ${f.number}`).toEqual([]);
    expect(f.virtio).toBeDefined();
    expect(f.virtio!.len).toBe(f.payloadCaptured);
    if (f.virtio!.op === OP.RW) expect(f.virtio!.len).toBeGreaterThan(0);
    if (f.virtio!.op === OP.RW) expect(f.virtio!.len).toBeLessThanOrEqual(65536);
  }
  // Timestamps never go backwards.
  for (let i = 1; i < frames.length; i++) {
    const a = frames[i - 1]!;
    const b = frames[i]!;
    expect(b.tsSec * 1e9 + b.tsNsec).toBeGreaterThanOrEqual(a.tsSec * 1e9 + a.tsNsec);
  }
  // A side's fwd_cnt never decreases within a connection instance (no regression injected).
  const lastFwd = new Map<string, number>();
  for (const f of decoded) {
    const v = f.virtio!;
    const key = dirOf(f);
    if (v.op === OP.REQUEST || v.op === OP.RESPONSE) lastFwd.delete(key);
    if (v.op === OP.RST && v.buf_alloc === 0) continue;
    const prev = lastFwd.get(key);
    if (prev !== undefined) expect(v.fwd_cnt, `frame ${f.number}`).toBeGreaterThanOrEqual(prev);
    lastFwd.set(key, v.fwd_cnt);
  }

  // The faults' consequences, and nothing else.
  const want = EXPECTED[name]!;
  expect(counts(truth.findings.map((f) => f.code))).toEqual(want.findings);
  const statuses = counts(truth.records.map((r) => r.status));
  delete statuses.delivered;
  expect(statuses).toEqual(want.records ?? {});
  if (CLEAN.includes(name)) expect(truth.findings).toEqual([]);

  const frame = (n: number): DecodedFrame => {
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(frames.length);
    return decoded[n - 1]!;
  };

  for (const fd of truth.findings) {
    expect(FINDING_CODES).toContain(fd.code);
    const f = frame(fd.frame);
    const v = f.virtio!;
    const where = `${fd.code} on frame ${fd.frame}`;
    expect(sameConn(f, fd.conn), where).toBe(true);
    expect(dirOf(f), where).toBe(fd.dir);
    switch (fd.code) {
      case 'vsock.seq.lost_end':
      case 'vsock.seq.cnt_gap':
        expect(v.op, where).toBe(OP.SEQ_BEGIN);
        break;
      case 'vsock.seq.lost_begin':
        expect([OP.RW, OP.SEQ_END], where).toContain(v.op);
        break;
      case 'vsock.seq.cnt_mismatch':
        expect(v.op, where).toBe(OP.SEQ_END);
        break;
      case 'vsock.seq.len_mismatch':
        expect(v.op, where).toBe(OP.SEQ_END);
        expect(fd.details?.expected).not.toBe(fd.details?.received);
        break;
      case 'vsock.seq.end_len_nonzero':
        expect(v.op, where).toBe(OP.SEQ_END);
        expect(f.seq!.msg_len).not.toBe(0);
        break;
      case 'vsock.seq.unterminated':
        expect(v.op === OP.RST || (v.op === OP.SHUTDOWN && (v.flags & 2) !== 0), where).toBe(true);
        break;
      case 'vsock.seq.incomplete':
        expect([OP.SEQ_BEGIN, OP.RW], where).toContain(v.op);
        // Nothing of that direction after it: the capture ended with the record open.
        expect(decoded.slice(fd.frame).some((g) => dirOf(g) === fd.dir)).toBe(false);
        break;
      case 'vsock.seq.eor_without_eom':
        expect(v.op, where).toBe(OP.RW);
        expect(v.flags & 3, where).toBe(2);
        break;
      case 'vsock.seq.msg_too_big':
        expect(v.op, where).toBe(OP.RW);
        expect(v.flags & 1, where).toBe(1);
        break;
      case 'vsock.seq.flags_on_stream':
        expect(v.op, where).toBe(OP.RW);
        expect(v.type, where).toBe(TYPE_STREAM);
        expect(v.flags & 3, where).not.toBe(0);
        break;
      case 'vsock.credit.overrun':
        expect([OP.RW, OP.SEQ_BEGIN, OP.SEQ_END], where).toContain(v.op);
        break;
      case 'vsock.credit.fwd_cnt_ahead':
        expect(v.fwd_cnt, where).toBeGreaterThan(0);
        break;
      case 'vsock.conn.midstream':
        expect(v.op, where).not.toBe(OP.REQUEST);
        expect(decoded.slice(0, fd.frame - 1).some((g) => sameConn(g, fd.conn)), where).toBe(false);
        // Without the handshake the id puts the lower (cid, port) pair first.
        expect(fd.conn, where).toBe([`${v.src_cid}:${v.src_port}`, `${v.dst_cid}:${v.dst_port}`]
          .sort((x, y) => {
            const [xc, xp] = x.split(':').map(Number);
            const [yc, yp] = y.split(':').map(Number);
            return xc! - yc! || xp! - yp!;
          }).join('-'));
        break;
      case 'vsock.conn.refused': {
        expect(v.op, where).toBe(OP.RST);
        expect(v.buf_alloc, where).toBe(0);
        expect(v.fwd_cnt, where).toBe(0);
        const before = decoded.slice(0, fd.frame - 1).filter((g) => sameConn(g, fd.conn));
        expect(before.at(-1)!.virtio!.op, where).toBe(OP.REQUEST);
        expect(before.at(-1)!.virtio!.type, where).toBe(v.type);
        break;
      }
      default:
        throw new Error(`no structural rule for ${fd.code}`);
    }
  }

  for (const r of truth.records) checkRecord(r, decoded, frame, name);

  // Per direction, the indexes run 0, 1, 2, ... in the truth's order.
  const next = new Map<string, number>();
  let prev = '';
  for (const r of truth.records) {
    const key = `${r.conn}/${r.dir}`;
    if (key !== prev) next.set(key, 0);
    prev = key;
    expect(r.index, key).toBe(next.get(key));
    next.set(key, r.index + 1);
  }

  if (name === 'clean-v4') {
    for (const r of truth.records) expect(r.index).toBe(r.msg_cnt! / 2);
  }
}

function checkRecord(r: TruthRecord, decoded: DecodedFrame[], frame: (n: number) => DecodedFrame, name: string): void {
  const where = `${name} record ${r.dir} #${r.index} (${r.status})`;
  expect(Object.keys(r).sort(), where).toEqual(
    ['conn', 'dir', 'dialect', 'index', 'msg_cnt', 'msg_len', 'received', 'first_frame', 'last_frame', 'status', 'reason', 'eor', 'truncated'].sort());
  expect(r.truncated).toBe(false);
  if (r.status === 'lost') {
    expect(r.first_frame, where).toBeNull();
    expect(r.last_frame, where).toBeNull();
    expect(r.received, where).toBe(0);
    expect(r.reason, where).toBe('vsock.seq.cnt_gap');
    return;
  }
  expect(r.first_frame, where).not.toBeNull();
  expect(r.last_frame, where).not.toBeNull();
  expect(r.first_frame!, where).toBeLessThanOrEqual(r.last_frame!);
  const first = frame(r.first_frame!);
  const last = frame(r.last_frame!);
  expect(dirOf(first), where).toBe(r.dir);
  expect(dirOf(last), where).toBe(r.dir);
  expect(first.virtio!.type, where).toBe(TYPE_SEQPACKET);
  // Bytes of the direction between its first and last frame.
  const rws = decoded.slice(r.first_frame! - 1, r.last_frame!).filter((f) => dirOf(f) === r.dir && f.virtio!.op === OP.RW);
  const bytes = rws.reduce((s, f) => s + f.virtio!.len, 0);
  if (r.dialect === 'eom') {
    expect(r.msg_cnt).toBeNull();
    expect(r.msg_len).toBeNull();
    expect(r.received, where).toBe(bytes);
    if (r.status === 'delivered') {
      expect(last.virtio!.op, where).toBe(OP.RW);
      expect(last.virtio!.flags & 1, where).toBe(1);
      expect(r.eor, where).toBe((last.virtio!.flags & 2) !== 0);
      // Only the last RW of a message has EOM.
      for (const f of rws.slice(0, -1)) expect(f.virtio!.flags & 1, where).toBe(0);
    }
    return;
  }
  expect(r.received, where).toBe(bytes);
  expect(r.eor, where).toBe(rws.some((f) => (f.virtio!.flags & 1) !== 0));
  if (r.status === 'orphan') {
    expect(r.reason, where).toBe('vsock.seq.lost_begin');
    expect(r.msg_len, where).toBeNull();
    // Named by its SEQ_END when the run has one: BEGIN counter = END counter - 1.
    expect(r.msg_cnt, where).toBe(last.virtio!.op === OP.SEQ_END ? (last.seq!.msg_cnt - 1) >>> 0 : null);
    expect([OP.RW, OP.SEQ_END], where).toContain(first.virtio!.op);
    return;
  }
  expect(first.virtio!.op, where).toBe(OP.SEQ_BEGIN);
  expect(first.seq!.msg_cnt, where).toBe(r.msg_cnt);
  expect(first.seq!.msg_len, where).toBe(r.msg_len);
  if (r.status === 'delivered') {
    expect(r.reason, where).toBeNull();
    expect(last.virtio!.op, where).toBe(OP.SEQ_END);
    expect(last.seq!.msg_cnt, where).toBe((r.msg_cnt! + 1) >>> 0);
    expect(r.received, where).toBe(r.msg_len);
    // No other marker of the direction inside the record.
    const markers = decoded.slice(r.first_frame!, r.last_frame! - 1)
      .filter((f) => dirOf(f) === r.dir && (f.virtio!.op === OP.SEQ_BEGIN || f.virtio!.op === OP.SEQ_END));
    expect(markers, where).toEqual([]);
  } else if (r.status === 'dropped') {
    expect(r.reason, where).toMatch(/^vsock\.seq\.(lost_end|cnt_mismatch|len_mismatch|unterminated)$/);
  } else {
    expect(r.status, where).toBe('incomplete');
    expect(r.reason, where).toBeNull();
  }
}

describe('scenario specifics', () => {
  it('capture-loss and transport-loss report the same records and seq findings; only capture loss shows fwd_cnt_ahead', () => {
    const cap = generateScenario('capture-loss', 9).truth;
    const tr = generateScenario('transport-loss', 9).truth;
    const seq = (t: Truth) => t.findings.filter((f) => f.code.startsWith('vsock.seq.')).map((f) => [f.code, f.details]);
    expect(seq(cap)).toEqual(seq(tr));
    const strip = (t: Truth) => t.records.map(({ first_frame: _a, last_frame: _b, ...rest }) => rest);
    expect(strip(cap)).toEqual(strip(tr));
    const { frames } = generateScenario('capture-loss', 9);
    const d = decodeAll(frames);
    for (const f of cap.findings.filter((x) => x.code === 'vsock.credit.fwd_cnt_ahead')) {
      expect(d[f.frame - 1]!.virtio!.op).toBe(OP.CREDIT_UPDATE);
    }
  });

  it('window-shrunk: the one overrun is the crossed SEQ_BEGIN, after a CREDIT_UPDATE lowering buf_alloc', () => {
    const { frames, truth } = generateScenario('window-shrunk', 4);
    const d = decodeAll(frames);
    const [o] = truth.findings;
    expect(o!.details).toEqual({ window_shrunk: true });
    expect(d[o!.frame - 1]!.virtio!.op).toBe(OP.SEQ_BEGIN);
    const prev = d[o!.frame - 2]!.virtio!;
    expect(prev.op).toBe(OP.CREDIT_UPDATE);
    expect(prev.buf_alloc).toBe(65536);
  });

  it('lost-record: the lost record has the counter of the gap and an unknown length', () => {
    const { truth } = generateScenario('lost-record', 11);
    const gap = truth.findings[0]!;
    expect(gap.details).toEqual({ expected: 8, got: 10, lost_records: 1 });
    const lost = truth.records.find((r) => r.status === 'lost')!;
    expect(lost.msg_cnt).toBe(8);
    expect(lost.index).toBe(4);
    expect(lost.msg_len).toBeNull();
  });

  it('counter-skew: a skipped counter gives a lost record of unknown length; a repeat gives no lost_records', () => {
    const { truth } = generateScenario('counter-skew', 1);
    const gaps = truth.findings.filter((f) => f.code === 'vsock.seq.cnt_gap').map((f) => f.details);
    expect(gaps).toContainEqual({ expected: 4, got: 6, lost_records: 1 });
    expect(gaps).toContainEqual({ expected: 4, got: 2 });
    expect(gaps).toContainEqual({ expected: 3, got: 4 });
    const lost = truth.records.find((r) => r.status === 'lost')!;
    expect(lost).toMatchObject({ msg_cnt: 4, msg_len: null });
  });

  it('lost-end-and-begin: the merged record is dropped for its counter, the lost SEQ_BEGIN\'s record does not appear', () => {
    const { truth } = generateScenario('lost-end-and-begin', 1);
    const dropped = truth.records.filter((r) => r.status === 'dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ index: 3, msg_cnt: 6, reason: 'vsock.seq.cnt_mismatch' });
    expect(truth.records.map((r) => r.msg_cnt)).toEqual([0, 2, 4, 6, 10, 12, 14]);
  });

  it('eom-faults: the lost EOM packet merges two messages into one delivered record', () => {
    const { truth } = generateScenario('eom-faults', 1);
    const merged = truth.records.filter((r) => r.received === 65536 + 300);
    expect(merged).toHaveLength(2); // transport loss and capture loss
    for (const r of merged) expect(r.status).toBe('delivered');
  });

  it('midstream: no record for the expected orphans; the first record indexes from 0', () => {
    const { truth } = generateScenario('midstream', 1);
    const conn = truth.findings[0]!.conn;
    const recs = truth.records.filter((r) => r.conn === conn);
    for (const dir of new Set(recs.map((r) => r.dir))) {
      const first = recs.find((r) => r.dir === dir)!;
      expect(first.index).toBe(0);
      expect(first.msg_cnt).toBeGreaterThan(0);
    }
    expect(recs.every((r) => r.status === 'delivered')).toBe(true);
  });

  it('refused: the retry on the same 4-tuple is a new instance with its own records', () => {
    const { truth } = generateScenario('refused', 1);
    const first = truth.findings[0]!;
    const retry = truth.records.filter((r) => r.conn === first.conn);
    expect(retry.length).toBe(5);
    expect(retry[0]!.first_frame!).toBeGreaterThan(first.frame);
  });

  it('every scenario stays small', () => {
    for (const { name } of SCENARIOS) {
      const { frames } = generateScenario(name, 1);
      expect(frames.reduce((s, f) => s + f.data.length, 0)).toBeLessThan(5_000_000);
    }
    expect(statSync(tmp).isDirectory()).toBe(true);
  });
});
