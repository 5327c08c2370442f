// source -> capture reader -> frame decoder -> (analyzer) -> consumer.
// The one place that wires the stages together for every command.

import { readCaptureFile } from '../dissect/container/source.js';
import { CaptureError, type CaptureEnd, type CaptureNotice } from '../dissect/container/types.js';
import { decodeFrame, type DecodedFrame } from '../dissect/decode.js';
import { finding, type Finding } from '../dissect/findings.js';

/** Thrown by a consumer that wants no more frames (`-c N`). */
export class StopReading extends Error {}

export interface FrameAnalyzer {
  push(frame: DecodedFrame): void;
  end(): void;
}

export interface PipelineHooks {
  /** Each frame, in capture order, once its findings are complete as far as a single pass knows them. */
  frame(frame: DecodedFrame): void;
  /**
   * Container-level findings (a cut last record, interface drops). `attached`: it was
   * added to the expert list of a frame not yet handed to `frame`.
   */
  finding?(finding: Finding, attached: boolean): void;
}

export interface PipelineResult {
  readonly frames: number;
  readonly stopped: boolean;
  /** Damage that stopped reading; every frame before it was delivered. */
  readonly error?: CaptureError;
  /** The input ended inside a record; every whole frame before it was delivered. */
  readonly truncated?: CaptureEnd['truncated'];
}

/**
 * Holds the newest frame back by one so that findings known only later (a cut last
 * record: `capture.truncated`, interface drop counters) can still be attached to it.
 */
export class Pipeline {
  private held: DecodedFrame | undefined;
  private frames = 0;

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

  private release(): void {
    const frame = this.held;
    this.held = undefined;
    if (frame !== undefined) this.hooks.frame(frame);
  }

  async run(input: string): Promise<PipelineResult> {
    let end: CaptureEnd | undefined;
    let error: CaptureError | undefined;
    let stopped = false;
    try {
      end = await readCaptureFile(input, {
        packet: (p) => {
          const frame = decodeFrame(p);
          this.frames++;
          this.release();
          this.held = frame;
          this.analyzer?.push(frame);
        },
        notice: (n) => this.attachOrReport(noticeFinding(n)),
        chunkEnd: () => {
          if (this.held !== undefined) this.held.bytes = this.held.bytes.slice();
        },
      });
    } catch (e) {
      if (e instanceof StopReading) stopped = true;
      else if (e instanceof CaptureError) error = e;
      else throw e;
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
      frames: this.frames, stopped,
      ...(error !== undefined ? { error } : {}),
      ...(end?.truncated !== undefined ? { truncated: end.truncated } : {}),
    };
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
