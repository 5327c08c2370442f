// code-cache.ts: a CommonJS script run as require() runs it, with V8's code cache from an
// earlier run, and never the cache of another version of the script. Each load is a process
// of its own, as each start of the CLI is: within one process V8 keeps what it compiled and
// would not look at the cache at all.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';

interface Loaded {
  answer: string;
  file: string;
  dir: string;
  sep: string;
  cacheUsed: boolean;
}

/** As tsc built it, next to the CLI (npm test builds before vitest runs). */
const CODE_CACHE = join(dirname(CLI), 'code-cache.js');

/** Runs `file` with requireCached (the built module) in a new process; saves its cache when asked. */
function load(file: string, save = true): Loaded {
  const program = `import { requireCached } from ${JSON.stringify(CODE_CACHE)};
const loaded = requireCached(${JSON.stringify(file)});
if (${save}) loaded.saveCache();
const { answer, file, dir, sep } = loaded.exports;
console.log(JSON.stringify({ answer: answer(), file, dir, sep, cacheUsed: loaded.cacheUsed }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' })) as Loaded;
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
    expect(load(file, false)).toEqual({ answer: 'first', file, dir, sep: '/', cacheUsed: false });
    expect(caches(dir)).toEqual([]);
    expect(load(file).cacheUsed).toBe(false);
    const { size, mtimeMs } = statSync(file);
    expect(caches(dir)).toEqual([`bundle.cjs.${size}.${Math.trunc(mtimeMs)}.v8cache`]);
    const saved = statSync(join(dir, caches(dir)[0]!)).mtimeMs;
    expect(load(file)).toEqual({ answer: 'first', file, dir, sep: '/', cacheUsed: true });
    // Used, so not written again.
    expect(statSync(join(dir, caches(dir)[0]!)).mtimeMs).toBe(saved);
  });

  it("never takes the cache of the script's earlier version, even of the same length", () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsockscope-cache-'));
    const file = script(dir, 'older');
    load(file);
    const olderCache = caches(dir);
    // Rebuilt: the same length (V8 checks no more of the source), written a second later.
    script(dir, 'newer');
    const later = new Date(statSync(file).mtimeMs + 1000);
    utimesSync(file, later, later);
    expect(load(file)).toMatchObject({ answer: 'newer', cacheUsed: false });
    expect(caches(dir)).toHaveLength(1);
    expect(caches(dir)).not.toEqual(olderCache);
    expect(load(file)).toMatchObject({ answer: 'newer', cacheUsed: true });
  });

  it('compiles past a damaged cache, and replaces it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsockscope-cache-'));
    const file = script(dir, 'whole');
    load(file);
    const cacheFile = join(dir, caches(dir)[0]!);
    writeFileSync(cacheFile, readFileSync(cacheFile).subarray(0, 64));
    expect(load(file)).toMatchObject({ answer: 'whole', cacheUsed: false });
    expect(load(file)).toMatchObject({ answer: 'whole', cacheUsed: true });
  });
});
