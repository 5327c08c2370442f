// pcapng blocks: sections (each with its own byte order and interface table), interface
// descriptions, packets (enhanced, simple, obsolete) and interface statistics. Other
// block types are skipped.

import { CaptureError, emptyPacketSlot, MAX_RECORD_BYTES, type CaptureSink } from './types.js';
import type { RecordFramer } from './reader.js';

export const PCAPNG_BLOCK = {
  sectionHeader: 0x0a0d0d0a,
  interfaceDescription: 1,
  packet: 2,
  simplePacket: 3,
  interfaceStatistics: 5,
  enhancedPacket: 6,
} as const;

export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const PCAPNG_OPTION = {
  endOfOptions: 0,
  comment: 1,
  shbUserApplication: 4,
  ifTsresol: 9,
  ifTsoffset: 14,
  isbIfDrop: 4,
  isbOsDrop: 7,
} as const;

/** Type, length, and the trailing copy of the length. */
const BLOCK_OVERHEAD_BYTES = 12;
/** Smallest legal block of each type: its fixed fields plus the overhead. */
const MIN_BLOCK_BYTES = {
  sectionHeader: 28,
  interfaceDescription: 20,
  packet: 32,
  simplePacket: 16,
  interfaceStatistics: 24,
} as const;
/** Offset of the packet data in enhanced and obsolete packet blocks. */
const PACKET_DATA_OFFSET = 28;

/** `magic`: the first four bytes of the input read big-endian. */
export function isPcapngMagic(magic: number): boolean {
  return magic === PCAPNG_BLOCK.sectionHeader;
}

interface Interface {
  readonly linkType: number;
  readonly snaplen: number;
  readonly tsDigits: number;
  /** The if_tsresol byte. */
  readonly tsResolution: number;
  /** Ticks per second when that is 10^0..10^9 (the exact Number path), else 0. */
  readonly decimalTicksPerSecond: number;
  readonly nsecPerTick: number;
  /** Ticks per second for the BigInt path (binary and sub-nanosecond resolutions). */
  readonly ticksPerSecond: bigint;
  /** if_tsoffset: seconds added to every timestamp. */
  readonly tsOffset: number;
}

const utf8 = new TextDecoder('utf-8');

export class PcapngFramer implements RecordFramer {
  readonly format = 'pcapng';
  started = false;
  need = BLOCK_OVERHEAD_BYTES;
  private littleEndian = false;
  /** Interfaces of the current section, indexed by interface id. */
  private interfaces: Interface[] = [];
  private frames = 0;
  /** Result of the last convertTimestamp() call, kept here to avoid an allocation. */
  private tsSec = 0;
  private tsNsec = 0;
  private readonly slot = emptyPacketSlot();

  constructor(private readonly sink: CaptureSink) {}

  frame(bytes: Uint8Array, view: DataView, pos: number, end: number, base: number): number {
    for (;;) {
      const available = end - pos;
      if (available < BLOCK_OVERHEAD_BYTES) {
        this.need = BLOCK_OVERHEAD_BYTES;
        return pos;
      }
      // The section header type reads the same in both byte orders; its byte-order magic
      // says how to read its length and everything up to the next section header.
      const type = view.getUint32(pos, this.littleEndian);
      if (type === PCAPNG_BLOCK.sectionHeader) this.readByteOrder(view, pos, base);
      const length = view.getUint32(pos + 4, this.littleEndian);
      checkBlockLength(length, base + pos);
      if (available < length) {
        this.need = length;
        return pos;
      }
      const trailer = view.getUint32(pos + length - 4, this.littleEndian);
      if (trailer !== length) {
        throw new CaptureError(
          `pcapng block length ${length} disagrees with its trailing copy ${trailer}`,
          base + pos,
        );
      }
      switch (type) {
        case PCAPNG_BLOCK.enhancedPacket:
          this.packetBlock(bytes, view, pos, length, base, view.getUint32(pos + 8, this.littleEndian));
          break;
        case PCAPNG_BLOCK.packet:
          this.packetBlock(bytes, view, pos, length, base, view.getUint16(pos + 8, this.littleEndian));
          break;
        case PCAPNG_BLOCK.simplePacket:
          this.simplePacketBlock(bytes, view, pos, length, base);
          break;
        case PCAPNG_BLOCK.interfaceDescription:
          this.interfaceBlock(view, pos, length, base);
          break;
        case PCAPNG_BLOCK.interfaceStatistics:
          this.statisticsBlock(view, pos, length, base);
          break;
        case PCAPNG_BLOCK.sectionHeader:
          this.sectionHeaderBlock(view, pos, length, base);
          break;
      }
      pos += length;
    }
  }

