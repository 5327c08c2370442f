import { describe, expect, it } from 'vitest';
import type { RecordResult } from '../../src/reassembly/index.js';
import { RecordPacker, RecordStore } from '../../src/store/records.js';

// With the engine's stream number of each (conn, dir).
const A = { conn: '3:1000-2:5000', dir: '3:1000>2:5000', stream: 0 };
const B = { conn: '3:1000-2:5000', dir: '2:5000>3:1000', stream: 1 };

function rec(at: { conn: string; dir: string }, index: number, frame: number): RecordResult {
  return {
    type: 'record', conn: at.conn, dir: at.dir, dialect: 'v4', index, msg_cnt: 2 * index, msg_len: 10, received: 10,
    first_frame: frame, last_frame: frame + 1, status: 'delivered', eor: false, truncated: false,
  };
}

/** The indexes of a group's records, in the order the store lists them. */
function listed(store: RecordStore, at: { conn: string; dir: string }): number[] {
  const group = store.group(at.conn, at.dir);
  if (group === undefined) return [];
  return Array.from({ length: group.rows.length }, (_, i) => store.get(store.rowOf(group, i)).record.index);
}

describe('record store', () => {
  it('lists each direction by index, also records that arrive after a group was shown', () => {
    const packer = new RecordPacker();
    const store = new RecordStore();
    // Decided out of index order, as held-back losses make them.
    for (const [at, i, frame] of [[A, 1, 10], [B, 0, 12], [A, 0, 2]] as const) packer.add(rec(at, i, frame), at.stream, undefined);
    store.add(packer.take());
    expect(listed(store, A)).toEqual([0, 1]);
    expect(listed(store, B)).toEqual([0]);
    for (const [at, i, frame] of [[B, 2, 40], [A, 2, 30], [B, 1, 20]] as const) packer.add(rec(at, i, frame), at.stream, undefined);
    store.add(packer.take());
    expect(listed(store, A)).toEqual([0, 1, 2]);
    expect(listed(store, B)).toEqual([0, 1, 2]);
    expect(store.get(store.rowOf(store.group(B.conn, B.dir)!, 2)).record).toEqual(rec(B, 2, 40));
  });

  it('forgets dropped records (--ring), whether or not their group was listed before', () => {
    const packer = new RecordPacker();
    const store = new RecordStore();
    for (let i = 0; i < 4; i++) packer.add(rec(A, i, 10 * (i + 1)), A.stream, undefined);
    store.add(packer.take());
    expect(listed(store, A)).toEqual([0, 1, 2, 3]);
    // Records involving only frames before 25 go: A's 0 and 1 (A was listed).
    store.dropBefore(25);
    expect(listed(store, A)).toEqual([2, 3]);
    for (let i = 0; i < 4; i++) packer.add(rec(B, i, 100 + 10 * i), B.stream, undefined);
    store.add(packer.take());
    // Before 115: the rest of A's, and B's 0 and 1, which no list holds yet.
    store.dropBefore(115);
    expect(listed(store, B)).toEqual([2, 3]);
    expect(listed(store, A)).toEqual([]);
  });
});
