import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';

describe('the installed bin', () => {
  it('runs as a program through its shebang, as npx runs it', () => {
    const r = spawnSync(CLI, ['help'], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: vsockscope /);
  });

  it('still runs as dist/cli/main.js, the bin npx linked in a checkout before main.cjs', () => {
    const r = spawnSync(new URL('../../dist/cli/main.js', import.meta.url).pathname, ['check', new URL('../../captures/synth/lost-end.pcap', import.meta.url).pathname], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toMatch(/^findings: .*vsock\.seq\.lost_end/m);
  });
});

describe('command names', () => {
  it.each(['nosuch', 'toString', '__proto__', 'constructor'])('%s is no command: one line, exit status 2', (name) => {
    const r = spawnSync(process.execPath, [CLI, name], { encoding: 'utf8' });
    expect(r.stderr).toBe(`vsockscope: unknown command '${name}' (try: vsockscope help)\n`);
    expect(r.status).toBe(2);
  });
});

describe('option names', () => {
  it.each(['--toString', '--__proto__', '--constructor=1', '--hasOwnProperty'])('%s is no option: one line, exit status 2', (option) => {
    const r = spawnSync(process.execPath, [CLI, 'check', option, new URL('../../captures/synth/lost-end.pcap', import.meta.url).pathname], { encoding: 'utf8' });
    expect(r.stderr).toBe(`vsockscope: unknown option ${option.split('=')[0]}\n`);
    expect(r.status).toBe(2);
  });
});
