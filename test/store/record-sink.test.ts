import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/cli/analysis.js';
import type { Dialect, EngineOptions, RecordResult, RecordSink, RecordStatus } from '../../src/reassembly/index.js';
import { RecordPacker, RecordStore } from '../../src/store/records.js';
import { captureFiles } from '../helpers/captures.js';

interface Stored {
  /** Every group's records in index order, as the Records view lists them. */
  readonly groups: (readonly [string, string, RecordResult[]])[];
  /** How many came as `record` events, and how many through the sink, by whether a finding decided them. */
  readonly events: { readonly decided: number; readonly undecided: number };
  readonly sunk: number;
}

/** A capture's records packed and stored as the TUI's loader does, with or without the engine's record sink. */
async function stored(path: string, options: EngineOptions, useSink: boolean): Promise<Stored> {
  const packer = new RecordPacker();
  const events = { decided: 0, undecided: 0 };
  let sunk = 0;
  const sink: RecordSink = {
    record(stream: number, conn: string, dir: string, dialect: Dialect, index: number, status: RecordStatus,
      msgCnt: number | null, msgLen: number | null, received: number, first: number | null, last: number | null, eor: boolean, copied: number) {
      sunk++;
      packer.record(stream, conn, dir, dialect, index, status, msgCnt, msgLen, received, first, last, eor, copied);
    },
  };
  await analyze(path, { ...options, ...(useSink ? { recordSink: sink } : {}) }, {
    record: (r: RecordResult, stream: number) => {
      if (r.reason === undefined) events.undecided++;
      else events.decided++;
      packer.add(r, stream, undefined);
    },
  });
  const store = new RecordStore();
  store.add(packer.take());
  const groups = store.allGroups().map((g) => [g.conn, g.dir, Array.from({ length: g.rows.length }, (_, i) => store.get(store.rowOf(g, i)).record)] as const);
  return { groups: [...groups].sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1])), events, sunk };
}

describe('the engine\'s record sink', () => {
  // A small --rcvbuf makes some delivered records MSG_TRUNC (their `copied` goes through the sink too).
  it.each(captureFiles().flatMap((path) => [[path, {}], [path, { rcvbuf: 100 }]] as const))(
    '%s %o: the records the sink and the events hand over are the records the events alone give', async (path, options) => {
      const alone = await stored(path, options, false);
      const withSink = await stored(path, options, true);
      expect(withSink.groups).toEqual(alone.groups);
      expect(alone.sunk).toBe(0);
      // Records a finding decided still come as events; so do undecided ones while a finding is held back.
      expect(withSink.events.decided).toBe(alone.events.decided);
      expect(withSink.sunk + withSink.events.undecided).toBe(alone.events.undecided);
    },
  );

  it('takes most records, MSG_TRUNC ones too, and leaves to the events those behind a held-back finding', async () => {
    let sunk = 0;
    let undecidedEvents = 0;
    let truncated = 0;
    for (const path of captureFiles()) {
      const s = await stored(path, { rcvbuf: 100 }, true);
      sunk += s.sunk;
      undecidedEvents += s.events.undecided;
      truncated += s.groups.flatMap(([, , records]) => records).filter((r) => r.truncated).length;
    }
    expect(sunk).toBeGreaterThan(undecidedEvents);
    expect(undecidedEvents).toBeGreaterThan(0);
    expect(truncated).toBeGreaterThan(0);
  });
});
