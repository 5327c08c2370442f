// The synth scenarios. Each one scripts Linux-like traffic, injects its faults, and
// states by hand (in `expect` and in the comments beside the injection) what a correct
// analyser must report because of them. The frame-level attribution of those findings
// follows mechanically from which packets reached the capture (model.ts);
// generateScenario fails when the two disagree.
//
// Shared model facts the reasoning below relies on:
//  - a record "lost in transport" never reaches the receiver and is not in the capture;
//    the receiver's fwd_cnt therefore never credits it (no vsock.credit.fwd_cnt_ahead);
//  - a packet "lost in the capture" reached the receiver, which credits it when its
//    application reads: the first CREDIT_UPDATE after that read carries a fwd_cnt above
//    what the capture saw the sender send (vsock.credit.fwd_cnt_ahead there);
//  - the RFC-v4 receiver credits everything it dequeues, dropped records and orphans
//    included, so fwd_cnt never exceeds what it received;
//  - clean traffic respects credit, counters run 0,1 / 2,3 / ..., every record is
//    delivered, and nothing is reported.

import type { FindingCode } from '../dissect/findings.js';
import type { Conn, RecordStatus, Sim } from './model.js';
import type { Rng } from './prng.js';

const GUEST = 3;
const HOST = 2;
const LOCAL = 1;

export interface Expectation {
  /** Every finding code the scenario triggers, with its count (all others: none). */
  readonly findings: Partial<Record<FindingCode, number>>;
  /** Records that are not `delivered`, by status (all others: none). */
  readonly records?: Partial<Record<Exclude<RecordStatus, 'delivered'>, number>>;
}

export interface ScenarioDef {
  readonly name: string;
  readonly description: string;
  /** The SEQPACKET dialect of the scenario ("auto": none, or both). */
  readonly dialect: 'v4' | 'eom' | 'auto';
  readonly expect: Expectation;
  build(sim: Sim): void;
}

/** Distinct ephemeral ports for one scenario. */
class Ports {
  private readonly used = new Set<number>();
  constructor(private readonly rng: Rng) {}
  next(): number {
    for (;;) {
      const p = this.rng.int(32768, 60999);
      if (!this.used.has(p)) {
        this.used.add(p);
        return p;
      }
    }
  }
}

/** Runs connection scripts interleaved: each `yield` ends one exchange. */
function interleave(sim: Sim, scripts: Generator<void, void, void>[]): void {
  const live = [...scripts];
  while (live.length > 0) {
    const i = sim.rng.int(0, live.length - 1);
    sim.pause();
    if (live[i]!.next().done) live.splice(i, 1);
  }
}

/** Client records, each answered by a server record when `echo`. */
function* v4Traffic(
  sim: Sim, c: Conn, n: number,
  size: () => number, opts: { echo?: boolean; reply?: () => number; eor?: number; closer?: 'client' | 'server' } = {},
): Generator<void, void, void> {
  const rng = sim.rng;
  c.connect();
  yield;
  for (let i = 0; i < n; i++) {
    c.record(c.a, size(), { eor: rng.chance(opts.eor ?? 0.5) });
    if (opts.echo) {
      sim.tick(30, 300);
      c.record(c.b, (opts.reply ?? size)(), { eor: rng.chance(opts.eor ?? 0.5) });
    }
    yield;
  }
  c.close(opts.closer === 'server' ? c.b : c.a);
}

function* eomTraffic(
  sim: Sim, c: Conn, n: number,
  size: () => number, opts: { echo?: boolean; reply?: () => number; closer?: 'client' | 'server' } = {},
): Generator<void, void, void> {
  const rng = sim.rng;
  c.connect();
  yield;
  for (let i = 0; i < n; i++) {
    c.message(c.a, size(), { eor: rng.chance(0.5) });
    if (opts.echo) {
      sim.tick(30, 300);
      c.message(c.b, (opts.reply ?? size)(), { eor: rng.chance(0.5) });
    }
    yield;
  }
  c.close(opts.closer === 'server' ? c.b : c.a);
}

function run(script: Generator<void, void, void>): void {
  while (!script.next().done) {
    /* one exchange */
  }
}

/**
 * One v4 connection of `n` client records of random sizes; `faults[i]` are the options
 * of record i (its injected faults), `sizes[i]` fixes record i's length.
 */
