// Capture writers (classic pcap, or pcapng when the path ends in .pcapng) and the pure
// encoders they are built from, which tests and generators use to build captures in memory.

import { closeSync, openSync, writeSync } from 'node:fs';
import { PCAP_MAGIC_MICROSECONDS, PCAP_MAGIC_NANOSECONDS } from './pcap.js';
import { PCAPNG_BLOCK, PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_OPTION } from './pcapng.js';
import { LINKTYPE_VSOCK } from './types.js';

export interface WritablePacket {
  readonly tsSec: number;
  readonly tsNsec: number;
  /** The packet's link type and timestamp resolution (CapturedPacket.tsResolution), when they may differ from the writer's. */
  readonly linkType?: number;
  readonly tsResolution?: number;
  /** How many bytes of data to store; default all of them. */
  readonly capLen?: number;
  readonly origLen: number;
  readonly data: Uint8Array;
}

/** What the record encoders need: a WritablePacket, or a BuildPacket whose origLen defaults. */
export type PacketSource = Omit<WritablePacket, 'origLen'> & { readonly origLen?: number };

export interface CaptureWriterOptions {
  /** Of the first interface (pcapng), of the file (pcap). */
  readonly linkType: number;
  /** Records are cut to this many bytes; 0: no limit. */
  readonly snaplen: number;
  /**
   * As pcapng's if_tsresol byte (CapturedPacket.tsResolution; 6: microseconds, 9:
   * nanoseconds). A pcap file has nanosecond timestamps when it is finer than microseconds.
   */
  readonly tsResolution: number;
}

/** A packet the file cannot hold as it is: a classic pcap file has one link type and one timestamp resolution. */
export class CaptureWriteError extends Error {}

export interface CaptureWriter {
  /** `comments` become pcapng opt_comment options; classic pcap has no place for them. */
  write(packet: WritablePacket, comments?: readonly string[]): void;
  close(): Promise<void>;
}

export interface PcapngOption {
  readonly code: number;
  readonly value: Uint8Array;
}

interface EndianOption {
  readonly bigEndian?: boolean;
}

const WRITE_BUFFER_BYTES = 1024 * 1024;
const TSRESOL_MICROSECONDS = 6;
const TSRESOL_NANOSECONDS = 9;
const DEFAULT_SNAPLEN = 262144;
const utf8 = new TextEncoder();

// ---------------------------------------------------------------------------------------
// The file writer

export function createCaptureWriter(path: string, opts: CaptureWriterOptions): CaptureWriter {
  const format = recordFormat(path.endsWith('.pcapng') ? 'pcapng' : 'pcap', opts);
  return new BufferedCaptureWriter(openSync(path, 'w'), format, opts);
}

/** How one container format lays out its file header and records. */
interface RecordFormat {
  readonly header: Uint8Array;
  /**
   * The interface records of this link type and resolution go to, and the bytes that
   * describe it when it is new (pcapng). Throws CaptureWriteError where the format has no
   * room for it (pcap: its one link type and resolution).
   */
  interfaceOf(linkType: number, tsResolution: number): { readonly id: number; readonly description?: Uint8Array };
  recordLength(capLen: number, options: readonly PcapngOption[] | undefined): number;
  /** `options`: pcapng record options (comments); classic pcap has no place for them. */
  putRecord(
    out: ByteWriter,
    packet: PacketSource,
    capLen: number,
    options: readonly PcapngOption[] | undefined,
    interfaceId: number,
  ): void;
}

/** Ticks shorter than a microsecond: 10^-7 and finer, 2^-20 and finer. */
function finerThanMicroseconds(tsresol: number): boolean {
  const exponent = tsresol & 0x7f;
  return (tsresol & 0x80) === 0 ? exponent > 6 : exponent >= 20;
}

