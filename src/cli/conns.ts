// `vsockscope conns FILE|-`: one row per connection instance.

import type { ConnSummary } from '../reassembly/index.js';
import { CONN_HEADER, CONN_LEGEND, connCells } from './conn-rows.js';
import { connJson } from './analysis-json.js';
import { analyze, ANALYSIS_OPTIONS, engineOptions } from './analysis.js';
import { parseArgs, type OptionSpecs } from './args.js';
import { reportDamage, UsageError } from './errors.js';
import type { Output } from './output.js';
import { table } from './table.js';

export const CONNS_OPTIONS: OptionSpecs = {
  json: { kind: 'flag', help: 'one conn line per connection instance' },
  ...ANALYSIS_OPTIONS,
};

export async function connsCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, CONNS_OPTIONS);
  if (args.positionals.length !== 1) throw new UsageError('conns needs exactly one input: a capture file or - for stdin');
  const input = args.positionals[0]!;
  const json = args.options.json === true;
  const conns: ConnSummary[] = [];
  const result = await analyze(input, engineOptions(args), {
    conn: (c) => (json ? out.line(connJson(c)) : conns.push(c)),
  });
  if (!json) {
    conns.sort((a, b) => a.first_frame - b.first_frame);
    for (const line of table(CONN_HEADER, conns.map(connCells))) out.line(line);
    out.line('');
    out.line(CONN_LEGEND);
  }
  return reportDamage(input, result) ? 2 : 0;
}
