import { Parser } from 'binary-parser';
import { FIELD_SIZE, SEQ_HEADER, VIRTIO_HEADER, VSOCKMON_HEADER, type FieldType, type HeaderDef } from './fields.js';

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

/** Reads one header at `offset` of a DataView. */
export type HeaderReader<T> = (view: DataView, offset: number) => T;
/** Reads one header at `offset` of a DataView into `target` (an object a HeaderReader made), and returns it. */
export type HeaderFiller<T> = (target: T, view: DataView, offset: number) => T;

/** The binary-parser declaration of a header, built from the field table. */
export function headerParser(header: HeaderDef): Parser {
  let parser = new Parser().endianness('little');
  let offset = 0;
  for (const f of header.fields) {
    if (f.offset !== offset) throw new Error(`${header.path}.${f.key}: offset ${f.offset}, expected ${offset}`);
    parser = f.type === 'u64' ? parser.uint64(f.key) : f.type === 'u32' ? parser.uint32(f.key) : parser.uint16(f.key);
    offset += FIELD_SIZE[f.type];
  }
  if (offset !== header.size) throw new Error(`${header.path}: fields cover ${offset} of ${header.size} bytes`);
  return parser;
}

// binary-parser's parse() builds a DataView over its input, reads u64 as BigInt and
// adds then deletes $parent/$root on its result (which drops the object into V8's
// slow dictionary mode), at ~200 ns a header. We compile the code it generates
// (pinned 2.3.0) ourselves instead: its field reads, verbatim but for u64 reads, which
// give a Cid, run against the caller's DataView (the reader's, over a whole chunk) from the caller's offset, into an
// object literal of the table's shape. The shape of that code is checked line by line
// here, and pinned by test/dissect/parsers.test.ts: other generated code fails loudly.
const PROLOGUE = [
  'var dataView = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);',
  'var offset = 0;',
  'var vars = {};',
  'vars.$parent = null;',
  'vars.$root = vars;',
];
const EPILOGUE = ['delete vars.$parent;', 'delete vars.$root;', 'return vars;', ''];
const READ = /^vars\.([A-Za-z_$][\w$]*) = dataView\.get(Uint16|Uint32|BigUint64)\(offset, true\);$/;
const GETTER: Readonly<Record<FieldType, string>> = { u16: 'Uint16', u32: 'Uint32', u64: 'BigUint64' };

/**
 * A little-endian u64 as a Cid: a number when the high word is below 2^21 (the value
 * below 2^53), else a bigint. A zero high word returns the low word as it is, which V8
 * keeps as a small integer rather than the heap-allocated double a multiplication gives.
 */
function u64(view: DataView, offset: number): Cid {
  const high = view.getUint32(offset + 4, true);
  if (high === 0) return view.getUint32(offset, true);
  return high < 0x200000 ? high * 0x1_0000_0000 + view.getUint32(offset, true) : view.getBigUint64(offset, true);
}

function unexpected(header: HeaderDef, what: string, code: string): Error {
  return new Error(`binary-parser generated unexpected code for ${header.path} (${what}); parsers.ts expects binary-parser 2.3.0's shape:\n${code}`);
}

/** The body of the reader: binary-parser's field reads, checked against the field table. */
export function readerSource(header: HeaderDef): string {
  const code = headerParser(header).getCode();
  const lines = code.split('\n');
  const body = lines.slice(PROLOGUE.length, lines.length - EPILOGUE.length);
  if (lines.slice(0, PROLOGUE.length).join('\n') !== PROLOGUE.join('\n')) throw unexpected(header, 'prologue', code);
  if (lines.slice(lines.length - EPILOGUE.length).join('\n') !== EPILOGUE.join('\n')) throw unexpected(header, 'epilogue', code);
  if (body.length !== 2 * header.fields.length) throw unexpected(header, `${body.length} body lines`, code);
  const out: string[] = [];
  header.fields.forEach((f, i) => {
    const read = READ.exec(body[2 * i]!);
    if (read === null || read[1] !== f.key || read[2] !== GETTER[f.type]) throw unexpected(header, `read of ${f.key}`, code);
    if (body[2 * i + 1] !== `offset += ${FIELD_SIZE[f.type]};`) throw unexpected(header, `advance after ${f.key}`, code);
    out.push(f.type === 'u64' ? body[2 * i]!.replace('dataView.getBigUint64(offset, true)', 'u64(dataView, offset)') : body[2 * i]!, body[2 * i + 1]!);
  });
  return out.join('\n');
}

function compileReader<T>(header: HeaderDef): HeaderReader<T> {
  const literal = header.fields.map((f) => `${f.key}: 0`).join(', ');
  const source = `return function (dataView, offset) {\nvar vars = { ${literal} };\n${readerSource(header)}\nreturn vars;\n};`;
  return new Function('u64', source)(u64) as HeaderReader<T>;
}

function compileFiller<T>(header: HeaderDef): HeaderFiller<T> {
  const source = `return function (vars, dataView, offset) {\n${readerSource(header)}\nreturn vars;\n};`;
  return new Function('u64', source)(u64) as HeaderFiller<T>;
}

export const readVsockmonHeader: HeaderReader<VsockmonHeader> = compileReader(VSOCKMON_HEADER);
export const readVirtioHeader: HeaderReader<VirtioHeader> = compileReader(VIRTIO_HEADER);
export const readSeqHeader: HeaderReader<SeqHeader> = compileReader(SEQ_HEADER);
export const fillVsockmonHeader: HeaderFiller<VsockmonHeader> = compileFiller(VSOCKMON_HEADER);
export const fillVirtioHeader: HeaderFiller<VirtioHeader> = compileFiller(VIRTIO_HEADER);
export const fillSeqHeader: HeaderFiller<SeqHeader> = compileFiller(SEQ_HEADER);