function recordFormat(kind: 'pcap' | 'pcapng', opts: CaptureWriterOptions, bigEndian = false): RecordFormat {
  const { linkType, snaplen } = opts;
  if (kind === 'pcap') {
    const nanoseconds = finerThanMicroseconds(opts.tsResolution);
    return {
      header: encodePcapHeader({ linkType, snaplen, nanoseconds, bigEndian }),
      interfaceOf: (other, tsResolution) => {
        const advice = 'a pcap file holds those of its first frame (write to a .pcapng file)';
        if (other !== linkType) throw new CaptureWriteError(`link type ${other}, where the first frame's is ${linkType}: ${advice}`);
        if (!nanoseconds && finerThanMicroseconds(tsResolution)) throw new CaptureWriteError(`timestamps finer than microseconds, where the first frame's are in microseconds: ${advice}`);
        return { id: 0 };
      },
      recordLength: (capLen) => 16 + capLen,
      putRecord: (out, packet, capLen) => putPcapRecord(out, packet, capLen, nanoseconds),
    };
  }
  const application = textOption(PCAPNG_OPTION.shbUserApplication, 'vsockscope');
  // An interface per link type and resolution, described before its first record.
  const clocks: PacketClock[] = [{ tsresol: opts.tsResolution, tsOffset: 0 }];
  const ids = new Map([[`${linkType}/${opts.tsResolution}`, 0]]);
  return {
    header: concatBytes([
      encodePcapngSectionHeader({ options: [application], bigEndian }),
      encodePcapngInterfaceDescription({ linkType, snaplen, tsresol: opts.tsResolution, bigEndian }),
    ]),
    interfaceOf: (other, tsresol) => {
      const key = `${other}/${tsresol}`;
      const known = ids.get(key);
      if (known !== undefined) return { id: known };
      const id = clocks.push({ tsresol, tsOffset: 0 }) - 1;
      ids.set(key, id);
      return { id, description: encodePcapngInterfaceDescription({ linkType: other, snaplen, tsresol, bigEndian }) };
    },
    recordLength: enhancedPacketLength,
    putRecord: (out, packet, capLen, options, id) => putEnhancedPacket(out, packet, capLen, id, clocks[id]!, options ?? []),
  };
}

function commentOptions(comments: readonly string[] | undefined): PcapngOption[] | undefined {
  return comments?.length ? comments.map((c) => textOption(PCAPNG_OPTION.comment, c)) : undefined;
}

class BufferedCaptureWriter implements CaptureWriter {
  private out = new ByteWriter(new Uint8Array(WRITE_BUFFER_BYTES), false);
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly format: RecordFormat,
    private readonly opts: CaptureWriterOptions,
  ) {
    this.out.raw(format.header);
  }

  write(packet: WritablePacket, comments?: readonly string[]): void {
    if (this.closed) throw new Error('capture writer is closed');
    const iface = this.format.interfaceOf(packet.linkType ?? this.opts.linkType, packet.tsResolution ?? this.opts.tsResolution);
    if (iface.description !== undefined) {
      this.reserve(iface.description.length);
      this.out.raw(iface.description);
    }
    let capLen = Math.min(packet.capLen ?? packet.data.length, packet.data.length);
    if (this.opts.snaplen > 0) capLen = Math.min(capLen, this.opts.snaplen);
    const options = commentOptions(comments);
    this.reserve(this.format.recordLength(capLen, options));
    this.format.putRecord(this.out, packet, capLen, options, iface.id);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private reserve(length: number): void {
    if (this.out.pos + length <= this.out.bytes.length) return;
    this.flush();
    if (length > this.out.bytes.length) this.out = new ByteWriter(new Uint8Array(length), false);
  }

  private flush(): void {
    const { bytes, pos } = this.out;
    for (let done = 0; done < pos; ) done += writeSync(this.fd, bytes, done, pos - done);
    this.out.pos = 0;
    // A buffer grown for one huge record is not kept.
    if (bytes.length > WRITE_BUFFER_BYTES) {
      this.out = new ByteWriter(new Uint8Array(WRITE_BUFFER_BYTES), false);
    }
  }
}

// ---------------------------------------------------------------------------------------
// In-memory captures

export interface BuildPacket extends PacketSource {
  /** pcapng only. */
  readonly comments?: readonly string[];
}

export interface BuildOptions extends EndianOption {
  readonly linkType?: number;
  readonly snaplen?: number;
  /** pcapng only: above 6 gives nanosecond timestamps. Default 6. */
  readonly tsDigits?: number;
}

