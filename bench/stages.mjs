// Per-stage cost in ns/frame, measured in-process on a file held in memory: the numbers
// to compare a change by when the machine is too busy for `npm run bench`'s wall times.
// copy: the file source's chunk copies alone; frame: + framing; decode: + decoding (the pipeline's FrameDecoder); engine:
// + Engine.push; summary: decode + the summary line (no engine). Best of N passes.
//
//   node bench/stages.mjs [FILE] [PASSES]     (default bench/out/hdr-1m.pcap, 7; needs a build)
import { readFileSync } from 'node:fs';
import { CaptureReader } from '../dist/dissect/container/reader.js';
import { FrameDecoder } from '../dist/dissect/decode.js';
import { writeSummaryLine } from '../dist/dissect/present/summary.js';
import { ByteText } from '../dist/dissect/present/text.js';
import { Engine } from '../dist/reassembly/index.js';

const file = process.argv[2] ?? new URL('./out/hdr-1m.pcap', import.meta.url).pathname;
const passes = Number(process.argv[3] ?? 7);
const input = readFileSync(file);
const CHUNK = 1 << 20;

/** Pushes the file through a reader (none for `copy`) in 1 MiB chunks of one reused buffer, as the file source does. */
function pass(sink) {
  const buffer = new Uint8Array(2 * CHUNK);
  const reader = sink === null ? null : new CaptureReader(sink);
  let half = 0;
  for (let at = 0; at < input.length; at += CHUNK) {
    const chunk = buffer.subarray(half * CHUNK, half * CHUNK + Math.min(CHUNK, input.length - at));
    chunk.set(input.subarray(at, at + chunk.length));
    half ^= 1;
    reader?.push(chunk);
  }
  reader?.end();
}

const STAGES = {
  copy: () => null,
  frame: () => ({ packet(p) { if (p.capLen < 0) throw new Error(); }, notice() {} }),
  decode: () => {
    const decoder = new FrameDecoder();
    return { packet(p) { decoder.decode(p); }, notice() {} };
  },
  engine: () => {
    const engine = new Engine(() => undefined);
    const decoder = new FrameDecoder();
    return { packet(p) { engine.push(decoder.decode(p)); }, notice() {}, end: () => engine.end() };
  },
  summary: () => {
    const text = new ByteText(1 << 17);
    const decoder = new FrameDecoder();
    let origin;
    return {
      packet(p) {
        const frame = decoder.decode(p);
        origin ??= { tsSec: frame.tsSec, tsNsec: frame.tsNsec, tsDigits: frame.tsDigits };
        writeSummaryLine(text, frame, origin, false);
        text.byte(0x0a);
        if (text.pos > 1 << 16) text.pos = 0;
      },
      notice() {},
    };
  },
};

let frames = 0;
new CaptureReader({ packet: () => { frames++; }, notice() {} }).push(input);
const rows = [];
for (const [name, make] of Object.entries(STAGES)) {
  let best = Infinity;
  for (let i = 0; i < passes; i++) {
    const sink = make();
    const t0 = process.hrtime.bigint();
    pass(sink);
    sink?.end?.();
    best = Math.min(best, Number(process.hrtime.bigint() - t0));
  }
  rows.push(`  ${name.padEnd(8)} ${(best / frames).toFixed(1).padStart(7)} ns/frame`);
}
process.stdout.write(`${file}: ${frames.toLocaleString('en')} frames, best of ${passes}\n${rows.join('\n')}\n`);
