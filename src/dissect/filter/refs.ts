// What a filter refers to, for callers that must prepare the frames it tests: findings
// known only after later frames need a first pass over the whole capture.

import type { FilterNode } from './ast.js';
import { parseFilter } from './parser.js';
import { lookupField } from './registry.js';

/** Whether the filter tests for a finding code. Throws FilterError as compileFilter does. */
export function filterTestsFindings(text: string): boolean {
  return names(parseFilter(text)).some((name) => {
    const field = lookupField(name);
    return field !== undefined && field.kind === 'test' && field.what === 'finding';
  });
}

function names(node: FilterNode): string[] {
  switch (node.kind) {
    case 'or':
    case 'and':
      return node.terms.flatMap(names);
    case 'not':
      return names(node.term);
    default:
      return [node.field.name];
  }
}