/** A whole capture file: header plus one record per packet (pcapng: one section, one interface). */
export function buildCapture(
  format: 'pcap' | 'pcap-ns' | 'pcapng',
  packets: readonly BuildPacket[],
  opts: BuildOptions = {},
): Uint8Array {
  const { bigEndian = false, linkType = LINKTYPE_VSOCK, snaplen = DEFAULT_SNAPLEN } = opts;
  const nanoseconds = format === 'pcap-ns' || (format === 'pcapng' && (opts.tsDigits ?? 6) > 6);
  const tsResolution = nanoseconds ? TSRESOL_NANOSECONDS : TSRESOL_MICROSECONDS;
  const records = recordFormat(format === 'pcapng' ? 'pcapng' : 'pcap', { linkType, snaplen, tsResolution }, bigEndian);
  const options = packets.map((p) => commentOptions(p.comments));
  let length = records.header.length;
  packets.forEach((p, i) => (length += records.recordLength(p.capLen ?? p.data.length, options[i])));
  const out = ByteWriter.sized(length, bigEndian);
  out.raw(records.header);
  packets.forEach((p, i) => records.putRecord(out, p, p.capLen ?? p.data.length, options[i], 0));
  return out.bytes;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

// ---------------------------------------------------------------------------------------
// Classic pcap encoders

export interface PcapHeaderOptions extends EndianOption {
  readonly linkType: number;
  readonly snaplen: number;
  readonly nanoseconds?: boolean;
}

export function encodePcapHeader(opts: PcapHeaderOptions): Uint8Array {
  const out = ByteWriter.sized(24, opts.bigEndian);
  out.u32(opts.nanoseconds ? PCAP_MAGIC_NANOSECONDS : PCAP_MAGIC_MICROSECONDS);
  out.u16(2);
  out.u16(4);
  out.u32(0); // thiszone
  out.u32(0); // sigfigs
  out.u32(opts.snaplen);
  out.u32(opts.linkType);
  return out.bytes;
}

/** One record; the whole of data unless packet.capLen says less. */
export function encodePcapRecord(
  packet: PacketSource,
  opts: { readonly nanoseconds?: boolean } & EndianOption = {},
): Uint8Array {
  const capLen = packet.capLen ?? packet.data.length;
  const out = ByteWriter.sized(16 + capLen, opts.bigEndian);
  putPcapRecord(out, packet, capLen, opts.nanoseconds ?? false);
  return out.bytes;
}

function putPcapRecord(out: ByteWriter, packet: PacketSource, capLen: number, nanoseconds: boolean): void {
  out.u32(packet.tsSec);
  out.u32(nanoseconds ? packet.tsNsec : Math.floor(packet.tsNsec / 1000));
  out.u32(capLen);
  out.u32(packet.origLen ?? packet.data.length);
  out.prefix(packet.data, capLen);
}

// ---------------------------------------------------------------------------------------
// pcapng encoders

export function textOption(code: number, text: string): PcapngOption {
  return { code, value: utf8.encode(text) };
}

/** Any block: type, length, body padded to 4, length again. For unknown-block tests. */
export function encodePcapngBlock(type: number, body: Uint8Array, opts: EndianOption = {}): Uint8Array {
  return framedBlock(type, padded(body.length), opts.bigEndian, (out) => {
    out.raw(body);
    out.pad();
  });
}

/** Type, total length, a body of `bodyLength` bytes (a multiple of 4) written by `writeBody`, length again. */
function framedBlock(type: number, bodyLength: number, bigEndian: boolean | undefined, writeBody: (out: ByteWriter) => void): Uint8Array {
  const length = 12 + bodyLength;
  const out = ByteWriter.sized(length, bigEndian);
  out.u32(type);
  out.u32(length);
  writeBody(out);
  out.u32(length);
  return out.bytes;
}

export function encodePcapngSectionHeader(
  opts: { readonly options?: readonly PcapngOption[] } & EndianOption = {},
): Uint8Array {
  const options = opts.options ?? [];
  return framedBlock(PCAPNG_BLOCK.sectionHeader, 16 + optionsLength(options), opts.bigEndian, (out) => {
    out.u32(PCAPNG_BYTE_ORDER_MAGIC);
    out.u16(1);
    out.u16(0);
    out.u32(0xffffffff); // section length: not given
    out.u32(0xffffffff);
    putOptions(out, options);
  });
}

export interface InterfaceDescriptionOptions extends EndianOption {
  readonly linkType: number;
  readonly snaplen: number;
  /** Raw if_tsresol byte (high bit set: 2^-n); omitted when undefined (reader default 6). */
  readonly tsresol?: number;
  /** if_tsoffset in seconds; omitted when undefined. */
  readonly tsOffset?: number;
  readonly options?: readonly PcapngOption[];
}

export function encodePcapngInterfaceDescription(opts: InterfaceDescriptionOptions): Uint8Array {
  const options = [...(opts.options ?? [])];
  if (opts.tsresol !== undefined) {
    options.push({ code: PCAPNG_OPTION.ifTsresol, value: Uint8Array.of(opts.tsresol) });
  }
  if (opts.tsOffset !== undefined) {
    options.push({ code: PCAPNG_OPTION.ifTsoffset, value: u64Bytes(BigInt(opts.tsOffset), opts.bigEndian) });
  }
  return framedBlock(PCAPNG_BLOCK.interfaceDescription, 8 + optionsLength(options), opts.bigEndian, (out) => {
    out.u16(opts.linkType);
    out.u16(0);
    out.u32(opts.snaplen);
    putOptions(out, options);
  });
}

/** The interface settings an enhanced packet block's timestamp is written in. */
interface PacketClock {
  /** Raw if_tsresol byte; default 6. */
  readonly tsresol?: number;
  readonly tsOffset?: number;
}

export interface EnhancedPacketOptions extends PacketClock, EndianOption {
  readonly interfaceId?: number;
  readonly comments?: readonly string[];
  /** Further options, written after the comments. */
  readonly options?: readonly PcapngOption[];
  /** Write the obsolete Packet Block (type 2) instead. */
  readonly obsolete?: boolean;
}

export function encodePcapngEnhancedPacket(packet: PacketSource, opts: EnhancedPacketOptions = {}): Uint8Array {
  const capLen = packet.capLen ?? packet.data.length;
  const options = [
    ...(opts.comments ?? []).map((c) => textOption(PCAPNG_OPTION.comment, c)),
    ...(opts.options ?? []),
  ];
  const out = ByteWriter.sized(enhancedPacketLength(capLen, options), opts.bigEndian);
  putEnhancedPacket(out, packet, capLen, opts.interfaceId ?? 0, opts, options, opts.obsolete);
  return out.bytes;
}

function enhancedPacketLength(capLen: number, options: readonly PcapngOption[] | undefined): number {
  return 32 + padded(capLen) + optionsLength(options ?? []);
}

function putEnhancedPacket(
  out: ByteWriter,
  packet: PacketSource,
  capLen: number,
  interfaceId: number,
  clock: PacketClock,
  options: readonly PcapngOption[],
  obsolete = false,
): void {
  const length = enhancedPacketLength(capLen, options);
  out.u32(obsolete ? PCAPNG_BLOCK.packet : PCAPNG_BLOCK.enhancedPacket);
  out.u32(length);
  if (obsolete) {
    out.u16(interfaceId);
    out.u16(0); // drops count
  } else {
    out.u32(interfaceId);
  }
  putTimestamp(out, packet.tsSec - (clock.tsOffset ?? 0), packet.tsNsec, clock.tsresol ?? TSRESOL_MICROSECONDS);
  out.u32(capLen);
  out.u32(packet.origLen ?? packet.data.length);
  out.prefix(packet.data, capLen);
  out.pad();
  putOptions(out, options);
  out.u32(length);
}

/** A simple packet block: interface 0, no timestamp; stores the whole of data. */
export function encodePcapngSimplePacket(data: Uint8Array, origLen: number, opts: EndianOption = {}): Uint8Array {
  return framedBlock(PCAPNG_BLOCK.simplePacket, 4 + padded(data.length), opts.bigEndian, (out) => {
    out.u32(origLen);
    out.raw(data);
    out.pad();
  });
}

export interface InterfaceStatisticsOptions extends EndianOption {
  readonly interfaceId: number;
  readonly ifDrop?: number;
  readonly osDrop?: number;
}

export function encodePcapngInterfaceStatistics(opts: InterfaceStatisticsOptions): Uint8Array {
  const options: PcapngOption[] = [];
  if (opts.ifDrop !== undefined) {
    options.push({ code: PCAPNG_OPTION.isbIfDrop, value: u64Bytes(BigInt(opts.ifDrop), opts.bigEndian) });
  }
  if (opts.osDrop !== undefined) {
    options.push({ code: PCAPNG_OPTION.isbOsDrop, value: u64Bytes(BigInt(opts.osDrop), opts.bigEndian) });
  }
  return framedBlock(PCAPNG_BLOCK.interfaceStatistics, 12 + optionsLength(options), opts.bigEndian, (out) => {
    out.u32(opts.interfaceId);
    out.u32(0); // timestamp
    out.u32(0);
    putOptions(out, options);
  });
}

function optionsLength(options: readonly PcapngOption[]): number {
  if (options.length === 0) return 0;
  let length = 4; // opt_endofopt
  for (const option of options) length += 4 + padded(option.value.length);
  return length;
}

function putOptions(out: ByteWriter, options: readonly PcapngOption[]): void {
  if (options.length === 0) return;
  for (const option of options) {
    out.u16(option.code);
    out.u16(option.value.length);
    out.raw(option.value);
    out.pad();
  }
  out.u16(PCAPNG_OPTION.endOfOptions);
  out.u16(0);
}

/**
 * Writes sec/nsec as a 64-bit tick count in the given if_tsresol. Decimal resolutions up
 * to 10^-9 use Numbers: ticks = (a * 2^16 + b) * unit + frac is assembled from pieces
 * that stay below 2^53, then split into 32-bit halves.
 */
function putTimestamp(out: ByteWriter, sec: number, nsec: number, tsresol: number): void {
  const exponent = tsresol & 0x7f;
  if ((tsresol & 0x80) === 0 && exponent <= 9) {
    const unit = 10 ** exponent;
    const frac = Math.floor(nsec / 10 ** (9 - exponent));
    const a = Math.floor(sec / 65536);
    const b = sec - a * 65536;
    const upper = a * unit; // ticks = upper * 2^16 + (b * unit + frac)
    const upperHigh = Math.floor(upper / 65536);
    const rest = (upper - upperHigh * 65536) * 65536 + b * unit + frac;
    const carry = Math.floor(rest / 2 ** 32);
    out.u32(upperHigh + carry);
    out.u32(rest - carry * 2 ** 32);
    return;
  }
  const perSecond = (tsresol & 0x80) === 0 ? 10n ** BigInt(exponent) : 1n << BigInt(exponent);
  // The first tick at or after nsec: the reader takes a tick to the nanosecond it starts in
  // (rounding down), so this gives back the tick a read timestamp came from.
  const ticks = BigInt(sec) * perSecond + (BigInt(nsec) * perSecond + 999_999_999n) / 1_000_000_000n;
  out.u32(Number(ticks >> 32n));
  out.u32(Number(ticks & 0xffffffffn));
}

function u64Bytes(value: bigint, bigEndian = false): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), !bigEndian);
  return bytes;
}

