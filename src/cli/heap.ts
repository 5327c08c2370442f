import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/** Heap in use past which the young generation may grow again (see keepYoungGenerationSmall). */
const GROW_PAST_BYTES = 64 * 2 ** 20;
const WATCH_MS = 100;

/**
 * Keeps V8's young generation at its starting size (1 MiB semi-spaces) while the heap is small.
 *
 * V8 doubles the young generation each time the bytes that survived scavenges since the last
 * growth add up to its size. Every connection instance survives (ended ones keep their summary),
 * so over a long enough capture or live run it grows to its 16 MiB maximum: 10M frames peaked at
 * 77 MB against 58 MB for 1M. A pass allocates a few bytes per frame, so the small nursery costs
 * nothing measurable. The growth factor is read at each growth, so setting it now takes effect.
 *
 * Once the heap holds GROW_PAST_BYTES, what survives is connection instances by the hundred
 * thousand (a port scan): each 1 MiB scavenge then copies mostly survivors, 1,700 of them
 * took 0.7 of `check`'s 2 s on a 1M-frame scan. From there V8 grows it as it would: the extra
 * 16-48 MB are small beside what the heap holds.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  const watch = setInterval(() => {
    if (getHeapStatistics().used_heap_size < GROW_PAST_BYTES) return;
    setFlagsFromString('--semi-space-growth-factor=2');
    clearInterval(watch);
  }, WATCH_MS);
  watch.unref();
}
