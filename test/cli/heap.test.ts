import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const HEAP = new URL('../../dist/cli/heap.js', import.meta.url).href;

/**
 * A process that keeps 400k small objects while making short-lived ones (as a long run keeps
 * its connection instances): the young generation's size at the start and at its largest.
 */
function youngGeneration(small: boolean): { start: number; max: number } {
  const code = `
    import v8 from 'node:v8';
    import { keepYoungGenerationSmall } from ${JSON.stringify(HEAP)};
    if (${small}) keepYoungGenerationSmall();
    const size = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const start = size();
    let max = start;
    const kept = [];
    for (let i = 0; i < 400000; i++) {
      kept.push({ a: i, b: [i] });
      for (let j = 0; j < 20; j++) ({ x: j });
      if ((i & 1023) === 0) max = Math.max(max, size());
    }
    console.log(JSON.stringify({ start, max }));`;
  // The largest young generation is fixed here: V8 would size it from the machine's memory.
  const r = spawnSync(process.execPath, ['--max-semi-space-size=16', '--input-type=module', '-e', code], {
    encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { start: number; max: number };
}

describe('heap settings', () => {
  it('keep the young generation near its starting size where V8 would grow it many times over', () => {
    const grown = youngGeneration(false);
    const kept = youngGeneration(true);
    expect(grown.max).toBeGreaterThanOrEqual(8 * grown.start);
    // new_space's size counts its second semi-space once that is committed: twice the start, no growth.
    expect(kept.max).toBeLessThanOrEqual(2 * kept.start);
  });
});
