import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/ui/data/session.js';
import { frameDetailRows } from '../../src/ui/present/detail.js';
import { helpLines } from '../../src/ui/present/help.js';
import { KEY_BINDINGS } from '../../src/ui/state/keys.js';
import { packetsLayout } from '../../src/ui/state/layout.js';
import type { UiStore } from '../../src/ui/state/store.js';
import { loadedStore, LOST_END, press, SCREEN } from './helpers.js';

let store: UiStore;
const state = () => store.getState();
const session = (): Session => store.session;

async function open(path = LOST_END) {
  store = await loadedStore(path);
}

async function filterDone(): Promise<void> {
  while (!session().filterDone) await new Promise((r) => setTimeout(r, 2));
}

afterEach(() => {
  store.dispose();
  store.session.close();
});

describe('keys in the packet list', () => {
  it('moves with arrows, j/k, pages, g/G and Home/End, keeping the selection in view', async () => {
    await open();
    const list = packetsLayout(SCREEN).list;
    expect(state()).toMatchObject({ view: 'packets', pane: 'list', selected: 1, listTop: 0 });
    press(store, 'down', 'j');
    expect(state().selected).toBe(3);
    press(store, 'k', 'up', 'up');
    expect(state().selected).toBe(1);
    press(store, 'pagedown');
    expect(state()).toMatchObject({ selected: 1 + list, listTop: 1 });
    press(store, 'pageup');
    expect(state()).toMatchObject({ selected: 1, listTop: 0 });
    press(store, 'G');
    expect(state()).toMatchObject({ selected: 43, listTop: 43 - list });
    press(store, 'g');
    expect(state()).toMatchObject({ selected: 1, listTop: 0 });
    press(store, 'end', 'home', 'ctrl-f');
    expect(state().selected).toBe(1 + list);
  });

  it('takes keys typed faster than they are read one by one', async () => {
    await open();
    store.key('jjj', {});
    expect(state().selected).toBe(4);
    store.key('jj\r', {}); // ink names none of them: the Enter is still an Enter
    expect(state()).toMatchObject({ selected: 6, pane: 'detail' });
  });

  it('n and N go to the next and previous frame with a finding', async () => {
    await open();
    press(store, 'n');
    expect(state().selected).toBe(21);
    press(store, 'n');
    expect(state()).toMatchObject({ selected: 21, notice: 'no frame with a finding after this one' });
    press(store, 'G', 'N');
    expect(state().selected).toBe(21);
  });

  it('Tab and Shift-Tab cycle the panes; Enter opens the tree; Esc goes back to the list', async () => {
    await open();
    press(store, 'tab');
    expect(state().pane).toBe('detail');
    press(store, 'tab');
    expect(state().pane).toBe('hex');
    press(store, 'tab');
    expect(state().pane).toBe('list');
    press(store, 'shift-tab');
    expect(state().pane).toBe('hex');
    press(store, 'esc', 'enter');
    expect(state().pane).toBe('detail');
    press(store, 'esc');
    expect(state().pane).toBe('list');
  });
});

describe('keys in the detail tree', () => {
  it('expands and collapses nodes, and keeps that from frame to frame', async () => {
    await open();
    press(store, 'n', 'enter');
    const rows = () => frameDetailRows(session(), state().selected, state().detail.toggled);
    // Headers start closed; the findings start open.
    expect(rows().map((r) => [r.depth, r.label.split(':')[0], r.expanded])).toEqual([
      [0, 'Frame 21', false], [0, 'vsockmon header (af_vsockmon_hdr)', false], [0, 'virtio-vsock header (virtio_vsock_hdr)', false],
      [0, 'SEQPACKET marker (virtio_vsock_seq_hdr)', false], [0, 'Expert info', true], [1, '[error] vsock.seq.lost_end', false],
    ]);
    press(store, 'down', 'down', 'right');
    expect(rows()[2]).toMatchObject({ label: 'virtio-vsock header (virtio_vsock_hdr)', expanded: true });
    expect(rows()[3]!.label).toBe('Source CID: 3');
    press(store, 'right');
    expect(state().detail.row).toBe(3);
    press(store, 'left');
    expect(state().detail.row).toBe(2);
    press(store, 'left');
    expect(rows()[2]!.expanded).toBe(false);
    press(store, 'enter');
    expect(rows()[2]!.expanded).toBe(true);
    press(store, 'esc', 'j', 'tab');
    expect(state().selected).toBe(22);
    expect(rows()[2]).toMatchObject({ label: 'virtio-vsock header (virtio_vsock_hdr)', expanded: true });
    press(store, 'G');
    expect(state().detail.row).toBe(rows().length - 1);
  });
});

