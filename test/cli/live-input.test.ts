// Live input on plain stdout (issue 5): a FIFO, stdin, --follow and live with a capture
// command print frames and findings as they are decided, before the writer finishes; the
// end of the stream or Ctrl-C prints the summary and exits as check would.

import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CAPTURES_DIR } from '../helpers/captures.js';
import { GATED_WRITER, LiveRun, openGate, pcapRecordOffsets, stopAll } from '../helpers/live-run.js';

const LOST_END = `${CAPTURES_DIR}synth/lost-end.pcap`;
// By construction (lost-end.pcap.truth.json): 43 frames; the SEQ_END of msg_cnt=8 was
// dropped, which the SEQ_BEGIN at frame 21 reveals; the receiver's fwd_cnt at frame 24
// shows the transport lost it.
const truth = JSON.parse(readFileSync(`${LOST_END}.truth.json`, 'utf8')) as { frames: number; findings: { code: string; frame: number }[] };
const offsets = pcapRecordOffsets(LOST_END);
/** The first byte of frame n: writing up to it delivers frames 1..n-1 whole. */
const frameStart = (n: number) => offsets[n - 1]!;
const lostEnd = truth.findings[0]!;

const gateDirs: string[] = [];

function gateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vsockscope-live-'));
  gateDirs.push(dir);
  return dir;
}

// A failed test must not leave its writer waiting at a gate, nor its CLI waiting for it.
afterEach(async () => {
  for (const dir of gateDirs.splice(0)) for (let gate = 1; gate <= 3; gate++) openGate(dir, gate);
  await stopAll();
});

