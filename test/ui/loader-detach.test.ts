// The loader's thread never detaches an ArrayBuffer: the first detach in a thread makes V8
// throw away its optimised typed-array code and check every access from then on
// (store/shared-arrays.ts). V8 reports that protector's invalidation with
// --trace-protector-invalidation; the built loader runs in a worker of a child process.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LOST_END } from './helpers.js';

const LOADER_THREAD = new URL('../../dist/ui/data/loader-thread.js', import.meta.url).href;

const LOAD = `
const { LoaderThread } = await import(process.argv[1]);
const thread = new LoaderThread({ source: { kind: 'path', path: process.argv[2] } });
const types = [];
await new Promise((resolve) => thread.listen((m) => { types.push(m.type); if (m.type === 'end' || m.type === 'failed') resolve(); }));
thread.terminate();
console.log('messages: ' + types.join(' '));
`;

describe('the loader thread', () => {
  it('sends its batches without detaching a buffer', () => {
    const run = spawnSync(process.execPath, ['--trace-protector-invalidation', '--input-type=module', '-e', LOAD, LOADER_THREAD, LOST_END], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('messages: start batch end');
    expect(run.stdout).not.toContain('ArrayBufferDetaching');
  });
});
