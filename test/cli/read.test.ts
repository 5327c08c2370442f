import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CAPTURES_DIR, decodeFile } from '../helpers/captures.js';
import { CLI } from '../helpers/cli.js';
import { lines, vsockscope } from './run.js';
import { bytesOf } from '../../src/dissect/container/record-bytes.js';
import {
  concatBytes, encodePcapngEnhancedPacket, encodePcapngInterfaceDescription, encodePcapngSectionHeader,
} from '../../src/dissect/container/writer.js';
import { encodeFrame } from '../../src/dissect/encode.js';

const SEQ = `${CAPTURES_DIR}linux-6.1-loopback/seqpacket-loopback.pcap`;
const HOST = `${CAPTURES_DIR}linux-6.1-virtio-host/virtio-host.pcap`;
const tmp = mkdtempSync(join(tmpdir(), 'vsockscope-cli-'));

describe('vsockscope read', () => {
  it('prints one summary line per frame', () => {
    const r = vsockscope(['read', SEQ]);
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(84);
    // Frame 3 of the capture (tshark: RW, len 1, flags 0x3, buf_alloc 262144, fwd_cnt 0) on a merged-dialect connection.
    expect(out[2]).toMatch(/^ +3 +0\.023266 1:40001 > 1:5001 +SEQPACKET RW +len=1 \[EOM,EOR\] buf_alloc=262144 fwd_cnt=0$/);
  });

  it('-c stops after N frames, -Y selects frames', () => {
    expect(lines(vsockscope(['read', '-c', '5', SEQ]).stdout)).toHaveLength(5);
    const rws = lines(vsockscope(['read', '-Y', 'vsock.virtio.op == RW && vsock.virtio.len > 60000', SEQ]).stdout);
    expect(rws.length).toBeGreaterThan(0);
    for (const l of rws) expect(l).toMatch(/ RW +len=6\d{4}/);
    const flagged = lines(vsockscope(['read', '-Y', 'vsock.malformed.payload_len', HOST]).stdout);
    expect(flagged).toHaveLength(74); // the 6.1 host tap bug (captures/README-linux-6.1.md)
    for (const l of flagged) expect(l).toContain('[vsock.malformed.payload_len]');
  });

  it('--json writes one parseable object per frame, keyed as ANALYSIS.md 4', () => {
    const out = lines(vsockscope(['read', '--json', '-c', '3', SEQ]).stdout).map((l) => JSON.parse(l));
    expect(out).toHaveLength(3);
    expect(out[2]).toEqual({
      frame: { number: 3, time_epoch: 1795587022.856929, len: 77, cap_len: 77 },
      vsock: {
        src_cid: 1, dst_cid: 1, src_port: 40001, dst_port: 5001, op: 4, trans: 2, trans_len: 44,
        virtio: { src_cid: 1, dst_cid: 1, src_port: 40001, dst_port: 5001, len: 1, type: 2, op: 5, flags: 3, buf_alloc: 262144, fwd_cnt: 0 },
      },
      expert: [],
    });
  });

  it('-V prints the detail tree and -x the payload bytes with control bytes escaped', () => {
    const v = vsockscope(['read', '-V', '-x', '-c', '3', SEQ]).stdout;
    expect(v).toContain('Frame 3: 77 bytes on wire, 77 bytes captured');
    expect(v).toContain('    Operation: RW (5)');
    expect(v).toContain('        EOR: set');
    expect(v).toMatch(/0000  3c +</); // the 1-byte payload '<'
    expect(v).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('-w writes the selected frames as a capture that reads back identically', async () => {
    for (const name of ['sel.pcap', 'sel.pcapng']) {
      const out = join(tmp, name);
      const r = vsockscope(['read', '-Y', 'vsock.virtio.op == CREDIT_UPDATE', '-w', out, SEQ]);
      expect(r.status).toBe(0);
      const all = (await decodeFile(SEQ)).frames.filter((f) => f.virtio?.op === 6);
      const back = (await decodeFile(out)).frames;
      expect(back.map((f) => [f.tsSec, f.tsNsec, Buffer.from(bytesOf(f)).toString('hex')]))
        .toEqual(all.map((f) => [f.tsSec, f.tsNsec, Buffer.from(bytesOf(f)).toString('hex')]));
    }
  });

  it('-w keeps the link type and resolution of every frame of a pcapng with several interfaces, or says where a pcap cannot', async () => {
    const frame = encodeFrame({ virtio: { src_cid: 3, src_port: 1, dst_cid: 2, dst_port: 5000, type: 1, op: 6, flags: 0, buf_alloc: 65536, fwd_cnt: 0 } });
    // Linux cooked (v1) with ARPHRD_VSOCKMON.
    const cooked = concatBytes([Uint8Array.of(0, 0, 826 >> 8, 826 & 0xff, ...new Array<number>(12).fill(0)), frame]);
    // Interfaces: vsockmon in microseconds; cooked in nanoseconds; vsockmon in 10^-7, 10^-3 and 2^-20 seconds.
    const interfaces = [[271, 6], [113, 9], [271, 7], [271, 3], [271, 0x80 | 20]] as const;
    const tick20 = Math.floor((12_345 * 1e9) / 2 ** 20); // a 2^-20 tick, in the nanoseconds a reader gives it
    const packets = [
      { i: 0, tsNsec: 1_000, data: frame }, { i: 1, tsNsec: 123_456_789, data: cooked }, { i: 2, tsNsec: 5_700, data: frame },
      { i: 3, tsNsec: 120_000_000, data: frame }, { i: 4, tsNsec: tick20, data: frame }, { i: 0, tsNsec: 2_000, data: frame },
    ].map((p, n) => ({ ...p, tsSec: 1_700_000_000 + n }));
    const input = join(tmp, 'interfaces.pcapng');
    writeFileSync(input, concatBytes([
      encodePcapngSectionHeader(),
      ...interfaces.map(([linkType, tsresol]) => encodePcapngInterfaceDescription({ linkType, snaplen: 0, tsresol })),
      ...packets.map((p) => encodePcapngEnhancedPacket({ tsSec: p.tsSec, tsNsec: p.tsNsec, data: p.data }, { tsresol: interfaces[p.i]![1], interfaceId: p.i })),
    ]));
    const facts = async (path: string) => (await decodeFile(path)).frames.map((f) => [f.linkType, f.tsResolution, f.tsSec, f.tsNsec, Buffer.from(bytesOf(f)).toString('hex')]);
    const expected = packets.map((p) => [interfaces[p.i]![0], interfaces[p.i]![1], p.tsSec, p.tsNsec, Buffer.from(p.data).toString('hex')]);
    expect(await facts(input)).toEqual(expected);
    for (const command of ['read', 'check']) {
      const out = join(tmp, `${command}-copy.pcapng`);
      expect(vsockscope([command, '-w', out, input]).status).toBe(0);
      expect(await facts(out)).toEqual(expected);
      expect(vsockscope(['read', out]).stdout).toBe(vsockscope(['read', input]).stdout);
      const pcap = join(tmp, `${command}-copy.pcap`);
      const r = vsockscope([command, '-w', pcap, input]);
      expect(r.status).toBe(2);
      expect(lines(r.stderr)).toEqual([`vsockscope: ${pcap}: frame 2: link type 113, where the first frame's is 271: a pcap file holds those of its first frame (write to a .pcapng file)`]);
      // An output that cannot be created is named, not the input.
      const nowhere = join(tmp, 'no-such-directory', 'x.pcapng');
      const missing = vsockscope([command, '-w', nowhere, input]);
      expect(missing.status).toBe(2);
      expect(lines(missing.stderr)).toEqual([`vsockscope: ${nowhere}: no such file`]);
    }
  });

  it('vsockscope FILE off a terminal prints what read prints', () => {
    const r = vsockscope([SEQ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(vsockscope(['read', SEQ]).stdout);
  });

  it('reads standard input', () => {
    const r = vsockscope(['read', '-'], readFileSync(SEQ));
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toEqual(lines(vsockscope(['read', SEQ]).stdout));
  });

  it('reads a FIFO', () => {
    const fifo = join(tmp, 'fifo');
    spawnSync('mkfifo', [fifo]);
    const r = spawnSync('sh', ['-c', `cat '${SEQ}' > '${fifo}' & '${process.execPath}' '${CLI}' read '${fifo}'`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toHaveLength(84);
  });
});

describe('read -Y on findings decided by later frames', () => {
  it('selects the frame a finding is attached to, though later frames decided it', () => {
    // lost-end.pcap.truth.json: the only finding is lost_end at frame 21, attributed at frame 24.
    const truth = JSON.parse(readFileSync(`${CAPTURES_DIR}synth/lost-end.pcap.truth.json`, 'utf8'));
    expect(truth.findings.map((f: { code: string; frame: number }) => [f.code, f.frame])).toEqual([['vsock.seq.lost_end', 21]]);
    const r = vsockscope(['read', '-Y', 'vsock.seq.lost_end', `${CAPTURES_DIR}synth/lost-end.pcap`]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toHaveLength(1);
    expect(r.stdout).toMatch(/^ +21 .* SEQ_BEGIN .*\[vsock\.seq\.lost_end\]$/m);
    const json = lines(vsockscope(['read', '--json', '-Y', '!vsock.seq.lost_end && frame.number >= 20 && frame.number <= 22', `${CAPTURES_DIR}synth/lost-end.pcap`]).stdout);
    expect(json.map((l) => JSON.parse(l).frame.number)).toEqual([20, 22]);
  });

  it('--json lists in each frame\'s expert every finding attached to it, however late it was decided', () => {
    const r = vsockscope(['read', '--json', `${CAPTURES_DIR}synth/lost-end.pcap`]);
    expect(r.stderr).toBe('');
    const withFindings = lines(r.stdout).map((l) => JSON.parse(l)).filter((o) => o.expert.length > 0);
    expect(withFindings.map((o) => [o.frame.number, o.expert])).toEqual([[21, ['vsock.seq.lost_end']]]);
  });
});

describe('bad input: one line, exit 2, everything before the damage printed', () => {
  it('a file cut inside its last record', () => {
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, readFileSync(SEQ).subarray(0, 1000));
    const r = vsockscope(['read', cut]);
    expect(r.status).toBe(2);
    const out = lines(r.stdout);
    expect(out.at(-1)).toContain('[capture.truncated]');
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^vsockscope: .*cut\.pcap: byte \d+: the capture ends inside a record/)]);
  });

  it('an absurd record length names the byte offset', () => {
    const bad = Buffer.from(readFileSync(SEQ));
    bad.writeUInt32LE(0x7fffffff, 24 + 8); // first record's caplen
    const path = join(tmp, 'absurd.pcap');
    writeFileSync(path, bad);
    const r = vsockscope(['read', path]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^vsockscope: .*absurd\.pcap: byte 24: /)]);
  });

  it('not a capture, an empty file, a missing file, a bad filter, a bad option', () => {
    const text = join(tmp, 'text.txt');
    writeFileSync(text, 'hello world\n');
    const empty = join(tmp, 'empty.pcap');
    writeFileSync(empty, '');
    for (const args of [['read', text], ['read', empty], ['read', join(tmp, 'missing.pcap')], ['read', '-Y', 'vsock.nope == 1', SEQ], ['read', '--bogus', SEQ], ['check', '--fail-on', 'fatal', SEQ]]) {
      const r = vsockscope(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(lines(r.stderr), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(/^vsockscope: /);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });
});
