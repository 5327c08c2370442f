// What the capture readers hand to the rest of the pipeline, independent of the
// container format (classic pcap or pcapng).

export const LINKTYPE_VSOCK = 271;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;

/** Hard ceiling for one record; anything larger is treated as corruption, never allocated. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export interface CapturedPacket {
  /** 1-based frame number across the whole capture (all pcapng sections). */
  readonly number: number;
  readonly linkType: number;
  /** Timestamp: whole seconds since the epoch, plus nanoseconds within that second. */
  readonly tsSec: number;
  readonly tsNsec: number;
  /** Decimal digits of timestamp resolution: 6 for microsecond pcap, 9 for nanosecond. */
  readonly tsDigits: number;
  /**
   * The resolution the timestamp was stored in, as pcapng's if_tsresol byte: 10^-n seconds,
   * or 2^-n with the high bit set (classic pcap: 6 or 9). What an exact copy writes.
   */
  readonly tsResolution: number;
  readonly capLen: number;
  readonly origLen: number;
  /**
   * The captured bytes are view's [dataOffset, dataOffset + capLen) (bytesOf() gives them):
   * the reader's view of its chunk or carry, valid until the push that delivered the packet
   * returns (chunkEnd is the last moment to copy them). detachedPacket() copies them.
   */
  readonly view: DataView;
  readonly dataOffset: number;
  /** Byte offset of the record (pcap record header / pcapng block) in the input. */
  readonly offset: number;
  /** pcapng interface id (0 for classic pcap). */
  readonly interfaceId: number;
  /** Snapshot length of the interface the packet came from (0: unlimited). */
  readonly snaplen: number;
  /** pcapng opt_comment values of the packet, if any. */
  readonly comments?: readonly string[];
}

export type CaptureNotice =
  /** pcapng Interface Statistics Block drop counters (isb_ifdrop / isb_osdrop). */
  | {
      readonly kind: 'if_drops';
      readonly interfaceId: number;
      readonly ifDrop?: number;
      readonly osDrop?: number;
      /** Number of the last packet delivered before the statistics block (0: none yet). */
      readonly afterFrame: number;
      readonly offset: number;
    };

/** The one packet object a framer fills for each packet in turn. */
export type PacketSlot = { -readonly [K in keyof CapturedPacket]: CapturedPacket[K] };

export function emptyPacketSlot(): PacketSlot {
  return {
    number: 0, linkType: 0, tsSec: 0, tsNsec: 0, tsDigits: 0, tsResolution: 0, capLen: 0, origLen: 0,
    view: new DataView(new ArrayBuffer(0)), dataOffset: 0, offset: 0, interfaceId: 0, snaplen: 0, comments: undefined,
  };
}

export interface CaptureSink {
  /**
   * The next packet. The object is the framer's own, refilled for the packet after it (an
   * object per packet costs as much as framing it): keep a copy (detachedPacket), never it.
   */
  packet(packet: CapturedPacket): void;
  notice(notice: CaptureNotice): void;
  /**
   * Called by the file source after each chunk has been pushed, before the chunk's
   * buffer is reused: the last moment a stage holding a packet's `data` can copy it.
   */
  chunkEnd?(): void;
}

export interface CaptureEnd {
  /** Set when the input ended inside a record header or body. */
  readonly truncated?: {
    readonly offset: number;
    /** Bytes present of the cut record, and how many it needed. */
    readonly have: number;
    readonly need: number;
  };
}

/** An input that cannot be read any further: names the byte offset of the damage. */
export class CaptureError extends Error {
  constructor(message: string, readonly byteOffset: number) {
    super(message);
    this.name = 'CaptureError';
  }
}
