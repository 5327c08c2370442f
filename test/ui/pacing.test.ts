// The loader paces reading by what the UI has taken in: batches carry a bounded number of
// objects, and reading waits while the UI has more than a few batches' worth unapplied.

import { describe, expect, it } from 'vitest';
import { OBJECTS_PER_BATCH } from '../../src/ui/data/load-batcher.js';
import type { LoadBatch } from '../../src/ui/data/load-messages.js';
import { Loader } from '../../src/ui/data/loader.js';
import { PIECE_BYTES } from '../../src/source/read-capture.js';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCapture } from '../../src/dissect/container/writer.js';
import { encodeFrame } from '../../src/dissect/encode.js';
import { OP, TYPE_STREAM } from '../../src/dissect/fields.js';
import { writePortScan } from '../helpers/port-scan.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const objectsOf = (b: LoadBatch) => b.kept.ends.length + b.conns.ids.length + (b.live?.ids.length ?? 0);

describe('loader pacing', () => {
  it('waits for the UI to apply batches of a capture with many connections, and goes on once it has', async () => {
    const pairs = 60_000; // a refused finding and a conn event each; about 5,700 a 1 MiB piece
    const batches: LoadBatch[] = [];
    let ended = false;
    let acking = false;
    let acked = 0;
    const path = writePortScan(pairs);
    const objectsPerPiece = 2 * Math.ceil(PIECE_BYTES / (statSync(path).size / pairs));
    const loader = new Loader({ source: { kind: 'path', path } }, (message) => {
      if (message.type === 'batch') batches.push(message.batch);
      if (message.type === 'end') ended = true;
    });
    const ack = () => {
      while (acking && acked < batches.length) {
        acked++;
        loader.applied();
      }
    };
    const running = loader.run();
    // Unacknowledged: it stops well before the end and stays stopped.
    let seen = -1;
    while (seen !== batches.length) {
      seen = batches.length;
      await sleep(200);
    }
    expect(ended).toBe(false);
    const sent = batches.reduce((n, b) => n + objectsOf(b), 0);
    // The reader is handed a 1 MiB piece only while the UI has at most three batches' worth
    // unapplied (loader.ts, MAX_UNAPPLIED): past that, at most what was collected but not
    // sent yet when it was looked at (less than a batch) and one piece.
    expect(sent).toBeLessThanOrEqual(4 * OBJECTS_PER_BATCH + objectsPerPiece);
    for (const b of batches) expect(objectsOf(b)).toBeLessThanOrEqual(OBJECTS_PER_BATCH + 2);
    // Acknowledged as they come: it reads to the end.
    acking = true;
    const timer = setInterval(ack, 5);
    ack();
    await running;
    clearInterval(timer);
    expect(ended).toBe(true);
    expect(batches.reduce((n, b) => n + b.offsets.length, 0)).toBe(2 * pairs);
    expect(batches.reduce((n, b) => n + b.conns.ids.length, 0)).toBe(pairs);
  });

  it('sends at most 65,536 frames a batch, so that the UI files them while it reads on', async () => {
    // One STREAM connection: its handshake, then the receiver's credit updates (no finding, one conn event).
    const frames = 150_000;
    const common = { type: TYPE_STREAM, flags: 0, buf_alloc: 65536, fwd_cnt: 0, len: 0 };
    const client = { src_cid: 3, src_port: 1024, dst_cid: 2, dst_port: 5000 };
    const server = { src_cid: 2, src_port: 5000, dst_cid: 3, dst_port: 1024 };
    const records = [
      { tsSec: 1_700_000_000, tsNsec: 0, data: encodeFrame({ virtio: { ...common, ...client, op: OP.REQUEST } }) },
      { tsSec: 1_700_000_000, tsNsec: 1000, data: encodeFrame({ virtio: { ...common, ...server, op: OP.RESPONSE } }) },
    ];
    const update = encodeFrame({ virtio: { ...common, ...server, op: OP.CREDIT_UPDATE } });
    for (let i = 2; i < frames; i++) records.push({ tsSec: 1_700_000_001 + Math.floor(i / 1e6), tsNsec: (i % 1e6) * 1000, data: update });
    const path = join(mkdtempSync(join(tmpdir(), 'vsockscope-long-')), 'long.pcap');
    writeFileSync(path, buildCapture('pcap', records));
    const batches: LoadBatch[] = [];
    await new Loader({ source: { kind: 'path', path } }, (message) => {
      if (message.type === 'batch') batches.push(message.batch);
    }).run();
    expect(batches.reduce((n, b) => n + b.offsets.length, 0)).toBe(frames);
    expect(Math.max(...batches.map((b) => b.offsets.length))).toBe(65_536);
  });
});
