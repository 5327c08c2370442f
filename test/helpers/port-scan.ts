// A port scan: `pairs` refused connections (a REQUEST and its RST each), every one its own
// connection instance, which the analysis keeps a summary of: the capture that fills the
// heap fastest (see src/cli/memory-limit.ts).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCapture } from '../../src/dissect/container/writer.js';
import { encodeFrame } from '../../src/dissect/encode.js';
import { OP, TYPE_STREAM } from '../../src/dissect/fields.js';

export function writePortScan(pairs: number): string {
  const common = { type: TYPE_STREAM, flags: 0, buf_alloc: 65536, fwd_cnt: 0, len: 0 };
  const records = [];
  for (let i = 0; i < pairs; i++) {
    const client = { cid: 3 + (i >>> 16), port: 1024 + (i & 0xffff) };
    const request = encodeFrame({ virtio: { ...common, src_cid: client.cid, src_port: client.port, dst_cid: 2, dst_port: 5000, op: OP.REQUEST } });
    const reset = encodeFrame({ virtio: { ...common, src_cid: 2, src_port: 5000, dst_cid: client.cid, dst_port: client.port, op: OP.RST } });
    records.push({ tsSec: 1_700_000_000 + Math.floor(i / 1000), tsNsec: (i % 1000) * 1000, data: request });
    records.push({ tsSec: 1_700_000_000 + Math.floor(i / 1000), tsNsec: (i % 1000) * 1000 + 500, data: reset });
  }
  const path = join(mkdtempSync(join(tmpdir(), 'vsockscope-scan-')), 'scan.pcap');
  writeFileSync(path, buildCapture('pcap', records));
  return path;
}
