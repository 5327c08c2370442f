// The one pass over the capture: every frame is decoded and pushed through the engine;
// what the UI needs of it (the index, findings, records, connections) goes out in
// batches. It runs in a worker thread (runTui) or, for tests, on the caller's thread. A
// stream's bytes are spooled as they are read, for the UI to read frames again.

import { isPcapngMagic } from '../../dissect/container/pcapng.js';
import { bytesOf } from '../../dissect/container/record-bytes.js';
import type { DecodedFrame } from '../../dissect/decode.js';
import { dialectNamesFlags } from '../../dissect/fields.js';
import { Engine } from '../../reassembly/index.js';
import { Pipeline, StopReading } from '../../cli/pipeline.js';
import type { ByteSource } from '../../source/byte-source.js';
import { openCaptureAccess, type RandomAccess } from '../../source/random-access.js';
import { SpoolReader, SpoolWriter } from '../../source/spool.js';
import { tappedSource } from '../../source/spool-source.js';
import { LoadBatcher, OBJECTS_PER_BATCH } from './load-batcher.js';
import { sentError, type LoadSpec, type Post } from './load-messages.js';
import { findingRevealKey, revealKey } from '../../store/records.js';
import { sharedArray } from '../../store/shared-arrays.js';

/** Frames in the first batch: more than any screen shows. */
const FIRST_SCREEN_FRAMES = 256;
const BATCH_INTERVAL_MS = 100;
/** Live connection snapshots are sent at most this often. */
const LIVE_CONNS_INTERVAL_MS = 500;
/**
 * Objects (findings, connection summaries) in batches the UI has not applied yet beyond
 * which reading waits. The UI's work on a batch is mostly its objects: a capture of
 * millions of short connections makes them faster than the UI takes them in, and unpaced
 * they would queue up (memory) while the UI did nothing else (keys unanswered for seconds).
 */
const MAX_UNAPPLIED = 3 * OBJECTS_PER_BATCH;

export class Loader {
  private cancelled = false;
  private frames = 0;
  private position = 0;
  private lastBatch = 0;
  private lastLive = -Infinity;
  /** pcapng: link type / resolution pairs already sent to be checked (see probeReplay). */
  private readonly probed = new Set<string>();
  private pcapng = false;
  /** Bytes read from the source so far. */
  private received = 0;
  private readonly stopped = new AbortController();
  private sendTimer: ReturnType<typeof setTimeout> | undefined;
  /** Objects of each batch posted that the UI has not reported applied yet (see applied()), oldest first. */
  private readonly unappliedBatches: number[] = [];
  private unapplied = 0;
  private caughtUp: (() => void) | undefined;

  /**
   * `holdOpen(true)`: the loader waits for applied(); where it runs in a thread whose
   * message port does not keep it alive, the port must then (until `holdOpen(false)`).
   */
  constructor(private readonly spec: LoadSpec, private readonly post: Post, private readonly holdOpen: (open: boolean) => void = () => undefined) {}

  /** The UI applied a batch (they are applied in the order sent). */
  applied(): void {
    this.unapplied -= this.unappliedBatches.shift() ?? 0;
    if (this.unapplied <= MAX_UNAPPLIED) this.resume();
  }

  /** Stops at the next frame; run() then ends as if the file ended there. */
  cancel(): void {
    this.cancelled = true;
    this.stop();
  }

  /** Stops reading (a live capture: the capture process is stopped); what was read is analysed to the end. */
  stop(): void {
    this.stopped.abort();
    this.resume();
  }

  /** Undefined, or a promise resolved once the UI's unapplied batches hold at most MAX_UNAPPLIED objects (or it stopped). */
  private whenCaughtUp(): Promise<void> | undefined {
    if (this.unapplied <= MAX_UNAPPLIED || this.stopped.signal.aborted) return undefined;
    this.holdOpen(true);
    return new Promise((resolve) => { this.caughtUp = resolve; });
  }

  private resume(): void {
    const resolve = this.caughtUp;
    if (resolve === undefined) return;
    this.caughtUp = undefined;
    this.holdOpen(false);
    resolve();
  }

  /** Reads the whole capture, posting batches, then an `end` (or `failed`) message. */
  async run(): Promise<void> {
    const { spool } = this.spec;
    const writer = spool === undefined ? undefined : new SpoolWriter(spool);
    let access: RandomAccess | undefined;
    try {
      access = spool === undefined ? openCaptureAccess(this.spec.source) : new SpoolReader(spool);
      const wrap = (source: ByteSource) => tappedSource(source, (chunk) => {
        writer?.append(chunk);
        this.received += chunk.length;
      });
      await this.pass(access, wrap);
    } catch (error) {
      this.post({ type: 'failed', error: sentError(error) });
    } finally {
      if (this.sendTimer !== undefined) clearTimeout(this.sendTimer);
      writer?.close();
      access?.close();
    }
  }

