// `vsockscope check FILE|-`: every finding in capture order, then a summary;
// NDJSON with --json (ANALYSIS.md 4); -w OUT.pcapng copies the capture with each
// frame's findings as packet comments.

import { readCaptureFile } from '../source/read-capture.js';
import { bytesOf } from '../dissect/container/record-bytes.js';
import { createCaptureWriter, type CaptureWriter } from '../dissect/container/writer.js';
import type { Finding, Severity } from '../dissect/findings.js';
import { escapeText } from '../dissect/present/escape.js';
import type { EngineSummary } from '../reassembly/index.js';
import { anomalyJson, recordJson, summaryJson } from './analysis-json.js';
import { analyze, ANALYSIS_OPTIONS, engineOptions, type AnalysisResult } from './analysis.js';
import { choiceOption, parseArgs, type OptionSpecs, type ParsedArgs } from './args.js';
import { reportDamage, unwritable, UsageError } from './errors.js';
import { inputArgument, INPUT_OPTIONS, type Input } from './input.js';
import type { Output } from './output.js';
import { severityAtLeast } from './tally.js';

/** What check shares with `live --findings`. */
export const FINDINGS_OPTIONS: OptionSpecs = {
  json: { kind: 'flag', help: 'NDJSON: anomaly and record lines in capture order, then a summary line' },
  'fail-on': { kind: 'string', value: 'error|warning|info', help: 'exit 1 when a finding reaches this severity (default: error)' },
};

export const CHECK_OPTIONS: OptionSpecs = {
  ...FINDINGS_OPTIONS,
  ...ANALYSIS_OPTIONS,
  ...INPUT_OPTIONS,
  write: { kind: 'string', short: 'w', value: 'OUT', help: 'also write the capture with each frame\'s findings as pcapng packet comments' },
};

export function findingLine(f: Finding): string {
  const where = f.frame > 0 ? `frame ${f.frame}` : 'capture';
  return `${where.padStart(12)} ${f.severity.padEnd(7)} ${f.code}${f.dir !== undefined ? ` ${f.dir}` : ''}: ${escapeText(f.message)}`;
}

export function summaryLines(s: EngineSummary): string[] {
  const r = s.records;
  const codes = Object.entries(s.anomalies).sort(([a], [b]) => a.localeCompare(b));
  return [
    '',
    `frames: ${s.frames}, malformed: ${s.malformed}, connections: ${s.connections}`,
    `records: ${r.delivered} delivered, ${r.dropped} dropped, ${r.orphan} orphan, ${r.lost} lost, ${r.incomplete} incomplete`,
    codes.length === 0 ? 'findings: none' : `findings: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}`,
  ];
}

export function failOnOption(args: ParsedArgs): Severity {
  return choiceOption(args, 'fail-on', ['error', 'warning', 'info'] as const) ?? 'error';
}

export async function checkCommand(argv: readonly string[], out: Output, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, CHECK_OPTIONS);
  const input = inputArgument(args, 'check');
  const outPath = args.options.write as string | undefined;
  if (outPath !== undefined && input.spec.kind !== 'path') throw new UsageError('check -w reads its input twice: give a file, without --follow');
  if (outPath !== undefined && input.name === '-') throw new UsageError('check -w reads its input twice: give a file, not stdin');
  return findingsRun(input, args, out, signal, outPath);
}

/** Every finding as it is decided (records too with --json), then the summary; resolves to the exit status. */
export async function findingsRun(input: Input, args: ParsedArgs, out: Output, signal?: AbortSignal, outPath?: string): Promise<number> {
  const failOn = failOnOption(args);
  const json = args.options.json === true;
  const byFrame = new Map<number, string[]>();
  const result = await analyze(input, engineOptions(args), {
    finding: (f) => {
      out.line(json ? anomalyJson(f) : findingLine(f));
      if (outPath !== undefined && f.frame > 0) {
        const list = byFrame.get(f.frame) ?? [];
        list.push(`${f.severity} ${f.code}: ${f.message}`);
        byFrame.set(f.frame, list);
      }
    },
    record: json ? (r) => out.line(recordJson(r)) : undefined,
    flush: () => out.flush(),
  }, signal);
  // An input that is no capture at all gets its one error line and nothing else.
  const unreadable = result.error !== undefined && result.frames === 0;
  if (json && !unreadable) out.line(summaryJson(result.summary));
  else if (!unreadable) for (const line of summaryLines(result.summary)) out.line(line);
  out.flush();
  if (outPath !== undefined && result.error === undefined) await writeAnnotated(input.name, outPath, byFrame);
  return exitStatus(input.name, result, failOn);
}

/** Second pass: copy every frame, with the comments the whole analysis attached to it. */
async function writeAnnotated(input: string, outPath: string, byFrame: ReadonlyMap<number, string[]>): Promise<void> {
  let writer: CaptureWriter | undefined;
  try {
    await readCaptureFile(input, {
      packet: (p) => {
        try {
          writer ??= createCaptureWriter(outPath, { linkType: p.linkType, snaplen: 0, tsResolution: p.tsResolution });
          writer.write({ tsSec: p.tsSec, tsNsec: p.tsNsec, linkType: p.linkType, tsResolution: p.tsResolution, origLen: p.origLen, data: bytesOf(p) }, byFrame.get(p.number));
        } catch (e) {
          throw unwritable(outPath, p.number, e);
        }
      },
      notice: () => undefined,
    });
  } finally {
    await writer?.close();
  }
}

export function exitStatus(input: string, result: Pick<AnalysisResult, 'error' | 'truncated' | 'worst'>, failOn: Severity): number {
  if (reportDamage(input, result)) return 2;
  return severityAtLeast(result.worst, failOn) ? 1 : 0;
}
