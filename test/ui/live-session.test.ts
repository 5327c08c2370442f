// A session on a live capture (the gated writer as capture command, pausing at a gate):
// frames, findings and records appear before the writer finishes; the stream's bytes are
// read again from the spool; --ring keeps the newest frames only; stop() ends the capture;
// the spool is removed on close.

import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DecodedFrame } from '../../src/dissect/decode.js';
import { Session } from '../../src/ui/data/session.js';
import { decodeFile } from '../helpers/captures.js';
import { openGate, pcapRecordOffsets } from '../helpers/live-run.js';
import { gatedCapture, LOST_END, until } from './helpers.js';
import { bytesOf } from '../../src/dissect/container/record-bytes.js';

const offsets = pcapRecordOffsets(LOST_END);
/** The first byte of frame n: writing up to it delivers frames 1..n-1 whole. */
const frameStart = (n: number) => offsets[n - 1]!;

let session: Session | undefined;
afterEach(() => session?.close());

const gateDir = () => mkdtempSync(join(tmpdir(), 'vsockscope-live-session-'));
const hexOf = (f: DecodedFrame) => Buffer.from(bytesOf(f)).toString('hex');

describe('session on a live capture', () => {
  it('shows frames, findings and records as they arrive, read again from the spool across segments', async () => {
    const gates = gateDir();
    // 1 KiB segments: the 56 KB RW frames and many smaller ones straddle segment boundaries.
    session = await Session.open(gatedCapture(gates, [frameStart(22)]), { spoolSegmentBytes: 1024 });
    expect(session.live).toBe(true);
    const spool = session.spoolDir!;
    await until(session, 'frames 1..21', () => session!.index.count === 21);
    expect(session.load.phase).toBe('loading');
    const { frames } = await decodeFile(LOST_END);
    for (let n = 1; n <= 21; n++) expect(hexOf(session.frame(n))).toBe(hexOf(frames[n - 1]!));
    expect(readdirSync(spool).length).toBeGreaterThan(56);
    // The lost SEQ_END is found at frame 21 once a second has passed (Engine.settle), though the writer still waits.
    await until(session, 'the lost SEQ_END', () => session!.findings.keptOn(21).some((f) => f.code === 'vsock.seq.lost_end'));
    expect(session.load.phase).toBe('loading');
    expect(session.rates().framesPerSecond).toBeGreaterThan(0);

    openGate(gates, 1);
    await session.whenLoaded();
    expect(session.load).toMatchObject({ phase: 'done', outcome: { frames: 43, interrupted: false } });
    expect(session.index.count).toBe(43);
    for (let n = 22; n <= 43; n++) expect(hexOf(session.frame(n))).toBe(hexOf(frames[n - 1]!));
    expect(session.records.count).toBe(10);
    expect(session.findings.worst).toBe('error');
    session.close();
    expect(existsSync(spool)).toBe(false);
  });

  it('--ring keeps the newest frames: the index, the stores and the spool trimmed; numbers stay the capture\'s', async () => {
    const gates = gateDir();
    session = await Session.open(gatedCapture(gates, []), { ring: 10, spoolSegmentBytes: 4096 });
    await session.whenLoaded();
    const spool = session.spoolDir!;
    expect(session.index).toMatchObject({ count: 43, first: 34, kept: 10 });
    expect(session.rowCount()).toBe(10);
    expect(session.frameAt(0)).toBe(34);
    expect(session.rowOf(43)).toBe(9);
    expect(session.rowOf(21)).toBe(-1);
    const { frames } = await decodeFile(LOST_END);
    for (let n = 34; n <= 43; n++) expect(hexOf(session.frame(n))).toBe(hexOf(frames[n - 1]!));
    expect(() => session!.frame(33)).toThrow(/frame 33 is no longer kept/);
    // The finding on frame 21 went with its frame; the worst seen is still known (the exit status).
    expect(session.findings.total).toBe(0);
    expect(session.findings.sortedGroups()).toEqual([]);
    expect(session.findings.worst).toBe('error');
    // Records entirely before frame 34 went (the dropped record, 19-20, among them).
    for (const dir of ['3:50471>2:5000', '2:5000>3:50471']) {
      const group = session.records.group('3:50471-2:5000', dir);
      const kept = group === undefined ? [] : Array.from({ length: group.rows.length }, (_, i) => session!.records.get(session!.records.rowOf(group, i)).record);
      for (const r of kept) expect(Math.max(r.first_frame ?? 0, r.last_frame ?? 0)).toBeGreaterThanOrEqual(34);
    }
    // Whole segments before frame 34's first byte are gone; the rest stay.
    const firstKept = Math.floor(frameStart(34) / 4096);
    const segments = readdirSync(spool).map((f) => Number(f.slice('segment-'.length))).sort((a, b) => a - b);
    expect(segments[0]).toBe(firstKept);
    expect(segments.at(-1)).toBe(Math.floor((offsets.at(-1)! + 1) / 4096));
    session.close();
    expect(existsSync(spool)).toBe(false);
  });

  it('a filter lists only kept frames under --ring', async () => {
    session = await Session.open(gatedCapture(gateDir(), []), { ring: 10 });
    await session.whenLoaded();
    expect(session.setFilter('vsock.virtio.op == SEQ_BEGIN')).toBeUndefined();
    while (session.filter!.pending) session.filter!.step(1000);
    const matches = [...session.filter!.matches.view()];
    expect(matches.length).toBeGreaterThan(0);
    expect(Math.min(...matches)).toBeGreaterThanOrEqual(34);
  });

  it('stop() ends a capture that would go on: the capture process is stopped, what it wrote analysed', async () => {
    const gates = gateDir();
    session = await Session.open(gatedCapture(gates, [frameStart(25)]));
    await until(session, 'frames 1..24', () => session!.index.count === 24);
    await session.stop();
    expect(session.load).toMatchObject({ phase: 'done', outcome: { frames: 24, interrupted: true } });
    expect(session.load.phase === 'done' && session.load.outcome.error).toBeUndefined();
    // The writer was killed: opening its gate now writes nothing more.
    openGate(gates, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(session.index.count).toBe(24);
  });

  it('a file read whole is read in place: no spool, not live', async () => {
    session = await Session.open(LOST_END);
    expect(session.live).toBe(false);
    expect(session.spoolDir).toBeUndefined();
  });
});
