// One open capture: its index and stores, the loader filling them, the display filter,
// and frames decoded on demand. Plain TypeScript, no React: the UI state reads it, and
// views render what it returns.

import { closeSync, fstatSync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { DecodedFrame } from '../../dissect/decode.js';
import { compileFilter, describeFilterError, FilterError } from '../../dissect/filter/index.js';
import type { Timestamp } from '../../dissect/present/time.js';
import type { ConnSummary } from '../../reassembly/index.js';
import { ConnTable } from './conns.js';
import { FilterRun } from './filter-run.js';
import { FindingsStore } from './findings.js';
import { FrameIndex } from './frame-index.js';
import { FrameReader } from './frame-reader.js';
import { sentError, type LoadMessage } from './load-messages.js';
import { applyBatch, receivedError, receivedOutcome, type LoadOutcome } from './load-receiver.js';
import { Loader } from './loader.js';
import { RecordStore } from './records.js';

export type LoadState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'done'; readonly outcome: LoadOutcome }
  | { readonly phase: 'failed'; readonly error: unknown };

export interface SessionOptions {
  /**
   * Load in a worker thread (the built load-worker.js next to this module): the engine
   * then runs beside the UI instead of between its repaints. Off: on this thread, the
   * same messages passed through structuredClone (what tests run from the sources use).
   */
  readonly worker?: boolean;
}

const FILTER_STEP_MS = 12;
/** Progress (more frames loaded or tested) is shown at most this often: each showing is a repaint. */
const PROGRESS_REPORT_MS = 250;

export class Session {
  readonly index = new FrameIndex();
  readonly findings: FindingsStore;
  readonly records = new RecordStore();
  readonly conns = new ConnTable();
  readonly reader: FrameReader;
  load: LoadState = { phase: 'loading' };
  filter: FilterRun | undefined;
  /** Bumped on every change of the data: views re-read what they show. */
  version = 0;
  /** Timestamp of the first frame: the packet list's time origin. */
  origin: Timestamp | undefined;
  /** Bytes of the file read so far. */
  private loadedTo = 0;
  private readonly stopLoading: () => void;
  private readonly listeners = new Set<() => void>();
  private filterScheduled: ReturnType<typeof setImmediate> | undefined;
  private lastReport = 0;
  private reportTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly firstScreen: Promise<void>;
  private readonly loaded: Promise<void>;
  private firstScreenShown!: () => void;
  private loadEnded!: () => void;

  /** Opens a capture file and starts loading it; resolves once the first screenful is in (or loading ended). */
  static async open(path: string, options: SessionOptions = {}): Promise<Session> {
    const fd = openSync(path, 'r');
    let session: Session;
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new Error('not a regular file: the interactive view reads frames again by offset (use `vsockscope read`)');
      session = new Session(path, fd, stat.size, options);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    await session.firstScreen;
    // An input that is no capture at all is an error, not an empty screen.
    const load = session.load;
    const failure = load.phase === 'failed' ? load.error
      : load.phase === 'done' && load.outcome.frames === 0 ? load.outcome.error : undefined;
    if (failure !== undefined) {
      session.close();
      throw failure;
    }
    return session;
  }

  private constructor(readonly path: string, private readonly fd: number, readonly fileSize: number, options: SessionOptions) {
    this.findings = new FindingsStore((frame, severity, kept) => {
      this.index.markFinding(frame, severity);
      if (!kept) return;
      this.reader.forget(frame);
      this.filter?.findingAdded(frame);
    });
    this.reader = new FrameReader(fd, this.index, (frame) => {
      for (const f of this.findings.keptOn(frame.number)) frame.expert.push(f);
    });
    this.firstScreen = new Promise((resolve) => { this.firstScreenShown = resolve; });
    this.loaded = new Promise((resolve) => { this.loadEnded = resolve; });
    const receive = (message: LoadMessage) => this.receive(message);
    if (options.worker === true) {
      const worker = new Worker(new URL('./load-worker.js', import.meta.url), { workerData: { path } });
      worker.on('message', receive);
      worker.on('error', (error) => receive({ type: 'failed', error: sentError(error) }));
      worker.on('exit', (code) => {
        if (this.load.phase === 'loading') receive({ type: 'failed', error: { name: 'Error', message: `the loader stopped (exit code ${code})` } });
      });
      this.stopLoading = () => void worker.terminate();
    } else {
      const loader = new Loader(path, (message) => receive(structuredClone(message)));
      void loader.run();
      this.stopLoading = () => loader.cancel();
    }
  }

