// Typed-array storage for per-frame and per-record facts: a few bytes each, never an
// object per item, so a million frames cost megabytes rather than hundreds of them.

export type TypedArray = Float64Array | Uint32Array | Int32Array | Uint8Array;

const PAGE_BITS = 16;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

/**
 * A column grown in fixed pages of 65,536 entries: appending never copies what is
 * stored, and unwritten entries read as 0. For the large, append-mostly columns.
 */
export class PagedColumn<T extends TypedArray> {
  private readonly pages: (T | undefined)[] = [];
  /** Entries below this one were dropped (see dropBefore). */
  private floor = 0;

  constructor(private readonly newPage: (size: number) => T) {}

  get capacity(): number {
    return this.pages.length * PAGE_SIZE;
  }

  get byteLength(): number {
    return this.pages.reduce((sum, page) => sum + (page?.byteLength ?? 0), 0);
  }

  /** Frees the pages that hold only entries below i; they read as 0 and must not be written again. */
  dropBefore(i: number): void {
    for (let p = this.floor >>> PAGE_BITS; p < i >>> PAGE_BITS; p++) this.pages[p] = undefined;
    this.floor = Math.max(this.floor, i);
  }

  /** Entry i; 0 for an entry never written (i below capacity). */
  get(i: number): number {
    const page = this.pages[i >>> PAGE_BITS];
    return page === undefined ? 0 : page[i & PAGE_MASK]!;
  }

  set(i: number, value: number): void {
    if (i < this.floor) throw new RangeError(`entry ${i} was dropped`);
    const page = this.pages[i >>> PAGE_BITS] ?? this.addPages(i >>> PAGE_BITS);
    page[i & PAGE_MASK] = value;
  }

  /** Writes `values` at entries start, start + 1, ... (page by page, not entry by entry). */
  setAll(start: number, values: ArrayLike<number> & { subarray(begin: number, end: number): ArrayLike<number> }): void {
    this.eachPage(start, values.length, (page, at, done, take) => page.set(values.subarray(done, done + take), at));
  }

  /** ORs `bits` into entry start + i for each i where marks[i] is not 0. */
  markAll(start: number, marks: Uint8Array, bits: number): void {
    this.eachPage(start, marks.length, (page, at, done, take) => {
      for (let i = 0; i < take; i++) if (marks[done + i] !== 0) page[at + i] |= bits;
    });
  }

  /** Entries start .. start + n - 1 a page at a time: `take` of them from position `at` of `page`, `done` before them. */
  private eachPage(start: number, n: number, visit: (page: T, at: number, done: number, take: number) => void): void {
    let done = 0;
    while (done < n) {
      const i = start + done;
      const page = this.pages[i >>> PAGE_BITS] ?? this.addPages(i >>> PAGE_BITS);
      const take = Math.min(n - done, PAGE_SIZE - (i & PAGE_MASK));
      visit(page, i & PAGE_MASK, done, take);
      done += take;
    }
  }

  private addPages(last: number): T {
    while (this.pages.length <= last) this.pages.push(this.newPage(PAGE_SIZE));
    return this.pages[last]!;
  }
}

/** A contiguous, doubling array: for the smaller lists that need sorting or insertion. */
export class GrowableArray<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(private readonly make: (size: number) => T, initial = 16) {
    this.data = make(initial);
  }

  get(i: number): number {
    return this.data[i]!;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /**
   * Adds `n` entries, to be written through array() from the position returned: a caller
   * that fills many writes to one kind of typed array, where push() serves every kind.
   */
  append(n: number): number {
    if (this.length + n > this.data.length) this.grow(this.length + n);
    const at = this.length;
    this.length += n;
    return at;
  }

  /** The backing array: entries [0, length) are stored (valid until the next change). */
  array(): T {
    return this.data;
  }

  /** Inserts at position i, shifting the rest up. */
  insert(i: number, value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data.copyWithin(i + 1, i, this.length);
    this.data[i] = value;
    this.length++;
  }

  remove(i: number): void {
    this.data.copyWithin(i, i + 1, this.length);
    this.length--;
  }

  /** Removes the first `count` entries. */
  dropFront(count: number): void {
    const n = Math.min(count, this.length);
    this.data.copyWithin(0, n, this.length);
    this.length -= n;
  }

  /** Keeps the entries whose position (before this call) `keep` accepts, in order. */
  compact(keep: (i: number) => boolean): void {
    let w = 0;
    for (let r = 0; r < this.length; r++) if (keep(r)) this.data[w++] = this.data[r]!;
    this.length = w;
  }

  /** First position whose value is >= value, for an array kept in ascending order. */
  lowerBound(value: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Empties the array, keeping its room. */
  clear(): void {
    this.length = 0;
  }

  /** The stored entries (a view: valid until the next change). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  private grow(min: number): void {
    const next = this.make(Math.max(min, 2 * this.data.length));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
