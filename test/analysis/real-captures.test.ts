// The real Linux 6.1 captures: no error or warning findings beyond the known tap
// bug, and every SEQPACKET message the programs sent (per their manifests) is a
// delivered record of the same size, order and MSG_EOR flag.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURES_DIR } from '../helpers/captures.js';
import { analyzeFile } from '../helpers/analysis.js';

interface ManifestEvent { role: string; event: string; fields: Record<string, string | number> }

/** Per direction ("srcPort>dstPort"), the messages sent on SEQPACKET sockets: size and MSG_EOR. */
function sentMessages(manifests: readonly string[]): Map<string, { size: number; eor: boolean }[]> {
  const events = manifests.flatMap((path) => (JSON.parse(readFileSync(path, 'utf8')) as { events: ManifestEvent[] }).events)
    .map((e) => ({ ...e, fields: e.fields ?? {} }));
  const conns = new Map<number, { client: number; server: number; type: string }>();
  for (const e of events) {
    if (e.event === 'CONNECT') conns.set(Number(e.fields.conn), { client: Number(e.fields.local_port), server: Number(e.fields.dst_port), type: String(e.fields.type) });
  }
  for (const e of events) {
    const c = conns.get(Number(e.fields.conn));
    if (e.event === 'CONNECT_RESULT' && c !== undefined && e.fields.local_port !== undefined) c.client = Number(e.fields.local_port);
  }
  const sent = new Map<string, { size: number; eor: boolean }[]>();
  for (const e of events) {
    const c = conns.get(Number(e.fields.conn));
    if (e.event !== 'SEND' || c === undefined || c.type !== 'SEQPACKET') continue;
    const size = Number(e.fields.size);
    if (size === 0 || Number(e.fields.ret) !== size) continue; // nothing on the wire
    const dir = e.role.startsWith('C') ? `${c.client}>${c.server}` : `${c.server}>${c.client}`;
    sent.set(dir, [...(sent.get(dir) ?? []), { size, eor: String(e.fields.flags).split('|').includes('EOR') }]);
  }
  return sent;
}

const portsOf = (dir: string) => dir.split('>').map((half) => half.split(':')[1]).join('>');

const allManifests = (folder: string) => readdirSync(CAPTURES_DIR + folder).filter((n) => /manifest.*\.json$/.test(n)).map((n) => `${CAPTURES_DIR}${folder}/${n}`);
const loopback = (scenario: string) => [`${CAPTURES_DIR}linux-6.1-loopback/${scenario}-manifest.json`];

// payloadLenFrames: the 6.1 host-side tap bug frames (captures/README-linux-6.1.md).
const CASES = [
  { capture: 'linux-6.1-loopback/seqpacket-loopback.pcap', manifests: loopback('seqpacket'), payloadLenFrames: 0 },
  { capture: 'linux-6.1-loopback/seqpacket-loopback.pcapng', manifests: loopback('seqpacket'), payloadLenFrames: 0 },
  { capture: 'linux-6.1-loopback/credit-loopback.pcap', manifests: loopback('credit'), payloadLenFrames: 0 },
  { capture: 'linux-6.1-loopback/mixed-loopback.pcap', manifests: loopback('mixed'), payloadLenFrames: 0 },
  { capture: 'linux-6.1-loopback/rst-loopback.pcap', manifests: loopback('rst'), payloadLenFrames: 0 },
  { capture: 'linux-6.1-virtio-host/virtio-host.pcap', manifests: allManifests('linux-6.1-virtio-host'), payloadLenFrames: 74 },
  { capture: 'linux-6.1-virtio-guest/virtio-guest.pcap', manifests: allManifests('linux-6.1-virtio-guest'), payloadLenFrames: 0 },
];

describe('real Linux 6.1 captures', () => {
  for (const { capture, manifests, payloadLenFrames } of CASES) {
    it(`${capture}: records match the manifests; no errors or warnings but the tap bug`, async () => {
      const { findings, records } = await analyzeFile(CAPTURES_DIR + capture);
      const serious = findings.filter((f) => f.severity !== 'info');
      expect(serious.filter((f) => f.code !== 'vsock.malformed.payload_len').map((f) => `${f.code}@${f.frame}`)).toEqual([]);
      expect(serious.length).toBe(payloadLenFrames);

      expect(records.filter((r) => r.status !== 'delivered')).toEqual([]);
      const sent = sentMessages(manifests);
      const got = new Map<string, { size: number; eor: boolean }[]>();
      for (const r of [...records].sort((a, b) => a.first_frame! - b.first_frame!)) {
        const dir = portsOf(r.dir);
        got.set(dir, [...(got.get(dir) ?? []), { size: r.received, eor: r.eor }]);
      }
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(sent));
    });
  }
});
