// code-cache.ts: a CommonJS script run as require() runs it, with V8's code cache from an
// earlier run, and never the cache of another version of the script.

import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFileOf, requireCached } from '../../src/cli/code-cache.js';

interface Exported {
  answer(): string;
  file: string;
  dir: string;
  sep: string;
}

function script(dir: string, answer: string): string {
  const file = join(dir, 'bundle.cjs');
  writeFileSync(file, `const path = require('node:path');
exports.answer = () => ${JSON.stringify(answer)};
exports.file = __filename;
exports.dir = __dirname;
exports.sep = path.sep;
`);
  return file;
}

const caches = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.v8cache'));

describe('requireCached', () => {
  it('runs the script as require() would, and with its cache once an earlier run saved one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsockscope-cache-'));
    const file = script(dir, 'first');
    const cold = requireCached<Exported>(file);
    expect(cold.exports.answer()).toBe('first');
    expect([cold.exports.file, cold.exports.dir, cold.exports.sep]).toEqual([file, dir, '/']);
    expect(cold.cacheUsed).toBe(false);
    expect(caches(dir)).toEqual([]);
    cold.saveCache();
    const { size, mtimeMs } = statSync(file);
    expect(caches(dir)).toEqual([`bundle.cjs.${size}.${Math.trunc(mtimeMs)}.v8cache`]);
    expect(join(dir, caches(dir)[0]!)).toBe(cacheFileOf(file));

    const warm = requireCached<Exported>(file);
    expect(warm.cacheUsed).toBe(true);
    expect(warm.exports.answer()).toBe('first');
    const saved = statSync(cacheFileOf(file)).mtimeMs;
    warm.saveCache();
    expect(statSync(cacheFileOf(file)).mtimeMs).toBe(saved);
  });

  it("never takes the cache of the script's earlier version, even of the same length", () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsockscope-cache-'));
    const file = script(dir, 'older');
    const older = requireCached<Exported>(file);
    older.saveCache();
    const olderCache = caches(dir);
    // Rebuilt: the same length (V8 checks no more of the source), written a second later.
    script(dir, 'newer');
    const later = new Date(statSync(file).mtimeMs + 1000);
    utimesSync(file, later, later);
    const newer = requireCached<Exported>(file);
    expect(newer.cacheUsed).toBe(false);
    expect(newer.exports.answer()).toBe('newer');
    newer.saveCache();
    expect(caches(dir)).toHaveLength(1);
    expect(caches(dir)).not.toEqual(olderCache);
    expect(requireCached<Exported>(file).cacheUsed).toBe(true);
  });

  it('compiles past a damaged cache, and replaces it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsockscope-cache-'));
    const file = script(dir, 'whole');
    requireCached<Exported>(file).saveCache();
    const cacheFile = cacheFileOf(file);
    writeFileSync(cacheFile, readFileSync(cacheFile).subarray(0, 64));
    const damaged = requireCached<Exported>(file);
    expect(damaged.cacheUsed).toBe(false);
    expect(damaged.exports.answer()).toBe('whole');
    damaged.saveCache();
    expect(requireCached<Exported>(file).cacheUsed).toBe(true);
  });
});
