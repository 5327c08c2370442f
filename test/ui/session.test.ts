import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordJson } from '../../src/cli/analysis-json.js';
import {
  concatBytes, encodePcapngEnhancedPacket, encodePcapngInterfaceDescription, encodePcapngSectionHeader,
} from '../../src/dissect/container/writer.js';
import type { DecodedFrame } from '../../src/dissect/decode.js';
import { encodeFrame } from '../../src/dissect/encode.js';
import { OP, TYPE_SEQPACKET } from '../../src/dissect/fields.js';
import { Session } from '../../src/ui/data/session.js';
import { analyzeFile } from '../helpers/analysis.js';
import { CAPTURES_DIR, captureFiles, decodeFile } from '../helpers/captures.js';
import { loaded, LOST_END } from './helpers.js';
import { bytesOf } from '../../src/dissect/container/record-bytes.js';

/** What decoding gives, independent of which buffer the bytes sit in. */
function decoded(f: DecodedFrame) {
  return {
    number: f.number, tsSec: f.tsSec, tsNsec: f.tsNsec, tsDigits: f.tsDigits, len: f.len, capLen: f.capLen,
    bytes: Buffer.from(bytesOf(f)).toString('hex'), vsock: f.vsock, virtio: f.virtio, seq: f.seq,
    payloadOffset: f.payloadOffset, payloadCaptured: f.payloadCaptured,
  };
}

/** Every frame read again by offset is the frame the first pass decoded, with every finding known for it. */
async function expectSameFrames(session: Session, path: string): Promise<void> {
  const { frames } = await decodeFile(path);
  expect(session.index.count).toBe(frames.length);
  for (const first of frames) {
    const again = session.frame(first.number);
    expect(decoded(again)).toEqual(decoded(first));
    const kept = session.findings.keptOn(first.number).map((f) => f.code);
    expect(again.expert.map((f) => f.code)).toEqual([...first.expert.map((f) => f.code), ...kept]);
  }
}

describe('session: loading a capture', () => {
  it.each(captureFiles().map((p) => [p.slice(CAPTURES_DIR.length), p]))('%s: frames, findings, records and connections as check, records and conns report them', async (_name, path) => {
    const session = await loaded(path);
    const truth = await analyzeFile(path);
    expect(session.load.phase).toBe('done');
    await expectSameFrames(session, path);

    // Findings: every one, by code, as `check` counts them.
    const counts = Object.fromEntries(session.findings.sortedGroups().map((g) => [g.code, g.frames.length]));
    expect(counts).toEqual(truth.result.summary.anomalies);
    expect(session.findings.total).toBe(truth.findings.length);

    // Records: per connection and direction, in index order, exactly the `records --json` lines.
    const expected = [...truth.records].sort((a, b) => a.conn.localeCompare(b.conn) || a.dir.localeCompare(b.dir) || a.index - b.index);
    const groups = [...new Set(expected.map((r) => `${r.conn} ${r.dir}`))];
    const got = groups.flatMap((key) => {
      const [conn, dir] = key.split(' ') as [string, string];
      const group = session.records.group(conn, dir)!;
      return Array.from({ length: group.rows.length }, (_, i) => session.records.get(session.records.rowOf(group, i)).record);
    });
    expect(got.map(recordJson)).toEqual(expected.map(recordJson));
    expect(session.records.count).toBe(truth.records.length);

    // Connections: the `conn` events, by first frame.
    expect(session.conns.slice(0, session.conns.count())).toEqual([...truth.conns].sort((a, b) => a.first_frame - b.first_frame));
    session.close();
  });

  it('ties each lost or dropped record to the frame that revealed it', async () => {
    const reveal = async (file: string, status: string) => {
      const session = await loaded(`${CAPTURES_DIR}synth/${file}`);
      const group = session.records.group('3:50471-2:5000', '3:50471>2:5000')!;
      const all = Array.from({ length: group.rows.length }, (_, i) => session.records.get(session.records.rowOf(group, i)));
      session.close();
      return all.filter((r) => r.record.status === status).map((r) => [r.record.msg_cnt, r.revealFrame]);
    };
    // Each truth file names the finding's frame: the SEQ_BEGIN after the lost SEQ_END,
    // the first orphan, the SEQ_BEGIN whose counter skipped the lost record.
    expect(await reveal('lost-end.pcap', 'dropped')).toEqual([[8, 21]]);
    expect(await reveal('lost-begin.pcap', 'orphan')).toEqual([[8, 19]]);
    expect(await reveal('lost-record.pcap', 'lost')).toEqual([[8, 19]]);
    expect(await reveal('lost-end.pcap', 'delivered')).toEqual(Array(9).fill(null).map((_, i) => [i < 4 ? 2 * i : 2 * i + 2, null]));
  });

  it('finds the connection of a frame', async () => {
    const session = await loaded(LOST_END);
    expect(session.connOf(21)?.id).toBe('3:50471-2:5000');
    session.close();
  });

  it('re-reads frames of a pcapng whose interfaces and sections change after the first packet', async () => {
    const marker = (op: number, cnt: number, len: number) => encodeFrame({
      virtio: { src_cid: 3, src_port: 1025, dst_cid: 2, dst_port: 5000, type: TYPE_SEQPACKET, op, flags: 0, buf_alloc: 65536, fwd_cnt: 0 },
      seq: { msg_cnt: cnt, msg_len: len },
    });
    const packet = (cnt: number, tsresol: number, interfaceId: number) =>
      encodePcapngEnhancedPacket({ tsSec: 1_700_000_000 + cnt, tsNsec: 123_456_789, data: marker(OP.SEQ_BEGIN, cnt, 0) }, { tsresol, interfaceId });
    const bytes = concatBytes([
      encodePcapngSectionHeader(), encodePcapngInterfaceDescription({ linkType: 271, snaplen: 0 }),
      packet(0, 6, 0), packet(2, 6, 0),
      // An interface described after the first packets, in nanoseconds.
      encodePcapngInterfaceDescription({ linkType: 271, snaplen: 0, tsresol: 9 }),
      packet(4, 9, 1), packet(6, 6, 0),
      // A second section: its interface 0 is another one.
      encodePcapngSectionHeader(), encodePcapngInterfaceDescription({ linkType: 271, snaplen: 0, tsresol: 9 }),
      packet(8, 9, 0),
    ]);
    const path = join(mkdtempSync(join(tmpdir(), 'vsockscope-ui-')), 'late-interfaces.pcapng');
    writeFileSync(path, bytes);
    const session = await loaded(path);
    expect(session.reader.replayableUpTo).toBe(2);
    await expectSameFrames(session, path);
    session.close();
  });

  it('refuses what it cannot show: a missing file, a directory, a file that is no capture', async () => {
    await expect(Session.open('/nonexistent/x.pcap')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(Session.open(CAPTURES_DIR)).rejects.toThrow();
    const notCapture = join(mkdtempSync(join(tmpdir(), 'vsockscope-ui-')), 'text.pcap');
    writeFileSync(notCapture, 'hello, this is not a capture file\n');
    await expect(Session.open(notCapture)).rejects.toThrow(/not a pcap or pcapng file/);
  });
});