  private async pass(access: RandomAccess, wrap: (source: ByteSource) => ByteSource): Promise<void> {
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
        out.record(r, e.stream, r.reason === undefined ? undefined : deciding.get(revealKey(r.conn, r.dir, r.reason)));
      } else {
        out.conn(e.conn);
      }
    }, { ...this.spec.engine, recordSink: out.recordSink });
    const stage = {
      push: (frame: DecodedFrame) => {
        if (frame.number === 1) this.start(access, frame);
        for (const f of frame.expert) out.decodedFinding(f);
        engine.push(frame);
      },
      end: () => engine.end(),
      settle: (upTo: number) => engine.settle(upTo),
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
        if (n === FIRST_SCREEN_FRAMES || out.full || ((n & 1023) === 0 && performance.now() - this.lastBatch >= BATCH_INTERVAL_MS)) {
          this.send(out, () => engine.liveConns());
        }
      },
      // Container findings: the pipeline has attached them to their frame when it could.
      finding: (f) => out.keptFinding(f),
      // A stream delivered what it had: the UI shows it soon, not after 1,024 more frames.
      flush: () => this.sendSoon(out, () => engine.liveConns()),
    }, stage);
    const result = await pipeline.run(this.spec.source, { signal: this.stopped.signal, wrap, pace: () => this.whenCaughtUp() });
    this.send(out, () => engine.liveConns(), true);
    this.post({
      type: 'end',
      outcome: {
        frames: result.frames, stopped: result.stopped, interrupted: result.interrupted, summary: engine.summary(),
        ...(result.error !== undefined ? { error: sentError(result.error) } : {}),
        ...(result.truncated !== undefined ? { truncated: result.truncated } : {}),
      },
    });
  }

  private send(out: LoadBatcher, live: () => ReturnType<Engine['conns']>, last = false): void {
    const now = performance.now();
    this.lastBatch = now;
    if (this.sendTimer !== undefined) clearTimeout(this.sendTimer);
    this.sendTimer = undefined;
    // At the end the `conn` events have every instance: no snapshots needed. Before it, only
    // the instances not ended yet: snapshotting every one each time took a capture of 500k
    // short connections minutes to load.
    const liveDue = !last && now - this.lastLive >= LIVE_CONNS_INTERVAL_MS;
    if (liveDue) this.lastLive = now;
    const snapshot = liveDue ? live() : undefined;
    // Counted before it goes: a loader on the UI's thread hears back within post().
    const objects = out.objects + (snapshot?.length ?? 0);
    this.unappliedBatches.push(objects);
    this.unapplied += objects;
    out.send(this.position, this.received, snapshot);
  }

  /** A batch now, or when BATCH_INTERVAL_MS has passed since the last one. */
  private sendSoon(out: LoadBatcher, live: () => ReturnType<Engine['conns']>): void {
    const wait = this.lastBatch + BATCH_INTERVAL_MS - performance.now();
    if (wait <= 0) this.send(out, live);
    else this.sendTimer ??= setTimeout(() => this.send(out, live), wait);
  }

  /** Frame 1: the time origin, and the bytes before it, which every record needs to be read again on its own. */
  private start(access: RandomAccess, frame: DecodedFrame): void {
    const prefix = sharedArray(Uint8Array, frame.offset);
    if (access.readAt(0, prefix.length, prefix) !== prefix.length) throw new Error('the bytes before the first frame could not be read again');
    this.pcapng = prefix.length >= 4 && isPcapngMagic(new DataView(prefix.buffer).getUint32(0, false));
    this.post({ type: 'start', origin: { tsSec: frame.tsSec, tsNsec: frame.tsNsec, tsDigits: frame.tsDigits }, prefix });
  }

  /**
   * A pcapng interface described after the first packet, or a new section, is not in the
   * prefix. The first frame of each link type and resolution goes out to be read again and
   * compared (FrameReader.limitReplay).
   */
  private probeReplay(frame: DecodedFrame, out: LoadBatcher): void {
    const kind = `${frame.linkType}/${frame.tsResolution}`;
    if (this.probed.has(kind)) return;
    this.probed.add(kind);
    out.probe({ number: frame.number, tsSec: frame.tsSec, tsNsec: frame.tsNsec, linkType: frame.linkType, len: frame.len, bytes: bytesOf(frame) });
  }
}
