// ANALYSIS.md 1 and 2.2: connection identity, instances and lifecycle findings.
// Frame numbers in comments are the Wire's (1-based, capture order); expectations are
// worked out from the contract, not from the engine.

import { describe, expect, test } from 'vitest';
import { Engine, type EngineEvent } from '../../src/reassembly/index.js';
import { at, recs, run, split, Wire } from './wire.js';

describe('connections', () => {
  test('a clean RFC v4 connection with a Linux close (SHUTDOWN 3, two RSTs, late CREDIT_UPDATE) has no findings', () => {
    const w = new Wire('seq');
    w.open(); // 1 REQUEST a>b, 2 RESPONSE
    w.record('a', 0, [100]); // 3 BEGIN, 4 RW, 5 END
    w.credit('b', 116); // 6
    w.record('a', 2, [50]); // 7, 8, 9
    w.credit('b', 182); // 10: 116 + 8 + 50 + 8
    w.record('b', 0, [10]); // 11, 12, 13
    w.credit('a', 26); // 14
    w.shut('a', 3); // 15
    w.rst('b'); // 16: ends the instance (its conn event)
    w.rst('b'); // 17: the second, identical RST: control after RST is normal
    w.credit('b', 182); // 18
    const r = run(w.frames);
    expect(at(r)).toEqual([]);
    expect(recs(r)).toEqual(['delivered:0', 'delivered:2', 'delivered:0']);
    expect(r.records.map((x) => [x.dir, x.index])).toEqual([['3:1025>2:5000', 0], ['3:1025>2:5000', 1], ['2:5000>3:1025', 0]]);
    // One conn event, at the first RST: a snapshot with b's frames 2,6,10,11,12,13,16.
    expect(r.conns).toHaveLength(1);
    expect(r.conns[0]).toMatchObject({ id: '3:1025-2:5000', first_frame: 1, type: 'SEQPACKET', dialect: 'v4', state: 'closed', midstream: false, last_frame: 16 });
    expect(r.conns[0]!.dirs[1].frames).toBe(7);
    // The engine's listing counts the late frames too: b sent 2,6,10,11,12,13,16,17,18.
    const now = r.engine.conns()[0]!;
    expect(now.dirs[0]).toMatchObject({ dir: '3:1025>2:5000', frames: 9, bytes: 8 + 100 + 8 + 8 + 50 + 8, findings: 0 });
    expect(now.dirs[0].records).toEqual({ delivered: 2, dropped: 0, orphan: 0, lost: 0, incomplete: 0 });
    expect(now.dirs[1]).toMatchObject({ dir: '2:5000>3:1025', frames: 9, bytes: 26 });
    expect(now.last_frame).toBe(18);
    expect(now.first_time).toBeCloseTo(1_700_000_000.001, 6);
    expect(r.engine.summary()).toEqual({
      frames: 18, malformed: 0, connections: 1,
      records: { delivered: 3, dropped: 0, orphan: 0, lost: 0, incomplete: 0 }, anomalies: {},
    });
  });

  test('liveConns: the instances not ended yet, as conns() shows them', () => {
    const w = new Wire('seq');
    w.open(); // 1, 2: the first instance of 1025
    w.req({ aPort: 1026 }); // 3: another connection, answered
    w.f('b', 'RESPONSE', { aPort: 1026 }); // 4
    w.rst('b'); // 5: 1025's first instance ends
    w.open(); // 6, 7: 1025's second instance
    const events: EngineEvent[] = [];
    const engine = new Engine((e) => events.push(e));
    for (const f of w.frames) engine.push(f);
    const live = engine.liveConns();
    expect(live.map((c) => [c.id, c.first_frame])).toEqual([['3:1026-2:5000', 3], ['3:1025-2:5000', 6]]);
    expect(live).toEqual(engine.conns().filter((c) => c.first_frame !== 1));
    expect(split(engine, events).conns.map((c) => c.first_frame)).toEqual([1]);
    engine.end();
    expect(engine.liveConns()).toEqual([]);
  });

  test('midstream: info on the first frame, lower pair first, leading orphans unreported, no credit checks', () => {
    const w = new Wire('seq'); // a = 3:1025, b = 2:5000: the lower pair is b's (CID 2 < 3)
    w.rw('a', 10); // 1: the tail of a record that began before the capture
    w.end('a', 41); // 2: first marker of a>b: m = 41, expected orphans
    w.begin('a', 42, 5); // 3: expected m + 1 = 42
    w.rw('a', 5); // 4
    w.end('a', 43); // 5
    w.credit('b', 0, { buf: 10 }); // 6: a window of 10 bytes: would be exceeded, but credit is not analysed
    w.begin('a', 44, 100); // 7
    w.rw('a', 100); // 8
    w.end('a', 45); // 9
    w.begin('b', 1000, 1); // 10: b's first marker: no counter check at all
    w.rw('b', 1); // 11
    w.end('b', 1001); // 12
    w.begin('b', 1003, 1); // 13: expected 1002 -> 1003 is 1 ahead: out of step (odd), no lost records
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.midstream@1', 'vsock.seq.cnt_gap@13', 'vsock.seq.incomplete@13']);
    expect(r.findings[0]).toMatchObject({ severity: 'info', conn: '2:5000-3:1025', dir: '3:1025>2:5000' });
    expect(r.findings[1]!.details).toEqual({ expected: 1002, got: 1003 });
    expect(recs(r)).toEqual(['delivered:42', 'delivered:44', 'delivered:1000', 'incomplete:1003']);
    expect(r.records.map((x) => x.index)).toEqual([0, 1, 0, 1]);
    expect(r.conns[0]).toMatchObject({ id: '2:5000-3:1025', midstream: true, state: 'established' });
    expect(r.conns[0]!.dirs.map((d) => [d.dir, d.window_full_s])).toEqual([['2:5000>3:1025', null], ['3:1025>2:5000', null]]);
  });

  test('refused: an RST answering a REQUEST', () => {
    const w = new Wire('seq');
    w.req(); // 1
    w.rst('b', { buf: 0, fwd: 0 }); // 2: socket-less reply
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.refused@2']);
    expect(r.findings[0]).toMatchObject({ severity: 'info', related_frames: [1], dir: '2:5000>3:1025' });
    expect(r.conns).toHaveLength(1);
    expect(r.conns[0]!.state).toBe('refused');
    expect(r.records).toEqual([]);
  });

  test('an RST from the initiator before the answer is a reset, not a refusal', () => {
    const w = new Wire('seq');
    w.req();
    w.rst('a');
    const r = run(w.frames);
    expect(at(r)).toEqual([]);
    expect(r.conns[0]!.state).toBe('reset');
  });

  test('type_mismatch: a packet whose type differs from the connection\'s', () => {
    const w = new Wire('seq');
    w.open();
    w.rw('a', 10, 1, { type: 1 }); // 3: STREAM RW on a SEQPACKET connection; still reassembled as SEQPACKET
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.type_mismatch@3']);
    expect(r.findings[0]).toMatchObject({ severity: 'error', details: { type: 1, conn_type: 2 } });
    expect(recs(r)).toEqual(['delivered:null']);
  });

  test('unexpected_op: data before RESPONSE, RESPONSE without REQUEST, REQUEST on an established connection, INVALID', () => {
    const w = new Wire('seq');
    w.req(); // 1
    w.rw('a', 10, 1); // 2: before the RESPONSE
    w.resp(); // 3
    w.resp(); // 4: the connection is established already
    w.req(); // 5
    w.f('a', 'INVALID'); // 6
    w.f('a', 'CREDIT_REQUEST'); // 7: fine
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.unexpected_op@2', 'vsock.conn.unexpected_op@4', 'vsock.conn.unexpected_op@5', 'vsock.conn.unexpected_op@6']);
    expect(r.findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(r.engine.summary().connections).toBe(1);
  });

  test('unexpected_op: a RESPONSE from the side that sent the REQUEST', () => {
    const w = new Wire('seq');
    w.req(); // 1
    w.f('a', 'RESPONSE'); // 2
    w.resp(); // 3: the real answer
    w.rw('a', 1, 1); // 4: established by 3: no finding
    expect(at(run(w.frames))).toEqual(['vsock.conn.unexpected_op@2']);
  });

  test('after_reset: data from either side after the RST; control packets after it are normal', () => {
    const w = new Wire('seq');
    w.open();
    w.rst('a'); // 3
    w.rst('a'); // 4
    w.credit('b', 0); // 5
    w.rw('b', 10, 1); // 6
    w.begin('a', 0, 1); // 7
    w.shut('b', 3); // 8
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.after_reset@6', 'vsock.conn.after_reset@7']);
    expect(r.findings[0]).toMatchObject({ severity: 'warning', related_frames: [3], dir: '2:5000>3:1025' });
    expect(r.records).toEqual([]);
    expect(r.conns[0]!.state).toBe('reset');
  });

  test('send_after_shutdown: after its own SHUTDOWN(SEND), or after the peer\'s SHUTDOWN(RCV)', () => {
    const w = new Wire('seq');
    w.open();
    w.shut('a', 2); // 3: a stops sending
    w.rw('b', 10, 1); // 4: b may still send
    w.rw('a', 10, 1); // 5: error
    let r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.send_after_shutdown@5']);
    expect(r.findings[0]).toMatchObject({ severity: 'error', related_frames: [3], dir: '3:1025>2:5000' });
    expect(recs(r)).toEqual(['delivered:null', 'delivered:null']); // still reassembled
    expect(r.engine.conns()[0]!.state).toBe('half-closed');

    const w2 = new Wire('seq');
    w2.open();
    w2.shut('b', 1); // 3: b stops receiving
    w2.rw('a', 10, 1); // 4: error
    w2.rw('b', 10, 1); // 5: fine: a has not shut RCV
    r = run(w2.frames);
    expect(at(r)).toEqual(['vsock.conn.send_after_shutdown@4']);
    expect(r.findings[0]!.related_frames).toEqual([3]);
  });

  test('both directions shut: state closed before the RST', () => {
    const w = new Wire('seq');
    w.open();
    w.shut('a', 2);
    w.shut('b', 2);
    expect(run(w.frames).conns[0]!.state).toBe('closed');
  });

  test('zero_len_rw', () => {
    const w = new Wire('seq');
    w.open();
    w.rw('a', 0); // 3
    w.rw('a', 5, 1); // 4: ends the message that frame 3 opened
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.zero_len_rw@3']);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.records[0]).toMatchObject({ received: 5, first_frame: 3, last_frame: 4 });
  });

  test('a REQUEST after the RST starts a new instance; counters restart', () => {
    const w = new Wire('seq');
    w.open(); // 1, 2
    w.record('a', 0, [10]); // 3-5
    w.shut('a', 3); // 6
    w.rst('b'); // 7
    w.req(); // 8: same 4-tuple
    w.resp(); // 9
    w.record('a', 0, [20]); // 10-12: msg_cnt 0 again: expected 0, no gap
    w.f('b', 'REQUEST'); // 13: REQUEST on the established second instance
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.unexpected_op@13']);
    expect(r.records.map((x) => [x.msg_cnt, x.index, x.received])).toEqual([[0, 0, 10], [0, 0, 20]]);
    expect(r.conns.map((c) => [c.id, c.first_frame, c.state])).toEqual([['3:1025-2:5000', 1, 'closed'], ['3:1025-2:5000', 8, 'established']]);
    expect(r.engine.summary().connections).toBe(2);
  });

  test('a new instance opened from the other side names that side first', () => {
    const w = new Wire('seq');
    w.open();
    w.rst('a'); // 3
    w.f('b', 'REQUEST'); // 4
    w.f('a', 'RESPONSE'); // 5
    const r = run(w.frames);
    expect(r.conns.map((c) => c.id)).toEqual(['3:1025-2:5000', '2:5000-3:1025']);
    expect(r.conns[1]!.state).toBe('established');
  });

  test('CIDs above 2^53 (bigint) and numeric ordering of CIDs', () => {
    const big = 2n ** 60n;
    const w = new Wire('seq', [big, 7], [10, 5000]);
    w.rw('a', 1); // 1: midstream; 10 < 2^60, so b's pair is the lower one
    w.rw('b', 1);
    const r = run(w.frames);
    expect(r.conns[0]!.id).toBe(`10:5000-${big}:7`);
    expect(r.engine.conns()[0]!.dirs[0].frames).toBe(1);
    expect(r.engine.conns()[0]!.dirs[1].frames).toBe(1);
    // 9 < 10 numerically although "9" > "10" as text.
    const w2 = new Wire('seq', [10, 1], [9, 2]);
    w2.rw('a', 1);
    expect(run(w2.frames).conns[0]!.id).toBe('9:2-10:1');
  });

  test('frames without a virtio header are counted and otherwise ignored', () => {
    const w = new Wire('seq');
    w.open();
    const events: EngineEvent[] = [];
    const e = new Engine((x) => events.push(x));
    const noVirtio = { ...w.frames[0]!, virtio: undefined, expert: [] };
    e.push(noVirtio);
    for (const f of w.frames) e.push(f);
    e.end();
    expect(split(e, events).findings).toEqual([]);
    expect(e.summary().frames).toBe(3);
    expect(e.summary().connections).toBe(1);
  });

  test('dialectOf: the dialect of the frame\'s connection as known so far', () => {
    const w = new Wire('seq');
    w.open(); // 1, 2
    w.begin('a', 0, 1); // 3
    const s = new Wire('stream', [3, 2000], [2, 6000]);
    s.open();
    const e = new Engine(() => undefined);
    e.push(w.frames[0]!);
    e.push(w.frames[1]!);
    expect(e.dialectOf(w.frames[1]!)).toBeUndefined(); // nothing decided it yet (the frame just pushed)
    expect(e.dialectOf(w.frames[0]!)).toBeUndefined(); // (an earlier frame: looked up)
    e.push(w.frames[2]!);
    expect(e.dialectOf(w.frames[2]!)).toBe('v4');
    expect(e.dialectOf(w.frames[0]!)).toBe('v4');
    for (const f of s.frames) e.push(f);
    expect(e.dialectOf(s.frames.at(-1)!)).toBeUndefined();
    expect(e.dialectOf(s.frames[0]!)).toBeUndefined();
    expect(e.dialectOf(w.frames[2]!)).toBe('v4'); // no longer the last pushed: looked up again
    const forced = new Engine(() => undefined, { dialect: 'v7' });
    forced.push(w.frames[0]!);
    expect(forced.dialectOf(w.frames[1]!)).toBe('v7');
  });
});
