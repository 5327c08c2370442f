// Our reader against pcap-parser (an independent classic pcap reader) on the real captures.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { EventEmitter } from 'node:events';
import { CAPTURES_DIR, readAll, summary, type KeptPacket } from './helpers.js';

interface OraclePacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}
interface OracleHeader {
  snapshotLength: number;
  linkLayerType: number;
}

const pcapParser = createRequire(import.meta.url)('pcap-parser') as { parse(path: string): EventEmitter };

function oracle(path: string): Promise<{ header: OracleHeader; packets: OraclePacket[] }> {
  return new Promise((resolve, reject) => {
    const packets: OraclePacket[] = [];
    let header: OracleHeader | undefined;
    const parser = pcapParser.parse(path);
    parser.on('globalHeader', (h: OracleHeader) => (header = h));
    parser.on('packet', (p: OraclePacket) => packets.push(p));
    parser.on('error', reject);
    parser.on('end', () => (header ? resolve({ header, packets }) : reject(new Error(`no global header in ${path}`))));
  });
}

// Listed when the module loads: a missing directory fails the suite instead of skipping it.
const classicCaptures = readdirSync(CAPTURES_DIR, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.pcap'))
  .sort();

describe('real captures', () => {
  test('the capture directory holds the classic pcap files', () => {
    expect(classicCaptures.length).toBeGreaterThanOrEqual(6);
  });

  for (const name of classicCaptures) {
    test(`${name}: every packet agrees with pcap-parser`, async () => {
      const path = join(CAPTURES_DIR, name);
      const expected = await oracle(path);
      const { packets, end } = readAll(readFileSync(path));
      expect(end).toEqual({});
      expect(packets.length).toBe(expected.packets.length);
      expect(packets.length).toBeGreaterThan(0);
      packets.forEach((p, i) => {
        const o = expected.packets[i]!;
        const at = `${name} frame ${i + 1}`;
        expect(p.number, at).toBe(i + 1);
        expect(p.tsSec, at).toBe(o.header.timestampSeconds);
        expect(p.tsNsec, at).toBe(o.header.timestampMicroseconds * 1000);
        expect(p.capLen, at).toBe(o.header.capturedLength);
        expect(p.origLen, at).toBe(o.header.originalLength);
        expect(Buffer.compare(p.data, o.data), at).toBe(0);
        expect(p.linkType, at).toBe(expected.header.linkLayerType & 0xffff);
        expect(p.snaplen, at).toBe(expected.header.snapshotLength);
        expect(p.tsDigits, at).toBe(6);
      });
    });
  }

  test('seqpacket-loopback.pcapng holds the same packets as seqpacket-loopback.pcap', () => {
    const dir = join(CAPTURES_DIR, 'linux-6.1-loopback');
    const classic = readAll(readFileSync(join(dir, 'seqpacket-loopback.pcap')));
    const ng = readAll(readFileSync(join(dir, 'seqpacket-loopback.pcapng')));
    expect(ng.end).toEqual({});
    expect(ng.notices).toEqual([]);
    const comparable = (p: KeptPacket) => ({ ...summary(p), offset: undefined });
    expect(ng.packets.length).toBe(84);
    expect(ng.packets.map(comparable)).toEqual(classic.packets.map(comparable));
  });
});
