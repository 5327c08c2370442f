// The loader paces reading by what the UI has taken in: batches carry a bounded number of
// objects, and reading waits while the UI has more than a few batches' worth unapplied.

import { describe, expect, it } from 'vitest';
import { OBJECTS_PER_BATCH } from '../../src/ui/data/load-batcher.js';
import type { LoadBatch } from '../../src/ui/data/load-messages.js';
import { Loader } from '../../src/ui/data/loader.js';
import { writePortScan } from '../helpers/port-scan.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const objectsOf = (b: LoadBatch) => b.kept.ends.length + b.conns.ids.length + (b.live?.ids.length ?? 0);

describe('loader pacing', () => {
  it('waits for the UI to apply batches of a capture with many connections, and goes on once it has', async () => {
    const pairs = 60_000; // a refused finding and a conn event each; about 5,700 a 1 MiB chunk
    const batches: LoadBatch[] = [];
    let ended = false;
    let acking = false;
    let acked = 0;
    const loader = new Loader({ source: { kind: 'path', path: writePortScan(pairs) } }, (message) => {
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
    // Reading looks at the UI before each chunk, one chunk ahead: a few chunks past the limit at most.
    expect(sent).toBeLessThan(pairs);
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
});
