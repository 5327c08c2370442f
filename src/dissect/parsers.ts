import { Parser } from 'binary-parser';
import { FIELD_SIZE, SEQ_HEADER, VIRTIO_HEADER, VSOCKMON_HEADER, type HeaderDef } from './fields.js';

/** A CID: a number while it is exact as one, a bigint above 2^53 - 1. */
export type Cid = number | bigint;

export interface VsockmonHeader {
  src_cid: Cid; dst_cid: Cid; src_port: number; dst_port: number;
  op: number; trans: number; trans_len: number; reserved: number;
}

export interface VirtioHeader {
  src_cid: Cid; dst_cid: Cid; src_port: number; dst_port: number;
  len: number; type: number; op: number; flags: number; buf_alloc: number; fwd_cnt: number;
}

export interface SeqHeader { msg_cnt: number; msg_len: number }

type Parsed<T> = (bytes: Uint8Array) => T;

/**
 * binary-parser sets and then `delete`s `$parent`/`$root` on every result, which
 * drops the object into V8's slow dictionary mode (measured 5x slower per frame).
 * Parsing into a class whose prototype swallows those two names keeps results fast.
 */
function resultClass(header: HeaderDef): new () => object {
  const Result = function (this: Record<string, unknown>) {
    for (const f of header.fields) this[f.key] = f.type === 'u64' ? 0n : 0;
  } as unknown as new () => object;
  const ignore = { get: () => undefined, set: () => undefined };
  Object.defineProperty(Result.prototype, '$parent', ignore);
  Object.defineProperty(Result.prototype, '$root', ignore);
  return Result;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

function buildParser<T>(header: HeaderDef): Parsed<T> {
  let parser = new Parser().endianness('little').create(resultClass(header));
  let offset = 0;
  for (const f of header.fields) {
    if (f.offset !== offset) throw new Error(`${header.path}.${f.key}: offset ${f.offset}, expected ${offset}`);
    parser = f.type === 'u64' ? parser.uint64(f.key) : f.type === 'u32' ? parser.uint32(f.key) : parser.uint16(f.key);
    offset += FIELD_SIZE[f.type];
  }
  if (offset !== header.size) throw new Error(`${header.path}: fields cover ${offset} of ${header.size} bytes`);
  parser.compile();
  const wide = header.fields.filter((f) => f.type === 'u64').map((f) => f.key);
  return (bytes) => {
    const r = parser.parse(bytes) as Record<string, unknown>;
    for (const key of wide) {
      const v = r[key] as bigint;
      if (v <= MAX_EXACT) r[key] = Number(v);
    }
    return r as T;
  };
}

export const parseVsockmonHeader: Parsed<VsockmonHeader> = buildParser(VSOCKMON_HEADER);
export const parseVirtioHeader: Parsed<VirtioHeader> = buildParser(VIRTIO_HEADER);
export const parseSeqHeader: Parsed<SeqHeader> = buildParser(SEQ_HEADER);
