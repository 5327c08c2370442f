// The view the decoder reads a frame's headers through.

/** The reads a compiled header reader makes: little-endian, as every header in the field table is. */
export interface HeaderView {
  getUint16(offset: number, littleEndian: true): number;
  getUint32(offset: number, littleEndian: true): number;
  getBigUint64(offset: number, littleEndian: true): bigint;
}

/**
 * DataView's little-endian reads over a Uint8Array, indexed from its first byte. A DataView
 * over a frame's bytes needs their buffer and byteOffset, whose getters cost more than
 * all of the frame's header reads; indexing the bytes costs no more than a DataView read.
 */
export class ByteView implements HeaderView {
  constructor(public bytes: Uint8Array) {}

  getUint16(offset: number): number {
    const b = this.bytes;
    return b[offset]! | (b[offset + 1]! << 8);
  }

  getUint32(offset: number): number {
    const b = this.bytes;
    return (b[offset]! | (b[offset + 1]! << 8) | (b[offset + 2]! << 16) | (b[offset + 3]! << 24)) >>> 0;
  }

  getBigUint64(offset: number): bigint {
    return (BigInt(this.getUint32(offset + 4)) << 32n) | BigInt(this.getUint32(offset));
  }
}