function faultConn(
  sim: Sim, ports: Ports, n: number,
  faults: Record<number, Parameters<Conn['record']>[2]>, sizes: Record<number, number> = {},
): Conn {
  const rng = sim.rng;
  const c = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 5000], dialect: 'v4' });
  c.connect();
  for (let i = 0; i < n; i++) {
    sim.pause();
    c.record(c.a, sizes[i] ?? rng.logInt(1, 60000), { eor: rng.chance(0.5), ...faults[i] });
  }
  c.close(c.a);
  return c;
}

/** Capture loss and transport loss of the same packets (two scenarios, same traffic). */
function lossPair(sim: Sim, kind: 'capture' | 'transport'): void {
  const ports = new Ports(sim.rng);
  faultConn(sim, ports, 10, {
    // Record 3's SEQ_END is lost. In the capture: record 3 is still open when record 4's
    // SEQ_BEGIN (counter 8 = 6 + 2, so no cnt_gap) arrives: vsock.seq.lost_end there,
    // record 3 dropped (reason lost_end).
    //  - capture loss: the receiver got the END, delivered record 3 and credited its
    //    L + 16 bytes; its CREDIT_UPDATE right after carries fwd_cnt 8 above what the
    //    capture saw: vsock.credit.fwd_cnt_ahead on that CREDIT_UPDATE.
    //  - transport loss: the receiver drops record 3 when record 4's BEGIN arrives and
    //    credits only what it received, which the capture saw too: nothing more.
    3: { end: kind },
    // Record 6 (100000 bytes: RWs of 65536 and 34464) loses its second RW. In the capture
    // its SEQ_END finds 65536 of 100000 bytes: vsock.seq.len_mismatch, record dropped.
    //  - capture loss: the receiver delivers it and credits all 100016 bytes; the next
    //    CREDIT_UPDATE exceeds the capture by 8 + 34464, more than before:
    //    a second vsock.credit.fwd_cnt_ahead.
    //  - transport loss: the receiver drops it too (len mismatch), crediting only what
    //    it got: nothing more.
    6: { rw: (i) => (i === 1 ? kind : 'ok') },
  }, { 6: 100000 });
}

