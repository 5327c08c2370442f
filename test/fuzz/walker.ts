// A test-only oracle for capture framing, written from the file-format specs (pcap:
// draft-ietf-opsawg-pcap, pcapng: draft-ietf-opsawg-pcapng) and sharing no code with
// src/: how many whole packet records an input holds, where its framing fails, and
// where its length fields sit (for the mutators).

export type Format = 'pcap' | 'pcapng';

/** How the walk ended: the input's end fell between records, inside one, or at damage. */
export type WalkEnd =
  | { readonly kind: 'clean' }
  | { readonly kind: 'cut'; readonly offset: number }
  | { readonly kind: 'damaged'; readonly offset: number; readonly why: string };

/** A length field (or another number worth setting to a boundary value) and where it sits. */
export interface NumericField {
  readonly at: number;
  readonly size: 2 | 4;
  readonly littleEndian: boolean;
  readonly name: string;
}

export interface WalkedRecord {
  /** Start and end of the record (file header, pcap record, pcapng block) in the input. */
  readonly start: number;
  readonly end: number;
  /** Where its packet bytes are, for packet records. */
  readonly data?: { readonly start: number; readonly end: number };
  readonly packet: boolean;
}

export interface Walk {
  readonly format: Format | undefined;
  readonly records: readonly WalkedRecord[];
  readonly packets: number;
  readonly end: WalkEnd;
  readonly fields: readonly NumericField[];
}

const PCAP_MAGICS: ReadonlyMap<number, boolean> = new Map([
  // big-endian reading of the first four bytes -> the file is little-endian
  [0xa1b2c3d4, false], [0xa1b23c4d, false], [0xd4c3b2a1, true], [0x4d3cb2a1, true],
]);
const SHB_TYPE = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** af_vsockmon_hdr.len, virtio_vsock_hdr.len and virtio_vsock_seq_hdr.msg_len inside link type 271 data. */
const VSOCK_LENGTHS = [
  { offset: 28, size: 2, name: 'vsockmon len' },
  { offset: 32 + 24, size: 4, name: 'virtio len' },
  { offset: 32 + 44 + 4, size: 4, name: 'msg_len' },
] as const;

class Walker {
  readonly records: WalkedRecord[] = [];
  readonly fields: NumericField[] = [];
  packets = 0;

  constructor(readonly bytes: Uint8Array, readonly view: DataView) {}

  u32(at: number, le: boolean): number {
    return this.view.getUint32(at, le);
  }

  field(at: number, size: 2 | 4, littleEndian: boolean, name: string): void {
    if (at + size <= this.bytes.length) this.fields.push({ at, size, littleEndian, name });
  }

  packet(start: number, end: number, dataStart: number, dataEnd: number, linkType: number): void {
    this.records.push({ start, end, data: { start: dataStart, end: dataEnd }, packet: true });
    this.packets++;
    if (linkType !== 271) return;
    for (const f of VSOCK_LENGTHS) {
      if (dataStart + f.offset + f.size <= dataEnd) this.field(dataStart + f.offset, f.size, true, f.name);
    }
  }
}

export function walk(bytes: Uint8Array): Walk {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const w = new Walker(bytes, view);
  let format: Format | undefined;
  let end: WalkEnd;
  if (bytes.length === 0) end = { kind: 'damaged', offset: 0, why: 'empty' };
  else if (bytes.length < 4) end = { kind: 'cut', offset: 0 };
  else {
    const magic = view.getUint32(0, false);
    if (PCAP_MAGICS.has(magic)) {
      format = 'pcap';
      end = walkPcap(w, PCAP_MAGICS.get(magic)!);
    } else if (magic === SHB_TYPE) {
      format = 'pcapng';
      end = walkPcapng(w);
    } else end = { kind: 'damaged', offset: 0, why: 'unknown magic' };
  }
  return { format, records: w.records, packets: w.packets, end, fields: w.fields };
}

function walkPcap(w: Walker, le: boolean): WalkEnd {
  const n = w.bytes.length;
  if (n < 24) return { kind: 'cut', offset: 0 };
  w.records.push({ start: 0, end: 24, packet: false });
  w.field(16, 4, le, 'pcap snaplen');
  const snaplen = w.u32(16, le);
  const linkType = w.u32(20, le) & 0xffff;
  for (let pos = 24; ; ) {
    if (pos === n) return { kind: 'clean' };
    if (n - pos < 16) return { kind: 'cut', offset: pos };
    w.field(pos + 8, 4, le, 'pcap caplen');
    w.field(pos + 12, 4, le, 'pcap origlen');
    const capLen = w.u32(pos + 8, le);
    // "CapLen ... MUST NOT be greater than SnapLen" (0 there is taken as no limit).
    if (snaplen !== 0 && capLen > snaplen) return { kind: 'damaged', offset: pos, why: 'caplen > snaplen' };
    if (n - pos - 16 < capLen) return { kind: 'cut', offset: pos };
    w.packet(pos, pos + 16 + capLen, pos + 16, pos + 16 + capLen, linkType);
    pos += 16 + capLen;
  }
}