function padded(length: number): number {
  return (length + 3) & ~3;
}

/** Sequential writes into a byte array. */
class ByteWriter {
  readonly view: DataView;
  pos = 0;
  private readonly littleEndian: boolean;

  static sized(length: number, bigEndian = false): ByteWriter {
    return new ByteWriter(new Uint8Array(length), bigEndian);
  }

  constructor(
    readonly bytes: Uint8Array,
    bigEndian: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.littleEndian = !bigEndian;
  }

  u16(value: number): void {
    this.view.setUint16(this.pos, value, this.littleEndian);
    this.pos += 2;
  }

  u32(value: number): void {
    this.view.setUint32(this.pos, value, this.littleEndian);
    this.pos += 4;
  }

  raw(value: Uint8Array): void {
    this.bytes.set(value, this.pos);
    this.pos += value.length;
  }

  /** The first `length` bytes of value (a subarray costs more than the copy of a small packet). */
  prefix(value: Uint8Array, length: number): void {
    this.bytes.set(length === value.length ? value : value.subarray(0, length), this.pos);
    this.pos += length;
  }

  /** Zero bytes up to the next multiple of 4 (the buffer may be reused, so write them). */
  pad(): void {
    while (this.pos & 3) this.bytes[this.pos++] = 0;
  }
}
