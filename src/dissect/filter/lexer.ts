// Display-filter lexer: filter text to tokens, each with its character offset.

import { FilterError } from './errors.js';

export type RelOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type Operator = RelOp | '&&' | '||' | '!' | '&';

export type Token =
  /** A field, protocol, finding or enum name. */
  | { readonly kind: 'word'; readonly text: string; readonly pos: number }
  /** An integer (decimal or 0x hex) or, with `float`, a decimal fraction. */
  | { readonly kind: 'number'; readonly text: string; readonly pos: number; readonly float: boolean }
  /** `op` is the canonical form; `text` is what was written (`==` or `eq`). */
  | { readonly kind: 'op'; readonly text: string; readonly pos: number; readonly op: Operator }
  | { readonly kind: '(' | ')'; readonly text: string; readonly pos: number }
  | { readonly kind: 'end'; readonly text: ''; readonly pos: number };

const WORD_OPS: Readonly<Record<string, Operator>> = {
  eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', and: '&&', or: '||', not: '!',
};

// Longest first, so `<=` is not read as `<` then `=`.
const SYMBOL_OPS: readonly Operator[] = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '&'];

const WORD = /[A-Za-z_][A-Za-z0-9_.]*/y;
const NUMBER = /0[xX][0-9A-Fa-f]+|[0-9]+(\.[0-9]+)?/y;
/** What may not directly follow a number (`12ab`, `0x`, `1.2.3`). */
const WORDISH = /[A-Za-z0-9_.]*/y;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

function match(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) { i++; continue; }
    if (c === '(' || c === ')') { tokens.push({ kind: c, text: c, pos: i }); i++; continue; }
    const word = match(WORD, text, i);
    if (word !== null) {
      const w = word[0];
      const op = Object.prototype.hasOwnProperty.call(WORD_OPS, w) ? WORD_OPS[w] : undefined;
      tokens.push(op !== undefined ? { kind: 'op', text: w, pos: i, op } : { kind: 'word', text: w, pos: i });
      i += w.length;
      continue;
    }
    const num = match(NUMBER, text, i);
    if (num !== null) {
      const end = i + num[0].length;
      const rest = match(WORDISH, text, end)![0];
      if (rest.length > 0) {
        const bad = text.slice(i, end + rest.length);
        throw new FilterError(`malformed number '${bad}' (numbers are decimal like 42 or 1.5, or hex like 0x2a)`, i, bad.length);
      }
      tokens.push({ kind: 'number', text: num[0], pos: i, float: num[1] !== undefined });
      i = end;
      continue;
    }
    const sym = SYMBOL_OPS.find((o) => text.startsWith(o, i));
    if (sym !== undefined) { tokens.push({ kind: 'op', text: sym, pos: i, op: sym }); i += sym.length; continue; }
    if (c === '=') throw new FilterError(`unknown operator '=' (use '==' to compare)`, i, 1);
    if (c === '|') throw new FilterError(`unknown operator '|' (use '||' or 'or')`, i, 1);
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const shown = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
    throw new FilterError(`unexpected character ${shown}`, i, ch.length);
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}