  private readByteOrder(view: DataView, pos: number, base: number): void {
    const magic = view.getUint32(pos + 8, false);
    if (magic === PCAPNG_BYTE_ORDER_MAGIC) this.littleEndian = false;
    else if (magic === 0x4d3c2b1a) this.littleEndian = true;
    else {
      throw new CaptureError(
        `pcapng section header has no byte-order magic (0x${magic.toString(16).padStart(8, '0')})`,
        base + pos,
      );
    }
  }

  private sectionHeaderBlock(view: DataView, pos: number, length: number, base: number): void {
    requireLength(length, MIN_BLOCK_BYTES.sectionHeader, 'section header', base + pos);
    const major = view.getUint16(pos + 12, this.littleEndian);
    if (major !== 1) {
      throw new CaptureError(`unsupported pcapng version ${major}`, base + pos);
    }
    this.interfaces = [];
    this.started = true;
  }

  private interfaceBlock(view: DataView, pos: number, length: number, base: number): void {
    requireLength(length, MIN_BLOCK_BYTES.interfaceDescription, 'interface description', base + pos);
    const le = this.littleEndian;
    let tsresol = 6;
    let tsOffset = 0;
    forEachOption(view, pos + 16, pos + length - 4, le, (code, at, size) => {
      if (code === PCAPNG_OPTION.ifTsresol && size >= 1) tsresol = view.getUint8(at);
      else if (code === PCAPNG_OPTION.ifTsoffset && size >= 8) {
        tsOffset = Number(view.getBigInt64(at, le));
      }
    });
    this.interfaces.push({
      linkType: view.getUint16(pos + 8, le),
      snaplen: view.getUint32(pos + 12, le),
      tsOffset,
      tsResolution: tsresol,
      ...timestampResolution(tsresol),
    });
  }

  /** Enhanced (type 6) and obsolete (type 2) packet blocks share their layout. */
  private packetBlock(
    bytes: Uint8Array,
    view: DataView,
    pos: number,
    length: number,
    base: number,
    interfaceId: number,
  ): void {
    requireLength(length, MIN_BLOCK_BYTES.packet, 'packet', base + pos);
    const le = this.littleEndian;
    const iface = this.interfaceOf(interfaceId, base + pos);
    const capLen = view.getUint32(pos + 20, le);
    if (capLen > length - MIN_BLOCK_BYTES.packet) {
      throw new CaptureError(
        `pcapng packet caplen ${capLen} does not fit its ${length}-byte block`,
        base + pos,
      );
    }
    this.convertTimestamp(iface, view.getUint32(pos + 12, le), view.getUint32(pos + 16, le));
    const dataStart = pos + PACKET_DATA_OFFSET;
    const optionsStart = dataStart + ((capLen + 3) & ~3);
    const optionsEnd = pos + length - 4;
    this.deliver(iface, this.tsSec, this.tsNsec, capLen, view.getUint32(pos + 24, le), view, dataStart, base + pos, interfaceId,
      optionsStart < optionsEnd ? readComments(bytes, view, optionsStart, optionsEnd, le) : undefined);
  }

  private simplePacketBlock(bytes: Uint8Array, view: DataView, pos: number, length: number, base: number): void {
    requireLength(length, MIN_BLOCK_BYTES.simplePacket, 'simple packet', base + pos);
    const iface = this.interfaceOf(0, base + pos);
    const origLen = view.getUint32(pos + 8, this.littleEndian);
    let capLen = Math.min(origLen, length - MIN_BLOCK_BYTES.simplePacket);
    if (iface.snaplen !== 0) capLen = Math.min(capLen, iface.snaplen);
    // A simple packet block carries no timestamp.
    this.deliver(iface, 0, 0, capLen, origLen, view, pos + 12, base + pos, 0, undefined);
  }

  /** Hands one packet to the sink in the reused slot; its bytes are view's [dataStart, dataStart + capLen). */
  private deliver(
    iface: Interface, tsSec: number, tsNsec: number, capLen: number, origLen: number,
    view: DataView, dataStart: number, offset: number, interfaceId: number, comments: readonly string[] | undefined,
  ): void {
    const slot = this.slot;
    slot.number = ++this.frames;
    slot.linkType = iface.linkType;
    slot.tsSec = tsSec;
    slot.tsNsec = tsNsec;
    slot.tsDigits = iface.tsDigits;
    slot.tsResolution = iface.tsResolution;
    slot.capLen = capLen;
    slot.origLen = origLen;
    slot.view = view;
    slot.dataOffset = dataStart;
    slot.offset = offset;
    slot.interfaceId = interfaceId;
    slot.snaplen = iface.snaplen;
    slot.comments = comments;
    this.sink.packet(slot);
  }

