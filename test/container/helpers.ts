// Shared by the container tests: a sink that keeps copies of what the reader delivers.

import { CaptureReader } from '../../src/dissect/container/reader.js';
import { bytesOf as capturedBytes, detachedPacket } from '../../src/dissect/container/record-bytes.js';
import type { CaptureEnd, CaptureNotice, CapturedPacket } from '../../src/dissect/container/types.js';

export const CAPTURES_DIR = '/work/shared/captures';

/** A packet kept by a test, with a copy of its bytes as `data`. */
export type KeptPacket = CapturedPacket & { readonly data: Uint8Array };

export interface Collected {
  readonly packets: KeptPacket[];
  readonly notices: CaptureNotice[];
}

/** The packet's bytes lie inside its view. */
function checkView(p: CapturedPacket): void {
  if (p.dataOffset < 0 || p.dataOffset + p.capLen > p.view.byteLength) {
    throw new Error(`frame ${p.number}: ${p.capLen} bytes at dataOffset ${p.dataOffset} do not fit the packet's ${p.view.byteLength}-byte view`);
  }
}

/** A sink that copies each packet's data (the reader's view is only valid in the callback). */
export function collector(): Collected & { packet(p: CapturedPacket): void; notice(n: CaptureNotice): void } {
  const packets: KeptPacket[] = [];
  const notices: CaptureNotice[] = [];
  return {
    packets,
    notices,
    packet: (p) => {
      checkView(p);
      const kept = detachedPacket(p);
      packets.push({ ...kept, data: capturedBytes(kept) });
    },
    notice: (n) => notices.push(n),
  };
}

/** Feeds bytes in chunks of the given sizes (cycled), then ends the reader. */
export function readInChunks(bytes: Uint8Array, sizes: readonly number[] = [bytes.length]): Collected & { end: CaptureEnd } {
  const sink = collector();
  const reader = new CaptureReader(sink);
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    reader.push(bytes.subarray(at, at + size));
    at += size;
  }
  return { packets: sink.packets, notices: sink.notices, end: reader.end() };
}

export function readAll(bytes: Uint8Array): Collected & { end: CaptureEnd } {
  return readInChunks(bytes);
}

export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Deterministic pseudo-random generator (mulberry32) for chunk sizes and payloads. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A packet without the view its bytes were read through (checkView checked it). */
export function withoutView(p: KeptPacket): Omit<KeptPacket, 'view' | 'dataOffset'> {
  const { view: _view, dataOffset: _dataOffset, ...fields } = p;
  return fields;
}

/** The fields of a packet that do not depend on how the input was chunked. */
export function summary(p: KeptPacket): Record<string, unknown> {
  return { ...withoutView(p), data: Buffer.from(p.data).toString('hex') };
}
