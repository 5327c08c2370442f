// `vsockscope read FILE|-`: every frame as a summary line, a detail tree (-V), a hex
// dump (-x) or NDJSON (--json); optionally filtered (-Y) and written out (-w).

import { writeSync } from 'node:fs';
import { bytesOf } from '../dissect/container/record-bytes.js';
import { createCaptureWriter, type CaptureWriter } from '../dissect/container/writer.js';
import type { DecodedFrame } from '../dissect/decode.js';
import type { FrameFilter } from '../dissect/filter/index.js';
import { worstOf, type Finding } from '../dissect/findings.js';
import { escapeText } from '../dissect/present/escape.js';
import { frameJson } from '../dissect/present/frame-json.js';
import { hexdumpLines } from '../dissect/present/hexdump.js';
import { writeSummaryLine } from '../dissect/present/summary.js';
import type { Timestamp } from '../dissect/present/time.js';
import { frameTree, renderTree } from '../dissect/present/tree.js';
import { dialectNamesFlags } from '../dissect/fields.js';
import { readsInPlace } from '../source/random-access.js';
import { Engine, type Dialect } from '../reassembly/index.js';
import { engineOptions } from './analysis.js';
import { engineFindingsByFrame } from './engine-findings.js';
import { intOption, parseArgs, type OptionSpecs, type ParsedArgs } from './args.js';
import { exitStatus, failOnOption, summaryLines } from './check.js';
import { reportDamage, unwritable, UsageError } from './errors.js';
import { inputArgument, INPUT_OPTIONS, type Input } from './input.js';
import { Output } from './output.js';
import { Pipeline, StopReading } from './pipeline.js';
import { FindingTally } from './tally.js';

/** What read shares with `live`. */
export const FRAME_OPTIONS: OptionSpecs = {
  verbose: { kind: 'flag', short: 'V', help: 'print the full detail tree of each frame' },
  hex: { kind: 'flag', short: 'x', help: 'add a hex and ASCII dump of each payload' },
  json: { kind: 'flag', help: 'one JSON object per frame (NDJSON)' },
  count: { kind: 'string', short: 'c', value: 'N', help: 'stop after N frames (selected frames when -Y is given)' },
  filter: { kind: 'string', short: 'Y', value: 'FILTER', help: 'display filter, e.g. "vsock.virtio.op == SEQ_END"' },
  write: { kind: 'string', short: 'w', value: 'OUT', help: 'write the selected frames to OUT (.pcapng: pcapng, else pcap)' },
};

export const READ_OPTIONS: OptionSpecs = { ...FRAME_OPTIONS, ...INPUT_OPTIONS };

function v4Dialect(dialect: Dialect | undefined): boolean {
  return dialect === 'v4' || dialect === 'v7';
}

/** -Y: the compiled filter, and whether it tests findings (which later frames may decide). */
async function filterOption(text: string | undefined): Promise<{ filter: FrameFilter; testsFindings: boolean } | undefined> {
  if (text === undefined) return undefined;
  // The filter compiler loads only for a command line that has a filter.
  const { compileFilter, describeFilterError, FilterError, filterTestsFindings } = await import('../dissect/filter/index.js');
  try {
    return { filter: compileFilter(text), testsFindings: filterTestsFindings(text) };
  } catch (e) {
    if (e instanceof FilterError) throw new UsageError(describeFilterError(text, e));
    throw e;
  }
}

/** A file read whole that can be opened again by its name (not stdin): it can be read twice. */
function readsTwice(input: Input): boolean {
  if (input.spec.kind !== 'path' || input.name === '-') return false;
  try {
    return readsInPlace(input.spec);
  } catch {
    return false; // the one pass reports it
  }
}

export async function readCommand(argv: readonly string[], out: Output, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, READ_OPTIONS);
  return framesRun(inputArgument(args, 'read'), args, out, signal);
}

/**
 * Every frame as it is decoded. A streaming input (a pipe, --follow, live) also gets the
 * summary on stderr at its end (as tcpdump prints its counts) and the exit status check
 * would give; a file read whole exits 0, or 2 when damaged.
 */
