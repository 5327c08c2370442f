// `vsockscope records FILE|-`: what the reference receiver did with each record,
// per connection and direction.

import { RecordPacker, RecordStore } from '../store/records.js';
import { recordJson } from './analysis-json.js';
import { RECORD_HEADER, recordCells } from './record-rows.js';
import { analyze, ANALYSIS_OPTIONS, engineOptions } from './analysis.js';
import { parseArgs, type OptionSpecs } from './args.js';
import { reportDamage } from './errors.js';
import { inputArgument, INPUT_OPTIONS } from './input.js';
import type { Output } from './output.js';
import { writeTable } from './table.js';

/** Records packed before they join the store. */
const PACK_RECORDS = 8192;

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
  // Packed as they come (40 bytes a record, not an object and a row of strings): a capture
  // can hold millions of records, and the table is written only once they are all in.
  const packer = new RecordPacker();
  const store = new RecordStore();
  const result = await analyze(input, engineOptions(args), {
    record: (r, stream) => {
      if (wanted !== undefined && r.conn !== wanted) return;
      if (json) {
        out.line(recordJson(r));
        return;
      }
      packer.add(r, stream, undefined);
      if (packer.pending >= PACK_RECORDS) store.add(packer.take());
    },
  }, signal);
  if (!json) {
    store.add(packer.take());
    // By connection and direction, in the order each direction's first record was decided; each by index.
    const rows = function* (): Iterable<string[]> {
      for (const group of store.allGroups()) {
        for (let i = 0; i < group.rows.length; i++) {
          const r = store.get(store.rowOf(group, i)).record;
          yield [r.dir, ...recordCells(r)];
        }
      }
    };
    writeTable(['direction', ...RECORD_HEADER], rows, (line) => out.line(line));
    if (store.count === 0) out.line(wanted === undefined ? 'no SEQPACKET records in this capture' : `no records for connection ${wanted}`);
  }
  return reportDamage(input.name, result) ? 2 : 0;
}
