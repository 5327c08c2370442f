import { afterEach, describe, expect, it, vi } from 'vitest';

// Styles on, so that colours, inverse rows and NO_COLOR can be checked (chalk reads this once, at load).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { CAPTURES_DIR } from '../helpers/captures.js';
import { Session } from '../../src/ui/data/session.js';
import { colorWanted } from '../../src/ui/launch.js';
import { helpLines } from '../../src/ui/present/help.js';
import { UiStore } from '../../src/ui/state/store.js';
import { App } from '../../src/ui/view/app.js';
import { inkKey, loadedStore, LOST_END, SCREEN, writeHostileCapture } from './helpers.js';

const SGR = /\x1b\[[\d;]*m/g;
const plain = (s: string) => s.replace(SGR, '');
const tick = () => new Promise((r) => setTimeout(r, 20));

let app: ReturnType<typeof render> | undefined;
let store: UiStore | undefined;

async function show(path: string, { color = true, size = SCREEN } = {}) {
  store = await loadedStore(path, size);
  app = render(h(App, { store, color }));
  return app;
}

async function keys(...names: string[]) {
  for (const name of names) {
    const [input, key] = inkKey(name);
    // Raw terminal bytes for the keys ink parses from escape sequences.
    const raw: Record<string, string> = { enter: '\r', esc: '\x1b', tab: '\t', down: '\x1b[B', up: '\x1b[A', right: '\x1b[C', left: '\x1b[D', pagedown: '\x1b[6~' };
    app!.stdin.write(raw[name] ?? (key.ctrl ? String.fromCharCode(input.charCodeAt(0) - 96) : input));
    await tick();
  }
}

/** The screen's lines without styles or trailing blanks. */
function screen(): string[] {
  return plain(app!.lastFrame()!).split('\n').map((l) => l.trimEnd());
}

function line(containing: string): string {
  return app!.lastFrame()!.split('\n').find((l) => plain(l).includes(containing)) ?? '';
}

afterEach(() => {
  app?.unmount();
  store?.dispose();
  store?.session.close();
  app = undefined;
  store = undefined;
});

describe('the screen', () => {
  it('fills the terminal but one row, no line wider than it', async () => {
    await show(LOST_END);
    for (const size of [SCREEN, { columns: 100, rows: 40 }, { columns: 60, rows: 12 }]) {
      store!.dispatch({ type: 'resize', size });
      await tick();
      const lines = screen();
      expect(lines).toHaveLength(size.rows - 1);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(size.columns);
    }
  });

  it('packet list: the summary columns, the selected row inverse, rows with findings marked and coloured', async () => {
    await show(LOST_END);
    const lines = screen();
    expect(lines[0]).toMatch(/^ 1 Packets  2 Connections  3 Records  4 Findings +\? help  q quit$/);
    expect(lines[1]).toMatch(/^ +No\. +Time Source +Destination Type +Op +Len Info *$/);
    expect(lines[2]).toMatch(/^ +1 0\.000000 3:50471 2:5000 +SEQPACKET REQUEST +76 len=0 buf_alloc/);
    expect(line('    1 0.000000')).toContain('\x1b[7m');
    await keys('n');
    const flagged = line(' 21 0.089694');
    expect(plain(flagged)).toMatch(/^E +21 0\.089694 3:50471 2:5000 +SEQPACKET SEQ_BEGIN +84 len=8 msg_cnt=1$/);
    expect(flagged).toContain('\x1b[31m');
    expect(flagged).toContain('\x1b[7m');
    // Info is cut at 80 columns; the list scrolls sideways.
    await keys('right', 'right', 'right', 'right', 'right', 'right', 'right', 'right');
    expect(plain(line('msg_cnt=10'))).toMatch(/len=8 msg_cnt=10 msg_len=216 buf_alloc=262144 fwd_cnt=0 \[vsock\.seq\.lost_end\] *$/);
  });

  it('detail tree and hex pane of the selected frame', async () => {
    await show(LOST_END);
    await keys('n');
    const text = screen().join('\n');
    expect(text).toContain('-- Detail: frame 21 ---');
    expect(text).toContain('> SEQPACKET marker (virtio_vsock_seq_hdr)');
    expect(text).toContain('v Expert info');
    expect(text).toContain('    [error] vsock.seq.lost_end: SEQ_END for record msg_cnt=8 (SEQ_BEGIN frame 19');
    expect(text).toContain('-- Payload: 8 bytes captured ---');
    expect(text).toContain('0000  0a 00 00 00 d8 00 00 00                           ........');
    await keys('tab', 'down', 'down', 'right');
    expect(screen().join('\n')).toContain('== Detail: frame 21 ===');
    expect(screen()).toContain('    Source CID: 3');
  });

  it('a payload full of escape sequences reaches the screen as hex and dots only', async () => {
    await show(writeHostileCapture());
    await keys('G');
    const frame = app!.lastFrame()!;
    // Every escape on the screen is one of ours: a style (SGR), never the capture's.
    expect(frame.replace(SGR, '')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    const text = screen().join('\n');
    expect(text).toContain('0000  1b 5d 30 3b 50 57 4e 45  44 07 1b 5b 32 4a 1b 5b  .]0;PWNED..[2J.[');
    expect(text).toContain('0010  48 1b 5b 33 31 6d 52 45  44 9b 31 3b 31 48 0d 0a  H.[31mRED.1;1H..');
  });

  it('Connections view: the conns table', async () => {
    await show(LOST_END);
    await keys('c');
    const lines = screen();
    expect(lines[1]).toMatch(/^connection +first +type +dialect +state +duration_s +frames\/bytes > +f/);
    expect(lines[2]).toMatch(/^3:50471-2:5000 +1 +SEQPACKET +v4 +closed +0\.158 +31\/113274/);
  });

  it('Records view: status, reason, msg_cnt, declared and received bytes, EOR, the frame that revealed a loss', async () => {
    await show(LOST_END, { size: { columns: 120, rows: 24 } });
    await keys('c', 'enter');
    const lines = screen();
    expect(lines[1]).toMatch(/^3:50471>2:5000: 10 records  \(d: other direction, Enter: first frame, e: end\/loss\)$/);
    expect(lines[2]).toMatch(/^index +msg_cnt +status +reason +declared +received +frames +eor +trunc +revealed *$/);
    expect(plain(line('vsock.seq.lost_end'))).toMatch(/^ +4 +8 +dropped +vsock\.seq\.lost_end +56678 +56678 +19-20 +EOR +frame 21 *$/);
    expect(line('vsock.seq.lost_end')).toContain('\x1b[31m');
    expect(plain(line(' 15-17 '))).toMatch(/^ +3 +6 +delivered +2778 +2778 +15-17 +EOR/);
  });

  it('Findings view: severity, code and count; expanded, each frame and message; Enter shows the frame', async () => {
    await show(LOST_END);
    await keys('f');
    expect(plain(line('vsock.seq.lost_end'))).toMatch(/^> error +vsock\.seq\.lost_end +1 *$/);
    // The titles stand over their columns (the longest code, vsock.malformed.unknown_transport, is 33 characters), keys included in 80.
    const header = plain(screen()[1]!);
    expect(header).toBe(`  severity ${'code'.padEnd(33)} ${'count'.padStart(9)}  right: list, Enter: jump`);
    expect(header.length).toBeLessThanOrEqual(80);
    const row = plain(line('vsock.seq.lost_end'));
    expect(row.indexOf('vsock.seq.lost_end')).toBe(header.indexOf('code'));
    expect(row.trimEnd().length).toBe(header.indexOf('count') + 'count'.length);
    await keys('right');
    expect(plain(line('frame 21'))).toMatch(/^ +frame 21 {2}SEQ_END for record msg_cnt=8/);
    await keys('down', 'enter');
    expect(screen().join('\n')).toContain('== Detail: frame 21 ===');
    expect(line('[error] vsock.seq.lost_end')).toContain('\x1b[7m');
  });

  it('status bar: file, frames, findings by severity, current connection; the filter bar', async () => {
    await show(LOST_END);
    const lines = screen();
    expect(lines[21]).toMatch(/^no filter \(\/ to filter, \? for help\) *$/);
    expect(lines[22]).toMatch(/^lost-end\.pcap \| 43 frames \| 1 error \| 0 warnings \| 0 info \| 3:50471-2:5000 *$/);
    await keys('/');
    app!.stdin.write('vsock.seq.msg_cnt >= 8');
    await tick();
    expect(screen()[21]).toMatch(/^\/vsock\.seq\.msg_cnt >= 8_ *$/);
    await keys('enter');
    await tick();
    expect(screen()[21]).toMatch(/^filter: vsock\.seq\.msg_cnt >= 8 {2}\(11 of 43 frames\) *$/);
  });

  it('a bad filter shows its error without losing the view or the filter in force', async () => {
    await show(LOST_END);
    await keys('/');
    app!.stdin.write('vsock.virtio.op == SEQ_BEGIN');
    await keys('enter', 'c', '/', 'ctrl-u');
    app!.stdin.write('vsock.virtio.op = SEQ_END');
    await keys('enter');
    const lines = screen();
    expect(lines[1]).toMatch(/^connection +first/);
    expect(lines[21]).toMatch(/^\/vsock\.virtio\.op = SEQ_END_/);
    expect(lines[22]).toMatch(/^display filter error: .*\[at position 16/);
    expect(app!.lastFrame()!.split('\n')[22]).toContain('\x1b[31m');
    await keys('esc');
    expect(screen()[21]).toMatch(/^filter: vsock\.virtio\.op == SEQ_BEGIN {2}\(10 of 43 frames\)/);
  });

  it('the help overlay lists every key', async () => {
    await show(LOST_END, { size: { columns: 160, rows: 40 } });
    await keys('?');
    const text = screen().join('\n');
    for (const l of helpLines()) expect(text).toContain(l);
  });

  it('NO_COLOR: no colour anywhere, severities still marked, the selection still inverse', async () => {
    expect(colorWanted({ NO_COLOR: '1' })).toBe(false);
    expect(colorWanted({ NO_COLOR: '' })).toBe(true);
    expect(colorWanted({})).toBe(true);
    await show(LOST_END, { color: false });
    await keys('n', 'f', 'right');
    const frame = app!.lastFrame()!;
    expect(frame).not.toMatch(/\x1b\[(3\d|9\d|4\d|10\d)(;\d+)*m/);
    expect(plain(line('vsock.seq.lost_end'))).toMatch(/^. error/);
    await keys('p');
    expect(line(' 21 0.089694')).toContain('\x1b[7m');
    expect(plain(line(' 21 0.089694'))).toMatch(/^E /);
  });

  it('shows the first screen while loading goes on, and its progress', async () => {
    const session = await Session.open(`${CAPTURES_DIR}linux-6.1-virtio-host/virtio-host.pcap`);
    expect(session.load.phase).toBe('loading');
    store = new UiStore(session, SCREEN);
    app = render(h(App, { store, color: true }));
    const first = screen();
    expect(first[2]).toMatch(/^ +1 /);
    expect(first[22]).toMatch(/^virtio-host\.pcap \| [\d,]+ frames loaded, \d+% of 7\.6 MB/);
    await session.whenLoaded();
    await tick();
    expect(screen()[22]).toMatch(/^virtio-host\.pcap \| [\d,]+ frames \| /);
  });
});
