// Stopping before the heap runs out. The analysis keeps a summary of every connection
// instance (and the interactive view a row for each, and every finding): a capture of
// millions of short connections (a port scan) can need more than Node's heap limit, and
// running out of it kills the process with a native stack trace. Past HEAP_SHARE of the
// limit, reading stops as it does at damage: what was read is analysed and shown, and the
// reason is named with the frame where reading stopped. The share is measured as V8 counts
// it, garbage not yet collected included: reading can stop somewhat before that much is
// really in use, never after.

import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

/** The share of the old generation's limit in use beyond which reading stops. */
export const HEAP_SHARE = 0.75;
/**
 * V8's heap limit counts the young generation's maximum too: three 16 MiB semi-spaces' worth
 * on 64-bit by default. What outlives a few collections (every connection's summary) fills
 * the old generation, whose limit is the rest; running out of it is what kills the process.
 */
const YOUNG_GENERATION_MAX = 48 * 2 ** 20;

/** Reading stopped after frame `frame`: the pipeline's (every frame up to it was analysed), or the message given. */
export class MemoryLimitError extends Error {
  constructor(readonly frame: number, message = memoryMessage('every frame up to here was analysed')) {
    super(message);
    this.name = 'MemoryLimitError';
  }
}

/** Why reading stopped, and `afterwards`: what that means for what was read. */
export function memoryMessage(afterwards: string): string {
  return `reading stopped: what the analysis keeps of the frames so far (every connection, every finding) fills ` +
    `${Math.round(HEAP_SHARE * 100)}% of the ${Math.round(oldGenerationLimit() / 2 ** 20)} MiB Node allows it; ` +
    `${afterwards} (more room: NODE_OPTIONS=--max-old-space-size=MiB)`;
}

function oldGenerationLimit(limit = getHeapStatistics().heap_size_limit): number {
  return Math.max(limit - YOUNG_GENERATION_MAX, limit / 4);
}

/** Whether this thread's old generation is past HEAP_SHARE of its limit. */
export function heapNearlyFull(): boolean {
  // The whole heap's use first: it bounds the old generation's, and costs a fraction of
  // going through the spaces (which can take milliseconds while the collector runs).
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  const budget = HEAP_SHARE * oldGenerationLimit(limit);
  if (used <= budget) return false;
  let old = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name !== 'new_space' && space.space_name !== 'new_large_object_space') old += space.space_used_size;
  }
  return old > budget;
}
