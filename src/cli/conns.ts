// `vsockscope conns FILE|-`: one row per connection instance.

import type { ConnSummary, DirSummary } from '../reassembly/index.js';
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

function records(d: DirSummary): string {
  return `${d.records.delivered}/${d.records.dropped + d.records.orphan}/${d.records.lost}`;
}

function windowFull(d: DirSummary): string {
  return d.window_full_s === null ? '-' : d.window_full_s.toFixed(3);
}

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
    const rows = conns.map((c) => {
      const [ab, ba] = c.dirs;
      return [
        c.id, String(c.first_frame), c.type, c.dialect ?? '-', c.state + (c.midstream ? ' (midstream)' : ''),
        (c.last_time - c.first_time).toFixed(3),
        `${ab.frames}/${ab.bytes}`, `${ba.frames}/${ba.bytes}`, records(ab), records(ba),
        String(ab.findings + ba.findings), windowFull(ab), windowFull(ba),
      ];
    });
    for (const line of table(['connection', 'first', 'type', 'dialect', 'state', 'duration_s', 'frames/bytes >', 'frames/bytes <',
      'rec >', 'rec <', 'findings', 'full_s >', 'full_s <'], rows)) out.line(line);
    out.line('');
    out.line('> initiator to responder, < back; rec: delivered/dropped/lost; full_s: seconds the sender had its window full');
  }
  return reportDamage(input, result) ? 2 : 0;
}