function writer(out: string, gates: string, splits: readonly number[]) {
  const child = spawn(process.execPath, [GATED_WRITER, LOST_END, out, gates, ...splits.map(String)], { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise<number | null>((resolve) => child.on('close', resolve));
}

const frameLine = (n: number) => new RegExp(`^ +${n} +\\d+\\.\\d{6} `, 'm');

describe('live input on plain stdout', () => {
  it('check FIFO prints a finding while the writer still waits, then the summary', async () => {
    expect(truth.frames).toBe(43);
    expect(lostEnd).toMatchObject({ code: 'vsock.seq.lost_end', frame: 21 });
    const gates = gateDir();
    const fifo = join(gates, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = new LiveRun(['check', fifo]);
    const written = writer(fifo, gates, [frameStart(25)]);
    await run.waitFor(/frame 21 error +vsock\.seq\.lost_end .*lost in transport: at frame 24/);
    expect(run.stdout).not.toMatch(/frames: /);
    openGate(gates, 1);
    expect(await written).toBe(0);
    expect(await run.exited).toBe(1);
    expect(run.stdout).toMatch(/^frames: 43, malformed: 0, connections: 1$/m);
    expect(run.stdout).toMatch(/^records: 9 delivered, 1 dropped, 0 orphan, 0 lost, 0 incomplete$/m);
  });

  it('read - prints frames as they come; a loss still waiting for fwd_cnt goes out within seconds', async () => {
    const gates = gateDir();
    const run = new LiveRun(['read', '-'], 'pipe');
    const child = spawn(process.execPath, [GATED_WRITER, LOST_END, '-', gates, String(frameStart(22))], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.pipe(run.stdin);
    // Frames 1..21 are in; what would attribute the loss (frame 24) is not.
    await run.waitFor(frameLine(21));
    expect(run.stdout).not.toMatch(frameLine(22));
    await run.waitFor(/error: vsock\.seq\.lost_end \(frame 21\): .*cannot be told: the receiver's fwd_cnt had not caught up by the time a live capture had to report it/);
    openGate(gates, 1);
    expect(await run.exited).toBe(1);
    expect(run.stdout).toMatch(frameLine(43));
    expect(run.stderr).toMatch(/^vsockscope: frames: 43, malformed: 0, connections: 1$/m);
  });

  it('--follow reads a file grown in steps, a record split across two writes included, until Ctrl-C', async () => {
    const gates = gateDir();
    const file = join(gates, 'growing.pcap');
    writeFileSync(file, '');
    const run = new LiveRun(['read', '--follow', file]);
    const middleOf22 = frameStart(22) + 100;
    const written = writer(file, gates, [frameStart(22), middleOf22]);
    await run.waitFor(frameLine(21));
    openGate(gates, 1);
    // Half of frame 22 is in the file: nothing more to print, and no cut-record finding.
    await new Promise((r) => setTimeout(r, 500));
    expect(run.stdout).not.toMatch(frameLine(22));
    openGate(gates, 2);
    await run.waitFor(frameLine(43));
    expect(await written).toBe(0);
    // The writer is done, but a followed file may still grow: only Ctrl-C ends it.
    await new Promise((r) => setTimeout(r, 300));
    expect(run.stderr).toBe('');
    run.interrupt();
    expect(await run.exited).toBe(1);
    expect(run.stdout).not.toMatch(/capture\.truncated/);
    expect(run.stderr).toMatch(/^vsockscope: findings: vsock\.seq\.lost_end 1$/m);
  });
});

describe('vsockscope live', () => {
  it('--capture-command streaming slowly: findings before it finishes, summary at the end', async () => {
    const gates = gateDir();
    const command = `'${process.execPath}' '${GATED_WRITER}' '${LOST_END}' - '${gates}' ${frameStart(25)}`;
    const run = new LiveRun(['live', '--findings', '--json', '--capture-command', command]);
    await run.waitFor(/"type":"anomaly","code":"vsock\.seq\.lost_end"/);
    const anomaly = run.stdout.split('\n').map((l) => JSON.parse(l || 'null')).find((o) => o?.type === 'anomaly');
    expect(anomaly).toMatchObject({ code: 'vsock.seq.lost_end', frame: 21, details: { lost_by: 'transport' } });
    expect(run.stdout).not.toMatch(/"type":"summary"/);
    openGate(gates, 1);
    expect(await run.exited).toBe(1);
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ type: 'summary', frames: 43, anomalies: { 'vsock.seq.lost_end': 1 } });
  });

  it('Ctrl-C stops the capture command, prints the summary and exits as check would', async () => {
    const gates = gateDir();
    const command = `'${process.execPath}' '${GATED_WRITER}' '${LOST_END}' - '${gates}' ${frameStart(25)}`;
    const run = new LiveRun(['live', '--capture-command', command]);
    await run.waitFor(frameLine(24));
    run.interrupt();
    expect(await run.exited).toBe(1);
    expect(run.stderr).toMatch(/^vsockscope: frames: 24, malformed: 0, connections: 1$/m);
  });

  it('a capture command that fails at start: one line with its reason, exit 2', async () => {
    const run = new LiveRun(['live', '--capture-command', 'echo "tcpdump: vsockmon7: No such device exists" >&2; exit 1']);
    expect(await run.exited).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('vsockscope: the capture command exited with status 1 before writing anything: tcpdump: vsockmon7: No such device exists\n');
  });

  it('a capture command that dies mid-stream: the frames before it, the summary, then why (exit 2)', async () => {
    const half = readFileSync(LOST_END).subarray(0, frameStart(25));
    const gates = gateDir();
    writeFileSync(join(gates, 'half.pcap'), half);
    const run = new LiveRun(['live', '--capture-command', `cat '${join(gates, 'half.pcap')}'; echo 'capture: device went away' >&2; exit 4`]);
    expect(await run.exited).toBe(2);
    expect(run.stdout).toMatch(frameLine(24));
    expect(run.stderr).toMatch(/^vsockscope: frames: 24, /m);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`vsockscope: the capture command exited with status 4 after ${half.length} bytes: capture: device went away`);
  });

  it('a capture command that writes nothing is stopped after --start-timeout, not waited on forever', async () => {
    const run = new LiveRun(['live', '--start-timeout', '1', '--capture-command', 'sleep 30; echo never']);
    expect(await run.exited).toBe(2);
    expect(run.stderr).toBe("vsockscope: the capture command wrote nothing in 1 s and was stopped: 'sleep 30; echo never'\n");
  });

  it('a missing interface names the commands that create it', async () => {
    const run = new LiveRun(['live', '-i', 'vsockmon-absent9']);
    expect(await run.exited).toBe(2);
    expect(run.stderr).toMatch(/^vsockscope: interface vsockmon-absent9 does not exist: create it with 'ip link add type vsockmon' and 'ip link set vsockmon-absent9 up' \(as root: they need CAP_NET_ADMIN/);
    expect(run.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });
});
