// ANALYSIS.md 2.4 and 3: the RFC v4 receiver (and the v7 option). A record costs its
// length + 16 credit bytes (two 8-byte markers). Per direction: the open record (BEGIN
// counter b), and m, the last marker counter. Expected counter of a SEQ_BEGIN: b + 2 if a
// record is open, else m + 1, else 0 with the handshake captured.

import { describe, expect, test } from 'vitest';
import { Engine, LOST_RECORDS_CAP, type EngineEvent } from '../../src/reassembly/index.js';
import { at, recs, run, split, Wire } from './wire.js';

describe('RFC v4 records', () => {
  test('delivered records: fields, index == msg_cnt / 2, MSG_EOR from any RW with bit 0', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 30); // 3
    w.rw('a', 10); // 4
    w.rw('a', 20, 1); // 5: MSG_EOR
    w.end('a', 1); // 6
    w.credit('b', 46);
    w.record('a', 2, [5]); // 8-10
    const r = run(w.frames);
    expect(at(r)).toEqual([]);
    expect(r.records[0]).toEqual({
      type: 'record', conn: '3:1025-2:5000', dir: '3:1025>2:5000', dialect: 'v4', index: 0, msg_cnt: 0, msg_len: 30,
      received: 30, first_frame: 3, last_frame: 6, status: 'delivered', eor: true, truncated: false,
    });
    expect(r.records[1]).toMatchObject({ index: 1, msg_cnt: 2, eor: false, first_frame: 8, last_frame: 10 });
  });

  test('records: false emits no record events, and the same findings, conns and summary', () => {
    const w = new Wire('seq');
    w.open();
    w.record('a', 0, [10, 20]); // 3-6: delivered
    w.begin('a', 2, 100); // 7
    w.rw('a', 100); // 8: its SEQ_END never comes
    w.begin('a', 4, 5); // 9: lost_end
    const all = run(w.frames);
    const quiet = run(w.frames, { records: false });
    expect(all.records.map((r) => r.status)).toEqual(['delivered', 'dropped', 'incomplete']);
    expect(quiet.records).toEqual([]);
    expect(quiet.findings).toEqual(all.findings);
    expect(quiet.conns).toEqual(all.conns);
    expect(quiet.engine.summary()).toEqual(all.engine.summary());
    expect(quiet.engine.summary().records).toEqual({ delivered: 1, dropped: 1, orphan: 0, lost: 0, incomplete: 1 });
  });

  test('conns: false emits no conn events, and the same findings, records, instances and summary', () => {
    const w = new Wire('seq');
    w.open();
    w.record('a', 0, [10, 20]); // 3-6: delivered
    w.rst('b'); // 7: the instance ends (a conn event)
    w.open(); // 8, 9: the next instance, open at the end (another)
    w.begin('a', 0, 5); // 10: incomplete
    const all = run(w.frames);
    const quiet = run(w.frames, { conns: false });
    expect(all.conns.map((c) => c.state)).toEqual(['reset', 'established']);
    expect(quiet.conns).toEqual([]);
    expect(quiet.findings).toEqual(all.findings);
    expect(quiet.records).toEqual(all.records);
    expect(quiet.engine.conns()).toEqual(all.engine.conns());
    expect(quiet.engine.summary()).toEqual(all.engine.summary());
  });

  test('lost SEQ_END, lost in transport: held until fwd_cnt catches up without it', () => {
    const w = new Wire('seq');
    w.open(); // 1, 2
    w.begin('a', 0, 100); // 3
    w.rw('a', 100); // 4 (its SEQ_END, msg_cnt 1, never arrives)
    w.begin('a', 2, 50); // 5: b + 2 = 2: lost_end and no cnt_gap
    w.rw('a', 50); // 6
    w.end('a', 3); // 7
    w.credit('b', 174); // 8: 8 + 100 + 8 + 50 + 8 = every byte the capture saw: the receiver never got the END
    const events: EngineEvent[] = [];
    const e = new Engine((x) => events.push(x));
    for (const f of w.frames.slice(0, 7)) e.push(f);
    expect(events).toEqual([]); // frame 5's lost_end is open, so everything after it waits
    e.push(w.frames[7]!);
    expect(events.map((x) => x.type)).toEqual(['anomaly', 'record', 'record']);
    e.end();
    const r = split(e, events);
    expect(at(r)).toEqual(['vsock.seq.lost_end@5']);
    const f = r.findings[0]!;
    expect(f).toMatchObject({
      severity: 'error', conn: '3:1025-2:5000', dir: '3:1025>2:5000', related_frames: [3],
      details: { msg_cnt: 0, msg_len: 100, received: 100, begin_frame: 3, lost_by: 'transport', evidence_frame: 8 },
    });
    expect(f.message).toMatch(/SEQ_END for record msg_cnt=0 \(SEQ_BEGIN frame 3, 100 of 100 bytes received\) never arrived/);
    expect(f.message).toMatch(/lost in transport/);
    expect(f.message).toMatch(/dropped the record silently/);
    expect(r.records[0]).toEqual({
      type: 'record', conn: '3:1025-2:5000', dir: '3:1025>2:5000', dialect: 'v4', index: 0, msg_cnt: 0, msg_len: 100,
      received: 100, first_frame: 3, last_frame: 4, status: 'dropped', reason: 'vsock.seq.lost_end', eor: false, truncated: false,
    });
    // The key order of ANALYSIS.md 4's record line.
    expect(Object.keys(r.records[0]!)).toEqual(['type', 'conn', 'dir', 'dialect', 'index', 'msg_cnt', 'msg_len', 'received', 'first_frame', 'last_frame', 'status', 'reason', 'eor', 'truncated']);
    expect(recs(r)).toEqual(['dropped:0', 'delivered:2']);
    expect(r.records[1]!.index).toBe(1);
  });

  test('lost SEQ_END, missed by the capture: fwd_cnt later credits 8 bytes never seen', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 100); // 3
    w.rw('a', 100); // 4
    w.begin('a', 2, 50); // 5
    w.rw('a', 50); // 6
    w.end('a', 3); // 7
    w.credit('b', 182); // 8: 174 seen + the 8 of the missed SEQ_END
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.lost_end@5', 'vsock.credit.fwd_cnt_ahead@8']);
    expect(r.findings[0]!.details).toMatchObject({ lost_by: 'capture', evidence_frame: 8 });
    expect(r.findings[0]!.message).toMatch(/capture missed it.*credits 8 bytes the capture never saw.*delivered the record/);
    expect(r.findings[1]).toMatchObject({ related_frames: [5], details: { ahead: 8, missed: 8 } });
    expect(r.findings[1]!.message).toMatch(/explains vsock\.seq\.lost_end at frame 5/);
    // The event stream is in frame order: lost_end (5), records (5, 7), fwd_cnt_ahead (8), then the end's conn.
    expect(r.events.map((x) => x.type)).toEqual(['anomaly', 'record', 'record', 'anomaly', 'conn']);
  });

  test('a receiver owing the new SEQ_BEGIN does not pass for one that never got the SEQ_END', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 100); // 3
    w.rw('a', 100); // 4: tx 108 (SEQ_END 1 missed by the capture: the receiver got it)
    w.begin('a', 2, 10); // 5: tx 116: lost_end
    w.credit('b', 116); // 6: record 0 read: 108 + the 8 missed. Equal to tx only by coincidence:
    //                        the SEQ_BEGIN of frame 5 is still unread. Record 2 is open: no verdict.
    w.rw('a', 10); // 7: tx 126
    w.end('a', 3); // 8: tx 134
    w.credit('b', 142); // 9: record 2 read: 134 + 8: the capture missed 8 bytes
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.lost_end@5', 'vsock.credit.fwd_cnt_ahead@9']);
    expect(r.findings[0]!.details).toMatchObject({ lost_by: 'capture', evidence_frame: 9 });
  });

  test('capture loss already visible before the loss is detected', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 100); // 3
    w.rw('a', 100); // 4: tx 108
    w.credit('b', 116); // 5: the receiver read the record, SEQ_END included: 8 bytes ahead
    w.begin('a', 2, 1); // 6: lost_end: the capture missed it (frame 5 says so), decided at once
    const events: EngineEvent[] = [];
    const e = new Engine((x) => events.push(x));
    for (const f of w.frames) e.push(f);
    expect(events.map((x) => (x.type === 'anomaly' ? x.finding.code : x.type))).toEqual(['vsock.credit.fwd_cnt_ahead', 'vsock.seq.lost_end', 'record']);
    e.end();
    const r = split(e, events);
    expect(r.findings[1]!.details).toMatchObject({ lost_by: 'capture', evidence_frame: 5 });
  });

  test('undecided loss at the end of the capture; incomplete record', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 100); // 3
    w.rw('a', 100); // 4
    w.begin('a', 2, 50); // 5
    w.rw('a', 50); // 6: the capture ends inside record 2
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.lost_end@5', 'vsock.seq.incomplete@6']);
    expect(r.findings[0]!.details).toMatchObject({ lost_by: 'unknown' });
    expect(r.findings[0]!.message).toMatch(/cannot be told: the capture ended/);
    expect(r.findings[1]).toMatchObject({ severity: 'info', related_frames: [5], details: { msg_cnt: 2, msg_len: 50, received: 50, first_frame: 5 } });
    expect(r.findings[1]!.message).toMatch(/record msg_cnt=2 \(SEQ_BEGIN frame 5, 50 of 50 bytes received\)/);
    expect(recs(r)).toEqual(['dropped:0', 'incomplete:2']);
    expect(r.records[1]).toMatchObject({ first_frame: 5, last_frame: 6, index: 1 });
    expect(r.events.at(-1)).toMatchObject({ type: 'conn', conn: { state: 'established' } });
  });

  test('lost SEQ_BEGIN: one lost_begin per run of orphans, on its first frame, with the run\'s frames and bytes', () => {
    const w = new Wire('seq');
    w.open();
    w.record('a', 0, [10]); // 3-5: tx 26
    // SEQ_BEGIN msg_cnt 2 never arrives.
    w.rw('a', 30); // 6
    w.rw('a', 20); // 7
    w.end('a', 3); // 8: orphan SEQ_END: m = 3, and the orphan record is msg_cnt 2
    w.begin('a', 4, 5); // 9: m + 1 = 4: no gap; the run ends here
    w.rw('a', 5); // 10
    w.end('a', 5); // 11
    w.credit('b', 105); // 12: 26 + 58 + 21: everything seen, nothing more: transport loss
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.lost_begin@6']);
    expect(r.findings[0]).toMatchObject({
      severity: 'error', related_frames: [8],
      details: { frames: 3, bytes: 50, last_frame: 8, msg_cnt: 2, lost_by: 'transport', evidence_frame: 12 },
    });
    expect(r.findings[0]!.message).toMatch(/3 packets from 3:1025 \(frames 6\.\.8, 50 RW payload bytes, closing record msg_cnt=2\)/);
    expect(recs(r)).toEqual(['delivered:0', 'orphan:2', 'delivered:4']);
    expect(r.records[1]).toMatchObject({ msg_len: null, received: 50, first_frame: 6, last_frame: 8, reason: 'vsock.seq.lost_begin', index: 1 });
    expect(r.records[2]!.index).toBe(2);
    // In frame order: record 0 (frame 5), lost_begin (6), orphan (8), record 4 (11).
    expect(r.events.map((x) => (x.type === 'anomaly' ? x.finding.frame : x.type === 'record' ? x.record.last_frame : -1))).toEqual([5, 6, 8, 11, -1]);
  });

  test('a run of RW orphans ended by a SEQ_BEGIN: orphan record without counter, then the gap', () => {
    const w = new Wire('seq');
    w.open();
    w.record('a', 0, [10]); // 3-5: m = 1
    w.rw('a', 7); // 6: orphan
    w.begin('a', 4, 1); // 7: expected m + 1 = 2, got 4: one whole record missing
    w.rw('a', 1); // 8
    w.end('a', 5); // 9
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.lost_begin@6', 'vsock.seq.cnt_gap@7']);
    expect(r.findings[0]!.details).toMatchObject({ frames: 1, bytes: 7, last_frame: 6 });
    expect(r.findings[0]!.details).not.toHaveProperty('msg_cnt');
    expect(r.findings[1]!.details).toMatchObject({ expected: 2, got: 4, lost_records: 1 });
    expect(recs(r)).toEqual(['delivered:0', 'orphan:null', 'lost:2', 'delivered:4']);
    expect(r.records.map((x) => x.index)).toEqual([0, 1, 2, 3]);
  });

  test('RW before the first SEQ_BEGIN of a captured handshake is an orphan (forced v4)', () => {
    const w = new Wire('seq');
    w.open();
    w.rw('a', 10); // 3
    w.record('a', 0, [1]); // 4-6: expected 0: no gap
    const r = run(w.frames, { dialect: 'v4' });
    expect(at(r)).toEqual(['vsock.seq.lost_begin@3']);
    expect(recs(r)).toEqual(['orphan:null', 'delivered:0']);
  });

  test('lost RW: len_mismatch, the record is dropped', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 100); // 3
    w.rw('a', 60); // 4 (an RW of 40 bytes never arrives)
    w.end('a', 1); // 5
    w.credit('b', 76); // 6: 8 + 60 + 8: transport loss
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.len_mismatch@5']);
    expect(r.findings[0]).toMatchObject({ related_frames: [3], details: { expected: 100, received: 60, msg_cnt: 0, lost_by: 'transport' } });
    expect(r.findings[0]!.message).toMatch(/record msg_cnt=0 \(SEQ_BEGIN frame 3, 60 of 100 bytes received\).*40 bytes of its RW data never arrived/);
    expect(r.records[0]).toMatchObject({ status: 'dropped', reason: 'vsock.seq.len_mismatch', received: 60, msg_len: 100 });
  });

  test('more bytes than declared: len_mismatch without loss attribution', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 10);
    w.rw('a', 12);
    w.end('a', 1); // 5
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.len_mismatch@5']);
    expect(r.findings[0]!.details).toEqual({ expected: 10, received: 12, msg_cnt: 0 });
  });

  test('a whole lost record: cnt_gap with lost_records 1 and one lost record', () => {
    const w = new Wire('seq');
    w.open();
    w.record('a', 0, [10]); // 3-5
    // record msg_cnt 2 (BEGIN, RW, END) never arrives
    w.record('a', 4, [10]); // 6-8
    w.credit('b', 52); // 9: 26 + 26
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.cnt_gap@6']);
    expect(r.findings[0]).toMatchObject({ related_frames: [5], details: { expected: 2, got: 4, lost_records: 1, lost_by: 'transport' } });
    expect(r.findings[0]!.message).toMatch(/SEQ_BEGIN msg_cnt=4, expected 2 \(after SEQ_END msg_cnt=1 at frame 5\): 1 whole record \(msg_cnt 2\) never arrived/);
    expect(r.records[1]).toEqual({
      type: 'record', conn: '3:1025-2:5000', dir: '3:1025>2:5000', dialect: 'v4', index: 1, msg_cnt: 2, msg_len: null,
      received: 0, first_frame: null, last_frame: null, status: 'lost', reason: 'vsock.seq.cnt_gap', eor: false, truncated: false,
    });
    expect(r.records.map((x) => [x.status, x.msg_cnt, x.index])).toEqual([['delivered', 0, 0], ['lost', 2, 1], ['delivered', 4, 2]]);
    expect(r.engine.summary().records).toEqual({ delivered: 2, dropped: 0, orphan: 0, lost: 1, incomplete: 0 });
  });

  test('a gap wider than LOST_RECORDS_CAP: that many lost records, the index still advances by the whole gap', () => {
    const gap = LOST_RECORDS_CAP + 10;
    const w = new Wire('seq');
    w.open();
    w.record('a', 0, [10]); // 3-5
    const next = 2 + 2 * gap;
    w.record('a', next, [10]); // 6-8
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.cnt_gap@6']);
    expect(r.findings[0]!.details).toMatchObject({ expected: 2, got: next, lost_records: gap });
    expect(r.findings[0]!.message).toContain(`(msg_cnt 2, 4, ..., ${2 * gap})`);
    const lost = r.records.filter((x) => x.status === 'lost');
    expect(lost).toHaveLength(LOST_RECORDS_CAP);
    expect(lost.at(-1)).toMatchObject({ index: LOST_RECORDS_CAP, msg_cnt: 2 * LOST_RECORDS_CAP });
    expect(r.records.at(-1)).toMatchObject({ status: 'delivered', msg_cnt: next, index: 1 + gap });
    expect(r.engine.summary().records).toMatchObject({ delivered: 2, lost: LOST_RECORDS_CAP });
  });

  test('the first SEQ_BEGIN of a captured handshake must be 0', () => {
    const w = new Wire('seq');
    w.open();
    w.record('a', 2, [1]); // 3
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.cnt_gap@3']);
    expect(r.findings[0]!.details).toMatchObject({ expected: 0, got: 2, lost_records: 1 });
    expect(r.records.map((x) => [x.status, x.msg_cnt, x.index])).toEqual([['lost', 0, 0], ['delivered', 2, 1]]);
  });

  test('lost SEQ_END plus the next SEQ_BEGIN: the END closes the wrong record', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 10); // 3
    w.rw('a', 10); // 4
    // SEQ_END 1 and SEQ_BEGIN 2 (msg_len 20) never arrive; record 2's data joins record 0.
    w.rw('a', 20); // 5
    w.end('a', 3); // 6: expected 1: cnt_mismatch; 30 bytes of 10: len_mismatch (too many: no loss)
    w.record('a', 4, [5]); // 7-9: m = 3, expected 4: no gap
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.cnt_mismatch@6', 'vsock.seq.len_mismatch@6']);
    expect(r.findings[0]).toMatchObject({ severity: 'error', related_frames: [3], details: { expected: 1, got: 3, msg_cnt: 0 } });
    expect(r.findings[0]!.message).toMatch(/SEQ_END of record msg_cnt=2/);
    expect(r.findings[1]!.details).toEqual({ expected: 10, received: 30, msg_cnt: 0 });
    expect(r.records.map((x) => [x.status, x.reason, x.msg_cnt, x.received, x.first_frame, x.last_frame])).toEqual([
      ['dropped', 'vsock.seq.cnt_mismatch', 0, 30, 3, 6],
      ['delivered', undefined, 4, 5, 7, 9],
    ]);
  });

  test('lost SEQ_END and two whole records: lost_end and cnt_gap on one SEQ_BEGIN', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 10); // 3
    w.rw('a', 10); // 4
    w.begin('a', 6, 5); // 5: expected b + 2 = 2, got 6: records 2 and 4 missing
    w.rw('a', 5); // 6
    w.end('a', 7); // 7
    w.credit('b', 47); // 8: 8 + 10 + 8 + 5 + 8 + ... = 39 seen; 47 = 8 more: the capture missed bytes
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.lost_end@5', 'vsock.seq.cnt_gap@5', 'vsock.credit.fwd_cnt_ahead@8']);
    expect(r.findings[1]!.details).toMatchObject({ expected: 2, got: 6, lost_records: 2, lost_by: 'capture' });
    expect(r.findings[1]!.message).toMatch(/2 whole records \(msg_cnt 2, 4\) never arrived/);
    expect(r.findings[2]!.related_frames).toEqual([5]);
    expect(r.records.map((x) => [x.status, x.msg_cnt, x.index])).toEqual([['dropped', 0, 0], ['lost', 2, 1], ['lost', 4, 2], ['delivered', 6, 3]]);
  });

  test('counters out of step: no lost_records', () => {
    const w = new Wire('seq');
    w.open();
    w.record('a', 0, [1]); // 3-5: m = 1
    w.begin('a', 5, 1); // 6: expected 2: 3 ahead, odd
    w.rw('a', 1); // 7
    w.end('a', 6); // 8: m = 6
    w.begin('a', 3, 1); // 9: expected 7: behind
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.cnt_gap@6', 'vsock.seq.cnt_gap@9', 'vsock.seq.incomplete@9']);
    expect(r.findings[0]!.details).toEqual({ expected: 2, got: 5 });
    expect(r.findings[0]!.message).toMatch(/out of step/);
    expect(r.findings[1]!.details).toEqual({ expected: 7, got: 3 });
    expect(recs(r)).toEqual(['delivered:0', 'delivered:5', 'incomplete:3']);
  });

  test('end_len_nonzero: a warning; the record still passes both checks', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 4);
    w.rw('a', 4);
    w.f('a', 'SEQ_END', { cnt: 1, mlen: 9 }); // 5
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.end_len_nonzero@5']);
    expect(r.findings[0]).toMatchObject({ severity: 'warning', details: { msg_len: 9 } });
    expect(recs(r)).toEqual(['delivered:0']);
  });

  test('u32 wrap of msg_cnt (mid-connection, so the first counter is free)', () => {
    const w = new Wire('seq');
    w.begin('a', 0xfffffffc, 1); // 1: midstream; first marker
    w.rw('a', 1);
    w.end('a', 0xfffffffd); // 3
    w.record('a', 0xfffffffe, [1]); // 4-6: END 0xffffffff
    w.begin('a', 0, 1); // 7: m + 1 = 0 (mod 2^32)
    w.rw('a', 1); // 8 (its SEQ_END 1 never arrives)
    w.begin('a', 2, 1); // 9: b + 2 = 2: lost_end only
    w.rw('a', 1);
    w.end('a', 3); // 11
    w.begin('a', 0xffffffff, 1); // 12: expected 4: out of step
    w.rw('a', 1);
    w.end('a', 0); // 14: 0xffffffff + 1 = 0 (mod 2^32): passes
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.midstream@1', 'vsock.seq.lost_end@9', 'vsock.seq.cnt_gap@12']);
    expect(r.findings[1]!.details).toMatchObject({ lost_by: 'unknown' });
    expect(r.findings[1]!.message).toMatch(/started mid-connection/);
    expect(recs(r)).toEqual(['delivered:4294967292', 'delivered:4294967294', 'dropped:0', 'delivered:2', 'delivered:4294967295']);
  });

  test('SEQ_BEGIN declaring msg_len 0xFFFFFFFF allocates nothing; the short record is dropped', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 0xffffffff); // 3
    w.rw('a', 100); // 4
    w.end('a', 1); // 5
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.len_mismatch@5']);
    expect(r.findings[0]!.details).toMatchObject({ expected: 0xffffffff, received: 100 });
    expect(r.records[0]).toMatchObject({ status: 'dropped', msg_len: 4294967295, received: 100 });
  });

  test('unterminated: SHUTDOWN(SEND) or RST while a record is open; the record is dropped', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 100); // 3
    w.rw('a', 50); // 4
    w.shut('a', 2); // 5: a's side closes
    w.begin('b', 0, 10); // 6
    w.rw('b', 5); // 7
    w.rst('a'); // 8: resets with b's record open
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.unterminated@5', 'vsock.seq.unterminated@8']);
    expect(r.findings[0]).toMatchObject({ dir: '3:1025>2:5000', related_frames: [3], details: { msg_cnt: 0, msg_len: 100, received: 50, record_dir: '3:1025>2:5000' } });
    expect(r.findings[0]!.message).toMatch(/SHUTDOWN\(SEND\) from 3:1025 while record msg_cnt=0 \(SEQ_BEGIN frame 3, 50 of 100 bytes received\)/);
    // Attached to a's RST: the frame's direction; the record's is in the details.
    expect(r.findings[1]).toMatchObject({ dir: '3:1025>2:5000', related_frames: [6], details: { record_dir: '2:5000>3:1025', received: 5 } });
    expect(r.records.map((x) => [x.dir, x.status, x.reason, x.last_frame])).toEqual([
      ['3:1025>2:5000', 'dropped', 'vsock.seq.unterminated', 4],
      ['2:5000>3:1025', 'dropped', 'vsock.seq.unterminated', 7],
    ]);
    expect(r.conns[0]!.state).toBe('closed');
  });

  test('incomplete at the end of the capture: after everything else, sorted by the records\' last frames', () => {
    const w = new Wire('seq');
    w.open(); // 1, 2: connection X (a = 3:1025)
    w.req({ aPort: 1026 }); // 3: connection Y (a = 3:1026), created after X
    w.resp({ aPort: 1026 }); // 4
    w.begin('a', 0, 100); // 5: X
    w.begin('a', 0, 100, { aPort: 1026 }); // 6: Y
    w.rw('a', 10, 1, { aPort: 1026 }); // 7: Y's record's last frame
    w.rw('a', 10); // 8: X's record's last frame
    w.begin('b', 0, 10, { t: 1 }); // 9: X, b's record
    w.rw('a', 1, 0, { aPort: 1026, t: 2 }); // 10: Y's record goes on: its last frame is now 10
    const r = run(w.frames);
    // X's records come first in the engine's tables, but the end-of-capture findings are
    // sorted by frame: X a>b (8), X b>a (9), Y a>b (10).
    expect(at(r)).toEqual(['vsock.seq.incomplete@8', 'vsock.seq.incomplete@9', 'vsock.seq.incomplete@10']);
    expect(r.events.map((x) => x.type)).toEqual(['anomaly', 'record', 'anomaly', 'record', 'anomaly', 'record', 'conn', 'conn']);
    expect(r.records.map((x) => [x.dir, x.status, x.received, x.eor, x.last_frame])).toEqual([
      ['3:1025>2:5000', 'incomplete', 10, false, 8],
      ['2:5000>3:1025', 'incomplete', 0, false, 9],
      ['3:1026>2:5000', 'incomplete', 11, true, 10],
    ]);
    expect(r.conns.map((c) => c.id)).toEqual(['3:1025-2:5000', '3:1026-2:5000']);
  });

  test('incomplete: Y\'s earlier record sorts before X\'s', () => {
    const w = new Wire('seq');
    w.open(); // 1, 2: X
    w.req({ aPort: 1026 }); // 3: Y
    w.resp({ aPort: 1026 }); // 4
    w.begin('a', 0, 100); // 5: X
    w.begin('a', 0, 100, { aPort: 1026 }); // 6: Y, last frame 6
    w.rw('a', 10); // 7: X, last frame 7
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.incomplete@6', 'vsock.seq.incomplete@7']);
    expect(r.records.map((x) => x.dir)).toEqual(['3:1026>2:5000', '3:1025>2:5000']);
  });

  test('--rcvbuf: a delivered record longer than the buffer is MSG_TRUNC with copied = rcvbuf', () => {
    const w = new Wire('seq');
    w.open();
    w.record('a', 0, [100]);
    w.record('a', 2, [16]);
    const r = run(w.frames, { rcvbuf: 16 });
    expect(r.records[0]).toMatchObject({ truncated: true, copied: 16, received: 100 });
    expect(r.records[1]).toMatchObject({ truncated: false, received: 16 });
    expect(r.records[1]).not.toHaveProperty('copied');
    expect(Object.keys(r.records[0]!).slice(-3)).toEqual(['eor', 'truncated', 'copied']);
  });

  test('--dialect v7: SEQ_END repeats the SEQ_BEGIN counter, the next SEQ_BEGIN is END + 1', () => {
    const w = new Wire('seq');
    w.open();
    w.begin('a', 0, 10); w.rw('a', 10); w.end('a', 0); // 3-5
    w.begin('a', 1, 5); w.rw('a', 5); w.end('a', 1); // 6-8
    w.begin('a', 2, 5); w.rw('a', 5); // 9, 10 (its SEQ_END never arrives)
    w.begin('a', 3, 5); w.rw('a', 5); w.end('a', 3); // 11-13: b + 1 = 3: lost_end, no gap
    w.begin('a', 6, 5); w.rw('a', 5); // 14, 15: expected 4: records 4 and 5 missing
    w.end('a', 7); // 16: v7 expects 6
    const r = run(w.frames, { dialect: 'v7' });
    expect(at(r)).toEqual(['vsock.seq.lost_end@11', 'vsock.seq.cnt_gap@14', 'vsock.seq.cnt_mismatch@16']);
    expect(r.findings[1]!.details).toMatchObject({ expected: 4, got: 6, lost_records: 2 });
    expect(r.findings[2]!.details).toMatchObject({ expected: 6, got: 7 });
    expect(r.records.map((x) => [x.status, x.msg_cnt, x.index, x.dialect])).toEqual([
      ['delivered', 0, 0, 'v7'], ['delivered', 1, 1, 'v7'], ['dropped', 2, 2, 'v7'], ['delivered', 3, 3, 'v7'],
      ['lost', 4, 4, 'v7'], ['lost', 5, 5, 'v7'], ['dropped', 6, 6, 'v7'],
    ]);
    // The same first record under v4 fails the counter check (END must be BEGIN + 1).
    const v4 = run(w.frames.slice(0, 5));
    expect(at(v4)).toEqual(['vsock.seq.cnt_mismatch@5']);
  });

  test('auto dialect: eom until the first marker, then v4 starting there as if mid-connection', () => {
    const w = new Wire('seq');
    w.open();
    w.rw('a', 10, 1); // 3: no marker yet: an eom message
    w.begin('a', 8, 5); // 4: v4 from here; its counter is not checked
    w.rw('a', 5); // 5
    w.end('a', 9); // 6
    w.rw('b', 3); // 7: b's orphans before its first marker are expected
    w.end('b', 1); // 8
    w.record('b', 2, [1]); // 9-11
    const r = run(w.frames);
    expect(at(r)).toEqual([]);
    expect(r.records.map((x) => [x.dialect, x.status, x.msg_cnt, x.index])).toEqual([
      ['eom', 'delivered', null, 0], ['v4', 'delivered', 8, 1], ['v4', 'delivered', 2, 0],
    ]);
    expect(r.conns[0]!.dialect).toBe('v4');
  });

  test('malformed markers (len != 8) are ignored by reassembly but count for credit', () => {
    const w = new Wire('seq');
    w.req();
    w.resp({ buf: 30 });
    w.begin('a', 0, 10); // 3: tx 8
    w.f('a', 'SEQ_END', { len: 12 }); // 4: vsock.malformed.seq_hdr: ignored; tx 20
    w.rw('a', 10); // 5: tx 30: full, not over
    w.end('a', 1); // 6: tx 38 > 30
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.credit.overrun@6']);
    expect(r.findings[0]!.details).toMatchObject({ in_flight: 38 });
    expect(recs(r)).toEqual(['delivered:0']);
    expect(r.engine.summary().anomalies).toMatchObject({ 'vsock.malformed.seq_hdr': 1, 'vsock.credit.overrun': 1 });
  });
});
