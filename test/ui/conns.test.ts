import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/dissect/encode.js';
import type { ConnSummary } from '../../src/reassembly/index.js';
import { packConns } from '../../src/store/conns.js';
import { ConnTable } from '../../src/ui/data/conns.js';
import { decode } from '../helpers/packets.js';

/** A frame numbered n from a:aPort to b:bPort. */
function frame(n: number, a: string, b: string) {
  const [srcCid, srcPort] = a.split(':').map(Number);
  const [dstCid, dstPort] = b.split(':').map(Number);
  return decode(encodeFrame({
    virtio: { src_cid: srcCid!, src_port: srcPort!, dst_cid: dstCid!, dst_port: dstPort!, type: 2, op: 6, flags: 0, buf_alloc: 1, fwd_cnt: 0 },
  }), { number: n });
}

/** An instance summary; `state` tells a live snapshot from an ended summary. */
function instance(id: string, first: number, last: number, state: ConnSummary['state']): ConnSummary {
  const [a, b] = id.split('-');
  const dir = (name: string) => ({ dir: name, frames: 1, bytes: 0, records: { delivered: 0, dropped: 0, orphan: 0, lost: 0, incomplete: 0 }, findings: 0, window_full_s: 0 });
  return {
    id, first_frame: first, last_frame: last, type: 'SEQPACKET', dialect: null, state, midstream: false, first_time: first, last_time: last,
    dirs: [dir(`${a}>${b}`), dir(`${b}>${a}`)],
  };
}

const packed = (...conns: ConnSummary[]) => packConns(conns);
const listed = (table: ConnTable) => table.slice(0, table.count());

describe('connection table', () => {
  it("finds a frame's instance among ended ones and live snapshots, preferring an ended summary", () => {
    const table = new ConnTable();
    table.add(packed(instance('3:1025-2:5000', 1, 10, 'reset')));
    table.setLive(packed(instance('3:1025-2:5000', 1, 9, 'established'), instance('3:1025-2:5000', 20, 25, 'established')));
    expect(table.instanceOf(frame(5, '2:5000', '3:1025'))).toMatchObject({ first_frame: 1, state: 'reset' });
    expect(table.instanceOf(frame(22, '3:1025', '2:5000'))).toMatchObject({ first_frame: 20, state: 'established' });
    // Asked before, the ended index takes later conn events too.
    table.add(packed(instance('3:1025-2:5000', 20, 30, 'closed')));
    table.clearLive();
    expect(table.instanceOf(frame(22, '3:1025', '2:5000'))).toMatchObject({ first_frame: 20, state: 'closed' });
    expect(table.instanceOf(frame(15, '3:1025', '2:5000'))).toMatchObject({ first_frame: 1 });
    expect(table.instanceOf(frame(15, '3:1026', '2:5000'))).toBeUndefined();
    expect(listed(table).map((c) => c.first_frame)).toEqual([1, 20]);
  });

  it('finds an instance listed under either orientation of its 4-tuple', () => {
    const table = new ConnTable();
    table.add(packed(instance('2:5000-3:1025', 1, 4, 'reset'))); // a capture that started mid-connection: lower pair first
    table.add(packed(instance('3:1025-2:5000', 6, 9, 'closed')));
    expect(table.instanceOf(frame(3, '3:1025', '2:5000'))).toMatchObject({ first_frame: 1 });
    expect(table.instanceOf(frame(7, '2:5000', '3:1025'))).toMatchObject({ first_frame: 6 });
  });

  it('forgets instances --ring dropped, also from an index built before', () => {
    const table = new ConnTable();
    table.add(packed(instance('3:1025-2:5000', 1, 4, 'reset')));
    table.add(packed(instance('3:1025-2:5000', 6, 9, 'closed')));
    expect(table.instanceOf(frame(5, '3:1025', '2:5000'))).toMatchObject({ first_frame: 1 });
    table.dropBefore(5);
    expect(table.instanceOf(frame(5, '3:1025', '2:5000'))).toBeUndefined();
    expect(listed(table).map((c) => c.first_frame)).toEqual([6]);
  });

  it('lists ended instances and live snapshots by first frame, whatever order their events came in', () => {
    const table = new ConnTable();
    // conn events go out when an instance ends: not in first-frame order.
    table.add(packed(instance('3:2-2:5000', 5, 6, 'reset'), instance('3:1-2:5000', 2, 9, 'closed')));
    table.setLive(packed(instance('3:1-2:5000', 2, 8, 'established'), instance('3:3-2:5000', 7, 8, 'established'), instance('3:4-2:5000', 12, 12, 'requested')));
    expect(listed(table).map((c) => [c.first_frame, c.state])).toEqual([[2, 'closed'], [5, 'reset'], [7, 'established'], [12, 'requested']]);
    table.add(packed(instance('3:5-2:5000', 1, 3, 'reset'), instance('3:3-2:5000', 7, 10, 'closed')));
    expect(listed(table).map((c) => [c.first_frame, c.state])).toEqual([[1, 'reset'], [2, 'closed'], [5, 'reset'], [7, 'closed'], [12, 'requested']]);
    expect(table.count()).toBe(5);
    expect(table.at(3)?.id).toBe('3:3-2:5000');
    expect(table.at(5)).toBeUndefined();
    expect(table.rowOf('3:4-2:5000')).toBe(4);
    expect(table.rowOf('3:9-2:5000')).toBe(-1);
    table.dropBefore(4);
    expect(listed(table).map((c) => c.first_frame)).toEqual([2, 5, 7, 12]);
  });
});
