import { describe, expect, it } from 'vitest';
import { route } from '../../src/cli/route.js';

const CAPTURE = new URL('../../captures/synth/lost-end.pcap', import.meta.url).pathname;

// The usage (README, `vsockscope help`): COMMAND [options] FILE|-, or [--follow] [--ring N]
// FILE|- for the interactive view on a terminal and `read` elsewhere.
const off = () => false;
const on = () => true;

describe('route', () => {
  it('sends no arguments to the usage on stderr, and help to the usage on stdout', () => {
    expect(route([], off)).toEqual({ kind: 'usage', asked: false });
    for (const help of ['help', '--help', '-h']) expect(route([help], off)).toEqual({ kind: 'usage', asked: true });
  });

  it('takes a command name as the command, with the rest as its arguments', () => {
    expect(route(['check', '--json', CAPTURE], off)).toEqual({ kind: 'command', name: 'check', args: ['--json', CAPTURE] });
    expect(route(['live'], off)).toEqual({ kind: 'command', name: 'live', args: [] });
  });

  it('sends a capture off a terminal to read, --follow with it', () => {
    expect(route([CAPTURE], off)).toEqual({ kind: 'command', name: 'read', args: [CAPTURE] });
    expect(route(['--follow', CAPTURE], off)).toEqual({ kind: 'command', name: 'read', args: ['--follow', CAPTURE] });
    expect(route(['--ring', '100', CAPTURE], off)).toEqual({ kind: 'command', name: 'read', args: [CAPTURE] });
  });

  it('sends a capture on a terminal, or stdin, to the interactive view with its options', () => {
    expect(route([CAPTURE], on)).toEqual({ kind: 'interactive', input: { spec: { kind: 'path', path: CAPTURE }, name: CAPTURE }, options: {} });
    expect(route(['--ring', '100', '--follow', CAPTURE], on)).toEqual({ kind: 'interactive', input: { spec: { kind: 'follow', path: CAPTURE }, name: CAPTURE }, options: { ring: 100 } });
    expect(route(['-'], on)).toEqual({ kind: 'interactive', input: { spec: { kind: 'path', path: '-' }, name: '-' }, options: {} });
    // On a terminal too, a command name is the command.
    expect(route(['check', CAPTURE], on)).toEqual({ kind: 'command', name: 'check', args: [CAPTURE] });
  });

  it('names an unknown command, and a bad interactive call by its fault', () => {
    expect(route(['nosuch'], off)).toEqual({ kind: 'fail', message: "unknown command 'nosuch' (try: vsockscope help)" });
    expect(route(['--follow', '-'], off)).toEqual({ kind: 'fail', message: '--follow needs a file that is being written, not stdin' });
  });
});
