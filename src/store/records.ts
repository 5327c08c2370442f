// SEQPACKET records as the engine reported them, per connection and direction, packed
// into typed arrays (a capture can hold millions): 40 bytes a record, packed where the
// engine runs and unpacked where they are shown or listed (the TUI's loader and views,
// `vsockscope records`). Each also keeps the frame that revealed its fate: see revealKey().

import type { Finding, FindingCode } from '../dissect/findings.js';
import { RECORD_REASONS, type Dialect, type RecordReason, type RecordResult, type RecordSink, type RecordStatus } from '../reassembly/index.js';
import { GrowableArray } from './columns.js';
import { sharedCopy } from './shared-arrays.js';

// A record's status and dialect are stored as their position here (codeOf).
const STATUSES: readonly RecordStatus[] = ['delivered', 'dropped', 'orphan', 'lost', 'incomplete'];
const DIALECTS: readonly Dialect[] = ['v4', 'v7', 'eom'];

/**
 * The position of `value` in `list`: the engine's strings are the same constants, so a few
 * pointer compares. A property load keyed by the string went through V8's megamorphic cache,
 * and Array.prototype.indexOf is a call into a builtin: packing a record took 60 ns with it
 * and 45 with this, warm, and 108 against 72 in a first run (a loop of 258,727 records).
 */
function codeOf<T>(list: readonly T[], value: T): number {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return i;
  return -1;
}

const REASON_CODE = new Map(RECORD_REASONS.map((c, i) => [c, i]));
const NO_REASON = 63;

// A record is WORDS u32 words (and its `received`, which can pass 2^32, in a float64 column).
const WORDS = 8;
const INDEX = 0;
const MSG_CNT = 1;
const MSG_LEN = 2;
const FIRST = 3;
const LAST = 4;
const REVEAL = 5;
const GROUP = 6;
const META = 7;
const PAGE_BITS = 13;
const PAGE_RECORDS = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_RECORDS - 1;

// The meta word: status (3 bits), dialect (2), reason (6: index in RECORD_REASONS), flags.
const DIALECT_SHIFT = 3;
const REASON_SHIFT = 5;
const EOR = 1 << 11;
const TRUNCATED = 1 << 12;
const NULL_MSG_CNT = 1 << 13;
const NULL_MSG_LEN = 1 << 14;
const NULL_FIRST = 1 << 15;
const NULL_LAST = 1 << 16;
const NULL_REVEAL = 1 << 17;

/** The records of one connection (every instance of its id) in one direction. */
export interface RecordGroup {
  /** Position in the store's list of groups. */
  readonly id: number;
  readonly conn: string;
  readonly dir: string;
  /** Rows of the store, by record index once sorted. */
  readonly rows: GrowableArray<Uint32Array>;
  sortedUpTo: number;
}

export interface StoredRecord {
  readonly record: RecordResult;
  /** The frame that revealed a lost or dropped record's fate (its finding's frame), else null. */
  readonly revealFrame: number | null;
}

/**
 * The key that ties a record to the finding that decided it. The engine emits that finding
 * just before the record (held events keep their order), with the record's `reason` as
 * code, on its connection, and on the record's direction (`details.record_dir` when the
 * finding's frame is the other direction's: an RST cutting the peer's record).
 */
export function revealKey(conn: string, dir: string, code: RecordReason): string {
  return `${conn} ${dir} ${code}`;
}

const REASONS: ReadonlySet<FindingCode> = new Set(RECORD_REASONS);
const isReason = (code: FindingCode): code is RecordReason => REASONS.has(code);

/** Undefined for a finding that decides no record (most of them: a port scan makes one a connection). */
export function findingRevealKey(f: Finding): string | undefined {
  if (f.conn === undefined || !isReason(f.code)) return undefined;
  const recordDir = f.details?.record_dir;
  const dir = typeof recordDir === 'string' ? recordDir : f.dir;
  return dir === undefined ? undefined : revealKey(f.conn, dir, f.code);
}

/** Records packed for sending: WORDS words and a `received` each, and the groups first seen among them. */
export interface PackedRecords {
  readonly words: Uint32Array;
  readonly received: Float64Array;
  /** [position in this batch, copied] of the MSG_TRUNC records. */
  readonly copied: readonly (readonly [number, number])[];
  /** Groups first seen in this batch, numbered on from the earlier ones. */
  readonly groups: readonly { readonly conn: string; readonly dir: string }[];
}

/**
 * Packs records as the engine reports them, batch after batch (the loader's side): from
 * `record` events (add), and as its RecordSink from the numbers the engine hands it (record).
 */
