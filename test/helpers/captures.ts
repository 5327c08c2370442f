import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFile } from '../../src/source/read-capture.js';
import type { CaptureEnd } from '../../src/dissect/container/types.js';
import { detachedPacket } from '../../src/dissect/container/record-bytes.js';
import { decodeFrame, type DecodedFrame } from '../../src/dissect/decode.js';

export const CAPTURES_DIR = new URL('../../captures/', import.meta.url).pathname;
/** Damaged captures kept by the fuzz tests (test/fuzz/malformed.test.ts); not listed with the readable ones. */
export const MALFORMED_DIR = `${CAPTURES_DIR}malformed/`;

/** Every pcap/pcapng file under captures/, recursively, but for the damaged ones in MALFORMED_DIR. */
export function captureFiles(dir = CAPTURES_DIR): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (`${path}/` === MALFORMED_DIR) continue;
    if (statSync(path).isDirectory()) files.push(...captureFiles(path));
    else if (/\.(pcap|pcapng)$/.test(name)) files.push(path);
  }
  return files;
}

/** Decode a whole file, keeping copies of the frames (test sizes only). */
export async function decodeFile(path: string): Promise<{ frames: DecodedFrame[]; end: CaptureEnd }> {
  const frames: DecodedFrame[] = [];
  const end = await readCaptureFile(path, {
    packet: (p) => {
      const f = decodeFrame(detachedPacket(p));
      frames.push(f);
    },
    notice: () => undefined,
  });
  return { frames, end };
}
