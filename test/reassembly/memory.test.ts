// Memory stays bounded by the number of connection instances, whatever the capture
// length: 2,000,000 frames of clean RFC v4 traffic, generated in a loop into reused frame
// objects (the engine must not keep frames), no payload bytes at all.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import type { DecodedFrame } from '../../src/dissect/decode.js';
import { OP, TYPE_SEQPACKET } from '../../src/dissect/fields.js';
import type { SeqHeader, VirtioHeader } from '../../src/dissect/parsers.js';
import { Engine } from '../../src/reassembly/index.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A real gc() when V8 lets us have one (more stable figures); otherwise none. */
function gcFunction(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

const gc = gcFunction();

function heapUsed(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

/**
 * Drives `frames` frames of clean traffic into the engine: connections of `perConn`
 * records each (REQUEST, RESPONSE, per record SEQ_BEGIN + RW + SEQ_END + CREDIT_UPDATE,
 * then SHUTDOWN 3 and two RSTs). `probe` is called once after `probeAt` frames.
 */
function drive(engine: Engine, frames: number, perConn: number, probeAt: number, probe: () => void): { conns: number; seconds: number } {
  const virtio: Mutable<VirtioHeader> = {
    src_cid: 3, dst_cid: 2, src_port: 0, dst_port: 5000, len: 0, type: TYPE_SEQPACKET, op: 0, flags: 0, buf_alloc: 262144, fwd_cnt: 0,
  };
  const seq: Mutable<SeqHeader> = { msg_cnt: 0, msg_len: 0 };
  const frame: Mutable<DecodedFrame> = {
    number: 0, tsSec: 1_700_000_000, tsNsec: 0, tsDigits: 9, tsResolution: 9, len: 0, capLen: 0, linkType: 271, offset: 0,
    view: new DataView(new ArrayBuffer(0)), dataOffset: 0, vsockOffset: 0, virtio, seq: undefined, payloadOffset: 0, payloadCaptured: 0, expert: [],
  };
  const RECORD = 100;
  let n = 0;
  let conns = 0;
  const t0 = process.hrtime.bigint();
  let probeTime = 0n;
  const emit = (fromClient: boolean, op: number, len: number, fwd: number, marker?: [number, number]): void => {
    n++;
    frame.number = n;
    frame.tsNsec = (n * 1000) % 1e9;
    frame.tsSec = 1_700_000_000 + Math.floor(n / 1e6);
    const port = 1024 + conns;
    virtio.src_cid = fromClient ? 3 : 2;
    virtio.dst_cid = fromClient ? 2 : 3;
    virtio.src_port = fromClient ? port : 5000;
    virtio.dst_port = fromClient ? 5000 : port;
    virtio.op = op;
    virtio.len = len;
    virtio.flags = op === OP.SHUTDOWN ? 3 : 0;
    virtio.fwd_cnt = fwd;
    if (marker !== undefined) {
      seq.msg_cnt = marker[0];
      seq.msg_len = marker[1];
      frame.seq = seq;
    } else {
      frame.seq = undefined;
    }
    engine.push(frame);
    if (n === probeAt) {
      const t = process.hrtime.bigint();
      probe();
      probeTime += process.hrtime.bigint() - t;
    }
  };
  while (n < frames) {
    emit(true, OP.REQUEST, 0, 0);
    emit(false, OP.RESPONSE, 0, 0);
    let tx = 0;
    for (let i = 0; i < perConn; i++) {
      emit(true, OP.SEQ_BEGIN, 8, 0, [2 * i, RECORD]);
      emit(true, OP.RW, RECORD, 0);
      emit(true, OP.SEQ_END, 8, 0, [2 * i + 1, 0]);
      tx += RECORD + 16;
      emit(false, OP.CREDIT_UPDATE, 0, tx);
    }
    emit(true, OP.SHUTDOWN, 0, 0);
    emit(false, OP.RST, 0, tx);
    emit(false, OP.RST, 0, tx);
    conns++;
  }
  const seconds = Number(process.hrtime.bigint() - t0 - probeTime) / 1e9;
  return { conns, seconds };
}

describe('memory and throughput', () => {
  test('2,000,000 frames over many short connections: heap growth bounded by the connection summaries', () => {
    let records = 0;
    let other = 0;
    const engine = new Engine((e) => {
      if (e.type === 'record') records++;
      else if (e.type === 'anomaly') other++;
    });
    const FRAMES = 2_000_000;
    const PER_CONN = 8; // 37 frames per connection
    let heapAt200k = 0;
    let connsAt200k = 0;
    const { conns, seconds } = drive(engine, FRAMES, PER_CONN, 200_000, () => {
      heapAt200k = heapUsed();
      connsAt200k = engine.summary().connections;
    });
    engine.end();
    const heapAtEnd = heapUsed();
    const growth = heapAtEnd - heapAt200k;
    const perConn = growth / (conns - connsAt200k);
    console.log(`engine: ${FRAMES} frames in ${seconds.toFixed(2)} s = ${Math.round(FRAMES / seconds).toLocaleString('en')} frames/s; ` +
      `${conns} connections; heap ${Math.round(heapAt200k / 1e6)} MB -> ${Math.round(heapAtEnd / 1e6)} MB ` +
      `(${Math.round(perConn)} B per extra connection${gc === undefined ? ', no gc()' : ''})`);
    expect(other).toBe(0);
    expect(records).toBe(conns * PER_CONN);
    expect(engine.summary().records.delivered).toBe(conns * PER_CONN);
    // Each ended connection keeps its counters (and its 4-tuple's map slot) and nothing else.
    expect(perConn).toBeLessThan(gc === undefined ? 2048 : 1024);
  }, 60_000);

  test('2,000,000 frames on a few long connections: no growth at all', () => {
    const engine = new Engine(() => undefined);
    let heapAt200k = 0;
    drive(engine, 2_000_000, 100_000, 200_000, () => {
      heapAt200k = heapUsed();
    });
    const growth = heapUsed() - heapAt200k;
    engine.end();
    expect(engine.summary().connections).toBeLessThan(10);
    expect(growth).toBeLessThan(gc === undefined ? 8e6 : 1e6);
  }, 60_000);
});
