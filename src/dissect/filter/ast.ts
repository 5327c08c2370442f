// Display-filter syntax tree. Names are unresolved here: the compiler checks them
// against the field table, so every node keeps the tokens it needs for error positions.

import type { RelOp } from './lexer.js';

export interface NameRef { readonly name: string; readonly pos: number }

/** A comparison's or bitwise-and's right-hand side: a number or an enum name. */
export type ValueRef =
  | { readonly kind: 'number'; readonly text: string; readonly pos: number; readonly float: boolean }
  | { readonly kind: 'name'; readonly text: string; readonly pos: number };

export type FilterNode =
  | { readonly kind: 'or' | 'and'; readonly terms: readonly FilterNode[] }
  | { readonly kind: 'not'; readonly term: FilterNode }
  /** A bare name: presence test (field, protocol, flag bit, finding). */
  | { readonly kind: 'present'; readonly field: NameRef }
  | { readonly kind: 'compare'; readonly field: NameRef; readonly op: RelOp; readonly opText: string; readonly opPos: number; readonly value: ValueRef }
  /** `field & value`: true when the bitwise and is nonzero. */
  | { readonly kind: 'bitand'; readonly field: NameRef; readonly opPos: number; readonly value: ValueRef };
