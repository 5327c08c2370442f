// The packet list's index: per frame, where its record is in the file and a flags byte
// (severity of its findings, the RW flag dialect). 9 bytes a frame; everything else is
// decoded again from the file when a frame is shown.

import type { Severity } from '../../dissect/findings.js';
import { PagedColumn } from '../../store/columns.js';

const SEVERITY_BITS: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 4 };
const ANY_SEVERITY = 7;
/** The frame is an RW on a connection using RFC-v4 markers: its flag bit 0 is MSG_EOR. */
const V4_BIT = 8;

export class FrameIndex {
  private readonly offsets = new PagedColumn((n) => new Float64Array(n));
  private readonly flags = new PagedColumn((n) => new Uint8Array(n));
  /** Frames first..count are indexed (first > 1 once --ring dropped older ones); numbers stay the capture's. */
  count = 0;
  first = 1;

  /** How many frames are indexed. */
  get kept(): number {
    return this.count - this.first + 1;
  }

  /** Forgets the frames before n. */
  dropBefore(n: number): void {
    if (n <= this.first) return;
    this.first = Math.min(n, this.count + 1);
    this.offsets.dropBefore(this.first - 1);
    this.flags.dropBefore(this.first - 1);
  }

  /** Frame count + 1, in capture order. Findings may have marked it already. */
  append(offset: number, v4Dialect: boolean): void {
    const i = this.count++;
    this.offsets.set(i, offset);
    if (v4Dialect) this.flags.set(i, this.flags.get(i) | V4_BIT);
  }

  /** The next frames: their offsets, and 1 where the RW flag dialect is v4. */
  appendAll(offsets: Float64Array, v4: Uint8Array): void {
    const first = this.count;
    this.offsets.setAll(first, offsets);
    // Every indexed frame gets its flags byte (findings may have marked some already).
    this.flags.markAll(first, v4, V4_BIT);
    this.count += offsets.length;
  }

  /** Byte offset of frame n's record in the file. */
  offset(n: number): number {
    return this.offsets.get(n - 1);
  }

  v4Dialect(n: number): boolean {
    return (this.flags.get(n - 1) & V4_BIT) !== 0;
  }

  /** Records a finding on frame n (which may not be indexed yet: findings can arrive before their frame). */
  markFinding(n: number, severity: Severity): void {
    if (n < this.first) return;
    this.flags.set(n - 1, this.flags.get(n - 1) | SEVERITY_BITS[severity]);
  }

  hasFinding(n: number): boolean {
    return (this.flags.get(n - 1) & ANY_SEVERITY) !== 0;
  }

  /** The most severe finding on frame n. */
  severity(n: number): Severity | undefined {
    const bits = this.flags.get(n - 1);
    if ((bits & SEVERITY_BITS.error) !== 0) return 'error';
    if ((bits & SEVERITY_BITS.warning) !== 0) return 'warning';
    if ((bits & SEVERITY_BITS.info) !== 0) return 'info';
    return undefined;
  }

  get byteLength(): number {
    return this.offsets.byteLength + this.flags.byteLength;
  }
}
