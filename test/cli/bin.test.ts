import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;

describe('the installed bin', () => {
  it('runs as a program through its shebang, as npx runs it', () => {
    const r = spawnSync(CLI, ['help'], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: vsockscope /);
  });
});
