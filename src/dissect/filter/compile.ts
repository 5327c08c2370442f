// Display-filter compiler: resolves names against the registry, checks values,
// and turns the tree into closures built once, so evaluating a frame does no
// parsing, string building or allocation.

import type { DecodedFrame } from '../decode.js';
import type { FilterNode, NameRef, ValueRef } from './ast.js';
import { FilterError } from './errors.js';
import type { RelOp } from './lexer.js';
import { closest, lookupField, suggestField, type FilterField, type Getter } from './registry.js';
import type { FrameFilter } from './types.js';

type IntField = FilterField & { kind: 'int' };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const TWO_32 = 0x1_0000_0000;

function resolve(ref: NameRef): FilterField {
  const field = lookupField(ref.name);
  if (field !== undefined) return field;
  const hint = suggestField(ref.name);
  throw new FilterError(`unknown field '${ref.name}'${hint !== undefined ? ` (did you mean '${hint}'?)` : ''}`, ref.pos, ref.name.length);
}

function valueError(message: string, value: ValueRef): FilterError {
  return new FilterError(message, value.pos, value.text.length);
}

/** The integer a value stands for in `field`, range-checked. */
function intValue(field: IntField, value: ValueRef): bigint {
  if (value.kind === 'name') {
    if (field.enums === undefined) {
      const isField = lookupField(value.text) !== undefined;
      throw valueError(`${field.name} has no named values, so '${value.text}' cannot be compared with it; use a number`
        + (isField ? ' (comparing two fields is not supported)' : ''), value);
    }
    const n = field.enums.get(value.text);
    if (n === undefined) {
      const names = [...field.enums.keys()];
      const hint = closest(value.text, names);
      throw valueError(`unknown value '${value.text}' for ${field.name}${hint !== undefined ? ` (did you mean '${hint}'?)` : ''}; valid: ${names.join(', ')}`, value);
    }
    return BigInt(n);
  }
  if (value.float) throw valueError(`${field.name} holds whole numbers; '${value.text}' is not one`, value);
  const n = BigInt(value.text);
  if (n > field.max) throw valueError(`${value.text} is out of range for ${field.name} (${field.typeName}: 0 to ${field.max})`, value);
  return n;
}

// ---- integer comparisons ----------------------------------------------------

/** Fields whose values are always numbers: compare directly. An absent field (undefined) fails every test. */
function compareNumber(get: Getter, op: RelOp, lit: number): FrameFilter {
  const g = get as (f: DecodedFrame) => number | undefined;
  switch (op) {
    case '==': return (f) => g(f) === lit;
    case '!=': return (f) => { const v = g(f); return v !== undefined && v !== lit; };
    // undefined converts to NaN, which is neither less nor greater than anything.
    case '<': return (f) => (g(f) as number) < lit;
    case '<=': return (f) => (g(f) as number) <= lit;
    case '>': return (f) => (g(f) as number) > lit;
    case '>=': return (f) => (g(f) as number) >= lit;
  }
}

/**
 * Orders `v` against the literal exactly, without allocating in the common cases:
 * NaN when the field is absent, else negative, zero or positive.
 */
function wideOrder(get: Getter, lit: bigint): (f: DecodedFrame) => number {
  const approx = Number(lit);
  const exact = lit <= MAX_SAFE;
  return (f) => {
    const v = get(f);
    if (v === undefined) return NaN;
    if (typeof v === 'bigint') return v < lit ? -1 : v > lit ? 1 : 0;
    // Rounding is monotonic, so a number that differs from round(lit) orders the same against lit.
    if (v !== approx) return v < approx ? -1 : 1;
    if (exact) return 0;
    const b = BigInt(v); // only when v equals the rounded literal above 2^53
    return b < lit ? -1 : b > lit ? 1 : 0;
  };
}

/** A relational test on a three-way order that is NaN when the field is absent. */
function byOrder(order: (f: DecodedFrame) => number, op: RelOp): FrameFilter {
  switch (op) {
    case '==': return (f) => order(f) === 0;
    case '!=': return (f) => { const c = order(f); return c < 0 || c > 0; };
    case '<': return (f) => order(f) < 0;
    case '<=': return (f) => order(f) <= 0;
    case '>': return (f) => order(f) > 0;
    case '>=': return (f) => order(f) >= 0;
  }
}

