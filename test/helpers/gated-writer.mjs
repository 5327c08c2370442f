// Writes a capture in pieces for the live-input tests: the bytes up to each split
// offset, then waits until the test creates GATE_DIR/<piece number> before writing the
// next piece. OUT is a path (a FIFO, or a file grown for --follow) or - for stdout.
//   node gated-writer.mjs FILE OUT GATE_DIR SPLIT...

import { existsSync, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

const [file, out, gateDir, ...splits] = process.argv.slice(2);
const bytes = readFileSync(file);
const fd = out === '-' ? 1 : openSync(out, 'a');
const ends = [...splits.map(Number), bytes.length];
let at = 0;
for (let piece = 0; piece < ends.length; piece++) {
  if (piece > 0) while (!existsSync(join(gateDir, String(piece)))) await new Promise((r) => setTimeout(r, 20));
  for (let written = at; written < ends[piece]; ) written += writeSync(fd, bytes, written, ends[piece] - written);
  at = ends[piece];
}
if (fd !== 1) closeSync(fd);