function walkPcapng(w: Walker): WalkEnd {
  const n = w.bytes.length;
  let le = false;
  let interfaces: number[] = [];
  for (let pos = 0; ; ) {
    if (pos === n) return { kind: 'clean' };
    if (n - pos < 12) return { kind: 'cut', offset: pos };
    const damaged = (why: string): WalkEnd => ({ kind: 'damaged', offset: pos, why });
    let type = w.u32(pos, le);
    if (type === SHB_TYPE) {
      const bom = w.u32(pos + 8, false);
      if (bom === BYTE_ORDER_MAGIC) le = false;
      else if (bom === 0x4d3c2b1a) le = true;
      else return damaged('no byte-order magic');
      type = SHB_TYPE;
    }
    w.field(pos + 4, 4, le, 'pcapng block length');
    const length = w.u32(pos + 4, le);
    if (length < 12 || length % 4 !== 0) return damaged('bad block length');
    if (length > n - pos) return { kind: 'cut', offset: pos };
    w.field(pos + length - 4, 4, le, 'pcapng trailing block length');
    if (w.u32(pos + length - 4, le) !== length) return damaged('trailing length differs');
    const end = pos + length;
    switch (type) {
      case SHB_TYPE:
        if (length < 28) return damaged('short SHB');
        if (w.view.getUint16(pos + 12, le) !== 1) return damaged('SHB major version');
        interfaces = [];
        w.records.push({ start: pos, end, packet: false });
        break;
      case 1:
        if (length < 20) return damaged('short IDB');
        interfaces.push(w.view.getUint16(pos + 8, le));
        w.records.push({ start: pos, end, packet: false });
        break;
      case 2:
      case 6: {
        if (length < 32) return damaged('short packet block');
        const id = type === 6 ? w.u32(pos + 8, le) : w.view.getUint16(pos + 8, le);
        if (id >= interfaces.length) return damaged('unknown interface');
        // Not a length, but a 64-bit tick count can put a timestamp beyond any calendar.
        w.field(pos + 12, 4, le, 'pcapng timestamp (high)');
        w.field(pos + 20, 4, le, 'pcapng caplen');
        w.field(pos + 24, 4, le, 'pcapng origlen');
        const capLen = w.u32(pos + 20, le);
        if (capLen > length - 32) return damaged('caplen beyond block');
        w.packet(pos, end, pos + 28, pos + 28 + capLen, interfaces[id]!);
        break;
      }
      case 3: {
        if (length < 16) return damaged('short SPB');
        if (interfaces.length === 0) return damaged('no interface');
        w.field(pos + 8, 4, le, 'pcapng SPB origlen');
        const capLen = Math.min(w.u32(pos + 8, le), length - 16);
        w.packet(pos, end, pos + 12, pos + 12 + capLen, interfaces[0]!);
        break;
      }
      case 5:
        if (length < 24) return damaged('short ISB');
        w.records.push({ start: pos, end, packet: false });
        break;
      default:
        w.records.push({ start: pos, end, packet: false });
    }
    pos = end;
  }
}

/** The first whole records of `bytes` (file header included), at most `records` packets and about `maxBytes`. */
export function prefixOf(bytes: Uint8Array, packets: number, maxBytes: number): Uint8Array {
  let end = 0;
  let seen = 0;
  for (const r of walk(bytes).records) {
    if (r.packet && (seen >= packets || r.end > maxBytes)) break;
    if (r.packet) seen++;
    end = r.end;
  }
  return bytes.slice(0, end);
}

/** The file's non-packet records up to the window, then `count` packet records from packet `from` (0-based). */
export function windowOf(bytes: Uint8Array, from: number, count: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let seen = 0;
  for (const r of walk(bytes).records) {
    if (!r.packet) parts.push(bytes.subarray(r.start, r.end));
    else if (seen++ >= from) parts.push(bytes.subarray(r.start, r.end));
    if (seen >= from + count) break;
  }
  return new Uint8Array(Buffer.concat(parts));
}