export async function framesRun(input: Input, args: ParsedArgs, out: Output, signal?: AbortSignal): Promise<number> {
  const limit = intOption(args, 'count', 1);
  const selection = await filterOption(args.options.filter as string | undefined);
  const filter = selection?.filter;
  const outPath = args.options.write as string | undefined;
  const verbose = args.options.verbose === true;
  const hex = args.options.hex === true;
  const json = args.options.json === true;
  const failOn = failOnOption(args);
  const engineOpts = engineOptions(args);
  // A file can be read twice so that each frame carries every finding about it, also those
  // later frames decide: what a filter on findings tests, and JSON's `expert` promises.
  const wantsAll = json || selection?.testsFindings === true;
  const known = wantsAll && readsTwice(input) ? await engineFindingsByFrame(input.name, engineOpts) : undefined;

  let writer: CaptureWriter | undefined;
  let origin: Timestamp | undefined;
  let selected = 0;
  const tally = new FindingTally();
  // The engine supplies connection-level findings and each connection's dialect (to name RW flag bits).
  const engine = new Engine((event) => {
    if (event.type === 'anomaly' && known === undefined && !pipeline.attach(event.finding)) late(event.finding);
  }, { ...engineOpts, records: false, conns: false });
  // A finding for a frame already printed (an orphan run's length, a record left open
  // at the end, a cut last record with no frame in hand) gets a line of its own.
  const late = (f: Finding) => {
    // Off stdout, the damage line on stderr already says where the capture was cut.
    if (f.code === 'capture.truncated' && (outPath !== undefined || json)) return;
    const text = `${f.severity}: ${f.code}${f.frame > 0 ? ` (frame ${f.frame})` : ''}: ${escapeText(f.message)}`;
    if (outPath === undefined && !json) out.line('       ' + text);
    else writeSync(2, `vsockscope: ${text}\n`);
  };
  const pipeline = new Pipeline({
    frame: (frame: DecodedFrame) => {
      const more = known?.get(frame.number);
      if (more !== undefined) frame.expert.push(...more);
      origin ??= { tsSec: frame.tsSec, tsNsec: frame.tsNsec, tsDigits: frame.tsDigits };
      const v4 = frame.virtio !== undefined && dialectNamesFlags(frame.virtio.op) && v4Dialect(engine.dialectOf(frame));
      if (filter !== undefined && !filter(frame, { v4Dialect: v4 })) return;
      selected++;
      if (outPath !== undefined) {
        try {
          writer ??= createCaptureWriter(outPath, { linkType: frame.linkType, snaplen: 0, tsResolution: frame.tsResolution });
          writer.write({ tsSec: frame.tsSec, tsNsec: frame.tsNsec, linkType: frame.linkType, tsResolution: frame.tsResolution, origLen: frame.len, data: bytesOf(frame) });
        } catch (e) {
          throw unwritable(outPath, frame.number, e);
        }
      } else if (json) {
        out.line(frameJson(frame));
      } else {
        if (verbose) for (const line of renderTree(frameTree(frame, v4))) out.line(line);
        else {
          writeSummaryLine(out.text, frame, origin, v4);
          out.endLine();
        }
        if (hex && frame.payloadCaptured > 0) {
          for (const line of hexdumpLines(bytesOf(frame).subarray(frame.payloadOffset))) out.line((verbose ? '' : '       ') + line);
        }
        if (verbose || hex) out.line('');
      }
      if (limit !== undefined && selected >= limit) throw new StopReading();
    },
    finding: (f, attached) => {
      tally.container(f);
      if (!attached) late(f);
    },
    flush: () => out.flush(),
  }, engine);
  let result;
  try {
    result = await pipeline.run(input.spec, signal !== undefined ? { signal } : {});
    // Findings attached to no frame.
    for (const f of known?.get(0) ?? []) late(f);
  } finally {
    await writer?.close();
  }
  out.flush();
  if (!result.streaming) return reportDamage(input.name, result) ? 2 : 0;
  // An input that is no capture at all gets its one error line and nothing else.
  const summary = tally.summary(engine.summary());
  if (result.error === undefined || result.frames > 0) {
    writeSync(2, summaryLines(summary).slice(1).map((l) => `vsockscope: ${l}\n`).join(''));
  }
  return exitStatus(input.name, { ...result, worst: worstOf(summary.anomalies) }, failOn);
}
