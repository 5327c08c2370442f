// Classic pcap (libpcap) records: a 24-byte file header, then 16-byte record headers each
// followed by caplen bytes. Microsecond and nanosecond variants, either byte order.

import { CaptureError, emptyPacketSlot, MAX_RECORD_BYTES, type CaptureSink } from './types.js';
import type { RecordFramer } from './reader.js';

const PCAP_FILE_HEADER_BYTES = 24;
const PCAP_RECORD_HEADER_BYTES = 16;

/** The magic numbers as written by a big-endian machine; a little-endian one swaps them. */
export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;

/** `magic`: the first four bytes of the input read big-endian. */
export function isPcapMagic(magic: number): boolean {
  return magicVariant(magic) !== undefined;
}

function magicVariant(magic: number): { littleEndian: boolean; nanoseconds: boolean } | undefined {
  switch (magic) {
    case PCAP_MAGIC_MICROSECONDS:
      return { littleEndian: false, nanoseconds: false };
    case 0xd4c3b2a1:
      return { littleEndian: true, nanoseconds: false };
    case PCAP_MAGIC_NANOSECONDS:
      return { littleEndian: false, nanoseconds: true };
    case 0x4d3cb2a1:
      return { littleEndian: true, nanoseconds: true };
    default:
      return undefined;
  }
}

export class PcapFramer implements RecordFramer {
  readonly format = 'pcap';
  started = false;
  need = PCAP_FILE_HEADER_BYTES;
  private littleEndian = false;
  private ticksPerSecond = 1_000_000;
  private nsecPerTick = 1000;
  private tsDigits = 6;
  private linkType = 0;
  private snaplen = 0;
  /** Largest caplen a sane record can have: the snaplen, unless that is 0 or absurd. */
  private capLenLimit = MAX_RECORD_BYTES;
  private frames = 0;
  private readonly slot = emptyPacketSlot();

  constructor(private readonly sink: CaptureSink) {}

  frame(bytes: Uint8Array, view: DataView, pos: number, end: number, base: number): number {
    if (!this.started) {
      if (end - pos < PCAP_FILE_HEADER_BYTES) return pos;
      this.readFileHeader(view, pos);
      pos += PCAP_FILE_HEADER_BYTES;
    }
    const { sink, slot, littleEndian, ticksPerSecond, nsecPerTick } = this;
    slot.linkType = this.linkType;
    slot.tsDigits = this.tsDigits;
    slot.tsResolution = this.tsDigits;
    slot.snaplen = this.snaplen;
    slot.view = view;
    for (;;) {
      const available = end - pos;
      if (available < PCAP_RECORD_HEADER_BYTES) {
        this.need = PCAP_RECORD_HEADER_BYTES;
        return pos;
      }
      const capLen = view.getUint32(pos + 8, littleEndian);
      if (capLen > this.capLenLimit) throw this.absurdCapLen(capLen, base + pos);
      const size = PCAP_RECORD_HEADER_BYTES + capLen;
      if (available < size) {
        this.need = size;
        return pos;
      }
      let tsSec = view.getUint32(pos, littleEndian);
      let ticks = view.getUint32(pos + 4, littleEndian);
      if (ticks >= ticksPerSecond) {
        // Out of range fraction (a sloppy writer): carry it into the seconds.
        tsSec += Math.floor(ticks / ticksPerSecond);
        ticks %= ticksPerSecond;
      }
      slot.number = ++this.frames;
      slot.tsSec = tsSec;
      slot.tsNsec = ticks * nsecPerTick;
      slot.capLen = capLen;
      slot.origLen = view.getUint32(pos + 12, littleEndian);
      slot.dataOffset = pos + PCAP_RECORD_HEADER_BYTES;
      slot.offset = base + pos;
      sink.packet(slot);
      pos += size;
    }
  }

  private readFileHeader(view: DataView, pos: number): void {
    // The reader only hands over inputs whose magic passed isPcapMagic.
    const variant = magicVariant(view.getUint32(pos, false))!;
    const littleEndian = variant.littleEndian;
    this.littleEndian = littleEndian;
    if (variant.nanoseconds) {
      this.ticksPerSecond = 1_000_000_000;
      this.nsecPerTick = 1;
      this.tsDigits = 9;
    }
    this.snaplen = view.getUint32(pos + 16, littleEndian);
    if (this.snaplen > 0 && this.snaplen <= MAX_RECORD_BYTES) this.capLenLimit = this.snaplen;
    // The upper bits hold the FCS length and reserved flags, not the link type.
    this.linkType = view.getUint32(pos + 20, littleEndian) & 0xffff;
    this.started = true;
  }

  private absurdCapLen(capLen: number, offset: number): CaptureError {
    const limit =
      this.capLenLimit === this.snaplen
        ? `the file's snapshot length ${this.snaplen}`
        : `the ${MAX_RECORD_BYTES}-byte record limit`;
    return new CaptureError(
      `pcap record caplen ${capLen} exceeds ${limit}: the file is corrupt here`,
      offset,
    );
  }
}
