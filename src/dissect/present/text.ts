// Text written straight into bytes: the per-frame output (summary lines, times) is
// built here without creating a string per piece, per number or per padding. The
// methods are kept small so that V8 inlines them into the line writers.

const SPACE = 0x20;
const ZERO = 0x30;
/** Most decimal digits of an integer below 2^31. */
const INT_DIGITS = 10;
/** 10^0 .. 10^9. */
export const POW10: readonly number[] = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

const encoder = new TextEncoder();

/**
 * A piece of text for ByteText.raw(), encoded once: its UTF-8 bytes as little-endian
 * 32-bit words, which raw() stores four bytes at a time.
 */
export class TextPiece {
  constructor(
    /** Its length in bytes: the first (length + 3) >> 2 words hold it. */
    public length: number,
    readonly words: Uint32Array,
  ) {}
}

/** A constant piece of text. */
export function textPiece(text: string): TextPiece {
  const bytes = encoder.encode(text);
  const words = new Uint32Array(Math.ceil(bytes.length / 4));
  new Uint8Array(words.buffer).set(bytes);
  return new TextPiece(bytes.length, words);
}

/** Decimal digits of 0 <= v < 2^31. */
function digitsOf(v: number): number {
  return v < 100000
    ? v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : v < 10000 ? 4 : 5
    : v < 10000000 ? (v < 1000000 ? 6 : 7) : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
}

/** Writes the `n` low decimal digits of 0 <= v < 2^31 ending at b[end - 1]. */
function putDigits(b: Uint8Array, end: number, n: number, v: number): void {
  for (let p = end - 1; p >= end - n; p--) {
    const q = (v / 10) | 0;
    b[p] = ZERO + v - q * 10;
    v = q;
  }
}

export class ByteText {
  bytes: Buffer;
  /** Over `bytes`, for raw()'s word stores. */
  private view: DataView;
  pos = 0;

  constructor(size = 1024) {
    this.bytes = Buffer.allocUnsafe(size);
    this.view = viewOf(this.bytes);
  }

  /** Room for `n` more bytes. Grows, never moves what is written: positions stay valid. */
  room(n: number): void {
    if (this.pos + n > this.bytes.length) this.grow(n);
  }

  private grow(n: number): void {
    const grown = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.pos + n));
    this.bytes.copy(grown, 0, 0, this.pos);
    this.bytes = grown;
    this.view = viewOf(grown);
  }

  byte(c: number): void {
    if (this.pos >= this.bytes.length) this.grow(1);
    this.bytes[this.pos++] = c;
  }

  /**
   * A constant piece of text. Its whole words are stored, so up to three bytes past its
   * end are overwritten: beyond `pos`, where nothing has been written yet.
   */
  raw(piece: TextPiece): void {
    const p = this.pos;
    const words = piece.words;
    const n = (piece.length + 3) >> 2;
    if (p + 4 * n > this.bytes.length) this.grow(4 * n);
    const v = this.view;
    for (let i = 0; i < n; i++) v.setUint32(p + 4 * i, words[i]!, true);
    this.pos = p + piece.length;
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    this.room(3 * s.length);
    this.pos += this.bytes.write(s, this.pos, 'utf8');
  }

  /** `v` as String(v) writes it; small non-negative integers (nearly all) without a string. */
  number(v: number): void {
    const p = this.pos;
    if ((v | 0) !== v || v < 0 || p + INT_DIGITS > this.bytes.length) {
      this.text(String(v));
      return;
    }
    const n = digitsOf(v);
    putDigits(this.bytes, p + n, n, v);
    this.pos = p + n;
  }

  /** A constant label and a number after it, e.g. ` len=` and 42. */
  labelled(label: TextPiece, v: number): void {
    this.raw(label);
    this.number(v);
  }

  /** Like String(v).padStart(width). */
  numberRight(v: number, width: number): void {
    if ((v | 0) !== v || v < 0) {
      this.text(String(v).padStart(width));
      return;
    }
    const n = digitsOf(v);
    const w = n > width ? n : width;
    this.room(w);
    const b = this.bytes;
    const p = this.pos;
    for (let i = p; i < p + w - n; i++) b[i] = SPACE;
    putDigits(b, p + w, n, v);
    this.pos = p + w;
  }

  /** Like String(v).padStart(width, '0'): a fraction's digits. */
  numberZeros(v: number, width: number): void {
    if ((v | 0) !== v || v < 0 || width > 9 || v >= POW10[width]!) {
      this.text(String(v).padStart(width, '0'));
      return;
    }
    this.room(width);
    putDigits(this.bytes, this.pos + width, width, v);
    this.pos += width;
  }

  /** A number or a bigint (a CID), as String(v) writes it. */
  integer(v: number | bigint): void {
    if (typeof v === 'number') this.number(v);
    else this.text(v.toString());
  }

  /** Right-aligns what was written since `start` in `width` columns, like padStart. */
  padStart(start: number, width: number): void {
    const short = width - (this.pos - start);
    if (short <= 0) return;
    this.room(short);
    const b = this.bytes;
    for (let i = this.pos - 1; i >= start; i--) b[i + short] = b[i]!;
    for (let i = start; i < start + short; i++) b[i] = SPACE;
    this.pos += short;
  }

  /** Left-aligns what was written since `start` in `width` columns, like padEnd. */
  padEnd(start: number, width: number): void {
    const end = start + width;
    if (this.pos >= end) return;
    this.room(end - this.pos);
    const b = this.bytes;
    for (let i = this.pos; i < end; i++) b[i] = SPACE;
    this.pos = end;
  }

  /** The text written since `start`, which is then taken back out. */
  takeString(start: number): string {
    const s = this.bytes.toString('utf8', start, this.pos);
    this.pos = start;
    return s;
  }
}

function viewOf(bytes: Buffer): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const scratch = new ByteText();

/** What `write` writes, as a string. Nests: each call takes back only its own bytes. */
export function render(write: (t: ByteText) => void): string {
  const start = scratch.pos;
  write(scratch);
  return scratch.takeString(start);
}
