// One open capture: its index and stores, the loader filling them, the display filter,
// and frames decoded on demand. Plain TypeScript, no React: the UI state reads it, and
// views render what it returns. A live capture (a pipe, --follow, a capture process)
// keeps arriving: its bytes are spooled to a temporary directory (removed however the
// process ends), and --ring bounds what is kept.

import { fstatSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { DecodedFrame } from '../../dissect/decode.js';
import { compileFilter, describeFilterError, FilterError, filterTestsFindings } from '../../dissect/filter/index.js';
import type { Timestamp } from '../../dissect/present/time.js';
import type { ConnSummary } from '../../reassembly/index.js';
import type { SourceSpec } from '../../source/byte-source.js';
import { openCaptureAccess, type RandomAccess } from '../../source/random-access.js';
import { SpoolReader } from '../../source/spool.js';
import { heapNearlyFull, memoryMessage, MemoryLimitError } from '../../cli/memory-limit.js';
import { ConnTable } from './conns.js';
import { FilterRun } from './filter-run.js';
import { FindingsStore } from './findings.js';
import { FrameIndex } from './frame-index.js';
import { FrameReader } from './frame-reader.js';
import type { LoadMessage } from './load-messages.js';
import { applyBatch, receivedError, receivedOutcome, type LoadOutcome } from './load-receiver.js';
import { Loader } from './loader.js';
import { startOpening, type Opening, type SessionOptions } from './opening.js';
import { RateMeter, type Rates } from './rate.js';
import { RecordStore } from '../../store/records.js';

export type LoadState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'done'; readonly outcome: LoadOutcome }
  | { readonly phase: 'failed'; readonly error: unknown };

export interface ListOrigin {
  readonly listing: number;
  readonly dropped: number;
}

export type { SessionOptions } from './opening.js';

/** A live capture's screen opens once its first frames are in, or after this long without (it shows the wait). */
const LIVE_OPEN_WAIT_MS = 500;
/** A live capture's figures (frames/s, idle time) are refreshed this often even when nothing arrives. */
const LIVE_TICK_MS = 1000;
/** How long stop() waits for the loader to finish what it read. */
const STOP_WAIT_MS = 3000;
const FILTER_STEP_MS = 12;
/**
 * Progress (more frames loaded or tested) is shown at most this often. Each showing is a
 * repaint, and a repaint while loading takes CPU the loader would use on a 2-core machine:
 * at 250 ms, the one repaint in the middle of the bench capture's load made it 10-20 ms longer.
 */
const PROGRESS_REPORT_MS = 500;

export class Session {
  readonly index = new FrameIndex();
  readonly findings: FindingsStore;
  readonly records = new RecordStore();
  readonly conns = new ConnTable();
  readonly reader: FrameReader;
  /** What the status bar calls the capture: the file's name, stdin, or the interface. */
  readonly name: string;
  /** Frames keep arriving (a pipe, --follow, a live capture): the list can follow them. */
  readonly live: boolean;
  readonly ring: number | undefined;
  /** Frames and capture bytes per second, while live. */
  private readonly rate = new RateMeter(performance.now());
  load: LoadState = { phase: 'loading' };
  filter: FilterRun | undefined;
  /** Bumped when the filter changes: see listOrigin(). */
  private listings = 0;
  /** Bumped on every change of the data: views re-read what they show. */
  version = 0;
  /** Timestamp of the first frame: the packet list's time origin. */
  origin: Timestamp | undefined;
  /** Bytes of the file read so far. */
  private loadedTo = 0;
  private readonly stopLoading: () => void;
  private readonly requestStop: () => void;
  private readonly batchApplied: () => void;
  private readonly tick: ReturnType<typeof setInterval> | undefined;
  /** Where the spool is (undefined: the capture is read in place). */
  readonly spoolDir: string | undefined;
  private readonly removeSpool: (() => void) | undefined;
  private readonly listeners = new Set<() => void>();
  private filterScheduled: ReturnType<typeof setImmediate> | undefined;
  private lastReport = 0;
  private reportTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly firstScreen: Promise<void>;
  private readonly loaded: Promise<void>;
  private firstScreenShown!: () => void;
  private loadEnded!: () => void;

