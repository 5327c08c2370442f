// `vsockscope conns FILE|-`: one row per connection instance.

import { ConnPacker, ConnRows } from '../store/conns.js';
import { SortedOrder } from '../store/sorted-order.js';
import { CONN_HEADER, CONN_LEGEND, connCells } from './conn-rows.js';
import { connJson } from './analysis-json.js';
import { analyze, ANALYSIS_OPTIONS, engineOptions } from './analysis.js';
import { parseArgs, type OptionSpecs } from './args.js';
import { reportDamage } from './errors.js';
import { inputArgument, INPUT_OPTIONS } from './input.js';
import type { Output } from './output.js';
import { writeTable } from './table.js';

/** Instances packed before they join the rows (ConnRows keeps pages: no array copied whole as it grows). */
const PACK_BATCH = 4096;

export const CONNS_OPTIONS: OptionSpecs = {
  json: { kind: 'flag', help: 'one conn line per connection instance' },
  ...ANALYSIS_OPTIONS,
  ...INPUT_OPTIONS,
};

export async function connsCommand(argv: readonly string[], out: Output, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, CONNS_OPTIONS);
  const input = inputArgument(args, 'conns');
  const json = args.options.json === true;
  // Packed as they come (store/conns.ts): a capture can hold millions of instances, and a
  // summary object costs ~900 bytes where a packed row costs ~250.
  const rows = new ConnRows();
  const packer = new ConnPacker();
  const result = await analyze(input, engineOptions(args), {
    conn: (c) => {
      if (json) return out.line(connJson(c));
      packer.add(c);
      if (packer.length === PACK_BATCH) rows.append(packer.take());
    },
  }, signal);
  if (!json) {
    rows.append(packer.take());
    const order = new SortedOrder((row) => rows.firstFrame(row)).items(rows.length);
    // Cells made again for each of the table's two passes, not held.
    writeTable(CONN_HEADER, function* () {
      for (const row of order) yield connCells(rows.summary(row));
    }, (line) => out.line(line));
    out.line('');
    out.line(CONN_LEGEND);
  }
  return reportDamage(input.name, result) ? 2 : 0;
}
