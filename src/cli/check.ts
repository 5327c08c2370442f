// `vsockscope check FILE|-`: every finding in capture order, then a summary;
// NDJSON with --json (ANALYSIS.md 4); -w OUT.pcapng copies the capture with each
// frame's findings as packet comments.

import { readCaptureFile } from '../dissect/container/source.js';
import { createCaptureWriter, type CaptureWriter } from '../dissect/container/writer.js';
import type { Finding, Severity } from '../dissect/findings.js';
import { escapeText } from '../dissect/present/escape.js';
import type { EngineSummary } from '../reassembly/index.js';
import { anomalyJson, recordJson, summaryJson } from './analysis-json.js';
import { analyze, ANALYSIS_OPTIONS, engineOptions, severityAtLeast, type AnalysisResult } from './analysis.js';
import { choiceOption, parseArgs, type OptionSpecs } from './args.js';
import { reportDamage, UsageError } from './errors.js';
import type { Output } from './output.js';

export const CHECK_OPTIONS: OptionSpecs = {
  json: { kind: 'flag', help: 'NDJSON: anomaly and record lines in capture order, then a summary line' },
  'fail-on': { kind: 'string', value: 'error|warning|info', help: 'exit 1 when a finding reaches this severity (default: error)' },
  ...ANALYSIS_OPTIONS,
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

export async function checkCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, CHECK_OPTIONS);
  if (args.positionals.length !== 1) throw new UsageError('check needs exactly one input: a capture file or - for stdin');
  const input = args.positionals[0]!;
  const failOn: Severity = choiceOption(args, 'fail-on', ['error', 'warning', 'info'] as const) ?? 'error';
  const options = engineOptions(args);
  const json = args.options.json === true;
  const outPath = args.options.write as string | undefined;
  if (outPath !== undefined && input === '-') throw new UsageError('check -w reads its input twice: give a file, not stdin');

  const byFrame = new Map<number, string[]>();
  const result = await analyze(input, options, {
    finding: (f) => {
      out.line(json ? anomalyJson(f) : findingLine(f));
      if (outPath !== undefined && f.frame > 0) {
        const list = byFrame.get(f.frame) ?? [];
        list.push(`${f.severity} ${f.code}: ${f.message}`);
        byFrame.set(f.frame, list);
      }
    },
    record: json ? (r) => out.line(recordJson(r)) : undefined,
  });
  // An input that is no capture at all gets its one error line and nothing else.
  const unreadable = result.error !== undefined && result.frames === 0;
  if (json && !unreadable) out.line(summaryJson(result.summary));
  else if (!unreadable) for (const line of summaryLines(result.summary)) out.line(line);
  out.flush();
  if (outPath !== undefined && result.error === undefined) await writeAnnotated(input, outPath, byFrame);
  return exitStatus(input, result, failOn);
}

/** Second pass: copy every frame, with the comments the whole analysis attached to it. */
async function writeAnnotated(input: string, outPath: string, byFrame: ReadonlyMap<number, string[]>): Promise<void> {
  let writer: CaptureWriter | undefined;
  try {
    await readCaptureFile(input, {
      packet: (p) => {
        writer ??= createCaptureWriter(outPath, { linkType: p.linkType, snaplen: 0, tsDigits: p.tsDigits });
        writer.write({ tsSec: p.tsSec, tsNsec: p.tsNsec, origLen: p.origLen, data: p.data }, byFrame.get(p.number));
      },
      notice: () => undefined,
    });
  } finally {
    await writer?.close();
  }
}

export function exitStatus(input: string, result: AnalysisResult, failOn: Severity): number {
  if (reportDamage(input, result)) return 2;
  return severityAtLeast(result.worst, failOn) ? 1 : 0;
}