  /**
   * Opens a capture and starts loading it (or takes one startOpening() began: of the
   * options, only `ring` then applies); resolves once the first screenful is in (or loading
   * ended; a live capture: or after LIVE_OPEN_WAIT_MS, its screen then shows the wait).
   */
  static async open(input: string | SourceSpec | Opening, options: SessionOptions = {}): Promise<Session> {
    const opening = typeof input === 'string' || !('load' in input) ? startOpening(input, options) : input;
    const spec = opening.spec;
    // Bytes that arrive over time: the UI follows them (frames/s, the tail of the list).
    const live = spec.kind !== 'path' || !opening.inPlace;
    let access: RandomAccess;
    try {
      access = opening.spool === undefined ? openCaptureAccess(spec) : new SpoolReader(opening.spool);
    } catch (error) {
      opening.thread?.terminate();
      opening.removeSpool?.();
      throw error;
    }
    const session = new Session(opening, access, live, options);
    await (live ? Promise.race([session.firstScreen, new Promise((resolve) => setTimeout(resolve, LIVE_OPEN_WAIT_MS))]) : session.firstScreen);
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

  /** The file's size (a file read whole), for the progress shown while loading. */
  readonly fileSize: number;

  readonly spec: SourceSpec;

  private constructor(opening: Opening, private readonly access: RandomAccess, live: boolean, options: SessionOptions) {
    const spec = opening.spec;
    this.spec = spec;
    this.spoolDir = opening.spool?.dir;
    this.removeSpool = opening.removeSpool;
    this.live = live;
    this.ring = options.ring;
    this.name = displayName(spec);
    this.fileSize = live || spec.kind !== 'path' ? 0 : (spec.path === '-' ? fstatSync(0) : statSync(spec.path)).size;
    this.findings = new FindingsStore((frame, severity, kept) => {
      this.index.markFinding(frame, severity);
      if (!kept) return;
      this.reader.forget(frame);
      this.filter?.findingAdded(frame);
    });
    this.reader = new FrameReader(access, this.index, (frame) => {
      for (const f of this.findings.keptOn(frame.number)) frame.expert.push(f);
    });
    this.firstScreen = new Promise((resolve) => { this.firstScreenShown = resolve; });
    this.loaded = new Promise((resolve) => { this.loadEnded = resolve; });
    const receive = (message: LoadMessage) => this.receive(message);
    const thread = opening.thread;
    if (thread !== undefined) {
      this.stopLoading = () => thread.terminate();
      this.requestStop = () => thread.requestStop();
      this.batchApplied = () => thread.applied();
      // Last: what the thread sent so far is handed over at once.
      thread.listen(receive);
    } else {
      const loader = new Loader(opening.load, (message) => receive(structuredClone(message)));
      void loader.run();
      this.stopLoading = () => loader.cancel();
      this.requestStop = () => loader.stop();
      this.batchApplied = () => loader.applied();
    }
    if (live) {
      this.tick = setInterval(() => this.changed(), LIVE_TICK_MS);
      this.tick.unref();
    }
  }

  private receive(message: LoadMessage): void {
    // Loading may have ended here before the loader did (stopForMemory).
    if (this.closed || this.load.phase !== 'loading') return;
    switch (message.type) {
      case 'start':
        this.origin = message.origin;
        this.reader.setPrefix(message.prefix);
        return;
      case 'batch':
        applyBatch(message.batch, this);
        this.batchApplied();
        this.loadedTo = message.batch.position;
        this.rate.add(performance.now(), this.index.count, message.batch.received);
        this.keepRing();
        this.firstScreenShown();
        this.scheduleFilter();
        if (heapNearlyFull()) this.stopForMemory();
        else this.report(false);
        return;
      case 'end':
        this.load = { phase: 'done', outcome: receivedOutcome(message.outcome) };
        this.conns.clearLive();
        this.ended();
        break;
      case 'failed':
        this.load = { phase: 'failed', error: receivedError(message.error) };
        this.ended();
        break;
    }
    this.firstScreenShown();
    this.changed();
    this.scheduleFilter();
  }

  /**
   * This thread's heap is nearly full (memory-limit.ts): the loader is stopped where it is
   * (a live one asked to, which stops its capture process) and nothing more is taken in,
   * not even its outcome (the conn events of the instances still open at the end can be
   * too many on their own). What is loaded stays.
   */
  private stopForMemory(): void {
    if (this.live) this.requestStop();
    else this.stopLoading();
    const message = memoryMessage('nothing after this frame was loaded, nor what the analysis decided later about the frames before it');
    this.load = { phase: 'failed', error: new MemoryLimitError(this.index.count, message) };
    this.ended();
    this.changed();
  }

  private ended(): void {
    if (this.tick !== undefined) clearInterval(this.tick);
    this.loadEnded();
  }

  /** --ring: the frames before the newest N are dropped from the index and every store, and from the spool. */
  private keepRing(): void {
    if (this.ring === undefined || this.index.kept <= this.ring) return;
    const first = this.index.count - this.ring + 1;
    this.index.dropBefore(first);
    this.findings.dropBefore(first);
    this.records.dropBefore(first);
    this.conns.dropBefore(first);
    this.filter?.dropBefore(first);
    this.reader.forgetBefore(first);
    if (this.access instanceof SpoolReader) this.access.trimBefore(this.index.offset(first));
  }

  /** Frames and bytes per second over the last seconds, and how long ago data last came (ms). */
  rates(now = performance.now()): Rates & { readonly idleMs: number } {
    return { ...this.rate.rates(now), idleMs: now - this.rate.lastChange };
  }

  /**
   * A live input: stops reading (a capture process is stopped) and resolves once what was
   * read has been analysed (the outcome is then in `load`), or after STOP_WAIT_MS. A file
   * read whole is left to load to its end.
   */
  async stop(): Promise<void> {
    if (!this.live || this.load.phase !== 'loading' || this.closed) return;
    this.requestStop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.loaded, new Promise((resolve) => { timer = setTimeout(resolve, STOP_WAIT_MS); })]);
    clearTimeout(timer);
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

