// `read --json`: one object per frame, nested by the field table's paths
// (ANALYSIS.md section 4). Written by hand rather than JSON.stringify because it
// runs for every frame and must write 64-bit values above 2^53 - 1 as strings.

import { SEQ_HEADER, VIRTIO_HEADER, VSOCKMON_HEADER, type HeaderDef } from '../fields.js';
import type { DecodedFrame } from '../decode.js';
import { formatEpoch } from './time.js';

/** A JSON number, or a decimal string for a bigint (only CIDs above 2^53 - 1 are bigints). */
function jsonValue(v: number | bigint): string {
  return typeof v === 'bigint' ? '"' + v.toString() + '"' : String(v);
}

function headerMembers(header: HeaderDef, values: object): string {
  const record = values as Record<string, number | bigint>;
  let out = '';
  for (const f of header.fields) {
    if (f.inJson === false) continue;
    out += (out === '' ? '"' : ',"') + f.key + '":' + jsonValue(record[f.key]!);
  }
  return out;
}

export function frameJson(frame: DecodedFrame): string {
  let out = '{"frame":{"number":' + frame.number + ',"time_epoch":' + formatEpoch(frame) +
    ',"len":' + frame.len + ',"cap_len":' + frame.capLen + '}';
  if (frame.vsock !== undefined) {
    out += ',"vsock":{' + headerMembers(VSOCKMON_HEADER, frame.vsock);
    if (frame.virtio !== undefined) out += ',"virtio":{' + headerMembers(VIRTIO_HEADER, frame.virtio) + '}';
    if (frame.seq !== undefined) out += ',"seq":{' + headerMembers(SEQ_HEADER, frame.seq) + '}';
    out += '}';
  }
  out += ',"expert":[';
  for (let i = 0; i < frame.expert.length; i++) out += (i === 0 ? '"' : ',"') + frame.expert[i]!.code + '"';
  return out + ']}';
}
