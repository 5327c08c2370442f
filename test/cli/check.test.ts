import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES_DIR } from '../helpers/captures.js';
import { table } from '../../src/cli/table.js';
import { lines, vsockscope } from './run.js';
import { writePortScan } from '../helpers/port-scan.js';

const SYNTH = `${CAPTURES_DIR}synth/`;
const tmp = mkdtempSync(join(tmpdir(), 'vsockscope-check-'));

describe('vsockscope check', () => {
  it('exit 0 on a clean capture, 1 on an error finding, --fail-on moves the bar', () => {
    expect(vsockscope(['check', `${SYNTH}clean-v4.pcap`]).status).toBe(0);
    expect(vsockscope(['check', `${SYNTH}lost-end.pcap`]).status).toBe(1);
    // refused.pcap has only info findings (vsock.conn.refused).
    expect(vsockscope(['check', `${SYNTH}refused.pcap`]).status).toBe(0);
    expect(vsockscope(['check', '--fail-on', 'info', `${SYNTH}refused.pcap`]).status).toBe(1);
  });

  it('--json keeps capture order when a decoder finding follows a finding still waiting for later frames', () => {
    // lost-end.pcap: frame 21's lost_end is attributed only at frame 24. Frame 22 gets a
    // vsockmon op (offset 24 of its vsockmon header) of CONNECT while its virtio op is RW:
    // the decoder's op_mismatch (PROTOCOL.md 2.1), known at once.
    const bytes = readFileSync(`${SYNTH}lost-end.pcap`);
    let at = 24;
    for (let n = 1; n < 22; n++) at += 16 + bytes.readUInt32LE(at + 8);
    bytes.writeUInt16LE(1, at + 16 + 24);
    const path = join(tmp, 'op-mismatch-after-lost-end.pcap');
    writeFileSync(path, bytes);
    const out = lines(vsockscope(['check', '--json', path]).stdout).map((l) => JSON.parse(l)).filter((o) => o.type === 'anomaly');
    expect(out.map((o) => [o.frame, o.code])).toEqual([[21, 'vsock.seq.lost_end'], [22, 'vsock.malformed.op_mismatch']]);
  });

  it('--json: anomaly and record lines, then one summary line (ANALYSIS.md 4)', () => {
    const out = lines(vsockscope(['check', '--json', `${SYNTH}lost-end.pcap`]).stdout).map((l) => JSON.parse(l));
    const summary = out.at(-1);
    expect(summary.type).toBe('summary');
    expect(Object.keys(summary)).toEqual(['type', 'frames', 'malformed', 'connections', 'records', 'anomalies']);
    expect(summary.anomalies).toEqual({ 'vsock.seq.lost_end': 1 });
    expect(summary.records.dropped).toBe(1);
    const anomaly = out.find((o) => o.type === 'anomaly');
    expect(Object.keys(anomaly)).toEqual(['type', 'code', 'severity', 'frame', 'conn', 'dir', 'message', 'related_frames', 'details']);
    expect(anomaly).toMatchObject({ code: 'vsock.seq.lost_end', severity: 'error' });
    const record = out.find((o) => o.type === 'record' && o.status === 'dropped');
    expect(Object.keys(record)).toEqual(['type', 'conn', 'dir', 'dialect', 'index', 'msg_cnt', 'msg_len', 'received', 'first_frame', 'last_frame', 'status', 'reason', 'eor', 'truncated']);
    expect(record.reason).toBe('vsock.seq.lost_end');
    expect(out.filter((o) => o.type === 'summary')).toHaveLength(1);
  });

  it('-w OUT.pcapng carries each frame\'s findings as comments tshark shows', () => {
    const out = join(tmp, 'annotated.pcapng');
    expect(vsockscope(['check', '-w', out, `${SYNTH}lost-end.pcap`]).status).toBe(1);
    const truthFrame = 21; // captures/synth/lost-end.pcap.truth.json: lost_end at frame 21
    const t = spawnSync('tshark', ['-r', out, '-Y', 'frame.comment', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment'], { encoding: 'utf8' });
    if (t.error !== undefined) throw new Error('tshark is required for this test: ' + t.error.message);
    expect(lines(t.stdout)).toEqual([expect.stringMatching(new RegExp(`^${truthFrame}\\terror vsock\\.seq\\.lost_end: `))]);
  });

  it('records and conns list what the engine decided', () => {
    const rec = lines(vsockscope(['records', '--json', `${SYNTH}lost-begin.pcap`]).stdout).map((l) => JSON.parse(l));
    expect(rec.filter((r) => r.status === 'orphan')).toHaveLength(1);
    const conns = lines(vsockscope(['conns', '--json', `${SYNTH}refused.pcap`]).stdout).map((l) => JSON.parse(l));
    expect(conns.filter((c) => c.state === 'refused')).toHaveLength(3);
    const text = vsockscope(['records', '--conn', 'nope', `${SYNTH}clean-v4.pcap`]);
    expect(text.stdout).toContain('no records for connection nope');
  });

  it('conns prints one row per instance, by first frame, past a batch of packed rows', () => {
    // 5,000 refused connections: frames 2i+1 (REQUEST) and 2i+2 (RST), client port 1024+i.
    const pairs = 5000;
    const [header, ...rows] = lines(vsockscope(['conns', writePortScan(pairs)]).stdout).map((l) => l.trim().split(/ {2,}/));
    expect(header!.slice(0, 5)).toEqual(['connection', 'first', 'type', 'dialect', 'state']);
    expect(rows.slice(0, pairs).map((r) => [r[0], r[1], r[4]])).toEqual(
      Array.from({ length: pairs }, (_, i) => [`3:${1024 + i}-2:5000`, String(2 * i + 1), 'refused']),
    );
    // Then the legend (lines() drops the empty line before it).
    expect(rows.slice(pairs)).toEqual([[expect.stringMatching(/^> initiator to responder/)]]);
  });

  it('records lists every record of the truth file once, each direction together and by index', () => {
    for (const scenario of ['lost-record', 'clean-v4', 'eom-faults']) {
      const truth = JSON.parse(readFileSync(`${SYNTH}${scenario}.pcap.truth.json`, 'utf8')) as {
        records: { dir: string; index: number; status: string; received: number; reason: string | null }[];
      };
      const [header, ...rows] = lines(vsockscope(['records', `${SYNTH}${scenario}.pcap`]).stdout).map((l) => l.split(/ {2,}/));
      expect(header!.slice(0, 4)).toEqual(['direction', 'index', 'msg_cnt', 'status']);
      const seen = rows.map((r) => ({ dir: r[0]!, index: Number(r[1]), status: r[3]! }));
      const expected = truth.records.map((r) => ({ dir: r.dir, index: r.index, status: r.status }));
      expect([...seen].sort(byDirAndIndex)).toEqual([...expected].sort(byDirAndIndex));
      // A direction's rows are one run, in index order.
      const dirs = seen.map((r) => r.dir).filter((d, i, all) => i === 0 || all[i - 1] !== d);
      expect(new Set(dirs).size).toBe(dirs.length);
      expect(seen).toEqual([...seen].sort((a, b) => dirs.indexOf(a.dir) - dirs.indexOf(b.dir) || a.index - b.index));
    }
  });

  it('records lays out what records --json says: directions in the order their first record was decided, each by index', () => {
    const header = ['direction', 'index', 'msg_cnt', 'status', 'reason', 'declared', 'received', 'frames', 'eor', 'trunc'];
    const show = (v: number | null) => (v === null ? '-' : String(v));
    for (const args of [['lost-record.pcap'], ['eom-faults.pcap'], ['lost-end-and-begin.pcap'], ['--rcvbuf', '100', 'clean-v4.pcap']]) {
      const path = `${SYNTH}${args.at(-1)}`;
      const options = args.slice(0, -1);
      const decided = lines(vsockscope(['records', '--json', ...options, path]).stdout).map((l) => JSON.parse(l) as {
        conn: string; dir: string; index: number; msg_cnt: number | null; msg_len: number | null; received: number; status: string;
        reason: string | null; first_frame: number | null; last_frame: number | null; eor: boolean; truncated: boolean; copied?: number;
      });
      const order: string[] = [];
      for (const r of decided) if (!order.includes(r.conn + ' ' + r.dir)) order.push(r.conn + ' ' + r.dir);
      const rows = order.flatMap((key) => decided.filter((r) => r.conn + ' ' + r.dir === key).sort((a, b) => a.index - b.index)).map((r) => [
        r.dir, String(r.index), show(r.msg_cnt), r.status, r.reason ?? '', show(r.msg_len), String(r.received),
        r.first_frame === null ? '-' : `${r.first_frame}-${r.last_frame}`, r.eor ? 'EOR' : '', r.truncated ? `TRUNC(${r.copied})` : '',
      ]);
      expect(rows.length).toBeGreaterThan(0);
      expect(lines(vsockscope(['records', ...options, path]).stdout)).toEqual(table(header, rows));
    }
  });

  it('synth is reproducible from its seed', () => {
    const a = join(tmp, 'a.pcap');
    const b = join(tmp, 'b.pcap');
    expect(vsockscope(['synth', 'lost-end', '--seed', '7', '-o', a]).status).toBe(0);
    expect(vsockscope(['synth', 'lost-end', '--seed', '7', '-o', b]).status).toBe(0);
    expect(spawnSync('cmp', [a, b]).status).toBe(0);
    expect(spawnSync('cmp', [`${a}.truth.json`, `${b}.truth.json`]).status).toBe(0);
    expect(vsockscope(['synth', 'nope', '-o', a]).status).toBe(2);
  });
});

function byDirAndIndex(a: { dir: string; index: number }, b: { dir: string; index: number }): number {
  return a.dir.localeCompare(b.dir) || a.index - b.index;
}