  /**
   * Rows dropped from the front of the list (--ring), and which listing they count in (a
   * new filter starts a new one): a list scrolled away from the tail keeps its rows in view.
   */
  listOrigin(): ListOrigin {
    return this.filter === undefined ? { listing: this.listings, dropped: this.index.first - 1 } : { listing: this.listings, dropped: this.filter.dropped };
  }

  /** Rows of the packet list: every frame kept, or the frames matching the filter so far. */
  rowCount(): number {
    return this.filter === undefined ? this.index.kept : this.filter.matches.length;
  }

  frameAt(row: number): number {
    return this.filter === undefined ? row + this.index.first : this.filter.matches.get(row);
  }

  /** The row listing frame n, or -1 when the filter hides it (or --ring dropped it). */
  rowOf(n: number): number {
    if (this.filter === undefined) return n >= this.index.first && n <= this.index.count ? n - this.index.first : -1;
    const at = this.filter.matches.lowerBound(n);
    return at < this.filter.matches.length && this.filter.matches.get(at) === n ? at : -1;
  }

  /** The row of the first listed frame at or after n (the last row if none). */
  nearestRow(n: number): number {
    const rows = this.rowCount();
    if (rows === 0) return -1;
    if (this.filter === undefined) return Math.min(Math.max(n - this.index.first, 0), rows - 1);
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

  /** Frame n (index.first..index.count) decoded from the capture, with every finding known for it. */
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
    this.filter = new FilterRun(text, compiled, filterTestsFindings(text), this.index, this.reader);
    this.listings++;
    this.changed();
    this.scheduleFilter();
    return undefined;
  }

  clearFilter(): void {
    if (this.filter === undefined) return;
    this.filter = undefined;
    this.listings++;
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

  /** Stops loading and filtering, closes the file, and removes the spool. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.load.phase === 'loading') this.stopLoading();
    if (this.filterScheduled !== undefined) clearImmediate(this.filterScheduled);
    if (this.reportTimer !== undefined) clearTimeout(this.reportTimer);
    if (this.tick !== undefined) clearInterval(this.tick);
    this.access.close();
    this.removeSpool?.();
    this.loadEnded();
  }
}

function displayName(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'path': case 'follow': return spec.path === '-' ? 'stdin' : basename(spec.path);
    case 'command': return spec.iface ?? 'capture command';
  }
}
