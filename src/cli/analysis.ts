// One analysis run shared by check, records and conns: the pipeline with the
// engine attached, findings from every stage in one stream, and a summary that
// counts the container's findings too.

import type { DecodedFrame } from '../dissect/decode.js';
import { worstOf, type Finding } from '../dissect/findings.js';
import { Engine, type ConnSummary, type EngineOptions, type EngineSummary, type RecordResult } from '../reassembly/index.js';
import { choiceOption, intOption, type OptionSpecs, type ParsedArgs } from './args.js';
import type { Input } from './input.js';
import { Pipeline, type PipelineResult } from './pipeline.js';
import { FindingTally } from './tally.js';

export const ANALYSIS_OPTIONS: OptionSpecs = {
  dialect: { kind: 'string', value: 'auto|v4|v7|eom', help: 'SEQPACKET dialect of every connection (default: auto, per connection)' },
  rcvbuf: { kind: 'string', value: 'N', help: "the receiving application's recv() buffer: longer records get MSG_TRUNC" },
};

export function engineOptions(args: ParsedArgs): EngineOptions {
  const dialect = choiceOption(args, 'dialect', ['auto', 'v4', 'v7', 'eom'] as const);
  const rcvbuf = intOption(args, 'rcvbuf', 0);
  return { ...(dialect !== undefined ? { dialect } : {}), ...(rcvbuf !== undefined ? { rcvbuf } : {}) };
}

export interface AnalysisHandlers {
  finding?(f: Finding): void;
  /** `stream`: see EngineEvent. */
  record?(r: RecordResult, stream: number): void;
  conn?(c: ConnSummary): void;
  frame?(frame: DecodedFrame): void;
  /** A streaming input delivered what it had so far. */
  flush?(): void;
}

export interface AnalysisResult extends PipelineResult {
  readonly summary: EngineSummary;
  readonly worst: Finding['severity'] | undefined;
}

export async function analyze(input: Input | string, options: EngineOptions, handlers: AnalysisHandlers, signal?: AbortSignal): Promise<AnalysisResult> {
  const tally = new FindingTally();
  const engine = new Engine((e) => {
    if (e.type === 'anomaly') handlers.finding?.(e.finding);
    else if (e.type === 'record') handlers.record?.(e.record, e.stream);
    else handlers.conn?.(e.conn);
  }, { ...options, records: handlers.record !== undefined, conns: handlers.conn !== undefined });
  // Decoder findings enter the engine's event stream with their frame, container findings
  // (cut last record, interface drops) as the pipeline learns them: all in capture order.
  const decoderStage = {
    push(frame: DecodedFrame) {
      for (const f of frame.expert) engine.relay(withDirection(f, frame));
      engine.push(frame);
      handlers.frame?.(frame);
    },
    end: () => engine.end(),
    settle: (upTo: number) => engine.settle(upTo),
  };
  const pipeline = new Pipeline({
    frame: () => undefined,
    finding: (f) => {
      tally.container(f);
      engine.relay(f);
    },
    ...(handlers.flush !== undefined ? { flush: handlers.flush } : {}),
  }, decoderStage);
  const spec = typeof input === 'string' ? input : input.spec;
  const result = await pipeline.run(spec, signal !== undefined ? { signal } : {});
  const summary = tally.summary(engine.summary());
  return { ...result, summary, worst: worstOf(summary.anomalies) };
}

function withDirection(f: Finding, frame: DecodedFrame): Finding {
  const h = frame.virtio ?? frame.vsock;
  if (h === undefined || f.dir !== undefined) return f;
  return { ...f, dir: `${h.src_cid}:${h.src_port}>${h.dst_cid}:${h.dst_port}` };
}
