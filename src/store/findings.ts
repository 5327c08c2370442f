// Findings of the stages after the decoder (the engine's, the container's), which cannot be
// made again from one frame, kept as JSON text: a Finding object with its message, names
// and details costs ~600 bytes, its text about half, and a port scan makes one for every
// connection. They cross from the loader joined into a few long strings a batch (a
// structured clone of objects cost more than the analysis that made them), and are parsed
// again when shown.

import { FINDING_CODE_INDEX, FINDING_CODES, FINDING_SEVERITY, type Finding, type FindingCode, type Severity } from '../dissect/findings.js';
import { GrowableArray } from './columns.js';
import { sharedCopy } from './shared-arrays.js';
import { SortedOrder } from './sorted-order.js';

/**
 * Characters of findings joined into one string at most: the end of a capture can decide
 * findings about every connection still open at once, more text than a string may hold.
 */
const CHUNK_CHARS = 1 << 24;

/** Findings packed for sending, in the order reported. */
export interface PackedFindings {
  /** Per finding: index in FINDING_CODES, frame. */
  readonly keys: Uint32Array;
  /** Their JSON texts one after another, in strings of up to CHUNK_CHARS (one text may be longer)... */
  readonly texts: readonly string[];
  /** ...holding this many findings each. */
  readonly counts: readonly number[];
  /** Per finding: where its text ends in its string. */
  readonly ends: Uint32Array;
}

/** The loader's side. */
export class FindingPacker {
  private readonly keys = new GrowableArray((n) => new Uint32Array(n), 64);
  private pending: string[] = [];
  private texts: string[] = [];
  private counts: number[] = [];
  private readonly ends = new GrowableArray((n) => new Uint32Array(n), 32);
  private chars = 0;

  add(f: Finding): void {
    const text = JSON.stringify(f);
    this.keys.push(FINDING_CODE_INDEX.get(f.code)!);
    this.keys.push(f.frame);
    if (this.chars > 0 && this.chars + text.length > CHUNK_CHARS) this.endChunk();
    this.pending.push(text);
    this.chars += text.length;
    this.ends.push(this.chars);
  }

  take(): PackedFindings {
    if (this.chars > 0) this.endChunk();
    const packed = { keys: sharedCopy(Uint32Array, this.keys.view()), texts: this.texts, counts: this.counts, ends: sharedCopy(Uint32Array, this.ends.view()) };
    this.keys.clear();
    this.texts = [];
    this.counts = [];
    this.ends.clear();
    return packed;
  }

  private endChunk(): void {
    this.texts.push(this.pending.join(''));
    this.counts.push(this.pending.length);
    this.pending = [];
    this.chars = 0;
  }
}

/** Packs a list at once. */
export function packFindings(findings: readonly Finding[]): PackedFindings {
  const packer = new FindingPacker();
  for (const f of findings) packer.add(f);
  return packer.take();
}

/** A kept finding's facts that are looked at without its text. */
export interface KeptKey {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly frame: number;
}

/** The UI's side: findings numbered in arrival order, their texts in the strings they came in. */
export class KeptFindings {
  /** The batches' texts; a slot is emptied once no finding kept needs it. */
  private chunks: (string | undefined)[] = [];
  private readonly chunkOf = new GrowableArray((n) => new Uint32Array(n), 64);
  private readonly starts = new GrowableArray((n) => new Uint32Array(n), 64);
  private readonly ends = new GrowableArray((n) => new Uint32Array(n), 64);
  private readonly codes = new GrowableArray((n) => new Uint8Array(n), 64);
  private readonly frames = new GrowableArray((n) => new Uint32Array(n), 64);
  private readonly byFrame = new SortedOrder((id) => this.frames.get(id));

  get length(): number {
    return this.frames.length;
  }

  /** Adds a batch's findings; returns the number of the first (the others follow on). */
  add(p: PackedFindings): number {
    const first = this.length;
    let i = 0;
    p.texts.forEach((text, t) => {
      const chunk = this.chunks.push(text) - 1;
      let start = 0;
      for (const last = i + p.counts[t]!; i < last; i++) {
        const end = p.ends[i]!;
        this.chunkOf.push(chunk);
        this.starts.push(start);
        this.ends.push(end);
        this.codes.push(p.keys[2 * i]!);
        this.frames.push(p.keys[2 * i + 1]!);
        start = end;
      }
    });
    return first;
  }

  key(id: number): KeptKey {
    const code = FINDING_CODES[this.codes.get(id)]!;
    return { code, severity: FINDING_SEVERITY[code], frame: this.frames.get(id) };
  }

  get(id: number): Finding {
    return JSON.parse(this.chunks[this.chunkOf.get(id)]!.slice(this.starts.get(id), this.ends.get(id))) as Finding;
  }

  /** The findings on frame n, in arrival order. */
  on(n: number): Finding[] {
    const count = this.length;
    const ids = this.byFrame.items(count);
    const found: Finding[] = [];
    for (let at = this.byFrame.lowerBound(count, n); at < ids.length && this.frames.get(ids[at]!) === n; at++) found.push(this.get(ids[at]!));
    return found;
  }

  /** Keeps the findings `keep` accepts, renumbered in order; returns each one's new number (-1: dropped). */
  compact(keep: (id: number) => boolean): Int32Array {
    const moved = new Int32Array(this.length).fill(-1);
    let n = 0;
    for (let id = 0; id < this.length; id++) if (keep(id)) moved[id] = n++;
    for (const column of [this.chunkOf, this.starts, this.ends, this.codes, this.frames]) column.compact((id) => moved[id]! >= 0);
    this.byFrame.renumber(moved);
    const used = new Set(this.chunkOf.view());
    this.chunks = this.chunks.map((text, chunk) => (used.has(chunk) ? text : undefined));
    return moved;
  }
}
