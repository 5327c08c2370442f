// Differential test against tshark: every frame of every capture in captures/
// must have the same vsockmon and virtio header fields as tshark's dissection.
// tshark is required: .ci/run installs it; without it this test fails.
// tshark does not dissect vsockmon behind a Linux cooked header (it shows the frame as
// data): for captures/linux-cooked/ only the frame columns are compared, and tshark must
// show the cooked header's ARPHRD type as vsockmon's.

import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VIRTIO_HEADER, VSOCKMON_HEADER, tsharkName, type FieldDef, type HeaderDef } from '../../src/dissect/fields.js';
import type { DecodedFrame } from '../../src/dissect/decode.js';
import { formatEpoch } from '../../src/dissect/present/time.js';
import { CAPTURES_DIR, captureFiles, decodeFile } from '../helpers/captures.js';

interface Column { readonly name: string; ours(frame: DecodedFrame): string | undefined; normalize(tshark: string): string }

const asBigIntString = (s: string) => (s.startsWith('0x') ? BigInt(s).toString() : s === '' ? '' : BigInt(s).toString());
/** tshark shows vsock.reserved as FT_BYTES in wire order; our u16 is little-endian. */
const bytesLE = (s: string) => (s === '' ? '' : BigInt('0x' + (s.replace(/:/g, '').match(/../g) ?? []).reverse().join('')).toString());

function headerColumns(header: HeaderDef, pick: (f: DecodedFrame) => object | undefined): Column[] {
  return header.fields.map((field: FieldDef) => ({
    name: tsharkName(header, field),
    ours: (frame) => {
      const values = pick(frame) as Record<string, number | bigint> | undefined;
      return values === undefined ? undefined : String(values[field.key]);
    },
    normalize: field.key === 'reserved' && header === VSOCKMON_HEADER ? bytesLE : asBigIntString,
  }));
}

const COLUMNS: Column[] = [
  { name: 'frame.number', ours: (f) => String(f.number), normalize: (s) => s },
  { name: 'frame.time_epoch', ours: (f) => formatEpoch({ ...f, tsDigits: 9 }), normalize: (s) => s },
  { name: 'frame.len', ours: (f) => String(f.len), normalize: (s) => s },
  { name: 'frame.cap_len', ours: (f) => String(f.capLen), normalize: (s) => s },
  ...headerColumns(VSOCKMON_HEADER, (f) => f.vsock),
  ...headerColumns(VIRTIO_HEADER, (f) => f.virtio),
];

function tsharkRows(file: string): string[][] {
  const run = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f', ...COLUMNS.flatMap((c) => ['-e', c.name])], {
    encoding: 'utf8', maxBuffer: 1 << 30,
  });
  if (run.error !== undefined) throw new Error(`tshark is required for this test and could not run: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`tshark failed on ${file}: ${run.stderr}`);
  return run.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** One field of every frame, as tshark shows it. */
function tsharkColumn(file: string, field: string): string[] {
  const run = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', field], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`tshark failed on ${file}: ${run.stderr}`);
  return run.stdout.split('\n').filter((l) => l !== '');
}

describe('tshark differential', () => {
  const files = captureFiles();
  it('has captures to compare', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });
  for (const file of files) {
    const cooked = relative(CAPTURES_DIR, file).startsWith('linux-cooked/');
    it(`agrees with tshark on ${relative(CAPTURES_DIR, file)}`, async () => {
      const rows = tsharkRows(file);
      const { frames } = await decodeFile(file);
      expect(frames.length).toBe(rows.length);
      const mismatches: string[] = [];
      if (cooked) expect(new Set(tsharkColumn(file, 'sll.hatype'))).toEqual(new Set(['826']));
      frames.forEach((frame, i) => {
        COLUMNS.forEach((col, j) => {
          if (cooked && !col.name.startsWith('frame.')) return;
          const ours = col.ours(frame);
          if (ours === undefined) return; // a header we did not decode (reported as malformed)
          const theirs = col.normalize(rows[i]![j] ?? '');
          if (ours !== theirs && mismatches.length < 20) mismatches.push(`frame ${frame.number} ${col.name}: ours ${ours}, tshark ${theirs}`);
        });
      });
      expect(mismatches).toEqual([]);
    }, 120_000);
  }
});
