// The one pass over the file: every frame is decoded and pushed through the engine; what
// the UI needs of it (the index, findings, records, connections) goes out in batches. It
// runs in a worker thread (runTui) or, for tests, on the caller's thread.

import { openSync, closeSync, readSync } from 'node:fs';
import { isPcapngMagic } from '../../dissect/container/pcapng.js';
import type { DecodedFrame } from '../../dissect/decode.js';
import { dialectNamesFlags } from '../../dissect/fields.js';
import { Engine } from '../../reassembly/index.js';
import { Pipeline, StopReading } from '../../cli/pipeline.js';
import { LoadBatcher } from './load-batcher.js';
import { sentError, type Post } from './load-messages.js';
import { findingRevealKey, revealKey } from './records.js';

/** Frames in the first batch: more than any screen shows. */
const FIRST_SCREEN_FRAMES = 256;
const BATCH_INTERVAL_MS = 100;
/** Live connection snapshots are sent at most this often. */
const LIVE_CONNS_INTERVAL_MS = 500;

export class Loader {
  private cancelled = false;
  private frames = 0;
  private position = 0;
  private lastBatch = 0;
  private lastLive = -Infinity;
  /** pcapng: link type / resolution pairs already sent to be checked (see probeReplay). */
  private readonly probed = new Set<string>();
  private pcapng = false;

  constructor(private readonly path: string, private readonly post: Post) {}

  /** Stops at the next frame; run() then ends as if the file ended there. */
  cancel(): void {
    this.cancelled = true;
  }

  /** Reads the whole file, posting batches, then an `end` (or `failed`) message. */
  async run(): Promise<void> {
    let fd: number | undefined;
    try {
      fd = openSync(this.path, 'r');
      await this.pass(fd);
    } catch (error) {
      this.post({ type: 'failed', error: sentError(error) }, []);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  private async pass(fd: number): Promise<void> {
    const out = new LoadBatcher(this.post);
    /** The frame of the latest finding per reveal key: what decided the next record with that key. */
    const deciding = new Map<string, number>();
    const engine = new Engine((e) => {
      if (e.type === 'anomaly') {
        out.keptFinding(e.finding);
        const key = findingRevealKey(e.finding);
        if (key !== undefined) deciding.set(key, e.finding.frame);
      } else if (e.type === 'record') {
        const r = e.record;
        out.record(r, r.reason === undefined ? undefined : deciding.get(revealKey(r.conn, r.dir, r.reason)));
      } else {
        out.conn(e.conn);
      }
    });
    const stage = {
      push: (frame: DecodedFrame) => {
        if (frame.number === 1) this.start(fd, frame);
        for (const f of frame.expert) out.decodedFinding(f);
        engine.push(frame);
      },
      end: () => engine.end(),
    };
    const pipeline = new Pipeline({
      // Called once the frame's findings are complete as far as the pass knows them.
      frame: (frame) => {
        if (this.cancelled) throw new StopReading();
        const v = frame.virtio;
        const d = v !== undefined && dialectNamesFlags(v.op) ? engine.dialectOf(frame) : undefined;
        out.frame(frame.offset, d === 'v4' || d === 'v7');
        this.position = frame.offset;
        if (this.pcapng) this.probeReplay(frame, out);
        const n = ++this.frames;
        if (n === FIRST_SCREEN_FRAMES || ((n & 1023) === 0 && performance.now() - this.lastBatch >= BATCH_INTERVAL_MS)) {
          this.send(out, () => engine.conns());
        }
      },
      // Container findings: the pipeline has attached them to their frame when it could.
      finding: (f) => out.keptFinding(f),
    }, stage);
    const result = await pipeline.run(this.path);
    this.send(out, () => engine.conns(), true);
    this.post({
      type: 'end',
      outcome: {
        frames: result.frames, stopped: result.stopped, summary: engine.summary(),
        ...(result.error !== undefined ? { error: sentError(result.error) } : {}),
        ...(result.truncated !== undefined ? { truncated: result.truncated } : {}),
      },
    }, []);
  }

  private send(out: LoadBatcher, live: () => ReturnType<Engine['conns']>, last = false): void {
    const now = performance.now();
    this.lastBatch = now;
    // At the end the `conn` events have every instance: no snapshots needed.
    const liveDue = !last && now - this.lastLive >= LIVE_CONNS_INTERVAL_MS;
    if (liveDue) this.lastLive = now;
    out.send(this.position, liveDue ? live() : undefined);
  }

  /** Frame 1: the time origin, and the bytes before it, which every record needs to be read again on its own. */
  private start(fd: number, frame: DecodedFrame): void {
    const prefix = new Uint8Array(frame.offset);
    readSync(fd, prefix, 0, prefix.length, 0);
    this.pcapng = prefix.length >= 4 && isPcapngMagic(new DataView(prefix.buffer).getUint32(0, false));
    this.post({ type: 'start', origin: { tsSec: frame.tsSec, tsNsec: frame.tsNsec, tsDigits: frame.tsDigits }, prefix }, [prefix.buffer]);
  }

  /**
   * A pcapng interface described after the first packet, or a new section, is not in the
   * prefix. The first frame of each link type and resolution goes out to be read again and
   * compared (FrameReader.limitReplay).
   */
  private probeReplay(frame: DecodedFrame, out: LoadBatcher): void {
    const kind = `${frame.linkType}/${frame.tsDigits}`;
    if (this.probed.has(kind)) return;
    this.probed.add(kind);
    out.probe({ number: frame.number, tsSec: frame.tsSec, tsNsec: frame.tsNsec, linkType: frame.linkType, len: frame.len, bytes: frame.bytes });
  }
}