function compileIntCompare(field: IntField, op: RelOp, lit: bigint): FrameFilter {
  return field.wide ? byOrder(wideOrder(field.get, lit), op) : compareNumber(field.get, op, Number(lit));
}

function compileBitAnd(field: IntField, lit: bigint): FrameFilter {
  const get = field.get;
  if (!field.wide) {
    const mask = Number(lit); // <= 2^32 - 1 for every non-wide field but frame.number
    if (lit <= 0xffffffffn) {
      return (f) => { const v = get(f) as number | undefined; return v !== undefined && (v & mask) !== 0; };
    }
  }
  const lo = Number(lit & 0xffffffffn);
  const hi = Number(lit >> 32n);
  return (f) => {
    const v = get(f);
    if (v === undefined) return false;
    if (typeof v === 'bigint') return (v & lit) !== 0n;
    return ((v >>> 0) & lo) !== 0 || (Math.floor(v / TWO_32) & hi) !== 0;
  };
}

// ---- frame.time_epoch ---------------------------------------------------------

/** A time literal as whole seconds, nanoseconds, and whether digits beyond the nanosecond follow. */
function timeValue(field: FilterField, value: ValueRef): { sec: number; nsec: number; beyond: boolean } {
  if (value.kind === 'name') throw valueError(`${field.name} takes seconds since the epoch (e.g. 1700000000.5), not '${value.text}'`, value);
  const dot = value.float ? value.text.indexOf('.') : -1;
  const whole = BigInt(dot < 0 ? value.text : value.text.slice(0, dot));
  if (whole > MAX_SAFE) throw valueError(`${value.text} is out of range for ${field.name}`, value);
  const frac = dot < 0 ? '' : value.text.slice(dot + 1);
  return { sec: Number(whole), nsec: Number(frac.slice(0, 9).padEnd(9, '0')), beyond: /[1-9]/.test(frac.slice(9)) };
}

function compileTimeCompare(op: RelOp, t: { sec: number; nsec: number; beyond: boolean }): FrameFilter {
  const { sec, nsec, beyond } = t;
  const tail = beyond ? -1 : 0;
  return byOrder((f) => (f.tsSec !== sec ? f.tsSec - sec : f.tsNsec !== nsec ? f.tsNsec - nsec : tail), op);
}

// ---- the tree -------------------------------------------------------------------

function notComparable(field: FilterField & { kind: 'test' }, opText: string, opPos: number): FilterError {
  return new FilterError(`${field.name} is a ${field.what}: test it on its own ('${field.name}' or '!${field.name}'); '${opText}' does not apply`, opPos, opText.length);
}

function compileNode(node: FilterNode): FrameFilter {
  switch (node.kind) {
    case 'or': {
      const terms = node.terms.map(compileNode);
      if (terms.length === 2) { const [a, b] = terms as [FrameFilter, FrameFilter]; return (f, c) => a(f, c) || b(f, c); }
      return (f, c) => { for (let i = 0; i < terms.length; i++) if (terms[i]!(f, c)) return true; return false; };
    }
    case 'and': {
      const terms = node.terms.map(compileNode);
      if (terms.length === 2) { const [a, b] = terms as [FrameFilter, FrameFilter]; return (f, c) => a(f, c) && b(f, c); }
      return (f, c) => { for (let i = 0; i < terms.length; i++) if (!terms[i]!(f, c)) return false; return true; };
    }
    case 'not': {
      const term = compileNode(node.term);
      return (f, c) => !term(f, c);
    }
    case 'present':
      return resolve(node.field).present;
    case 'compare': {
      const field = resolve(node.field);
      if (field.kind === 'test') throw notComparable(field, node.opText, node.opPos);
      if (field.kind === 'time') return compileTimeCompare(node.op, timeValue(field, node.value));
      return compileIntCompare(field, node.op, intValue(field, node.value));
    }
    case 'bitand': {
      const field = resolve(node.field);
      if (field.kind === 'test') throw notComparable(field, '&', node.opPos);
      if (field.kind === 'time') throw new FilterError(`'&' needs an integer field; ${field.name} is a time`, node.opPos, 1);
      return compileBitAnd(field, intValue(field, node.value));
    }
  }
}

export function compileTree(node: FilterNode): FrameFilter {
  return compileNode(node);
}

