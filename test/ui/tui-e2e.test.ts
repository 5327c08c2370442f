// The built binary in a real terminal: tmux runs it, keys go in with send-keys, the screen
// comes back with capture-pane. Needs `npm run build` first, and tmux (the test fails
// without it: apt-get install -y tmux).

import { copyFileSync, existsSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CAPTURES_DIR } from '../helpers/captures.js';
import type { Session } from '../../src/ui/data/session.js';
import { writePortScan } from '../helpers/port-scan.js';
import { loaded, LOST_END, writeHostileCapture } from './helpers.js';
import {
  dir, expectTerminalRestored, keys, quitAndCheckTerminal, screen, shows, start, stopTmux, styles, tmux, waitFor,
} from './tmux.js';

afterEach(stopTmux);

describe('vsockscope FILE in a terminal', () => {
  it('from the Findings view, Enter on a lost SEQ_END selects its SEQ_BEGIN with the finding in the detail tree', async () => {
    start(LOST_END);
    await waitFor('the loaded capture', shows(/^lost-end\.pcap \| 43 frames \| 1 error \|/));
    await keys('f');
    const findings = await waitFor('the Findings view', shows(/^> error +vsock\.seq\.lost_end +1$/));
    expect(findings[0]).toMatch(/^ 1 Packets  2 Connections  3 Records  4 Findings/);
    // In colour: the code in red.
    expect(styles(screen(true).find((l) => l.includes('vsock.seq.lost_end'))!).has('31')).toBe(true);
    await keys('Enter');
    const lines = await waitFor('frame 21 in the detail pane', shows('== Detail: frame 21 ='));
    // The truth file of lost-end.pcap: the finding is on frame 21, the SEQ_BEGIN of the next record.
    const row = screen(true).find((l) => / 21 0\.089694 /.test(l))!;
    expect(row.replace(/\x1b\[[\d;]*m/g, '')).toMatch(/^E +21 0\.089694 3:50471 2:5000 +SEQPACKET SEQ_BEGIN/);
    expect(styles(row).has('7')).toBe(true);
    expect(lines).toContain('v Expert info');
    const finding = screen(true).find((l) => l.includes('[error] vsock.seq.lost_end: SEQ_END for record msg_cnt=8 (SEQ_BEGIN frame 19'))!;
    expect(styles(finding).has('7')).toBe(true);
    await quitAndCheckTerminal('q');
  });

  it('shows a payload full of escape sequences escaped', async () => {
    start(writeHostileCapture());
    await waitFor('the loaded capture', shows(/^hostile\.pcap \| 3 frames/));
    await keys('G');
    await waitFor('frame 3', shows('-- Detail: frame 3 -'));
    const lines = await waitFor('its payload', shows('0010  48 1b 5b'));
    expect(lines).toContain('0000  1b 5d 30 3b 50 57 4e 45  44 07 1b 5b 32 4a 1b 5b  .]0;PWNED..[2J.[');
    expect(lines).toContain('0010  48 1b 5b 33 31 6d 52 45  44 9b 31 3b 31 48 0d 0a  H.[31mRED.1;1H..');
    // Had the bytes reached the terminal: a new window title, a cleared screen, red text.
    expect(tmux('display', '-p', '-t', 'e2e', '#{pane_title}')).not.toContain('PWNED');
    expect(lines[0]).toMatch(/^ 1 Packets/);
    expect(screen(true).some((l) => l.includes('RED') && styles(l).has('31'))).toBe(false);
    await quitAndCheckTerminal('C-c');
  });

  it('NO_COLOR: no colour, the selection still shown; follows a resize', async () => {
    start(LOST_END, 'NO_COLOR=1');
    await waitFor('the loaded capture', shows(/^lost-end\.pcap \| 43 frames/));
    await keys('n');
    await waitFor('frame 21 selected', shows('-- Detail: frame 21 -'));
    const styled = screen(true);
    const colours = styled.flatMap((l) => [...styles(l)]).filter((p) => /^(3[0-7]|9[0-7]|38|4[0-7]|10[0-7]|48)$/.test(p));
    expect(colours).toEqual([]);
    expect(styles(styled.find((l) => / 21 0\.089694 /.test(l))!).has('7')).toBe(true);
    tmux('resize-window', '-t', 'e2e', '-x', '100', '-y', '30');
    const big = await waitFor('the larger screen', (lines) => /^lost-end\.pcap \| 43 frames/.test(lines[28] ?? ''));
    expect(big[0]).toMatch(/^ 1 Packets .{60,}\? help  q quit$/);
    await quitAndCheckTerminal('q');
  });
});

describe('vsockscope FILE when things go wrong', () => {
  it('hands the terminal back after a crash: the capture cut short under it', async () => {
    const file = join(dir, 'shrinking.pcap');
    copyFileSync(LOST_END, file);
    start(file);
    await waitFor('the loaded capture', shows(/^shrinking\.pcap \| 43 frames/));
    truncateSync(file, 100);
    await keys('G');
    const lines = await expectTerminalRestoredAnd(2);
    expect(lines.some((l) => l.startsWith('vsockscope: internal error: frame'))).toBe(true);
  });

  it('stops loading a capture too big for the heap, keeps what it loaded, and says where it stopped', async () => {
    // 400,000 frames of refused connections: the engine's instances, and the view's rows and
    // findings for them, need more than a 64 MiB old generation; Node would die with its
    // native stack trace.
    start(writePortScan(200_000), 'NODE_OPTIONS=--max-old-space-size=64');
    const stopped = await waitFor('loading stopped', shows(/^scan\.pcap \| [\d,]+ frames; at frame [\d,]+: reading stopped/), 60_000);
    const [, loaded, at] = /^scan\.pcap \| ([\d,]+) frames; at frame ([\d,]+)/.exec(stopped.find((l) => l.startsWith('scan.pcap'))!)!;
    expect(loaded).toBe(at);
    expect(Number(loaded!.replace(/,/g, ''))).toBeLessThan(400_000);
    // The list still answers: the last frame loaded.
    await keys('G');
    await waitFor('the last frame loaded', shows(`Detail: frame ${at!.replace(/,/g, '')} `));
    await keys('q');
    // The line wraps at the terminal's width, where a space may go.
    const lines = (await expectTerminalRestoredAnd(2)).join('');
    expect(lines).toMatch(new RegExp(`vsockscope: .*scan\\.pcap: frame ${at!.replace(/,/g, '')}: reading stopped`.replaceAll(' ', '\\s?')));
    expect(lines).not.toMatch(/FATAL|out of memory/);
  });
});

/** expectTerminalRestored, returning the screen it left. */
async function expectTerminalRestoredAnd(status: number): Promise<string[]> {
  await expectTerminalRestored(status);
  return screen();
}

describe('the built loader worker', () => {
  it.each([LOST_END, `${CAPTURES_DIR}linux-6.1-virtio-host/virtio-host.pcap`, `${CAPTURES_DIR}synth/clean-v4.pcapng`])(
    'loads %s as the in-process loader does', async (path) => {
      const built = new URL('../../dist/ui/data/session.js', import.meta.url).pathname;
      expect(existsSync(built), 'run `npm run build` first').toBe(true);
      const { Session: BuiltSession } = (await import(built)) as { Session: typeof Session };
      const { startOpening } = (await import(built.replace(/session\.js$/, 'opening.js'))) as typeof import('../../src/ui/data/opening.js');
      const inWorker = await BuiltSession.open(path, { worker: true });
      await inWorker.whenLoaded();
      // Started before the session exists (as runTui does), and taken up only after the
      // loader is through: what it sent meanwhile is handed over.
      const started = startOpening(path, { worker: true });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const late = await Promise.race([
        BuiltSession.open(started),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the messages sent before the session existed were lost')), 10_000)),
      ]);
      await late.whenLoaded();
      const here = await loaded(path);
      const facts = (s: Session) => ({
        load: s.load.phase === 'done' ? { frames: s.load.outcome.frames, summary: s.load.outcome.summary } : s.load.phase,
        frames: s.index.count,
        offsets: Array.from({ length: s.index.count }, (_, i) => [s.index.offset(i + 1), s.index.v4Dialect(i + 1), s.index.severity(i + 1)]),
        findings: s.findings.sortedGroups().map((g) => [g.code, [...g.frames.view()]]),
        records: s.records.count,
        conns: s.conns.slice(0, s.conns.count()),
        origin: s.origin,
      });
      expect(facts(inWorker)).toEqual(facts(here));
      expect(facts(late)).toEqual(facts(here));
      inWorker.close();
      late.close();
      here.close();
    },
  );
});