describe('keys in the other views', () => {
  it('Connections: Enter opens its records; d and Tab switch direction; Esc goes back', async () => {
    await open();
    press(store, 'c');
    expect(state().view).toBe('conns');
    press(store, 'enter');
    expect(state()).toMatchObject({ view: 'records', records: { conn: '3:50471-2:5000', dir: '3:50471>2:5000', row: 0 } });
    press(store, 'd');
    expect(state().records.dir).toBe('2:5000>3:50471');
    press(store, 'tab');
    expect(state().records.dir).toBe('3:50471>2:5000');
    press(store, 'esc');
    expect(state()).toMatchObject({ view: 'conns', conns: { row: 0 } });
  });

  it('Records: Enter goes to the first frame, e to where the loss showed, and to the SEQ_END of a delivered record', async () => {
    await open();
    press(store, 'c', 'enter', 'j', 'j', 'j', 'j');
    expect(state().records.row).toBe(4); // msg_cnt 8, dropped: vsock.seq.lost_end
    press(store, 'enter');
    expect(state()).toMatchObject({ view: 'packets', selected: 19 });
    press(store, 'r');
    expect(state()).toMatchObject({ view: 'records', records: { row: 4 } });
    press(store, 'e');
    expect(state()).toMatchObject({ view: 'packets', selected: 21 });
    press(store, 'r', 'k', 'e');
    expect(state().selected).toBe(17); // record msg_cnt 6, delivered: its SEQ_END
  });

  it("r opens the records of the selected frame's connection and direction", async () => {
    await open();
    press(store, 'j', 'r');
    expect(state().records).toMatchObject({ conn: '3:50471-2:5000', dir: '2:5000>3:50471' });
  });

  it('Findings: codes with counts, expanded with right; Enter goes to the frame with the finding under the cursor', async () => {
    await open();
    press(store, 'f');
    expect(state().view).toBe('findings');
    press(store, 'right');
    expect([...state().findings.expanded]).toEqual(['vsock.seq.lost_end']);
    press(store, 'down', 'left');
    expect(state().findings.row).toBe(0);
    press(store, 'left');
    expect(state().findings.expanded.size).toBe(0);
    press(store, 'enter');
    expect(state()).toMatchObject({ view: 'packets', pane: 'detail', selected: 21 });
    const rows = frameDetailRows(session(), 21, state().detail.toggled);
    expect(rows[state().detail.row]).toMatchObject({ field: 'vsock.seq.lost_end' });
    const height = packetsLayout(SCREEN).detail;
    expect(state().detail.row - state().detail.top).toBeLessThan(height);
  });
});

describe('the filter bar', () => {
  it('/ opens it; Enter applies the filter; the selection moves to the match at or after it', async () => {
    await open();
    press(store, 'j', 'j', 'j', 'j', '/');
    expect(state().filterDraft).toBe('');
    store.key('vsock.virtio.op == SEQ_ENDx', {});
    press(store, 'backspace', 'enter');
    expect(state().filterDraft).toBeUndefined();
    await filterDone();
    expect(session().filter!.text).toBe('vsock.virtio.op == SEQ_END');
    expect(session().rowCount()).toBe(9); // ten records, one SEQ_END lost
    expect(state().selected).toBe(5);
    press(store, 'j');
    expect(state().selected).toBe(9);
    press(store, '/', 'ctrl-u', 'enter');
    expect(session().filter).toBeUndefined();
    expect(state().selected).toBe(9);
  });

  it('a filter typed and applied in one read (pasted, or typed faster than read): its Enter, backspace and ctrl-u are keys, not text', async () => {
    await open();
    press(store, '/');
    store.key('vsock.src_cid\x15vsock.virtio.op == SEQ_ENDx\x7f\r', {});
    expect(state().filterDraft).toBeUndefined();
    await filterDone();
    expect(session().filter!.text).toBe('vsock.virtio.op == SEQ_END');
    expect(session().rowCount()).toBe(9);
    press(store, '/');
    store.key('vsock.seq\x01\t!', {}); // other control keys and tab type nothing
    expect(state().filterDraft).toBe('vsock.virtio.op == SEQ_ENDvsock.seq!');
  });

  it('a bad filter shows its error and keeps the view and the filter in force', async () => {
    await open();
    press(store, 'c', '/');
    store.key('vsock.virtio.op == SEQ_BEGIN', {});
    press(store, 'enter');
    await filterDone();
    press(store, '/', 'ctrl-u');
    store.key('vsock.src_cdi == 3', {});
    press(store, 'enter');
    expect(state().filterError).toMatch(/^display filter error: unknown field 'vsock.src_cdi' \(did you mean 'vsock.src_cid'\?\)/);
    expect(state()).toMatchObject({ view: 'conns', filterDraft: 'vsock.src_cdi == 3' });
    expect(session().filter!.text).toBe('vsock.virtio.op == SEQ_BEGIN');
    press(store, 'esc');
    expect(state()).toMatchObject({ filterDraft: undefined, filterError: undefined, view: 'conns' });
  });

  it('going to a frame the filter hides clears the filter and says so', async () => {
    await open();
    press(store, '/');
    store.key('vsock.virtio.op == SEQ_END', {});
    press(store, 'enter');
    await filterDone();
    press(store, 'f', 'enter');
    expect(session().filter).toBeUndefined();
    expect(state()).toMatchObject({ selected: 21, notice: 'frame 21 was hidden by the filter: filter cleared' });
  });
});

describe('help, quit and resize', () => {
  it('? shows every key binding; Esc closes it', async () => {
    await open();
    press(store, '?');
    expect(state().help.open).toBe(true);
    const text = helpLines().join('\n');
    for (const b of KEY_BINDINGS) expect(text).toContain(`${b.keys.join(' ')}`);
    press(store, 'c');
    expect(state().view).toBe('packets');
    press(store, 'esc');
    expect(state().help.open).toBe(false);
  });

  it('q and Ctrl-C quit', async () => {
    await open();
    press(store, 'q');
    expect(state().quit).toBe(true);
    store.dispose();
    store = await loadedStore(LOST_END);
    press(store, '/', 'ctrl-c');
    expect(state().quit).toBe(true);
  });

  it('a smaller screen keeps the selection in view', async () => {
    await open();
    press(store, 'G');
    store.dispatch({ type: 'resize', size: { columns: 60, rows: 12 } });
    const list = packetsLayout(state().size).list;
    expect(list).toBeLessThan(packetsLayout(SCREEN).list);
    expect(state().listTop).toBe(43 - list);
  });
});
