// source -> capture reader -> frame decoder -> (analyzer) -> consumer.
// The one place that wires the stages together for every command.

import { keepBytes } from '../dissect/container/record-bytes.js';
import { CaptureError, type CaptureEnd, type CaptureNotice } from '../dissect/container/types.js';
import { FrameDecoder, type DecodedFrame } from '../dissect/decode.js';
import { finding, type Finding } from '../dissect/findings.js';
import type { ByteSource, SourceSpec } from '../source/byte-source.js';
import { LiveError } from '../source/live-errors.js';
import { openSource, readCapture, type Pace } from '../source/read-capture.js';
import { heapNearlyFull, MemoryLimitError } from './memory-limit.js';

/** Thrown by a consumer that wants no more frames (`-c N`). */
export class StopReading extends Error {}

export interface FrameAnalyzer {
  push(frame: DecodedFrame): void;
  end(): void;
  /** A live stream's output is due: hold nothing back that opened at or before this frame (Engine.settle). */
  settle?(upToFrame: number): void;
}

/** How often a streaming input's held-back output is let go. */
const SETTLE_MS = 1000;

/**
 * The frames handed to hooks and analyzers are decoded into reused objects (FrameDecoder):
 * a frame, its headers and its expert list are overwritten two frames later. Keep copies
 * of what you keep, never the objects.
 */
export interface PipelineHooks {
  /** Each frame, in capture order, once its findings are complete as far as a single pass knows them. */
  frame(frame: DecodedFrame): void;
  /**
   * Container-level findings (a cut last record, interface drops). `attached`: it was
   * added to the expert list of a frame not yet handed to `frame`.
   */
  finding?(finding: Finding, attached: boolean): void;
  /** A streaming input delivered what it had so far: output written since should reach the user now. */
  flush?(): void;
}

export interface RunOptions {
  /** Stops reading (Ctrl-C); what was read is still analysed to the end. */
  readonly signal?: AbortSignal;
  /** Wraps the opened source, e.g. to copy its bytes aside (the TUI's spool). */
  readonly wrap?: (source: ByteSource) => ByteSource;
  /** Makes reading wait while the consumer is behind (the TUI's loader, for its UI). */
  readonly pace?: Pace;
}

export interface PipelineResult {
  readonly frames: number;
  readonly stopped: boolean;
  /** Reading was interrupted (Ctrl-C) before the input ended. */
  readonly interrupted: boolean;
  /** The input came over time (a pipe, a followed file, a live capture): frames went out as they came. */
  readonly streaming: boolean;
  /** Damage, a capture process failing, or the heap filling up stopped reading; every frame before it was delivered. */
  readonly error?: CaptureError | LiveError | MemoryLimitError;
  /** The input ended inside a record; every whole frame before it was delivered. */
  readonly truncated?: CaptureEnd['truncated'];
}

/**
 * Holds the newest frame back by one so that findings known only later (a cut last
 * record: `capture.truncated`, interface drop counters) can still be attached to it.
 * A streaming input lets it go at the end of each read instead: output is due then.
 */
export class Pipeline {
  private held: DecodedFrame | undefined;
  private frames = 0;
  private readonly decoder = new FrameDecoder();

  constructor(private readonly hooks: PipelineHooks, private readonly analyzer?: FrameAnalyzer) {}

  /** Attach a finding to the frame it names if that frame has not been handed on yet. */
  attach(f: Finding): boolean {
    if (this.held !== undefined && this.held.number === f.frame) {
      this.held.expert.push(f);
      return true;
    }
    return false;
  }

  private attachOrReport(f: Finding): void {
    this.hooks.finding?.(f, this.attach(f));
  }

  /** Stops reading (as damage does) when what is kept of the frames so far nearly fills the heap. */
  private checkHeap(): void {
    if (heapNearlyFull()) throw new MemoryLimitError(this.frames);
  }

