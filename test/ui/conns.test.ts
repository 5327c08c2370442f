import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/dissect/encode.js';
import type { ConnSummary } from '../../src/reassembly/index.js';
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

/** The fields the table reads; `state` tells a live snapshot from an ended summary. */
function instance(id: string, first: number, last: number, state: ConnSummary['state']): ConnSummary {
  return { id, first_frame: first, last_frame: last, state } as ConnSummary;
}

describe('connection table', () => {
  it("finds a frame's instance among ended ones and live snapshots, preferring an ended summary", () => {
    const table = new ConnTable();
    table.add(instance('3:1025-2:5000', 1, 10, 'reset'));
    table.setLive([instance('3:1025-2:5000', 1, 9, 'established'), instance('3:1025-2:5000', 20, 25, 'established')]);
    expect(table.instanceOf(frame(5, '2:5000', '3:1025'))).toMatchObject({ first_frame: 1, state: 'reset' });
    expect(table.instanceOf(frame(22, '3:1025', '2:5000'))).toMatchObject({ first_frame: 20, state: 'established' });
    // Asked before, the ended index takes later conn events too.
    table.add(instance('3:1025-2:5000', 20, 30, 'closed'));
    table.setLive([]);
    expect(table.instanceOf(frame(22, '3:1025', '2:5000'))).toMatchObject({ first_frame: 20, state: 'closed' });
    expect(table.instanceOf(frame(15, '3:1025', '2:5000'))).toMatchObject({ first_frame: 1 });
    expect(table.instanceOf(frame(15, '3:1026', '2:5000'))).toBeUndefined();
    expect(table.all().map((c) => c.first_frame)).toEqual([1, 20]);
  });

  it('finds an instance listed under either orientation of its 4-tuple', () => {
    const table = new ConnTable();
    table.add(instance('2:5000-3:1025', 1, 4, 'reset')); // a capture that started mid-connection: lower pair first
    table.add(instance('3:1025-2:5000', 6, 9, 'closed'));
    expect(table.instanceOf(frame(3, '3:1025', '2:5000'))).toMatchObject({ first_frame: 1 });
    expect(table.instanceOf(frame(7, '2:5000', '3:1025'))).toMatchObject({ first_frame: 6 });
  });

  it('forgets instances --ring dropped, also from an index built before', () => {
    const table = new ConnTable();
    table.add(instance('3:1025-2:5000', 1, 4, 'reset'));
    table.add(instance('3:1025-2:5000', 6, 9, 'closed'));
    expect(table.instanceOf(frame(5, '3:1025', '2:5000'))).toMatchObject({ first_frame: 1 });
    table.dropBefore(5);
    expect(table.instanceOf(frame(5, '3:1025', '2:5000'))).toBeUndefined();
    expect(table.all().map((c) => c.first_frame)).toEqual([6]);
  });
});