export class RecordPacker implements RecordSink {
  /** Group id by the engine's stream number (one stream per connection id and direction). */
  private readonly groupOfStream: number[] = [];
  private groupCount = 0;
  private readonly words = new GrowableArray((n) => new Uint32Array(n), 1024);
  private readonly received = new GrowableArray((n) => new Float64Array(n), 128);
  private copied: [number, number][] = [];
  private groups: { conn: string; dir: string }[] = [];

  /** `stream`: the record event's (EngineEvent). */
  add(r: RecordResult, stream: number, revealFrame: number | undefined): void {
    this.pack(
      stream, r.conn, r.dir, r.dialect, r.index, r.status, r.reason, r.msg_cnt, r.msg_len, r.received, r.first_frame, r.last_frame, r.eor,
      r.copied ?? -1, revealFrame,
    );
  }

  record(
    stream: number, conn: string, dir: string, dialect: Dialect, index: number, status: RecordStatus,
    msgCnt: number | null, msgLen: number | null, received: number, first: number | null, last: number | null, eor: boolean, copied: number,
  ): void {
    this.pack(stream, conn, dir, dialect, index, status, undefined, msgCnt, msgLen, received, first, last, eor, copied, undefined);
  }

  private pack(
    stream: number, conn: string, dir: string, dialect: Dialect, index: number, status: RecordStatus, reason: RecordReason | undefined,
    msgCnt: number | null, msgLen: number | null, received: number, first: number | null, last: number | null, eor: boolean, copied: number,
    revealFrame: number | undefined,
  ): void {
    const at = this.words.append(WORDS);
    const w = this.words.array();
    w[at + INDEX] = index;
    w[at + MSG_CNT] = msgCnt ?? 0;
    w[at + MSG_LEN] = msgLen ?? 0;
    w[at + FIRST] = first ?? 0;
    w[at + LAST] = last ?? 0;
    w[at + REVEAL] = revealFrame ?? 0;
    w[at + GROUP] = this.groupOfStream[stream] ?? this.newGroup(conn, dir, stream);
    w[at + META] = codeOf(STATUSES, status) | (codeOf(DIALECTS, dialect) << DIALECT_SHIFT)
      | ((reason === undefined ? NO_REASON : REASON_CODE.get(reason)!) << REASON_SHIFT)
      | (eor ? EOR : 0) | (copied >= 0 ? TRUNCATED : 0)
      | (msgCnt === null ? NULL_MSG_CNT : 0) | (msgLen === null ? NULL_MSG_LEN : 0)
      | (first === null ? NULL_FIRST : 0) | (last === null ? NULL_LAST : 0)
      | (revealFrame === undefined ? NULL_REVEAL : 0);
    if (copied >= 0) this.copied.push([this.received.length, copied]);
    this.received.push(received);
  }

  get pending(): number {
    return this.received.length;
  }

  /** The records packed since the last take(), on shared memory (shared-arrays.ts). */
  take(): PackedRecords {
    const packed = { words: sharedCopy(Uint32Array, this.words.view()), received: sharedCopy(Float64Array, this.received.view()), copied: this.copied, groups: this.groups };
    this.words.clear();
    this.received.clear();
    this.copied = [];
    this.groups = [];
    return packed;
  }

  private newGroup(conn: string, dir: string, stream: number): number {
    const id = this.groupCount++;
    this.groupOfStream[stream] = id;
    this.groups.push({ conn, dir });
    return id;
  }
}

/** The newest frame a record involves (0: none). */
function newestFrame({ record, revealFrame }: StoredRecord): number {
  return Math.max(record.first_frame ?? 0, record.last_frame ?? 0, revealFrame ?? 0);
}

/** Every record, by connection and direction (the UI's side). */
export class RecordStore {
  private readonly groups = new Map<string, Map<string, RecordGroup>>();
  private readonly groupList: RecordGroup[] = [];
  private readonly words: (Uint32Array | undefined)[] = [];
  private readonly received: (Float64Array | undefined)[] = [];
  /** `copied` of the (rare) MSG_TRUNC records. */
  private readonly copied = new Map<number, number>();
  /** Rows 0..count-1 were stored; rows before `base` were dropped (--ring). */
  count = 0;
  private base = 0;
  /**
   * Rows below this one are in their group's list. The lists are filled when a group is
   * asked for (the Records view), not as each batch of records arrives: loading, and the
   * packet list while it loads, do not pay for them.
   */
  private grouped = 0;

