// The display filter (`-Y FILTER`), Wireshark-style. See parser.ts for the grammar.

import { compileTree } from './compile.js';
import { parseFilter } from './parser.js';
import type { FrameFilter } from './types.js';

export { FilterError, describeFilterError } from './errors.js';
export { filterFieldNames } from './registry.js';
export type { FilterContext, FrameFilter } from './types.js';

/** Compiles a filter once into a per-frame predicate. Throws FilterError. */
export function compileFilter(text: string): FrameFilter {
  return compileTree(parseFilter(text));
}
export { filterTestsFindings } from './refs.js';
