// Display filters on hostile frames: every field, tested for presence and against
// boundary values, must give a boolean for any frame and never throw.

import { compileFilter, filterFieldNames, FilterError, type FrameFilter } from '../../src/dissect/filter/index.js';
import type { DecodedFrame } from '../../src/dissect/decode.js';
import { violation } from './verdict.js';

function compiled(text: string): { text: string; test: FrameFilter } | undefined {
  try {
    return { text, test: compileFilter(text) };
  } catch (e) {
    // A comparison a field does not support (a flag against a number): not a filter to run.
    if (e instanceof FilterError) return undefined;
    throw e;
  }
}

const FILTERS = filterFieldNames()
  .flatMap((name) => [name, `!${name}`, `${name} == 0`, `${name} >= 4294967295`, `${name} < 18446744073709551615`])
  .map(compiled)
  .filter((f) => f !== undefined);

export function expectFiltersCalm(stage: string, frame: DecodedFrame): void {
  for (const v4Dialect of [false, true]) {
    for (const f of FILTERS) {
      let result: unknown;
      try {
        result = f.test(frame, { v4Dialect });
      } catch (e) {
        violation(stage, `filter '${f.text}' threw on frame ${frame.number}: ${e instanceof Error ? e.stack : String(e)}`);
      }
      if (typeof result !== 'boolean') violation(stage, `filter '${f.text}' gave ${String(result)} on frame ${frame.number}`);
    }
  }
}