  private receive(message: LoadMessage): void {
    if (this.closed) return;
    switch (message.type) {
      case 'start':
        this.origin = message.origin;
        this.reader.setPrefix(message.prefix);
        return;
      case 'batch':
        applyBatch(message.batch, this);
        this.loadedTo = message.batch.position;
        this.firstScreenShown();
        this.scheduleFilter();
        this.report(false);
        return;
      case 'end':
        this.load = { phase: 'done', outcome: receivedOutcome(message.outcome) };
        this.conns.setLive([]);
        this.loadEnded();
        break;
      case 'failed':
        this.load = { phase: 'failed', error: receivedError(message.error) };
        this.loadEnded();
        break;
    }
    this.firstScreenShown();
    this.changed();
    this.scheduleFilter();
  }

  /** Resolves when loading has ended, failed or was stopped by close(). */
  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  /** Bytes of the file read so far. */
  get position(): number {
    return this.load.phase === 'loading' ? this.loadedTo : this.fileSize;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ------------------------------------------------------------------ the packet list

  /** Rows of the packet list: every frame, or the frames matching the filter so far. */
  rowCount(): number {
    return this.filter === undefined ? this.index.count : this.filter.matches.length;
  }

  frameAt(row: number): number {
    return this.filter === undefined ? row + 1 : this.filter.matches.get(row);
  }

  /** The row listing frame n, or -1 when the filter hides it. */
  rowOf(n: number): number {
    if (this.filter === undefined) return n >= 1 && n <= this.index.count ? n - 1 : -1;
    const at = this.filter.matches.lowerBound(n);
    return at < this.filter.matches.length && this.filter.matches.get(at) === n ? at : -1;
  }

  /** The row of the first listed frame at or after n (the last row if none). */
  nearestRow(n: number): number {
    const rows = this.rowCount();
    if (rows === 0) return -1;
    if (this.filter === undefined) return Math.min(Math.max(n, 1), rows) - 1;
    return Math.min(this.filter.matches.lowerBound(n), rows - 1);
  }

  /** The next row (step 1) or previous row (step -1) from `row` whose frame carries a finding. */
  findingRow(row: number, step: 1 | -1): number | undefined {
    const rows = this.rowCount();
    for (let r = row + step; r >= 0 && r < rows; r += step) {
      if (this.index.hasFinding(this.frameAt(r))) return r;
    }
    return undefined;
  }

  /** Frame n (1..index.count) decoded from the file, with every finding known for it. */
  frame(n: number): DecodedFrame {
    return this.reader.frame(n);
  }

  /** The connection instance frame n belongs to. */
  connOf(n: number): ConnSummary | undefined {
    return this.conns.instanceOf(this.frame(n));
  }

  // ------------------------------------------------------------------ display filter

  /** Applies a filter (`read -Y` syntax); returns the error message if it does not compile. An empty text clears it. */
  setFilter(text: string): string | undefined {
    if (text.trim() === '') {
      this.clearFilter();
      return undefined;
    }
    let compiled;
    try {
      compiled = compileFilter(text);
    } catch (error) {
      if (error instanceof FilterError) return describeFilterError(text, error);
      throw error;
    }
    this.filter = new FilterRun(text, compiled, this.index, this.reader);
    this.changed();
    this.scheduleFilter();
    return undefined;
  }

  clearFilter(): void {
    if (this.filter === undefined) return;
    this.filter = undefined;
    this.changed();
  }

  /** Whether the filter has tested every frame of a fully loaded capture. */
  get filterDone(): boolean {
    return this.filter !== undefined && !this.filter.pending && this.load.phase !== 'loading';
  }

  private scheduleFilter(): void {
    if (this.closed || this.filterScheduled !== undefined || this.filter === undefined || !this.filter.pending) return;
    this.filterScheduled = setImmediate(() => {
      this.filterScheduled = undefined;
      const run = this.filter;
      if (run === undefined || this.closed) return;
      const more = run.step(FILTER_STEP_MS);
      this.report(this.filterDone);
      if (more) this.scheduleFilter();
    });
  }

  // ------------------------------------------------------------------ lifecycle

  /** Progress is shown now and then (`always`: a change that must be shown now). */
  private report(always: boolean): void {
    const wait = this.lastReport + PROGRESS_REPORT_MS - performance.now();
    if (always || this.version === 0 || wait <= 0) this.changed();
    else this.reportTimer ??= setTimeout(() => this.changed(), wait);
  }

  private changed(): void {
    if (this.reportTimer !== undefined) clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    if (this.closed) return;
    this.lastReport = performance.now();
    this.version++;
    for (const listener of this.listeners) listener();
  }

  /** Stops loading and filtering, and closes the file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.load.phase === 'loading') this.stopLoading();
    if (this.filterScheduled !== undefined) clearImmediate(this.filterScheduled);
    if (this.reportTimer !== undefined) clearTimeout(this.reportTimer);
    closeSync(this.fd);
    this.loadEnded();
  }
}
