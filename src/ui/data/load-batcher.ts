// The loader's side of the messages: collects what the pass finds and sends it as one
// batch now and then (see load-messages.ts).

import { FINDING_CODE_INDEX, type Finding } from '../../dissect/findings.js';
import type { ConnSummary, RecordResult, RecordSink } from '../../reassembly/index.js';
import { GrowableArray } from '../../store/columns.js';
import type { LoadBatch, Post, ReplayProbe } from './load-messages.js';
import { ConnPacker, packConns } from '../../store/conns.js';
import { FindingPacker } from '../../store/findings.js';
import { RecordPacker } from '../../store/records.js';
import { sharedArray, sharedCopy } from '../../store/shared-arrays.js';

/**
 * Findings and connection summaries collected that make a batch go at once (the frame that
 * passes it may add a few more; so may the end of the capture, and a live snapshot): a
 * capture of many short connections (a port scan) makes tens of thousands of each in a
 * batch interval, which the UI would then take in at once (a long pause, a jump in memory).
 * Both cross packed (store/findings.ts, store/conns.ts), but the UI files each one away.
 */
export const OBJECTS_PER_BATCH = 4096;

/**
 * Frames that make a batch go at once. The UI files each batch (the index, the records)
 * while the loader reads on; in 100 ms the loader reads about 400,000 frames, and the last
 * batch of that size was filed after the loader finished, on the full load's critical path.
 * With batches of at most this many, the bench capture's full load was 15 ms shorter
 * (medians of 10-12 runs; 32,768 did as well, 131,072 less).
 */
const FRAMES_PER_BATCH = 65_536;

export class LoadBatcher {
  // The index's part of a batch: at most FRAMES_PER_BATCH frames (see full), written in
  // place; a full batch's arrays are replaced (takeIndex). Stored twice from the start (see
  // the constructor).
  private offsets = new Float64Array(0);
  private v4 = new Uint8Array(0);
  private frames = 0;
  private readonly decoded = new GrowableArray((n) => new Uint32Array(n), 64);
  private readonly kept = new FindingPacker();
  private readonly records = new RecordPacker();
  private readonly conns = new ConnPacker();
  private probes: ReplayProbe[] = [];
  /** Objects (findings, connection summaries) collected for the next batch: counted, as `full` is asked every frame. */
  private collected = 0;

  constructor(private readonly post: Post) {
    // A second store, so that V8 does not take the fields for constants (as ConnTable's
    // constructor says): the first full batch would throw away the pass's optimised code,
    // which has this.frame() inlined. The full load: 8 ms shorter (medians of 15 runs).
    this.offsets = sharedArray(Float64Array, FRAMES_PER_BATCH);
    this.v4 = sharedArray(Uint8Array, FRAMES_PER_BATCH);
  }

  frame(offset: number, v4: boolean): void {
    if (this.frames === FRAMES_PER_BATCH) throw new RangeError('a full batch must be sent before the next frame');
    const i = this.frames++;
    this.offsets[i] = offset;
    this.v4[i] = v4 ? 1 : 0;
  }

  decodedFinding(f: Finding): void {
    this.decoded.push(FINDING_CODE_INDEX.get(f.code)!);
    this.decoded.push(f.frame);
  }

  keptFinding(f: Finding): void {
    this.kept.add(f);
    this.collected++;
  }

  record(r: RecordResult, stream: number, revealFrame: number | undefined): void {
    this.records.add(r, stream, revealFrame);
  }

  /** Where the engine hands the records no finding decided, as numbers (EngineOptions.recordSink). */
  get recordSink(): RecordSink {
    return this.records;
  }

  conn(c: ConnSummary): void {
    this.conns.add(c);
    this.collected++;
  }

  probe(p: ReplayProbe): void {
    this.probes.push({ ...p, bytes: sharedCopy(Uint8Array, p.bytes) });
  }

  /** Enough is waiting that it should go now (see OBJECTS_PER_BATCH and FRAMES_PER_BATCH). */
  get full(): boolean {
    return this.collected >= OBJECTS_PER_BATCH || this.frames === FRAMES_PER_BATCH;
  }

  /** Objects (findings, connection summaries) collected for the next batch. */
  get objects(): number {
    return this.collected;
  }

  /**
   * Sends what was collected. `live`: Engine.liveConns() (the instances whose `conn` event
   * has not gone out), when due. Its typed arrays are on shared memory: none is transferred
   * (store/shared-arrays.ts says why).
   */
  send(position: number, received: number, live: readonly ConnSummary[] | undefined): void {
    const [offsets, v4] = this.takeIndex();
    const batch: LoadBatch = {
      // The rest is copied out of (or taken from) its collector, which fills again for the next batch.
      position, received, offsets, v4, decoded: sharedCopy(Uint32Array, this.decoded.view()),
      kept: this.kept.take(), records: this.records.take(), conns: this.conns.take(), live: live === undefined ? undefined : packConns(live), probes: this.probes,
    };
    this.decoded.clear();
    this.probes = [];
    this.collected = 0;
    this.post({ type: 'batch', batch });
  }

  /**
   * The index's part: a full batch's arrays go as they are and new ones are filled; a
   * smaller batch's, copied. Written through GrowableArray.push and copied out, the index
   * took the loader 8 ms more of its 180 ms (CPU) on the bench capture (medians of 9 runs).
   */
  private takeIndex(): [Float64Array, Uint8Array] {
    const n = this.frames;
    this.frames = 0;
    if (n < FRAMES_PER_BATCH) return [sharedCopy(Float64Array, this.offsets.subarray(0, n)), sharedCopy(Uint8Array, this.v4.subarray(0, n))];
    const full: [Float64Array, Uint8Array] = [this.offsets, this.v4];
    this.offsets = sharedArray(Float64Array, FRAMES_PER_BATCH);
    this.v4 = sharedArray(Uint8Array, FRAMES_PER_BATCH);
    return full;
  }
}
