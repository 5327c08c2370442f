// The fuzz harness's own parts: the framing oracle agrees with the reader on every real
// capture, and the checks reject what they exist to reject.

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CaptureError } from '../../src/dissect/container/types.js';
import { captureFiles, CAPTURES_DIR } from '../helpers/captures.js';
import { readAll } from '../container/helpers.js';
import { applyMutation } from './mutators.js';
import { expectJsonLine, expectOutcome, expectSafeLine } from './verdict.js';
import { walk } from './walker.js';

describe('the framing oracle', () => {
  test.each(captureFiles().map((p) => [p.slice(CAPTURES_DIR.length), p]))('%s: as many packets as the reader, and a clean end', (_name, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const w = walk(bytes);
    expect(w.end).toEqual({ kind: 'clean' });
    expect(w.packets).toBe(readAll(bytes).packets.length);
  });

  test('a file cut inside its third record ends there; a bad magic is damage at byte 0', () => {
    const bytes = new Uint8Array(readFileSync(`${CAPTURES_DIR}synth/lost-end.pcap`));
    const third = walk(bytes).records.filter((r) => r.packet)[2]!;
    expect(walk(bytes.subarray(0, third.start + 20))).toMatchObject({ packets: 2, end: { kind: 'cut', offset: third.start } });
    expect(walk(Uint8Array.from([1, 2, 3, 4, 5])).end).toMatchObject({ kind: 'damaged', offset: 0 });
  });

  test('a length mutation writes its boundary value into the field the walker found', () => {
    const bytes = new Uint8Array(readFileSync(`${CAPTURES_DIR}synth/lost-end.pcap`));
    const field = walk(bytes).fields.findIndex((f) => f.name === 'virtio len');
    const mutated = applyMutation(bytes, { kind: 'length', field, value: 'max' }, []);
    const at = walk(bytes).fields[field]!.at;
    expect(new DataView(mutated.buffer).getUint32(at, true)).toBe(0xffffffff);
  });
});

describe('the checks', () => {
  const clean = walk(new Uint8Array(readFileSync(`${CAPTURES_DIR}synth/lost-end.pcap`)));

  test('a lost frame, an escaped exception or a wrong offset fails', () => {
    expect(() => expectOutcome('t', clean, { frames: clean.packets })).not.toThrow();
    expect(() => expectOutcome('t', clean, { frames: clean.packets - 1 })).toThrow(/frames delivered/);
    expect(() => expectOutcome('t', clean, { frames: clean.packets, error: new TypeError('x') })).toThrow(/escaped/);
    expect(() => expectOutcome('t', clean, { frames: clean.packets, error: new CaptureError('x', 3) })).toThrow(/expected a clean end/);
  });

  test('control characters, C1 and lone surrogates in rendered text fail; JSON must parse', () => {
    expect(() => expectSafeLine('t', 'frame 1 len=3 \\x1b[2J')).not.toThrow();
    for (const bad of ['\x1b[2J', 'a\rb', '\x9b1;1H', '\x7f', 'x\ud800', 'two\nlines']) expect(() => expectSafeLine('t', bad)).toThrow();
    expect(() => expectJsonLine('t', '{"a":1}')).not.toThrow();
    expect(() => expectJsonLine('t', '{"a":')).toThrow(/not JSON/);
  });
});
