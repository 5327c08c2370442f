// Push parser for capture files: detects the container format from the first bytes and
// owns the chunk framing shared by both formats. A format framer only ever sees contiguous
// byte ranges; a record that straddles two chunks is completed in the carry buffer first.

import { CaptureError, type CaptureEnd, type CaptureSink } from './types.js';
import { isPcapMagic, PcapFramer } from './pcap.js';
import { isPcapngMagic, PcapngFramer } from './pcapng.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/** Walks the whole records of one container format. */
export interface RecordFramer {
  readonly format: CaptureFormat;
  /** True once the file header (pcap header / first section header) has been read. */
  readonly started: boolean;
  /** Bytes that must be contiguous at the position the last frame() call stopped at. */
  readonly need: number;
  /**
   * Delivers every whole record in bytes[pos, end) and returns where it stopped: at `end`,
   * or at a record needing `need` bytes of which fewer are present. `view` covers `bytes`;
   * `base` is the input offset of bytes[0]. Throws CaptureError on a damaged record, before
   * anything is buffered for it.
   */
  frame(bytes: Uint8Array, view: DataView, pos: number, end: number, base: number): number;
}

const MAGIC_BYTES = 4;
/** Smallest carry allocation, so that short straddling records do not reallocate. */
const CARRY_MIN_BYTES = 64 * 1024;
/** A carry grown past this for one huge record is dropped once that record is done. */
const CARRY_KEEP_BYTES = 1024 * 1024;
const NO_BYTES: Uint8Array = new Uint8Array(0);

export class CaptureReader {
  private framer: RecordFramer | undefined;
  /** Bytes needed at the start of the carry (or of the next chunk) to make progress. */
  private need = MAGIC_BYTES;
  /** The start of a record cut by a chunk boundary: carry[0, carryLength). */
  private carry = NO_BYTES;
  private carryView = viewOf(NO_BYTES);
  private carryLength = 0;
  private carryOffset = 0;
  /** The other carry buffer: see consume(). */
  private spare = NO_BYTES;
  /** Input offset of the next byte pushed. */
  private offset = 0;
  private failure: unknown;

  constructor(private readonly sink: CaptureSink) {}

  get format(): CaptureFormat | undefined {
    return this.framer?.format;
  }

  push(chunk: Uint8Array): void {
    if (this.failure !== undefined) throw this.failure;
    try {
      this.consume(chunk);
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  end(): CaptureEnd {
    if (this.failure !== undefined) throw this.failure;
    if (this.offset === 0) throw new CaptureError('empty file', 0);
    const framer = this.framer;
    if (framer === undefined) {
      throw new CaptureError(`file too short to be a capture: ${this.offset} bytes`, 0);
    }
    if (this.carryLength === 0) return {};
    if (!framer.started) {
      throw new CaptureError(
        `truncated ${framer.format} file header: ${this.carryLength} of ${this.need} bytes`,
        0,
      );
    }
    return {
      truncated: { offset: this.carryOffset, have: this.carryLength, need: this.need },
    };
  }

  private consume(chunk: Uint8Array): void {
    const chunkOffset = this.offset;
    this.offset += chunk.length;
    const pos = this.carryLength > 0 ? this.completeCarry(chunk) : 0;
    if (this.carryLength > 0) return;
    const view = viewOf(chunk);
    const stop = this.frame(chunk, view, pos, chunk.length, chunkOffset);
    if (stop < chunk.length) {
      // A record completed in the carry went out in this push, and its bytes must stay
      // as they are until the push returns (CaptureSink.chunkEnd): the record cut at this
      // chunk's end goes to the other carry buffer.
      if (pos > 0) this.swapCarry();
      this.startCarry(chunk.subarray(stop), chunkOffset + stop);
    }
  }

  private swapCarry(): void {
    const used = this.carry;
    this.setCarry(this.spare);
    this.spare = used.length > CARRY_KEEP_BYTES ? NO_BYTES : used;
  }

  /**
   * Moves bytes from the front of chunk into the carry until its records are whole and
   * delivered; returns how many bytes of chunk that used (all of it if still short).
   */
  private completeCarry(chunk: Uint8Array): number {
    let pos = 0;
    while (this.carryLength > 0) {
      const take = Math.min(this.need - this.carryLength, chunk.length - pos);
      this.reserveCarry(this.carryLength + take);
      this.carry.set(chunk.subarray(pos, pos + take), this.carryLength);
      this.carryLength += take;
      pos += take;
      if (this.carryLength < this.need) break;
      const used = this.frame(this.carry, this.carryView, 0, this.carryLength, this.carryOffset);
      if (used === this.carryLength) {
        this.carryLength = 0;
        if (this.carry.length > CARRY_KEEP_BYTES) this.setCarry(NO_BYTES);
      } else {
        // The header was whole but announced a longer record: keep what is left of it.
        this.carry.copyWithin(0, used, this.carryLength);
        this.carryLength -= used;
        this.carryOffset += used;
      }
    }
    return pos;
  }

  private startCarry(rest: Uint8Array, offset: number): void {
    this.reserveCarry(rest.length);
    this.carry.set(rest, 0);
    this.carryLength = rest.length;
    this.carryOffset = offset;
  }

  /**
   * Room for `bytes` in the carry. It grows with the bytes that have arrived, by doubling
   * up to the record's `need`: a length field claiming far more than the input holds (a
   * cut or corrupt file) never allocates what it claims.
   */
  private reserveCarry(bytes: number): void {
    if (this.carry.length >= bytes) return;
    const grown = new Uint8Array(Math.max(bytes, Math.min(this.need, Math.max(2 * this.carry.length, CARRY_MIN_BYTES))));
    grown.set(this.carry.subarray(0, this.carryLength), 0);
    this.setCarry(grown);
  }

  private setCarry(bytes: Uint8Array): void {
    this.carry = bytes;
    this.carryView = viewOf(bytes);
  }

  private frame(bytes: Uint8Array, view: DataView, pos: number, end: number, base: number): number {
    let framer = this.framer;
    if (framer === undefined) {
      if (end - pos < MAGIC_BYTES) {
        this.need = MAGIC_BYTES;
        return pos;
      }
      framer = this.framer = detectFormat(view.getUint32(pos, false), this.sink);
    }
    const stop = framer.frame(bytes, view, pos, end, base);
    this.need = framer.need;
    return stop;
  }
}

function detectFormat(magic: number, sink: CaptureSink): RecordFramer {
  if (isPcapMagic(magic)) return new PcapFramer(sink);
  if (isPcapngMagic(magic)) return new PcapngFramer(sink);
  const hex = magic.toString(16).padStart(8, '0');
  const hint = magic >>> 16 === 0x1f8b ? ' (gzip-compressed? decompress it first)' : '';
  throw new CaptureError(`not a pcap or pcapng file: unknown magic 0x${hex}${hint}`, 0);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
