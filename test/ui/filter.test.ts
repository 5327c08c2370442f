import { describe, expect, it } from 'vitest';
import { compileFilter, describeFilterError, FilterError } from '../../src/dissect/filter/index.js';
import { finding } from '../../src/dissect/findings.js';
import { packFindings } from '../../src/store/findings.js';
import { Session } from '../../src/ui/data/session.js';
import { CAPTURES_DIR } from '../helpers/captures.js';
import { lines, vsockscope } from '../cli/run.js';
import { loaded, LOST_END } from './helpers.js';

const SEQ = `${CAPTURES_DIR}linux-6.1-loopback/seqpacket-loopback.pcap`;
const HOST = `${CAPTURES_DIR}linux-6.1-virtio-host/virtio-host.pcap`;

/** The frames `vsockscope read -Y` selects (the built binary). */
function readSelects(filter: string, path: string): number[] {
  const r = vsockscope(['read', '-Y', filter, path]);
  expect(r.status).toBe(0);
  return lines(r.stdout).filter((l) => /^ *\d+ /.test(l)).map((l) => Number.parseInt(l, 10));
}

async function tuiSelects(filter: string, path: string): Promise<number[]> {
  const session = await loaded(path);
  expect(session.setFilter(filter)).toBeUndefined();
  while (session.filter!.pending) session.filter!.step(1000);
  const frames = [...session.filter!.matches.view()];
  session.close();
  return frames;
}

describe('display filter', () => {
  it.each([
    ['vsock.virtio.op == RW && vsock.virtio.len > 60000', SEQ],
    ['vsock.virtio.flags.eor || vsock.virtio.op == SEQ_END', SEQ],
    ['vsock.malformed.payload_len', HOST],
    ['!(vsock.virtio.op == CREDIT_UPDATE) && frame.number > 10', HOST],
  ])('%s selects the frames read -Y selects', async (filter, path) => {
    const expected = readSelects(filter, path);
    expect(expected.length).toBeGreaterThan(0);
    expect(await tuiSelects(filter, path)).toEqual(expected);
  });

  it('sees findings the engine reports after the frame has gone by, as read -Y does with its first pass', async () => {
    // The truth file of lost-end.pcap puts vsock.seq.lost_end on frame 21; the engine only
    // decides it at frame 24, after a single pass has gone by frame 21.
    expect(await tuiSelects('vsock.seq.lost_end', LOST_END)).toEqual([21]);
    expect(readSelects('vsock.seq.lost_end', LOST_END)).toEqual([21]);
  });

  it('tests again a frame that gets a finding after it was tested', async () => {
    const session = await loaded(LOST_END);
    session.setFilter('vsock.seq.cnt_gap');
    while (session.filter!.pending) session.filter!.step(1000);
    expect(session.filter!.matches.length).toBe(0);
    session.findings.addKept(packFindings([finding('vsock.seq.cnt_gap', 5, 'a late finding')]));
    expect(session.filter!.pending).toBe(true);
    session.filter!.step(1000);
    expect([...session.filter!.matches.view()]).toEqual([5]);
    session.close();
  });

  it('runs alongside loading and ends with every match', async () => {
    const session = await Session.open(HOST);
    expect(session.load.phase).toBe('loading');
    session.setFilter('vsock.malformed.payload_len');
    await session.whenLoaded();
    await new Promise<void>((resolve) => {
      const check = () => (session.filterDone ? resolve() : setTimeout(check, 5));
      check();
    });
    expect([...session.filter!.matches.view()]).toEqual(readSelects('vsock.malformed.payload_len', HOST));
    session.close();
  });

  it('a bad filter is refused with the message read -Y gives, and the current filter stays', async () => {
    const session = await loaded(LOST_END);
    session.setFilter('vsock.virtio.op == SEQ_BEGIN');
    const bad = 'vsock.src_cdi == 3';
    let expected = '';
    try {
      compileFilter(bad);
    } catch (e) {
      expected = describeFilterError(bad, e as FilterError);
    }
    expect(session.setFilter(bad)).toBe(expected);
    expect(expected).toMatch(/did you mean 'vsock.src_cid'/);
    expect(session.filter?.text).toBe('vsock.virtio.op == SEQ_BEGIN');
    expect(session.setFilter('  ')).toBeUndefined();
    expect(session.filter).toBeUndefined();
    session.close();
  });
});
