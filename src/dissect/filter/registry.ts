// Field resolution: every name a display filter accepts, derived from the field
// table (headers, their fields, flag bits) and the finding codes, plus the few
// frame-level fields that the capture container provides.

import type { DecodedFrame } from '../decode.js';
import { filterName, flagContext, HEADERS, type FieldDef, type FieldType, type FlagBit, type HeaderDef } from '../fields.js';
import { FINDING_CODES } from '../findings.js';
import type { FilterContext, FrameFilter } from './types.js';

export type Getter = (frame: DecodedFrame) => number | bigint | undefined;

export type FilterField =
  /** An unsigned integer field; `wide` when its value may be a bigint (u64 CIDs). */
  | {
      readonly kind: 'int'; readonly name: string; readonly typeName: string; readonly max: bigint; readonly wide: boolean;
      readonly enums?: ReadonlyMap<string, number>; readonly get: Getter; readonly present: FrameFilter;
    }
  /** frame.time_epoch: seconds since the epoch, compared exactly against (tsSec, tsNsec). */
  | { readonly kind: 'time'; readonly name: string; readonly present: FrameFilter }
  /** A name that can only be tested for presence. */
  | { readonly kind: 'test'; readonly name: string; readonly what: 'protocol' | 'flag bit' | 'finding'; readonly present: FrameFilter };

/** The DecodedFrame property holding each header, by the last part of the header's path. */
type HeaderProp = 'vsock' | 'virtio' | 'seq';
type HeaderRecord = Readonly<Record<string, number | bigint>>;

const MAX_U: Readonly<Record<FieldType, bigint>> = { u16: 0xffffn, u32: 0xffffffffn, u64: 0xffffffffffffffffn };

function headerProp(header: HeaderDef): HeaderProp {
  const last = header.path.slice(header.path.lastIndexOf('.') + 1);
  if (last !== 'vsock' && last !== 'virtio' && last !== 'seq') throw new Error(`display filter: no frame property for header ${header.path}`);
  return last;
}

/** The header object of a frame, or undefined; one specialized accessor per header. */
function headerAccessor(prop: HeaderProp): (f: DecodedFrame) => HeaderRecord | undefined {
  switch (prop) {
    case 'vsock': return (f) => f.vsock as unknown as HeaderRecord | undefined;
    case 'virtio': return (f) => f.virtio as unknown as HeaderRecord | undefined;
    case 'seq': return (f) => f.seq as unknown as HeaderRecord | undefined;
  }
}

function enumMap(names: Readonly<Record<number, string>>): ReadonlyMap<string, number> {
  const m = new Map<string, number>();
  for (const [value, name] of Object.entries(names)) m.set(name, Number(value));
  return m;
}

function headerField(header: HeaderDef, field: FieldDef): FilterField {
  const prop = headerProp(header);
  const key = field.key;
  const get: Getter =
    prop === 'vsock' ? (f) => (f.vsock === undefined ? undefined : (f.vsock as unknown as HeaderRecord)[key])
    : prop === 'virtio' ? (f) => (f.virtio === undefined ? undefined : (f.virtio as unknown as HeaderRecord)[key])
    : (f) => (f.seq === undefined ? undefined : (f.seq as unknown as HeaderRecord)[key]);
  const at = headerAccessor(prop);
  return {
    kind: 'int', name: filterName(header, field), typeName: field.type, max: MAX_U[field.type], wide: field.type === 'u64',
    enums: field.enumNames === undefined ? undefined : enumMap(field.enumNames), get, present: (f) => at(f) !== undefined,
  };
}

function flagBitField(header: HeaderDef, field: FieldDef, bit: FlagBit): FilterField {
  if (!header.fields.some((f) => f.key === 'op')) throw new Error(`display filter: flag bits in ${header.path}, which has no op field`);
  const at = headerAccessor(headerProp(header));
  const { key } = field;
  const { mask, context } = bit;
  return {
    kind: 'test', name: `${filterName(header, field)}.${bit.key}`, what: 'flag bit',
    present: (f: DecodedFrame, ctx: FilterContext) => {
      const h = at(f);
      return h !== undefined && ((h[key] as number) & mask) !== 0 && flagContext(h.op as number, ctx.v4Dialect) === context;
    },
  };
}

function findingField(code: string): FilterField {
  return {
    kind: 'test', name: code, what: 'finding',
    present: (f) => {
      const e = f.expert;
      for (let i = 0; i < e.length; i++) if (e[i]!.code === code) return true;
      return false;
    },
  };
}

const always: FrameFilter = () => true;

function frameFields(): FilterField[] {
  const int = (name: string, typeName: string, max: bigint, get: Getter): FilterField =>
    ({ kind: 'int', name, typeName, max, wide: false, get, present: always });
  return [
    { kind: 'test', name: 'frame', what: 'protocol', present: always },
    int('frame.number', 'integer', BigInt(Number.MAX_SAFE_INTEGER), (f) => f.number),
    int('frame.len', 'u32', MAX_U.u32, (f) => f.len),
    int('frame.cap_len', 'u32', MAX_U.u32, (f) => f.capLen),
    { kind: 'time', name: 'frame.time_epoch', present: always },
  ];
}

function buildRegistry(): ReadonlyMap<string, FilterField> {
  const all: FilterField[] = frameFields();
  for (const header of HEADERS) {
    const at = headerAccessor(headerProp(header));
    all.push({ kind: 'test', name: header.path, what: 'protocol', present: (f) => at(f) !== undefined });
    for (const field of header.fields) {
      all.push(headerField(header, field));
      for (const bit of field.flagBits ?? []) all.push(flagBitField(header, field, bit));
    }
  }
  for (const code of FINDING_CODES) all.push(findingField(code));
  const byName = new Map<string, FilterField>();
  for (const f of all) {
    if (byName.has(f.name)) throw new Error(`display filter: field name ${f.name} defined twice`);
    byName.set(f.name, f);
  }
  return byName;
}

const REGISTRY = buildRegistry();

export function lookupField(name: string): FilterField | undefined {
  return REGISTRY.get(name);
}

/** Every name the display filter accepts, in table order. */
export function filterFieldNames(): string[] {
  return [...REGISTRY.keys()];
}

/** Optimal-string-alignment distance: edits, counting a swap of neighbours as one. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) { row.push(j); continue; }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** The closest of `candidates` to `name` when it is a plausible typo of it. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = name.length >= 12 ? 3 : name.length >= 4 ? 2 : 1;
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) >= bestD) continue;
    const d = editDistance(name, c);
    if (d < bestD) { best = c; bestD = d; }
  }
  return best;
}

export function suggestField(name: string): string | undefined {
  return closest(name, REGISTRY.keys());
}
