// Loads a CommonJS bundle with V8's code cache: the bytecode of its functions, saved by an
// earlier run, instead of compiling them again. Node 20 offers no such cache for ES modules
// or require() (module.enableCompileCache came in Node 22).

import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CachedModule<T> {
  readonly exports: T;
  /** Whether V8 took the saved cache (false: none, or made for another bundle, Node or set of V8 flags). */
  readonly cacheUsed: boolean;
  /**
   * Saves the cache when none was used. Call it once the code has run: the cache then
   * holds the functions compiled since loading too, not only the module's top level.
   */
  saveCache(): void;
}

const SUFFIX = '.v8cache';

/**
 * The cache of `file` as it is now. V8 checks that a cache fits its version, its flags and a
 * source of the same length, not the same text: a rebuilt bundle (another size or time) gets
 * a file name of its own.
 */
export function cacheFileOf(file: string): string {
  const { size, mtimeMs } = statSync(file);
  return `${file}.${size}.${Math.trunc(mtimeMs)}${SUFFIX}`;
}

/** Runs `file`, a CommonJS script, as require() would, with its code cache when there is one. */
export function requireCached<T>(file: string): CachedModule<T> {
  const cacheFile = cacheFileOf(file);
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The wrapper require() puts around a module, on the source's first line: line numbers stay.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  const cacheUsed = cachedData !== undefined && script.cachedDataRejected === false;
  return {
    exports: module.exports,
    cacheUsed,
    saveCache: () => {
      if (!cacheUsed) writeCache(script, file, cacheFile);
    },
  };
}

/** Replaces the file's caches by this one, atomically; where the directory cannot be written, the next run compiles again. */
function writeCache(script: Script, file: string, cacheFile: string): void {
  const dir = dirname(file);
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, script.createCachedData());
    for (const name of readdirSync(dir)) {
      if (name.startsWith(`${basename(file)}.`) && name.endsWith(SUFFIX)) rmSync(join(dir, name), { force: true });
    }
    renameSync(temp, cacheFile);
  } catch {
    rmSync(temp, { force: true });
  }
}
