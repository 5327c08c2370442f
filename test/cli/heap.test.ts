import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const HEAP = new URL('../../dist/cli/heap.js', import.meta.url).href;

interface Growth {
  /** new_space's size at the start and at its largest. */
  readonly start: number;
  readonly max: number;
  /** Heap in use when new_space first passed twice its starting size (0: it never did). */
  readonly usedWhenGrown: number;
}

/**
 * A process that keeps `keep` small objects while making short-lived ones (as a long run keeps
 * its connection instances), letting timers run now and then as a pass between reads does.
 */
function youngGeneration(small: boolean, keep: number): Growth {
  const code = `
    import v8 from 'node:v8';
    import { keepYoungGenerationSmall } from ${JSON.stringify(HEAP)};
    if (${small}) keepYoungGenerationSmall();
    const size = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const start = size();
    let max = start;
    let usedWhenGrown = 0;
    const kept = [];
    for (let i = 0; i < ${keep}; i++) {
      kept.push({ a: i, b: [i] });
      for (let j = 0; j < 20; j++) ({ x: j });
      if ((i & 1023) === 0) {
        max = Math.max(max, size());
        if (usedWhenGrown === 0 && max > 2 * start) usedWhenGrown = v8.getHeapStatistics().used_heap_size;
      }
      if ((i & 16383) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(JSON.stringify({ start, max, usedWhenGrown }));`;
  // The largest young generation is fixed here: V8 would size it from the machine's memory.
  const r = spawnSync(process.execPath, ['--max-semi-space-size=16', '--input-type=module', '-e', code], {
    encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Growth;
}

describe('heap settings', () => {
  it('keep the young generation near its starting size where V8 would grow it many times over', () => {
    const grown = youngGeneration(false, 400_000);
    const kept = youngGeneration(true, 400_000);
    expect(grown.max).toBeGreaterThanOrEqual(8 * grown.start);
    // new_space's size counts its second semi-space once that is committed: twice the start, no growth.
    expect(kept.max).toBeLessThanOrEqual(2 * kept.start);
  });

  it('let it grow once the heap holds 64 MiB (a port scan\'s instances), not before', () => {
    const kept = youngGeneration(true, 2_000_000);
    expect(kept.max).toBeGreaterThanOrEqual(8 * kept.start);
    expect(kept.usedWhenGrown).toBeGreaterThanOrEqual(64 * 2 ** 20);
  });
});
