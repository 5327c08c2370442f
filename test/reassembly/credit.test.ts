// ANALYSIS.md 2.3: credit, where the handshake was captured. in flight =
// (tx_sender - fwd_cnt_receiver) mod 2^32 against the receiver's latest buf_alloc; tx counts
// RW len plus 8 per marker. Wire frames are 1 ms apart starting at 1 ms.

import { describe, expect, test } from 'vitest';
import { at, recs, run, Wire } from './wire.js';

describe('credit', () => {
  test('overrun on every RW or marker after which the window is exceeded; the packet stays in its record', () => {
    const w = new Wire('seq');
    w.req(); // 1
    w.resp({ buf: 100 }); // 2: b's window is 100 bytes
    w.begin('a', 0, 100); // 3: tx 8
    w.rw('a', 100); // 4: tx 108 > 100
    w.end('a', 1); // 5: tx 116 > 100
    w.credit('b', 116); // 6: in flight 0
    w.record('a', 2, [10]); // 7-9: 8, 18, 26 <= 100
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.credit.overrun@4', 'vsock.credit.overrun@5']);
    expect(r.findings[0]).toMatchObject({
      severity: 'error', dir: '3:1025>2:5000', related_frames: [2],
      details: { in_flight: 108, buf_alloc: 100, tx_cnt: 108, fwd_cnt: 0, credit_frame: 2 },
    });
    expect(r.findings[0]!.details).not.toHaveProperty('window_shrunk');
    expect(r.findings[0]!.message).toMatch(/may have dropped/);
    expect(recs(r)).toEqual(['delivered:0', 'delivered:2']);
    // Window full (in flight >= 100) from frame 4 (4 ms) to frame 6 (6 ms).
    expect(r.conns[0]!.dirs[0].window_full_s).toBeCloseTo(0.002, 9);
    expect(r.conns[0]!.dirs[1].window_full_s).toBe(0);
  });

  test('window_shrunk: exceeded only because the receiver lowered buf_alloc after the sender\'s previous packet', () => {
    const w = new Wire('seq');
    w.req(); // 1
    w.resp({ buf: 1000 }); // 2
    w.begin('a', 0, 600); // 3: tx 8
    w.rw('a', 500); // 4: tx 508 <= 1000
    w.credit('b', 0, { buf: 400 }); // 5: b shrinks its buffer: 508 >= 400, window full
    w.rw('a', 100); // 6: tx 608 > 400, but <= 1000 (the value at a's previous packet, frame 4): crossed
    w.end('a', 1); // 7: tx 616 > 400; a's previous packet (6) is after the shrink: a plain overrun
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.credit.overrun@6', 'vsock.credit.overrun@7']);
    expect(r.findings[0]!.details).toMatchObject({ in_flight: 608, buf_alloc: 400, window_shrunk: true, shrink_frame: 5, previous_buf_alloc: 1000 });
    expect(r.findings[0]!.related_frames).toEqual([5]);
    expect(r.findings[0]!.message).toMatch(/lowered buf_alloc from 1000 to 400 at frame 5/);
    expect(r.findings[1]!.details).not.toHaveProperty('window_shrunk');
  });

  test('a shrink that still leaves the sender over the old window is a plain overrun', () => {
    const w = new Wire('stream');
    w.req();
    w.resp({ buf: 1000 }); // 2
    w.rw('a', 900); // 3
    w.credit('b', 0, { buf: 500 }); // 4
    w.rw('a', 200); // 5: 1100 > 1000 too: not "only because" of the shrink
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.credit.overrun@5']);
    expect(r.findings[0]!.details).not.toHaveProperty('window_shrunk');
  });

  test('fwd_cnt_regression', () => {
    const w = new Wire('stream');
    w.open();
    w.rw('a', 100); // 3
    w.credit('b', 100); // 4
    w.credit('b', 60); // 5: back by 40
    w.credit('b', 100); // 6: forward again: fine
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.credit.fwd_cnt_regression@5']);
    expect(r.findings[0]).toMatchObject({ severity: 'error', dir: '2:5000>3:1025', related_frames: [4], details: { previous: 100, fwd_cnt: 60, previous_frame: 4 } });
  });

  test('fwd_cnt_ahead: first exceeds, or exceeds by more than before, the bytes the capture saw', () => {
    const w = new Wire('stream');
    w.req();
    w.resp({ buf: 100 });
    w.rw('a', 100); // 3: tx 100
    w.credit('b', 150); // 4: 50 bytes the capture never saw
    w.credit('b', 150); // 5: same: nothing new
    w.rw('a', 100); // 6: tx 200; with the 50 missed bytes in flight is 250 - 150 = 100: not over 100
    w.credit('b', 250); // 7: still 50 ahead
    w.credit('b', 260); // 8: 60 ahead: 10 more
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.credit.fwd_cnt_ahead@4', 'vsock.credit.fwd_cnt_ahead@8']);
    expect(r.findings[0]).toMatchObject({ severity: 'warning', dir: '2:5000>3:1025', details: { fwd_cnt: 150, tx_cnt: 100, ahead: 50, missed: 50 } });
    expect(r.findings[1]!.details).toMatchObject({ ahead: 60, missed: 10 });
    expect(r.findings[0]!.message).toMatch(/capture itself missed 50 bytes/);
    // Window full (in flight >= 100) over frames 3..4 and 6..7; with the missed bytes counted
    // as sent, fwd_cnt ahead of the captured tx never makes in flight negative (huge mod 2^32).
    expect(r.conns[0]!.dirs[0].window_full_s).toBeCloseTo(0.002, 9);
  });

  test('u32 wrap of tx_cnt and fwd_cnt is neither regression nor overrun', () => {
    // Counters compare as serial numbers (RFC 1982): a step below 2^31 forward is forward,
    // also across the wrap. Each step here is below 2^31.
    const w = new Wire('stream', [3, 1025], [2, 5000], 0xffffffff);
    w.open(); // both advertise buf_alloc 2^32 - 1
    w.rw('a', 0x7fffff00, 0, { captured: 0 }); // 3: tx 0x7fffff00 (payload not captured: the decoder's business)
    w.credit('b', 0x7fffff00); // 4
    w.rw('a', 0x7fffff00, 0, { captured: 0 }); // 5: tx 0xfffffe00
    w.credit('b', 0xfffffe00); // 6
    w.rw('a', 0x300, 0, { captured: 0 }); // 7: tx wraps to 0x100; in flight (0x100 - 0xfffffe00) mod 2^32 = 0x300
    w.credit('b', 0x100); // 8: +0x300 mod 2^32: forward, and equal to tx: not ahead
    const r = run(w.frames);
    expect(at(r)).toEqual([]);
    expect(r.engine.summary()).toMatchObject({ malformed: 3, anomalies: { 'vsock.malformed.payload_len': 3 } });
    expect(r.conns[0]!.dirs[0].bytes).toBe(2 * 0x7fffff00 + 0x300);
  });

  test('fwd_cnt going back across the wrap is a regression', () => {
    const w = new Wire('stream', [3, 1025], [2, 5000], 0xffffffff);
    w.open();
    w.rw('a', 0x7fffff00, 0, { captured: 0 }); // 3
    w.credit('b', 0x7fffff00); // 4
    w.rw('a', 0x7fffff00, 0, { captured: 0 }); // 5: tx 0xfffffe00
    w.credit('b', 0xfffffe00); // 6
    w.rw('a', 0x300, 0, { captured: 0 }); // 7: tx 0x100 (wrapped)
    w.credit('b', 0x100); // 8: forward across the wrap
    w.credit('b', 0xfffffff0); // 9: back by 0x110 across the wrap: regression (and not ahead)
    w.credit('b', 0x100); // 10: forward again
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.credit.fwd_cnt_regression@9']);
    expect(r.findings[0]!.details).toMatchObject({ previous: 0x100, fwd_cnt: 0xfffffff0, previous_frame: 8 });
  });

  test('no credit analysis before the receiver advertised anything, or after the RST', () => {
    const w = new Wire('stream');
    w.req({ buf: 10 }); // 1: a's window (for b's data) is 10
    w.rw('b', 100); // 2: before RESPONSE: unexpected_op, but a's window is known: overrun
    w.rw('a', 100); // 3: b advertised nothing yet: no check
    w.resp({ buf: 1 }); // 4
    w.rst('b'); // 5
    w.credit('b', 5); // 6: after the RST: no credit checks at all
    const r = run(w.frames);
    expect(at(r)).toEqual(['vsock.conn.unexpected_op@2', 'vsock.credit.overrun@2', 'vsock.conn.unexpected_op@3']);
  });
});
