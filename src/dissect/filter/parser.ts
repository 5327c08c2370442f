// Display-filter parser: tokens to syntax tree.
//
//   filter  := or END
//   or      := and (('||' | 'or') and)*
//   and     := unary (('&&' | 'and') unary)*
//   unary   := ('!' | 'not')* primary
//   primary := '(' or ')' | test
//   test    := NAME [ relop value | '&' value ]
//   relop   := '==' | '!=' | '<' | '<=' | '>' | '>=' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'
//   value   := NUMBER | NAME

import type { FilterNode, ValueRef } from './ast.js';
import { FilterError } from './errors.js';
import { tokenize, type RelOp, type Token } from './lexer.js';

/** Parenthesis nesting limit: keeps hostile input from overflowing the stack. */
const MAX_DEPTH = 200;

const REL_OPS: ReadonlySet<string> = new Set<RelOp>(['==', '!=', '<', '<=', '>', '>=']);

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the filter' : `'${t.text}'`;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token { return this.tokens[this.i]!; }
  private next(): Token { return this.tokens[this.i++]!; }

  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.op === op;
  }

  parseFilter(): FilterNode {
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind === ')') throw new FilterError(`unbalanced parentheses: ')' without a matching '('`, t.pos, 1);
    if (t.kind !== 'end') {
      throw new FilterError(`unexpected ${describe(t)} after a complete expression (join tests with '&&' or '||')`, t.pos, t.text.length);
    }
    return node;
  }

  private parseOr(): FilterNode {
    const terms = [this.parseAnd()];
    while (this.isOp(this.peek(), '||')) { this.next(); terms.push(this.parseAnd()); }
    return terms.length === 1 ? terms[0]! : { kind: 'or', terms };
  }

  private parseAnd(): FilterNode {
    const terms = [this.parseUnary()];
    while (this.isOp(this.peek(), '&&')) { this.next(); terms.push(this.parseUnary()); }
    return terms.length === 1 ? terms[0]! : { kind: 'and', terms };
  }

  private parseUnary(): FilterNode {
    let nots = 0;
    while (this.isOp(this.peek(), '!')) { this.next(); nots++; }
    const term = this.parsePrimary();
    return nots % 2 === 1 ? { kind: 'not', term } : term;
  }

  private parsePrimary(): FilterNode {
    const t = this.next();
    if (t.kind === '(') {
      if (++this.depth > MAX_DEPTH) throw new FilterError(`parentheses nested more than ${MAX_DEPTH} deep`, t.pos, 1);
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind === 'end') throw new FilterError(`unbalanced parentheses: '(' is never closed`, t.pos, 1);
      if (close.kind !== ')') {
        throw new FilterError(`expected ')', '&&' or '||', found ${describe(close)}`, close.pos, close.text.length);
      }
      this.depth--;
      return inner;
    }
    if (t.kind === 'word') return this.parseTest(t);
    if (t.kind === 'end') throw new FilterError(`unexpected end of filter: expected a field name or '('`, t.pos, 0);
    throw new FilterError(`expected a field name or '(', found ${describe(t)}`, t.pos, t.text.length);
  }

  private parseTest(name: Token & { kind: 'word' }): FilterNode {
    const field = { name: name.text, pos: name.pos };
    const op = this.peek();
    if (op.kind !== 'op' || !(REL_OPS.has(op.op) || op.op === '&')) return { kind: 'present', field };
    this.next();
    const value = this.parseValue(op);
    if (op.op === '&') return { kind: 'bitand', field, opPos: op.pos, value };
    return { kind: 'compare', field, op: op.op as RelOp, opText: op.text, opPos: op.pos, value };
  }

  private parseValue(after: Token): ValueRef {
    const t = this.next();
    if (t.kind === 'number') return { kind: 'number', text: t.text, pos: t.pos, float: t.float };
    if (t.kind === 'word') return { kind: 'name', text: t.text, pos: t.pos };
    if (t.kind === 'end') throw new FilterError(`unexpected end of filter: expected a value after '${after.text}'`, t.pos, 0);
    throw new FilterError(`expected a number or a value name after '${after.text}', found ${describe(t)}`, t.pos, t.text.length);
  }
}

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  if (tokens.length === 1) throw new FilterError('empty filter', 0, 0);
  return new Parser(tokens).parseFilter();
}
