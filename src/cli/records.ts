// `vsockscope records FILE|-`: what the reference receiver did with each record,
// per connection and direction.

import type { RecordResult } from '../reassembly/index.js';
import { recordJson } from './analysis-json.js';
import { RECORD_HEADER, recordCells } from './record-rows.js';
import { analyze, ANALYSIS_OPTIONS, engineOptions } from './analysis.js';
import { parseArgs, type OptionSpecs } from './args.js';
import { reportDamage } from './errors.js';
import { inputArgument, INPUT_OPTIONS } from './input.js';
import type { Output } from './output.js';
import { table } from './table.js';

export const RECORDS_OPTIONS: OptionSpecs = {
  json: { kind: 'flag', help: 'one record line per record (ANALYSIS.md 4)' },
  conn: { kind: 'string', value: 'ID', help: 'only this connection (every instance of it), e.g. 1:1025-1:5000' },
  ...ANALYSIS_OPTIONS,
  ...INPUT_OPTIONS,
};

export async function recordsCommand(argv: readonly string[], out: Output, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, RECORDS_OPTIONS);
  const input = inputArgument(args, 'records');
  const json = args.options.json === true;
  const wanted = args.options.conn as string | undefined;
  const records: RecordResult[] = [];
  const result = await analyze(input, engineOptions(args), {
    record: (r) => {
      if (wanted !== undefined && r.conn !== wanted) return;
      if (json) out.line(recordJson(r));
      else records.push(r);
    },
  }, signal);
  if (!json) {
    // Grouped by connection and direction, in the order each direction's first record finished.
    const order = new Map<string, number>();
    records.forEach((r) => { if (!order.has(r.conn + ' ' + r.dir)) order.set(r.conn + ' ' + r.dir, order.size); });
    records.sort((a, b) => order.get(a.conn + ' ' + a.dir)! - order.get(b.conn + ' ' + b.dir)! || a.index - b.index);
    const rows = records.map((r) => [r.dir, ...recordCells(r)]);
    for (const line of table(['direction', ...RECORD_HEADER], rows)) out.line(line);
    if (records.length === 0) out.line(wanted === undefined ? 'no SEQPACKET records in this capture' : `no records for connection ${wanted}`);
  }
  return reportDamage(input.name, result) ? 2 : 0;
}