  add(packed: PackedRecords): void {
    for (const { conn, dir } of packed.groups) {
      const group: RecordGroup = { id: this.groupList.length, conn, dir, rows: new GrowableArray((n) => new Uint32Array(n)), sortedUpTo: 0 };
      let byDir = this.groups.get(conn);
      if (byDir === undefined) this.groups.set(conn, (byDir = new Map()));
      byDir.set(dir, group);
      this.groupList.push(group);
    }
    const first = this.count;
    const n = packed.received.length;
    // Page by page: the records that fit in the current page are copied at once.
    for (let done = 0; done < n; ) {
      const row = first + done;
      if ((row & PAGE_MASK) === 0) {
        this.words.push(new Uint32Array(PAGE_RECORDS * WORDS));
        this.received.push(new Float64Array(PAGE_RECORDS));
      }
      const take = Math.min(n - done, PAGE_RECORDS - (row & PAGE_MASK));
      this.words[row >>> PAGE_BITS]!.set(packed.words.subarray(done * WORDS, (done + take) * WORDS), (row & PAGE_MASK) * WORDS);
      this.received[row >>> PAGE_BITS]!.set(packed.received.subarray(done, done + take), row & PAGE_MASK);
      done += take;
    }
    this.count += n;
    for (const [i, copied] of packed.copied) this.copied.set(first + i, copied);
  }

  /**
   * Forgets the records, in the order they were decided, up to the first that involves
   * frame n or later: what --ring dropped. (A record decided late about old frames
   * stays until those before it go.)
   */
  dropBefore(n: number): void {
    const from = this.base;
    while (this.base < this.count && newestFrame(this.get(this.base)) < n) this.base++;
    if (this.base === from) return;
    for (let p = from >>> PAGE_BITS; p < this.base >>> PAGE_BITS; p++) {
      this.words[p] = undefined;
      this.received[p] = undefined;
    }
    for (const row of this.copied.keys()) if (row < this.base) this.copied.delete(row);
    this.grouped = Math.max(this.grouped, this.base);
    for (const group of this.groupList) {
      const rows = group.rows.view();
      let sorted = 0;
      for (let i = 0; i < group.sortedUpTo; i++) if (rows[i]! >= this.base) sorted++;
      group.rows.compact((i) => rows[i]! >= this.base);
      group.sortedUpTo = sorted;
    }
  }

  group(conn: string, dir: string): RecordGroup | undefined {
    this.fillGroups();
    return this.groups.get(conn)?.get(dir);
  }

  /** Every group, in the order of its first record (the order records were decided in). */
  allGroups(): readonly RecordGroup[] {
    this.fillGroups();
    return this.groupList;
  }

  /** Row i of a group in record-index order (as `vsockscope records` lists them). */
  rowOf(group: RecordGroup, i: number): number {
    this.fillGroups();
    this.sort(group);
    return group.rows.get(i);
  }

  private fillGroups(): void {
    for (let row = this.grouped; row < this.count; row++) {
      const group = this.words[row >>> PAGE_BITS]![(row & PAGE_MASK) * WORDS + GROUP]!;
      this.groupList[group]!.rows.push(row);
    }
    this.grouped = this.count;
  }

  get(row: number): StoredRecord {
    const w = this.words[row >>> PAGE_BITS]!;
    const at = (row & PAGE_MASK) * WORDS;
    const m = w[at + META]!;
    const group = this.groupList[w[at + GROUP]!]!;
    const reason = (m >>> REASON_SHIFT) & 63;
    const truncated = (m & TRUNCATED) !== 0;
    const nullable = (flag: number, word: number) => ((m & flag) !== 0 ? null : w[at + word]!);
    const record: RecordResult = {
      type: 'record', conn: group.conn, dir: group.dir, dialect: DIALECTS[(m >>> DIALECT_SHIFT) & 3]!,
      index: w[at + INDEX]!,
      msg_cnt: nullable(NULL_MSG_CNT, MSG_CNT),
      msg_len: nullable(NULL_MSG_LEN, MSG_LEN),
      received: this.received[row >>> PAGE_BITS]![row & PAGE_MASK]!,
      first_frame: nullable(NULL_FIRST, FIRST),
      last_frame: nullable(NULL_LAST, LAST),
      status: STATUSES[m & 7]!,
      ...(reason !== NO_REASON ? { reason: RECORD_REASONS[reason]! } : {}),
      eor: (m & EOR) !== 0,
      truncated,
      ...(truncated ? { copied: this.copied.get(row)! } : {}),
    };
    return { record, revealFrame: nullable(NULL_REVEAL, REVEAL) };
  }

  /** Records arrive in the order they were decided; a direction's are listed by index. */
  private sort(group: RecordGroup): void {
    if (group.sortedUpTo === group.rows.length) return;
    const rows = group.rows.view();
    const index = (row: number) => this.words[row >>> PAGE_BITS]![(row & PAGE_MASK) * WORDS + INDEX]!;
    rows.set([...rows].sort((a, b) => index(a) - index(b)));
    group.sortedUpTo = rows.length;
  }
}