  private statisticsBlock(view: DataView, pos: number, length: number, base: number): void {
    requireLength(length, MIN_BLOCK_BYTES.interfaceStatistics, 'interface statistics', base + pos);
    const le = this.littleEndian;
    let ifDrop: number | undefined;
    let osDrop: number | undefined;
    forEachOption(view, pos + 20, pos + length - 4, le, (code, at, size) => {
      if (size < 8) return;
      if (code === PCAPNG_OPTION.isbIfDrop) ifDrop = Number(view.getBigUint64(at, le));
      else if (code === PCAPNG_OPTION.isbOsDrop) osDrop = Number(view.getBigUint64(at, le));
    });
    if (ifDrop === undefined && osDrop === undefined) return;
    this.sink.notice({
      kind: 'if_drops',
      interfaceId: view.getUint32(pos + 8, le),
      ifDrop,
      osDrop,
      afterFrame: this.frames,
      offset: base + pos,
    });
  }

  private interfaceOf(interfaceId: number, offset: number): Interface {
    const iface = this.interfaces[interfaceId];
    if (iface !== undefined) return iface;
    const defined = this.interfaces.length;
    throw new CaptureError(
      defined === 0
        ? 'pcapng packet before any interface description block'
        : `pcapng packet names interface ${interfaceId}, but the section defines only ${defined}`,
      offset,
    );
  }

  /** Sets tsSec/tsNsec from a 64-bit tick count given as two 32-bit halves. */
  private convertTimestamp(iface: Interface, high: number, low: number): void {
    const unit = iface.decimalTicksPerSecond;
    if (unit !== 0) {
      // ticks = high * 2^32 + low = (high * 2^16) * 2^16 + low. Dividing in two 16-bit
      // steps keeps every intermediate below 2^53, so Number arithmetic is exact.
      const upper = high * 65536;
      const upperRest = upper % unit;
      const lower = upperRest * 65536 + low;
      const ticks = lower % unit;
      this.tsSec = ((upper - upperRest) / unit) * 65536 + (lower - ticks) / unit + iface.tsOffset;
      this.tsNsec = ticks * iface.nsecPerTick;
    } else {
      const ticks = (BigInt(high) << 32n) | BigInt(low);
      const perSecond = iface.ticksPerSecond;
      this.tsSec = Number(ticks / perSecond) + iface.tsOffset;
      this.tsNsec = Number(((ticks % perSecond) * 1_000_000_000n) / perSecond);
    }
  }
}

function checkBlockLength(length: number, offset: number): void {
  let problem: string | undefined;
  if (length < BLOCK_OVERHEAD_BYTES) problem = `is below the minimum ${BLOCK_OVERHEAD_BYTES}`;
  else if (length % 4 !== 0) problem = 'is not a multiple of 4';
  else if (length > MAX_RECORD_BYTES) problem = `exceeds the ${MAX_RECORD_BYTES}-byte record limit`;
  if (problem !== undefined) {
    throw new CaptureError(`pcapng block length ${length} ${problem}: the file is corrupt here`, offset);
  }
}

function requireLength(length: number, minimum: number, what: string, offset: number): void {
  if (length < minimum) {
    throw new CaptureError(`pcapng ${what} block of ${length} bytes is shorter than ${minimum}`, offset);
  }
}

/** if_tsresol: high bit clear = 10^-n seconds per tick, set = 2^-n. */
function timestampResolution(tsresol: number): Pick<
  Interface,
  'tsDigits' | 'decimalTicksPerSecond' | 'nsecPerTick' | 'ticksPerSecond'
> {
  const exponent = tsresol & 0x7f;
  if ((tsresol & 0x80) === 0) {
    const exact = exponent <= 9;
    return {
      tsDigits: Math.min(exponent, 9),
      decimalTicksPerSecond: exact ? 10 ** exponent : 0,
      nsecPerTick: exact ? 10 ** (9 - exponent) : 0,
      ticksPerSecond: 10n ** BigInt(exponent),
    };
  }
  return {
    // Decimal digits needed to tell two ticks apart.
    tsDigits: Math.min(Math.ceil(exponent * Math.log10(2)), 9),
    decimalTicksPerSecond: 0,
    nsecPerTick: 0,
    ticksPerSecond: 1n << BigInt(exponent),
  };
}

/**
 * Calls visit for each option in view[start, end). A malformed tail (an option longer than
 * the space left) ends the walk: the block's packet data is still good.
 */
function forEachOption(
  view: DataView,
  start: number,
  end: number,
  littleEndian: boolean,
  visit: (code: number, at: number, size: number) => void,
): void {
  let pos = start;
  while (pos + 4 <= end) {
    const code = view.getUint16(pos, littleEndian);
    const size = view.getUint16(pos + 2, littleEndian);
    if (code === PCAPNG_OPTION.endOfOptions) return;
    const at = pos + 4;
    if (at + size > end) return;
    visit(code, at, size);
    pos = at + ((size + 3) & ~3);
  }
}

function readComments(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  littleEndian: boolean,
): string[] | undefined {
  let comments: string[] | undefined;
  forEachOption(view, start, end, littleEndian, (code, at, size) => {
    if (code === PCAPNG_OPTION.comment) (comments ??= []).push(utf8.decode(bytes.subarray(at, at + size)));
  });
  return comments;
}
