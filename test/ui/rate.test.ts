// Frames/s and bytes/s of a live capture over the last seconds, as the status bar shows them.

import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../src/ui/data/rate.js';
import { byteRate, perSecond } from '../../src/ui/present/status.js';

describe('rates', () => {
  it('frames/s and bytes/s over the window; falling to 0 once nothing arrives', () => {
    const meter = new RateMeter(0, 5000);
    // 1 s in: 100 frames, 20,000 bytes.
    meter.add(1000, 100, 20_000);
    expect(meter.rates(1000)).toEqual({ framesPerSecond: 100, bytesPerSecond: 20_000 });
    // Steady 50 frames/s for 10 s after that: the 5 s window sees only those.
    for (let t = 2000; t <= 11_000; t += 1000) meter.add(t, 100 + ((t - 1000) / 1000) * 50, 20_000 + ((t - 1000) / 1000) * 5000);
    expect(meter.rates(11_000)).toEqual({ framesPerSecond: 50, bytesPerSecond: 5000 });
    // Nothing more: from the last sample at or before the window's start (t = 8 s, 450
    // frames) to now, 150 frames in 5.5 s; then none.
    expect(meter.rates(13_500).framesPerSecond).toBeCloseTo(150 / 5.5, 9);
    expect(meter.rates(17_000)).toEqual({ framesPerSecond: 0, bytesPerSecond: 0 });
    expect(meter.lastChange).toBe(11_000);
  });

  it('a batch that brings nothing new does not count as data arriving', () => {
    const meter = new RateMeter(0);
    expect(meter.rates(0)).toEqual({ framesPerSecond: 0, bytesPerSecond: 0 });
    meter.add(500, 10, 1000);
    meter.add(3000, 10, 1000);
    expect(meter.lastChange).toBe(500);
    expect(meter.rates(4000)).toEqual({ framesPerSecond: 2.5, bytesPerSecond: 250 });
  });

  it('shown as the status bar writes them', () => {
    expect(perSecond(0)).toBe('0.0');
    expect(perSecond(2.5)).toBe('2.5');
    expect(perSecond(1234.4)).toBe('1,234');
    expect(byteRate(512)).toBe('512 B/s');
    expect(byteRate(20_480)).toBe('20.5 kB/s');
    expect(byteRate(3_250_000)).toBe('3.3 MB/s');
  });
});
