// `vsockscope conns FILE|-`: one row per connection instance.

import type { ConnSummary } from '../reassembly/index.js';
import { CONN_HEADER, CONN_LEGEND, connCells } from './conn-rows.js';
import { connJson } from './analysis-json.js';
import { analyze, ANALYSIS_OPTIONS, engineOptions } from './analysis.js';
import { parseArgs, type OptionSpecs } from './args.js';
import { reportDamage } from './errors.js';
import { inputArgument, INPUT_OPTIONS } from './input.js';
import type { Output } from './output.js';
import { writeTable } from './table.js';

export const CONNS_OPTIONS: OptionSpecs = {
  json: { kind: 'flag', help: 'one conn line per connection instance' },
  ...ANALYSIS_OPTIONS,
  ...INPUT_OPTIONS,
};

export async function connsCommand(argv: readonly string[], out: Output, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, CONNS_OPTIONS);
  const input = inputArgument(args, 'conns');
  const json = args.options.json === true;
  const conns: ConnSummary[] = [];
  const result = await analyze(input, engineOptions(args), {
    conn: (c) => (json ? out.line(connJson(c)) : conns.push(c)),
  }, signal);
  if (!json) {
    conns.sort((a, b) => a.first_frame - b.first_frame);
    // Cells made again for each of the table's two passes, not held: a capture can hold millions of instances.
    writeTable(CONN_HEADER, function* () {
      for (const c of conns) yield connCells(c);
    }, (line) => out.line(line));
    out.line('');
    out.line(CONN_LEGEND);
  }
  return reportDamage(input.name, result) ? 2 : 0;
}
