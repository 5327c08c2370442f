// parsers.ts compiles the code binary-parser generates for each header instead of
// calling parse(). These tests pin that code's shape (binary-parser 2.3.0) and check the
// compiled readers against binary-parser's own parse() on random bytes.

import { readFileSync } from 'node:fs';
import { Parser } from 'binary-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEADERS, SEQ_HEADER, VIRTIO_HEADER, VSOCKMON_HEADER, type HeaderDef } from '../../src/dissect/fields.js';
import {
  headerParser, readerSource, readSeqHeader, readVirtioHeader, readVsockmonHeader, type HeaderReader,
} from '../../src/dissect/parsers.js';
import { random } from '../container/helpers.js';

const PROLOGUE = [
  'var dataView = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);',
  'var offset = 0;',
  'var vars = {};',
  'vars.$parent = null;',
  'vars.$root = vars;',
];
const EPILOGUE = ['delete vars.$parent;', 'delete vars.$root;', 'return vars;', ''];
const generated = (reads: string[]) => [...PROLOGUE, ...reads, ...EPILOGUE].join('\n');

/** binary-parser 2.3.0's getCode() for each header, verbatim. */
const CODE_2_3_0: ReadonlyMap<HeaderDef, string> = new Map([
  [VSOCKMON_HEADER, generated([
    'vars.src_cid = dataView.getBigUint64(offset, true);', 'offset += 8;',
    'vars.dst_cid = dataView.getBigUint64(offset, true);', 'offset += 8;',
    'vars.src_port = dataView.getUint32(offset, true);', 'offset += 4;',
    'vars.dst_port = dataView.getUint32(offset, true);', 'offset += 4;',
    'vars.op = dataView.getUint16(offset, true);', 'offset += 2;',
    'vars.trans = dataView.getUint16(offset, true);', 'offset += 2;',
    'vars.trans_len = dataView.getUint16(offset, true);', 'offset += 2;',
    'vars.reserved = dataView.getUint16(offset, true);', 'offset += 2;',
  ])],
  [VIRTIO_HEADER, generated([
    'vars.src_cid = dataView.getBigUint64(offset, true);', 'offset += 8;',
    'vars.dst_cid = dataView.getBigUint64(offset, true);', 'offset += 8;',
    'vars.src_port = dataView.getUint32(offset, true);', 'offset += 4;',
    'vars.dst_port = dataView.getUint32(offset, true);', 'offset += 4;',
    'vars.len = dataView.getUint32(offset, true);', 'offset += 4;',
    'vars.type = dataView.getUint16(offset, true);', 'offset += 2;',
    'vars.op = dataView.getUint16(offset, true);', 'offset += 2;',
    'vars.flags = dataView.getUint32(offset, true);', 'offset += 4;',
    'vars.buf_alloc = dataView.getUint32(offset, true);', 'offset += 4;',
    'vars.fwd_cnt = dataView.getUint32(offset, true);', 'offset += 4;',
  ])],
  [SEQ_HEADER, generated([
    'vars.msg_cnt = dataView.getUint32(offset, true);', 'offset += 4;',
    'vars.msg_len = dataView.getUint32(offset, true);', 'offset += 4;',
  ])],
]);

const READERS: ReadonlyMap<HeaderDef, HeaderReader<object>> = new Map<HeaderDef, HeaderReader<object>>([
  [VSOCKMON_HEADER, readVsockmonHeader], [VIRTIO_HEADER, readVirtioHeader], [SEQ_HEADER, readSeqHeader],
]);

/** binary-parser's parse() result with u64 values as parsers.ts returns them (numbers up to 2^53 - 1). */
function reference(header: HeaderDef, bytes: Uint8Array): Record<string, number | bigint> {
  const parsed = headerParser(header).parse(bytes) as Record<string, number | bigint>;
  const out: Record<string, number | bigint> = {};
  for (const f of header.fields) {
    const v = parsed[f.key]!;
    out[f.key] = typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  return out;
}

describe('binary-parser code shape (pinned 2.3.0)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is binary-parser 2.3.0', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../node_modules/binary-parser/package.json', import.meta.url), 'utf8'));
    expect(pkg.version, 'parsers.ts compiles binary-parser 2.3.0\'s generated code: re-check it before changing the pin').toBe('2.3.0');
  });

  for (const header of HEADERS) {
    it(`generates the expected code for ${header.path}`, () => {
      expect(headerParser(header).getCode(), 'binary-parser generates other code: parsers.ts must be re-checked against it').toBe(CODE_2_3_0.get(header));
    });
  }

  it('refuses generated code of any other shape', () => {
    const original = Parser.prototype.getCode;
    const variants: ((code: string) => string)[] = [
      (c) => c.replace('var offset = 0;', 'var offset = 4;'),
      (c) => c.replace('vars.dst_cid = dataView.getBigUint64(offset, true);', 'vars.dst_cid = dataView.getBigInt64(offset, true);'),
      (c) => c.replace('vars.src_port', 'vars.port'),
      (c) => c.replace('offset += 4;', 'offset += 8;'),
      (c) => c.replace('return vars;', 'return vars.$root;'),
      (c) => c.replace('vars.op = dataView.getUint16(offset, true);\n', 'vars.op = dataView.getUint16(offset, true); vars.extra = 1;\n'),
    ];
    for (const change of variants) {
      vi.spyOn(Parser.prototype, 'getCode').mockImplementation(function (this: Parser) { return change(original.call(this)); });
      expect(() => readerSource(VSOCKMON_HEADER)).toThrow(/binary-parser generated unexpected code for vsock/);
      vi.restoreAllMocks();
    }
  });
});

describe('compiled header readers', () => {
  it('agree with binary-parser\'s parse() on random bytes at any offset, through a DataView at any offset of its buffer', () => {
    const next = random(271);
    const buffer = new Uint8Array(4096);
    const view = new DataView(buffer.buffer);
    for (let round = 0; round < 500; round++) {
      for (let i = 0; i < buffer.length; i++) buffer[i] = Math.floor(next() * 256);
      for (const [header, read] of READERS) {
        const at = Math.floor(next() * (buffer.length - header.size));
        // Make some high words small, as real CIDs are (numbers, not bigints).
        for (const f of header.fields) if (f.type === 'u64' && next() < 0.5) view.setUint32(at + f.offset + 4, next() < 0.5 ? 0 : 0x1fffff, true);
        const expected = reference(header, buffer.subarray(at, at + header.size));
        expect(read(view, at)).toEqual(expected);
        // A DataView that starts inside its buffer, as a carry's or a chunk's may.
        const from = Math.floor(next() * at);
        expect(read(new DataView(buffer.buffer, from), at - from)).toEqual(expected);
      }
    }
  });

  it('keep u64 values exact: numbers up to 2^53 - 1, bigints above', () => {
    const bytes = new Uint8Array(VIRTIO_HEADER.size);
    const view = new DataView(bytes.buffer);
    const cases: [bigint, number | bigint][] = [
      [0n, 0], [3n, 3], [0xffffffffn, 0xffffffff], [2n ** 32n, 2 ** 32],
      [2n ** 53n - 1n, Number.MAX_SAFE_INTEGER], [2n ** 53n, 2n ** 53n], [2n ** 64n - 1n, 2n ** 64n - 1n],
    ];
    for (const [raw, expected] of cases) {
      view.setBigUint64(0, raw, true);
      expect(readVirtioHeader(view, 0).src_cid).toBe(expected);
    }
  });
});