export const SCENARIO_DEFS: readonly ScenarioDef[] = [
  {
    name: 'clean-v4',
    description: 'RFC-v4 SEQPACKET on four connections (echo, host-initiated bulk up to 400 KiB with credit waits, slow reader, MSG_EOR): no faults',
    dialect: 'v4',
    // Linux senders and receivers, nothing lost: every record delivered, no findings.
    expect: { findings: {} },
    build(sim) {
      const rng = sim.rng;
      const ports = new Ports(rng);
      const echo = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 5000], dialect: 'v4' });
      const bulk = sim.conn({ client: [HOST, ports.next()], server: [GUEST, 6000], dialect: 'v4' });
      const slow = sim.conn({ client: [LOCAL, ports.next()], server: [LOCAL, 5001], dialect: 'v4', serverReader: 'lazy' });
      const eor = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 5002], dialect: 'v4' });
      const bulkSizes = [1, 350000, ...Array.from({ length: 6 }, () => rng.logInt(1000, 300000))];
      interleave(sim, [
        v4Traffic(sim, echo, 12, () => rng.logInt(1, 20000), { echo: true, reply: () => rng.logInt(1, 4000) }),
        v4Traffic(sim, bulk, bulkSizes.length, () => bulkSizes.shift()!),
        v4Traffic(sim, slow, 12, () => 32768, { eor: 0 }),
        v4Traffic(sim, eor, 20, () => rng.logInt(1, 2000), { eor: 1, closer: 'server' }),
      ]);
    },
  },
  {
    name: 'lost-end',
    description: 'one SEQ_END lost in transport',
    dialect: 'v4',
    // Record 4's SEQ_END never arrives (transport: not captured, never received). Record 4
    // is open when record 5's SEQ_BEGIN (counter 10 = 8 + 2: no cnt_gap) arrives:
    // lost_end there; record 4 dropped. The receiver dropped it too, crediting only what
    // it got: no credit finding.
    expect: { findings: { 'vsock.seq.lost_end': 1 }, records: { dropped: 1 } },
    build(sim) {
      faultConn(sim, new Ports(sim.rng), 10, { 4: { end: 'transport' } });
    },
  },
  {
    name: 'lost-begin',
    description: 'one SEQ_BEGIN lost in transport',
    dialect: 'v4',
    // Record 4's SEQ_BEGIN is lost: its RWs and SEQ_END arrive while no record is open.
    // One run of orphans: lost_begin on its first RW, one orphan record. The orphan END
    // sets the last counter to 9, so record 5's BEGIN (10) is as expected: no cnt_gap.
    expect: { findings: { 'vsock.seq.lost_begin': 1 }, records: { orphan: 1 } },
    build(sim) {
      faultConn(sim, new Ports(sim.rng), 10, { 4: { begin: 'transport' } });
    },
  },
  {
    name: 'lost-rw',
    description: 'one RW of a three-RW record lost in transport',
    dialect: 'v4',
    // Record 3 is 150000 bytes (RWs 65536, 65536, 18928); the second RW is lost. Its
    // SEQ_END finds 84464 of 150000 bytes: len_mismatch, record dropped (the kernel drops
    // it too). Counters are intact: nothing else.
    expect: { findings: { 'vsock.seq.len_mismatch': 1 }, records: { dropped: 1 } },
    build(sim) {
      faultConn(sim, new Ports(sim.rng), 8, { 3: { rw: (i) => (i === 1 ? 'transport' : 'ok') } }, { 3: 150000 });
    },
  },
  {
    name: 'lost-record',
    description: 'a whole record (BEGIN, data, END) lost in transport',
    dialect: 'v4',
    // Record 4 (counters 8/9) vanishes. Record 5's BEGIN has counter 10 where 8 was
    // expected: cnt_gap with lost_records 1, and one `lost` record (msg_cnt 8, the
    // length the sender chose, no frames). The kernel never notices.
    expect: { findings: { 'vsock.seq.cnt_gap': 1 }, records: { lost: 1 } },
    build(sim) {
      faultConn(sim, new Ports(sim.rng), 10, { 4: { all: 'transport' } });
    },
  },
  {
    name: 'lost-end-and-begin',
    description: "a SEQ_END and the next record's SEQ_BEGIN lost in transport",
    dialect: 'v4',
    // Record 3's END and record 4's BEGIN are lost: record 4's RWs join the still-open
    // record 3, and record 4's END (counter 9) closes it: 9 - 6 != 1 (cnt_mismatch) and
    // L3 + L4 bytes != L3 (len_mismatch), both on that END. Record 3 is dropped (reason:
    // the counter). Record 4 never appears as a record of its own; record 5's BEGIN (10)
    // follows END 9: no cnt_gap.
    expect: { findings: { 'vsock.seq.cnt_mismatch': 1, 'vsock.seq.len_mismatch': 1 }, records: { dropped: 1 } },
    build(sim) {
      faultConn(sim, new Ports(sim.rng), 8, { 3: { end: 'transport' }, 4: { begin: 'transport' } });
    },
  },
  {
    name: 'counter-skew',
    description: 'faulty senders: a counter that skips, one that repeats, a wrong SEQ_END counter, a SEQ_END with msg_len != 0',
    dialect: 'v4',
    expect: {
      findings: { 'vsock.seq.cnt_gap': 3, 'vsock.seq.cnt_mismatch': 1, 'vsock.seq.end_len_nonzero': 1 },
      records: { lost: 1, dropped: 1 },
    },
    build(sim) {
      const rng = sim.rng;
      const ports = new Ports(rng);
      const mk = (port: number) => sim.conn({ client: [GUEST, ports.next()], server: [HOST, port], dialect: 'v4' });
      const size = () => rng.logInt(1, 20000);
      function* script(c: Conn, faults: Record<number, Parameters<Conn['record']>[2]>): Generator<void, void, void> {
        c.connect();
        yield;
        for (let i = 0; i < 6; i++) {
          c.record(c.a, size(), { eor: rng.chance(0.5), ...faults[i] });
          yield;
        }
        c.close(c.a);
      }
      interleave(sim, [
        // Skip: record 2 starts at 6 instead of 4: cnt_gap (expected 4, got 6,
        // lost_records 1) and one lost record with msg_cnt 4 and msg_len null (there was
        // no such record). The kernel does not check: delivered. Counters go on from 8.
        script(mk(5000), { 2: { beginCnt: 6 } }),
        // Repeat: record 2 reuses 2/3: cnt_gap (expected 4, got 2: no lost_records);
        // delivered (END = BEGIN + 1, length right). Record 3 starts at 4 = 3 + 1: fine.
        script(mk(5001), { 2: { beginCnt: 2 } }),
        // Wrong END counter: record 1 ends with END 2 (= its BEGIN): cnt_mismatch, dropped.
        // The last counter is then 2, and record 2's BEGIN 4 != 3: cnt_gap (no
        // lost_records: (4 - 3) / 2 is not whole).
        script(mk(5002), { 1: { endCnt: 2 } }),
        // END with msg_len 1234: end_len_nonzero; both checks pass: delivered.
        script(mk(5003), { 1: { endLen: 1234 } }),
      ]);
    },
  },
  {
    name: 'capture-loss',
    description: 'a SEQ_END and an RW missing from the capture but received (compare transport-loss)',
    dialect: 'v4',
    // See lossPair: lost_end and len_mismatch as in transport-loss, plus fwd_cnt_ahead on
    // the receiver's CREDIT_UPDATE after each of the two records.
    expect: {
      findings: { 'vsock.seq.lost_end': 1, 'vsock.seq.len_mismatch': 1, 'vsock.credit.fwd_cnt_ahead': 2 },
      records: { dropped: 2 },
    },
    build(sim) {
      lossPair(sim, 'capture');
    },
  },
  {
    name: 'transport-loss',
    description: 'the same SEQ_END and RW as capture-loss, lost in transport (never received)',
    dialect: 'v4',
    // See lossPair: the same seq findings and records as capture-loss, no credit finding.
    expect: { findings: { 'vsock.seq.lost_end': 1, 'vsock.seq.len_mismatch': 1 }, records: { dropped: 2 } },
    build(sim) {
      lossPair(sim, 'transport');
    },
  },
  {
    name: 'credit-overrun',
    description: 'a sender ignoring the credit window of a 64 KiB receiver',
    dialect: 'v4',
    expect: { findings: { 'vsock.credit.overrun': 7 } },
    build(sim) {
      const ports = new Ports(sim.rng);
      const c = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 5003], dialect: 'v4', serverBuf: 65536 });
      c.connect();
      // A well-behaved record first: 2016 bytes sent and credited back.
      c.record(c.a, 2000);
      sim.pause();
      // The receiver stops reading; a faulty sender pushes a 100000-byte record in 32 KiB
      // RWs without waiting for credit. In flight after each packet (buf_alloc 65536):
      // BEGIN 8, RW 32776, RW 65544 (overrun), RW 98312 (overrun), RW 1696 -> 100008
      // (overrun), END 100016 (overrun): 4 overruns. The receiver's kernel drops the two
      // middle RWs (queue 32776 + 32768 > 65536) and keeps the rest. The observer cannot
      // know that: the record stays delivered in the truth.
      c.b.reader = 'manual';
      c.record(c.a, 100000, { ignoreCredit: true, maxChunk: 32768 });
      sim.pause();
      // The receiver reads: the kernel drops the record (34464 of 100000 bytes) and
      // credits the 34480 bytes it had: CREDIT_UPDATE fwd_cnt 36496. In flight is now
      // 102032 - 36496 = 65536, not above buf_alloc.
      c.consume(c.b, true);
      c.b.reader = 'eager';
      sim.pause();
      // The faulty sender goes on: a 1000-byte record, every packet over the window
      // (65544, 66544, 66552): 3 more overruns. The receiver has room and delivers it.
      c.record(c.a, 1000, { ignoreCredit: true });
      c.close(c.a);
    },
  },
  {
    name: 'window-shrunk',
    description: 'the receiver lowers buf_alloc while a SEQ_BEGIN is on its way (packets crossed)',
    dialect: 'v4',
    // Exactly one overrun, with window_shrunk: the crossed SEQ_BEGIN. See below.
    expect: { findings: { 'vsock.credit.overrun': 1 } },
    build(sim) {
      const ports = new Ports(sim.rng);
      const c = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 5004], dialect: 'v4', serverReader: 'manual' });
      c.connect();
      // Record 0, 70000 bytes, within the 262144 window: 70016 in flight, unread.
      c.record(c.a, 70000);
      sim.pause();
      // The receiver sets SO_VM_SOCKETS_BUFFER_SIZE to 65536: CREDIT_UPDATE buf_alloc
      // 65536, fwd_cnt 0. Then its application reads record 0 (fwd_cnt 70016 internally),
      // but before its CREDIT_UPDATE goes out, the sender's next SEQ_BEGIN (sent before
      // it saw the new size) arrives: in flight 70024 > 65536, and at the sender's
      // previous packet the window was 262144: overrun with window_shrunk. The receiver's
      // queue is empty, so its kernel keeps the 8 bytes.
      c.setBufAlloc(c.b, 65536);
      c.consume(c.b, false, false);
      sim.pause();
      c.record(c.a, 30000, {
        ignoreCreditBegin: true,
        afterBegin: () => {
          // The delayed CREDIT_UPDATE (the read also took the new BEGIN): fwd_cnt 70024, in flight 0. From here the sender
          // respects the 65536 window: no further overrun.
          c.consume(c.b, true);
          c.b.reader = 'eager';
        },
      });
      sim.pause();
      // A 100000-byte record through the smaller window: the sender waits for credit
      // (the receiver reads the partial record and updates) without overrunning.
      c.record(c.a, 100000);
      c.close(c.a);
    },
  },
  {
    name: 'cut-mid-record',
    description: 'records cut by the sender closing, by a reset, and by the end of the capture',
    dialect: 'v4',
    expect: {
      findings: { 'vsock.seq.unterminated': 2, 'vsock.seq.incomplete': 1 },
      records: { dropped: 2, incomplete: 1 },
    },
    build(sim) {
      const rng = sim.rng;
      const ports = new Ports(rng);
      // 1. The sending process dies in the middle of a 200000-byte record (BEGIN and two
      //    RWs sent): its close sends SHUTDOWN flags 3 (SEND): unterminated on that
      //    SHUTDOWN, record dropped. The peer's RST finds nothing open.
      const c1 = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 5000], dialect: 'v4' });
      c1.connect();
      c1.record(c1.a, rng.logInt(1, 5000));
      sim.pause();
      c1.record(c1.a, 200000, { stopAfterRw: 2 });
      c1.close(c1.a);
      sim.pause();
      // 2. A slow reader leaves two records unread, the sender blocks in a 300000-byte
      //    record for lack of credit, and the reader closes with unread data: SHUTDOWN 3
      //    from the receiver (RCV|SEND: its own direction has nothing open), then the
      //    sender's kernel resets: unterminated on the RST (the connection resets while
      //    the record is open), record dropped. The two unread records were complete on
      //    the wire: delivered in the truth.
      const c2 = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 5000], dialect: 'v4', serverReader: 'manual' });
      c2.connect();
      c2.record(c2.a, 1000);
      c2.record(c2.a, 2000);
      sim.pause();
      c2.record(c2.a, 300000, { stopWhenBlocked: true });
      c2.close(c2.b);
      sim.pause();
      // 3. The capture stops while a record is open (BEGIN and one RW captured):
      //    incomplete on that RW, the record's last frame.
      const c3 = sim.conn({ client: [LOCAL, ports.next()], server: [LOCAL, 5001], dialect: 'v4' });
      c3.connect();
      c3.record(c3.a, 700);
      sim.pause();
      c3.record(c3.a, 100000, { stopAfterRw: 1 });
      sim.capturing = false;
    },
  },
  {
    name: 'midstream',
    description: 'the capture starts in the middle of a record of an echo connection; a second connection starts inside the capture',
    dialect: 'v4',
    // The first captured frame of the echo connection is an RW: vsock.conn.midstream on
    // it. Its RWs and SEQ_END (the first marker) are expected orphans: not reported, no
    // record. The next BEGIN (8) follows END 7: no cnt_gap; the server's first BEGIN
    // (6) has no reference: no check. Without the handshake there are no credit checks.
    // Records are indexed from what the capture shows (index 0 = msg_cnt 8).
    expect: { findings: { 'vsock.conn.midstream': 1 } },
    build(sim) {
      const rng = sim.rng;
      const ports = new Ports(rng);
      const m = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 5000], dialect: 'v4' });
      const n = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 5000], dialect: 'v4' });
      sim.capturing = false;
      m.connect();
      for (let i = 0; i < 3; i++) {
        m.record(m.a, rng.logInt(1, 20000));
        m.record(m.b, rng.logInt(1, 2000));
        sim.pause();
      }
      // Record 3 (counters 6/7): the capture starts after its first RW.
      m.record(m.a, 150000, { afterRw: (i) => { if (i === 0) sim.capturing = true; } });
      m.record(m.b, rng.logInt(1, 2000));
      interleave(sim, [
        (function* () {
          for (let i = 0; i < 5; i++) {
            m.record(m.a, rng.logInt(1, 20000), { eor: rng.chance(0.5) });
            m.record(m.b, rng.logInt(1, 2000), { eor: rng.chance(0.5) });
            yield;
          }
          m.close(m.a);
        })(),
        v4Traffic(sim, n, 5, () => rng.logInt(1, 30000)),
      ]);
    },
  },
  {
    name: 'refused',
    description: 'connects refused by socket-less RSTs (no listener, type mismatch), then a retry on the same 4-tuple that succeeds',
    dialect: 'v4',
    // Each RST answering a REQUEST: vsock.conn.refused (3). The retry reuses the first
    // attempt's 4-tuple after its RST: a new instance (same id string), clean records.
    expect: { findings: { 'vsock.conn.refused': 3 } },
    build(sim) {
      const rng = sim.rng;
      const ports = new Ports(rng);
      const bound = ports.next();
      // SEQPACKET to a port without a listener.
      sim.conn({ client: [GUEST, bound], server: [HOST, 6000], dialect: 'v4' }).refuse();
      sim.pause();
      // STREAM to a port without a listener (the RST has the STREAM type).
      sim.conn({ client: [GUEST, ports.next()], server: [HOST, 6000], dialect: 'stream' }).refuse();
      sim.pause();
      // STREAM to a SEQPACKET listener: type mismatch, socket-less RST too.
      sim.conn({ client: [GUEST, ports.next()], server: [HOST, 5004], dialect: 'stream' }).refuse();
      sim.pause(50_000, 200_000);
      // The listener is up now; the client retries from the same bound port.
      run(v4Traffic(sim, sim.conn({ client: [GUEST, bound], server: [HOST, 6000], dialect: 'v4' }), 5, () => rng.logInt(1, 10000)));
    },
  },
  {
    name: 'eom-clean',
    description: 'merged-dialect (EOM/EOR) SEQPACKET on three connections: echo, host-initiated bulk up to 200 KiB, slow reader; no faults',
    dialect: 'eom',
    expect: { findings: {} },
    build(sim) {
      const rng = sim.rng;
      const ports = new Ports(rng);
      const echo = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 7000], dialect: 'eom' });
      const bulk = sim.conn({ client: [HOST, ports.next()], server: [GUEST, 7001], dialect: 'eom' });
      const slow = sim.conn({ client: [LOCAL, ports.next()], server: [LOCAL, 7002], dialect: 'eom', serverReader: 'lazy' });
      const bulkSizes = [200000, ...Array.from({ length: 5 }, () => rng.logInt(1000, 200000))];
      interleave(sim, [
        eomTraffic(sim, echo, 12, () => rng.logInt(1, 30000), { echo: true, reply: () => rng.logInt(1, 3000) }),
        eomTraffic(sim, bulk, bulkSizes.length, () => bulkSizes.shift()!, { closer: 'server' }),
        eomTraffic(sim, slow, 12, () => 32768),
      ]);
    },
  },
  {
    name: 'eom-faults',
    description: 'merged dialect: EOR without EOM, a message larger than the receive buffer, a lost EOM packet (transport and capture), a sender dying mid-message',
    dialect: 'eom',
    expect: {
      findings: {
        'vsock.seq.eor_without_eom': 1, 'vsock.seq.msg_too_big': 1, 'vsock.credit.overrun': 1,
        'vsock.credit.fwd_cnt_ahead': 1, 'vsock.seq.unterminated': 1,
      },
      records: { dropped: 1 },
    },
    build(sim) {
      const rng = sim.rng;
      const ports = new Ports(rng);
      const small = () => rng.logInt(1, 5000);
      // A: a faulty sender sets EOR (bit 1) without EOM on the first RW of a 100000-byte
      // message: eor_without_eom on it. The message still ends at the EOM (flags 1):
      // delivered, eor false.
      const a = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 7000], dialect: 'eom' });
      a.connect();
      a.message(a.a, small());
      a.message(a.a, 100000, { flags: (i, last) => (last ? 1 : i === 0 ? 2 : 0) });
      a.message(a.a, small(), { eor: true });
      a.close(a.a);
      sim.pause();
      // B: receiver buffer 65536. After a normal message, a faulty sender sends 80000 bytes
      // ignoring size and credit: RW 65536 (in flight 65536: not over), RW 14464 with EOM
      // (in flight 80000 > 65536): overrun and msg_too_big on it. The receiver's kernel
      // drops that RW (queue full), so its application never gets the message and
      // finally closes: SHUTDOWN from the receiver, RST from the sender; the observer saw
      // the EOM, so nothing is open (delivered in the truth).
      const b = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 7003], dialect: 'eom', serverBuf: 65536 });
      b.connect();
      b.message(b.a, 1000);
      sim.pause();
      b.message(b.a, 80000, { ignoreCredit: true, ignoreSize: true });
      sim.pause(100_000, 200_000);
      b.close(b.b);
      sim.pause();
      // C: a 70000-byte message (RWs 65536, 4464+EOM) loses its EOM packet in transport;
      // the next message is 300 bytes. Receiver and observer both merge the 65536 bytes
      // with the next message: one delivered record of 65836 bytes, nothing reported.
      const cT = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 7000], dialect: 'eom' });
      cT.connect();
      cT.message(cT.a, 500);
      cT.message(cT.a, 70000, { rw: (i) => (i === 1 ? 'transport' : 'ok') });
      cT.message(cT.a, 300);
      cT.close(cT.a);
      sim.pause();
      // C': the same with the EOM packet lost in the capture only: the observer merges the
      // same way, but the receiver got both messages; its CREDIT_UPDATE after the first
      // carries fwd_cnt 4464 above what the capture saw: fwd_cnt_ahead there.
      const cC = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 7000], dialect: 'eom' });
      cC.connect();
      cC.message(cC.a, 500);
      cC.message(cC.a, 70000, { rw: (i) => (i === 1 ? 'capture' : 'ok') });
      cC.message(cC.a, 300);
      cC.close(cC.a);
      sim.pause();
      // D: the sender dies after the first RW (no EOM) of a 100000-byte message: its
      // SHUTDOWN (SEND) finds the message open: unterminated, dropped.
      const d = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 7000], dialect: 'eom' });
      d.connect();
      d.message(d.a, small());
      d.message(d.a, 100000, { stopAfterRw: 1 });
      d.close(d.a);
    },
  },
  {
    name: 'stream',
    description: 'STREAM connections: bulk with credit updates, request/response, a slow reader; no faults',
    dialect: 'auto',
    expect: { findings: {} },
    build(sim) {
      const rng = sim.rng;
      const ports = new Ports(rng);
      const bulk = sim.conn({ client: [GUEST, ports.next()], server: [HOST, 8000], dialect: 'stream' });
      const rr = sim.conn({ client: [HOST, ports.next()], server: [GUEST, 8001], dialect: 'stream' });
      const slow = sim.conn({ client: [LOCAL, ports.next()], server: [LOCAL, 8002], dialect: 'stream', serverReader: 'lazy' });
      interleave(sim, [
        (function* () {
          bulk.connect();
          yield;
          for (let sent = 0; sent < 700000; ) {
            const n = rng.logInt(1, 100000);
            bulk.write(bulk.a, n);
            sent += n;
            yield;
          }
          bulk.close(bulk.a);
        })(),
        (function* () {
          rr.connect();
          yield;
          for (let i = 0; i < 10; i++) {
            rr.write(rr.a, rng.logInt(1, 500));
            rr.write(rr.b, rng.logInt(1, 3000));
            yield;
          }
          rr.close(rr.b);
        })(),
        (function* () {
          slow.connect();
          yield;
          for (let i = 0; i < 8; i++) {
            slow.write(slow.a, 65536);
            yield;
          }
          slow.close(slow.a);
        })(),
      ]);
    },
  },
  {
    name: 'stream-flags',
    description: 'a STREAM sender setting EOM/EOR bits on two RWs',
    dialect: 'auto',
    // Writes 3 (flags 1) and 7 (flags 3) are single RWs: flags_on_stream on each.
    expect: { findings: { 'vsock.seq.flags_on_stream': 2 } },
    build(sim) {
      const rng = sim.rng;
      const c = sim.conn({ client: [GUEST, new Ports(rng).next()], server: [HOST, 8000], dialect: 'stream' });
      c.connect();
      for (let i = 0; i < 12; i++) {
        const flags = i === 3 ? 1 : i === 7 ? 3 : 0;
        c.write(c.a, rng.logInt(1, 30000), { flags: () => flags });
        sim.pause();
      }
      c.close(c.a);
    },
  },
];
