// The interactive view on a live capture, in a real terminal (tmux; see tmux.ts): frames
// appear while the test watches (the gated writer feeds the capture a piece at a time),
// the lost SEQ_END shows up in the Findings view mid-stream, and quitting stops the
// capture, removes the spool, hands the terminal back and exits as `check` would.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GATED_WRITER, openGate, pcapRecordOffsets } from '../helpers/live-run.js';
import { LOST_END } from './helpers.js';
import { CLI } from '../helpers/cli.js';
import { expectTerminalRestored, keys, screen, shows, sleep, startCommand, stopTmux, waitFor } from './tmux.js';

afterEach(stopTmux);

const offsets = pcapRecordOffsets(LOST_END);
const NODE = JSON.stringify(process.execPath);

/** The capture written in pieces ending before frames 22 and 25; the writer's stdin and stderr off the terminal (node resets a terminal's modes when it exits). */
function writerCommand(gates: string): string {
  expect(offsets[21]).toBe(110224);
  expect(offsets[24]).toBe(110724);
  return `${NODE} ${GATED_WRITER} ${LOST_END} - ${gates} 110224 110724 </dev/null 2>/dev/null`;
}

/** The frame count on the status bar, the row that starts with the capture's name. */
function framesShown(lines: string[], name: string): number | undefined {
  const status = lines.find((l) => l.startsWith(`${name} | `));
  const m = status === undefined ? null : / \| (\d+) frames/.exec(status);
  return m === null ? undefined : Number(m[1]);
}

/** The gated writers writing to `gates` (not the shells and tmux whose command lines quote them). */
function writers(gates: string): string[] {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const r = spawnSync('pgrep', ['-f', `^${escape(`${process.execPath} ${GATED_WRITER} ${LOST_END} - ${gates}`)}`], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l !== '');
}

async function waitUntil(test: () => boolean, what: string, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('vsockscope - (a live stream on stdin) in a terminal', () => {
  it('shows frames as they arrive, following the tail; the lost SEQ_END appears in Findings mid-stream', async () => {
    const gates = mkdtempSync(join(tmpdir(), 'vsockscope-e2e-gates-'));
    const spools = mkdtempSync(join(tmpdir(), 'vsockscope-e2e-tmp-'));
    startCommand(`${writerCommand(gates)} | TMPDIR=${spools} ${NODE} ${CLI} -`);

    // Frames 1..21: the newest selected and in view, the status bar live.
    let lines = await waitFor('frames 1..21', (l) => framesShown(l, 'stdin') === 21);
    expect(lines.find((l) => l.startsWith('stdin | '))).toMatch(/^stdin \| 21 frames \| LIVE, following \| [\d.,]+ frames\/s, [\d.]+ [kM]?B\/s \|/);
    expect(lines.some((l) => /^.\s+21 0\.089694 3:50471 2:5000 +SEQPACKET SEQ_BEGIN/.test(l))).toBe(true);
    await waitFor('frame 21 selected', shows('-- Detail: frame 21 -'));
    expect(readdirSync(spools).filter((f) => f.startsWith('vsockscope-spool-'))).toHaveLength(1);

    // The writer waits at its gate; the loss is reported once the engine lets it go (within seconds).
    await waitFor('the lost SEQ_END counted', (l) => /^stdin \| 21 frames \| .*\| 1 error \|/.test(l.find((s) => s.startsWith('stdin | ')) ?? ''));
    await keys('f');
    lines = await waitFor('the Findings view', shows(/^> error +vsock\.seq\.lost_end +1$/));
    expect(framesShown(lines, 'stdin')).toBe(21);

    // More frames while the test watches.
    await keys('p');
    openGate(gates, 1);
    lines = await waitFor('frames 22..24', (l) => framesShown(l, 'stdin') === 24);
    await waitFor('frame 24 selected', shows('-- Detail: frame 24 -'));

    // Scrolled away: the list stays put as the rest arrives.
    await keys('k');
    await waitFor('paused', shows(/^stdin \| 24 frames \| LIVE, paused \(F follows\)/));
    openGate(gates, 2);
    lines = await waitFor('the end of the capture', shows(/^stdin \| 43 frames; the capture ended \| 1 error \|/));
    expect(lines.some((l) => l.includes('-- Detail: frame 23 -'))).toBe(true);

    await keys('q');
    // check would exit 1: an error-severity finding.
    await expectTerminalRestored(1);
    expect(screen().filter((l) => l.startsWith('vsockscope:'))).toEqual([]);
    expect(readdirSync(spools)).toEqual([]);
  });
});

describe('vsockscope live --capture-command in a terminal', () => {
  it('Ctrl-C stops the capture process, removes the spool and exits as check would', async () => {
    const gates = mkdtempSync(join(tmpdir(), 'vsockscope-e2e-gates-'));
    const spools = mkdtempSync(join(tmpdir(), 'vsockscope-e2e-tmp-'));
    startCommand(`TMPDIR=${spools} ${NODE} ${CLI} live --capture-command "${writerCommand(gates)}"`);
    await waitFor('frames 1..21', (l) => framesShown(l, 'capture command') === 21);
    expect(writers(gates)).toHaveLength(1);
    await keys('C-c');
    // What the capture wrote is analysed to its end: the lost SEQ_END is an error, as check would say.
    await expectTerminalRestored(1);
    expect(screen().filter((l) => l.startsWith('vsockscope:'))).toEqual([]);
    // Sent SIGTERM on the way out; gone within moments.
    await waitUntil(() => writers(gates).length === 0, 'the capture process to stop');
    expect(readdirSync(spools)).toEqual([]);
  });

  it('a capture command that writes nothing is shown as stalled, then named on stderr once the screen is handed back', async () => {
    startCommand(`${NODE} ${CLI} live --start-timeout 2 --capture-command "sleep 30"`);
    await waitFor('the live screen', shows(/^capture command \| 0 frames \| LIVE, following/));
    await waitFor('the stall', shows(/^capture command \| 0 frames; capture failed: the capture command wrote nothing in/));
    await keys('q');
    await expectTerminalRestored(2);
    expect(screen()).toContain("vsockscope: the capture command wrote nothing in 2 s and was stopped: 'sleep 30'");
  });
});
