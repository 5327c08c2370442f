import type { Finding } from '../../src/dissect/findings.js';
import { analyze, type AnalysisResult } from '../../src/cli/analysis.js';
import type { ConnSummary, EngineOptions, RecordResult } from '../../src/reassembly/index.js';

export interface FileAnalysis {
  readonly findings: Finding[];
  readonly records: RecordResult[];
  readonly conns: ConnSummary[];
  readonly result: AnalysisResult;
}

/** The whole analysis of a capture file, through the same pipeline as `check`. */
export async function analyzeFile(path: string, options: EngineOptions = {}): Promise<FileAnalysis> {
  const findings: Finding[] = [];
  const records: RecordResult[] = [];
  const conns: ConnSummary[] = [];
  const result = await analyze(path, options, {
    finding: (f) => findings.push(f),
    record: (r) => records.push(r),
    conn: (c) => conns.push(c),
  });
  return { findings, records, conns, result };
}