  private release(): void {
    const frame = this.held;
    this.held = undefined;
    if (frame !== undefined) this.hooks.frame(frame);
  }

  async run(input: string | SourceSpec, options: RunOptions = {}): Promise<PipelineResult> {
    const spec: SourceSpec = typeof input === 'string' ? { kind: 'path', path: input } : input;
    const opened = await openSource(spec);
    const source = options.wrap?.(opened) ?? opened;
    const streaming = source.streaming;
    let end: CaptureEnd | undefined;
    let interrupted = false;
    let error: CaptureError | LiveError | MemoryLimitError | undefined;
    let stopped = false;
    // What the settling timer threw (a consumer that stopped, or lost its reader) ends reading as it would have mid-frame.
    let settleFailure: { error: unknown } | undefined;
    const stop = new AbortController();
    const signal = options.signal !== undefined ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const settler = streaming ? this.settleEvery(SETTLE_MS, (e) => {
      settleFailure ??= { error: e };
      stop.abort();
    }) : undefined;
    try {
      const read = await readCapture(source, {
        packet: (p) => {
          const frame = this.decoder.decode(p);
          this.frames++;
          this.release();
          this.held = frame;
          this.analyzer?.push(frame);
        },
        notice: (n) => this.attachOrReport(noticeFinding(n)),
        // The heap is looked at once a piece (PIECE_BYTES, see memory-limit.ts): not in the per-frame path.
        chunkEnd: streaming ? () => {
          this.checkHeap();
          this.release();
          this.hooks.flush?.();
        } : () => {
          this.checkHeap();
          if (this.held !== undefined) keepBytes(this.held);
        },
      }, signal, options.pace);
      if (settleFailure !== undefined) throw settleFailure.error;
      interrupted = read.interrupted;
      end = read;
    } catch (e) {
      if (e instanceof StopReading) stopped = true;
      else if (e instanceof CaptureError || e instanceof LiveError || e instanceof MemoryLimitError) error = e;
      else throw e;
    } finally {
      if (settler !== undefined) clearInterval(settler);
    }
    if (!stopped) {
      try {
        if (end?.truncated !== undefined) this.attachOrReport(truncatedFinding(this.held?.number ?? 0, end.truncated));
        this.analyzer?.end();
        this.release();
      } catch (e) {
        if (e instanceof StopReading) stopped = true;
        else throw e;
      }
    }
    return {
      frames: this.frames, stopped, interrupted, streaming,
      ...(error !== undefined ? { error } : {}),
      ...(end?.truncated !== undefined ? { truncated: end.truncated } : {}),
    };
  }

  /** Every `ms`, findings held back since the previous tick or longer go out (and the frame held with them). */
  private settleEvery(ms: number, failed: (error: unknown) => void): ReturnType<typeof setInterval> {
    let mark = 0;
    return setInterval(() => {
      try {
        this.analyzer?.settle?.(mark);
        this.hooks.flush?.();
      } catch (error) {
        failed(error);
      }
      mark = this.frames;
    }, ms);
  }
}

function truncatedFinding(lastFrame: number, cut: NonNullable<CaptureEnd['truncated']>): Finding {
  return finding('capture.truncated', lastFrame,
    `the capture ends inside a record at byte ${cut.offset} (${cut.have} of ${cut.need} bytes present); every frame before it was decoded`,
    { details: { offset: cut.offset, have: cut.have, need: cut.need } });
}

function noticeFinding(n: CaptureNotice): Finding {
  const parts: string[] = [];
  if (n.ifDrop !== undefined) parts.push(`${n.ifDrop} dropped by the interface`);
  if (n.osDrop !== undefined) parts.push(`${n.osDrop} dropped by the OS`);
  return finding('capture.if_drops', n.afterFrame,
    `interface ${n.interfaceId} statistics: ${parts.join(', ')}; the capture may be missing packets`,
    { details: { interface_id: n.interfaceId, if_drop: n.ifDrop ?? null, os_drop: n.osDrop ?? null } });
}
