// Event order and the hold-back cap: a lost_begin is attached to the first orphan of its
// run but only complete when the run ends, so later events wait; past HOLD_CAP held
// events it is emitted with the figures so far (details.partial) and never again.

import { describe, expect, test } from 'vitest';
import { Engine, HOLD_CAP, type EngineEvent } from '../../src/reassembly/index.js';
import { at, recs, run, split, Wire } from './wire.js';

/** Frames 1-9: connections X (3:1025) and Y (3:7) open; X's record 0, then record 2 begun, whose SEQ_END never arrives. */
function twoConnections(): Wire {
  const w = new Wire('seq');
  w.open(); // 1, 2: X
  w.req({ aPort: 7 }); // 3: Y
  w.resp({ aPort: 7 }); // 4
  w.record('a', 0, [10]); // 5-7: X
  w.begin('a', 2, 10); // 8: X
  w.rw('a', 10); // 9
  return w;
}

describe('holding back events', () => {
  test('a run open past HOLD_CAP held events is reported once, partial', () => {
    const w = new Wire('seq');
    w.open(); // 1, 2: connection X (3:1025)
    w.record('a', 0, [1]); // 3-5: X is v4
    w.rw('a', 10); // 6: orphan: X's run opens; its lost_begin holds everything after it
    w.req({ aPort: 7 }); // 7: connection Y (3:7)
    w.resp({ aPort: 7 }); // 8
    const messages = HOLD_CAP + 100;
    for (let i = 0; i < messages; i++) w.rw('a', 1, 1, { aPort: 7 }); // 9..: one eom message (one record event) each
    const more = w.rw('a', 5); // X: the run goes on
    const begin = w.begin('a', 2, 1); // X: the run ends
    w.rw('a', 1);
    w.end('a', 3);

    const events: EngineEvent[] = [];
    const e = new Engine((x) => events.push(x));
    // Held: the lost_begin slot plus Y's records; the cap is passed by the record of frame
    // 9 + HOLD_CAP - 1 (HOLD_CAP records + the slot > HOLD_CAP).
    const lastHeld = 9 + HOLD_CAP - 2;
    for (const f of w.frames.slice(0, lastHeld)) e.push(f);
    expect(events).toHaveLength(1); // X's record 0 (frame 5), before the run
    e.push(w.frames[lastHeld]!);
    expect(events).toHaveLength(2 + HOLD_CAP);
    expect(events[1]).toMatchObject({ type: 'anomaly', finding: { code: 'vsock.seq.lost_begin', frame: 6 } });
    for (const f of w.frames.slice(lastHeld + 1)) e.push(f);
    e.end();
    const r = split(e, events);
    expect(at(r)).toEqual(['vsock.seq.lost_begin@6']);
    const lb = r.findings[0]!;
    expect(lb.details).toMatchObject({ frames: 1, bytes: 10, last_frame: 6, partial: true, lost_by: 'unknown' });
    expect(lb.message).toMatch(new RegExp(`still open after ${HOLD_CAP} held-back events`));
    // The run's RWs still make one orphan record, decided by the SEQ_BEGIN that ended it.
    const xs = r.records.filter((x) => x.dir === '3:1025>2:5000');
    expect(xs.map((x) => [x.status, x.msg_cnt, x.received, x.first_frame, x.last_frame])).toEqual([
      ['delivered', 0, 1, 3, 5], ['orphan', null, 15, 6, more], ['delivered', 2, 1, begin, begin + 2],
    ]);
    expect(r.records.filter((x) => x.dir === '3:7>2:5000')).toHaveLength(messages);
    expect(recs(r).slice(0, 2)).toEqual(['delivered:0', 'delivered:null']);

    // A consumer that reads no records or conn events (check) gets the same findings: the
    // events it skips still count toward the cap.
    const quiet = run(w.frames, { records: false, conns: false });
    expect(quiet.records).toEqual([]);
    expect(quiet.findings).toEqual(r.findings);
  });

  test('liveConns keeps an instance that ended while its conn event is held back', () => {
    const w = twoConnections();
    w.begin('a', 4, 1); // 10: X: lost_end, open until fwd_cnt tells who lost it
    w.f('b', 'RST', { aPort: 7 }); // 11: Y ends; its conn event waits behind the lost_end
    w.rw('a', 1); // 12: X
    w.end('a', 5); // 13
    const credit = w.credit('b', 26 + 8 + 10 + 8 + 1 + 8); // 14: the lost_end is decided, Y's event goes out
    const events: EngineEvent[] = [];
    const e = new Engine((x) => events.push(x));
    const conns = () => split(e, events).conns.map((c) => c.id);
    const live = () => e.liveConns().map((c) => [c.id, c.state]);
    for (const f of w.frames.slice(0, 11)) e.push(f);
    expect(conns()).toEqual([]);
    expect(live()).toEqual([['3:1025-2:5000', 'established'], ['3:7-2:5000', 'reset']]);
    for (const f of w.frames.slice(11, credit)) e.push(f);
    expect(conns()).toEqual(['3:7-2:5000']);
    expect(live()).toEqual([['3:1025-2:5000', 'established']]);
  });

  test('events of other connections wait behind an open finding, in frame order', () => {
    const w = twoConnections();
    w.rw('a', 3, 1, { aPort: 7 }); // 10: Y's message
    w.begin('a', 4, 1); // 11: X: lost_end, open until fwd_cnt tells who lost it
    w.rw('a', 4, 1, { aPort: 7 }); // 12: Y's message: held
    w.rw('a', 1); // 13: X
    w.end('a', 5); // 14: X at a record boundary again
    w.credit('b', 26 + 8 + 10 + 8 + 1 + 8); // 15: X's receiver credits every byte seen, nothing more: transport
    const r = (() => {
      const events: EngineEvent[] = [];
      const e = new Engine((x) => events.push(x));
      for (const f of w.frames) e.push(f);
      e.end();
      return split(e, events);
    })();
    const frameOf = (x: EngineEvent): number => x.type === 'anomaly' ? x.finding.frame : x.type === 'record' ? x.record.last_frame ?? 0 : Infinity;
    const order = r.events.map(frameOf);
    // 7: X's record 0; 10: Y's message; 11: lost_end, held until 15; 9: record 2, dropped at 11
    // (its last frame is 9); 12: Y's message, held; 14: X's record 4; at the end both connections.
    expect(order).toEqual([7, 10, 11, 9, 12, 14, Infinity, Infinity]);
    expect(at(r)).toEqual(['vsock.seq.lost_end@11']);
    expect(r.findings[0]!.details).toMatchObject({ lost_by: 'transport', evidence_frame: 15 });
  });
});
