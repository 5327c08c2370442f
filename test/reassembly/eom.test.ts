// ANALYSIS.md 2.5 and 3: the merged (Linux 5.14+) dialect. A message is every RW up to
// and including the first with EOM (bit 0); EOR (bit 1) on that RW sets `eor`.

import { describe, expect, test } from 'vitest';
import { at, recs, run, Wire } from './wire.js';

const EOM = 1;
const EOR = 2;

describe('merged dialect (EOM/EOR)', () => {
  test('messages: packets up to and including EOM; eor from the EOM packet', () => {
    const w = new Wire('seq');
    w.open();
    w.rw('a', 100); // 3
    w.rw('a', 50, EOM | EOR); // 4
    w.rw('a', 10, EOM); // 5
    w.rw('b', 7, EOM | EOR); // 6
    const r = run(w.frames);
    expect(at(r)).toEqual([]);
    expect(r.records[0]).toEqual({
      type: 'record', conn: '3:1025-2:5000', dir: '3:1025>2:5000', dialect: 'eom', index: 0, msg_cnt: null, msg_len: null,
      received: 150, first_frame: 3, last_frame: 4, status: 'delivered', eor: true, truncated: false,
    });
    expect(r.records.map((x) => [x.dir, x.index, x.received, x.eor])).toEqual([
      ['3:1025>2:5000', 0, 150, true], ['3:1025>2:5000', 1, 10, false], ['2:5000>3:1025', 0, 7, true],
    ]);
    expect(r.conns[0]!.dialect).toBe('eom');
  });

  test('vhost fragments (EOM on the last only) and the 6.1 tap bug: reassembled from the header len', () => {
    const w = new Wire('seq');
    w.open();
    w.rw('b', 3732, 0, { captured: 7000 }); // 3: captured more than len (kernel tap bug)
    w.rw('b', 3732); // 4
    w.rw('b', 100, EOM | EOR); // 5
    const r = run(w.frames);
    expect(at(r)).toEqual([]);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ received: 3732 + 3732 + 100, first_frame: 3, last_frame: 5, eor: true });
    expect(r.engine.summary()).toMatchObject({ malformed: 1, anomalies: { 'vsock.malformed.payload_len': 1 } });
    expect(r.conns[0]!.dirs[1].bytes).toBe(7564);
  });

  test('eor_without_eom: a warning; the message goes on', () => {
    const w = new Wire('seq');
    w.open();
    w.rw('a', 10, EOR); // 3
    w.rw('a', 5, EOM); // 4
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.eor_without_eom@3']);
    expect(r.findings[0]).toMatchObject({ severity: 'warning', details: { flags: 2 } });
    expect(r.records.map((x) => [x.received, x.first_frame, x.eor])).toEqual([[15, 3, false]]);
  });

  test('msg_too_big: the message is longer than the receiver\'s latest buf_alloc', () => {
    const w = new Wire('seq');
    w.req();
    w.resp({ buf: 100 }); // 2
    w.rw('a', 60); // 3: in flight 60
    w.credit('b', 60); // 4: in flight 0
    w.rw('a', 90, EOM); // 5: in flight 90 <= 100, but the message is 150 > 100
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.msg_too_big@5']);
    expect(r.findings[0]).toMatchObject({ severity: 'warning', related_frames: [3], details: { length: 150, buf_alloc: 100, first_frame: 3 } });
    expect(recs(r)).toEqual(['delivered:null']);
  });

  test('flags_on_stream: EOM/EOR bits on a STREAM connection; no records on STREAM', () => {
    const w = new Wire('stream');
    w.open();
    w.rw('a', 10, EOM); // 3
    w.rw('a', 10); // 4
    w.rw('b', 10, EOR); // 5
    w.rw('a', 10, 4); // 6: bit 2 is not EOM/EOR
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.flags_on_stream@3', 'vsock.seq.flags_on_stream@5']);
    expect(r.records).toEqual([]);
    expect(r.conns[0]!.dialect).toBeNull();
  });

  test('unterminated: SHUTDOWN(SEND) or RST with a message open; the message is dropped', () => {
    const w = new Wire('seq');
    w.open();
    w.rw('a', 10); // 3
    w.shut('a', 2); // 4: SEND only: b may still send
    w.rw('b', 10); // 5
    w.rst('b'); // 6
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.unterminated@4', 'vsock.seq.unterminated@6']);
    expect(r.findings[0]!.message).toMatch(/SHUTDOWN\(SEND\) from 3:1025 while the message starting at frame 3 \(10 bytes received\)/);
    expect(r.findings[0]!.details).toEqual({ received: 10, first_frame: 3, record_dir: '3:1025>2:5000' });
    expect(r.records.map((x) => [x.dir, x.status, x.reason, x.msg_cnt])).toEqual([
      ['3:1025>2:5000', 'dropped', 'vsock.seq.unterminated', null],
      ['2:5000>3:1025', 'dropped', 'vsock.seq.unterminated', null],
    ]);
  });

  test('incomplete at the end of the capture', () => {
    const w = new Wire('seq');
    w.open();
    w.rw('a', 10, EOM); // 3
    w.rw('a', 4); // 4
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.seq.incomplete@4']);
    expect(recs(r)).toEqual(['delivered:null', 'incomplete:null']);
    expect(r.records[1]).toMatchObject({ received: 4, first_frame: 4, last_frame: 4, eor: false, index: 1 });
  });

  test('--rcvbuf truncates eom messages too', () => {
    const w = new Wire('seq');
    w.open();
    w.rw('a', 100, EOM);
    expect(run(w.frames, { rcvbuf: 64 }).records[0]).toMatchObject({ truncated: true, copied: 64, received: 100 });
  });

  test('mid-connection: the packets up to the first EOM may be a tail, so they are not a message', () => {
    const w = new Wire('seq');
    w.rw('a', 10); // 1: midstream
    w.rw('a', 5, EOM); // 2: ends what may be a tail
    w.rw('a', 7, EOM); // 3: a whole message
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.midstream@1']);
    expect(r.records.map((x) => [x.received, x.first_frame, x.index])).toEqual([[7, 3, 0]]);
  });

  test('--dialect eom: markers are not records', () => {
    const w = new Wire('seq');
    w.open();
    w.record('a', 0, [10]); // 3-5: RW without EOM
    w.rw('a', 1, EOM); // 6
    const r = run(w.frames, { dialect: 'eom' });
    expect(at(r)).toEqual([]);
    expect(r.records.map((x) => [x.dialect, x.received, x.first_frame, x.last_frame])).toEqual([['eom', 11, 4, 6]]);
  });
});
