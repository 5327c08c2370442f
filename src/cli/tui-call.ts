// The interactive view's command line, `vsockscope [--follow] [--ring N] FILE|-`, and the
// --ring option `live` shares. Apart from the view (tui.ts): main.ts routes with it first.

import { existsSync } from 'node:fs';
import type { EngineOptions } from '../reassembly/index.js';
import { intOption, parseArgs, type OptionSpecs, type ParsedArgs } from './args.js';
import { inputArgument, INPUT_OPTIONS, type Input } from './input.js';

export const RING_OPTION: OptionSpecs = {
  ring: { kind: 'string', value: 'N', help: 'interactive view: keep only the newest N frames (a capture that runs for days)' },
};

const TUI_OPTIONS: OptionSpecs = { ...INPUT_OPTIONS, ...RING_OPTION };

export interface TuiOptions {
  readonly ring?: number;
  readonly engine?: EngineOptions;
}

export function ringOption(args: ParsedArgs): TuiOptions {
  const ring = intOption(args, 'ring', 1);
  return ring !== undefined ? { ring } : {};
}

/**
 * `vsockscope [--follow] [--ring N] FILE|-`, when `argv` is that: the input and options
 * (off a terminal, `read` takes the input). Undefined when argv is no such call.
 */
export function tuiCall(argv: readonly string[]): { input: Input; options: TuiOptions; readArgs: string[] } | undefined {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, TUI_OPTIONS);
  } catch {
    return undefined;
  }
  const [path] = args.positionals;
  if (args.positionals.length !== 1 || (path !== '-' && !existsSync(path!))) return undefined;
  const input = inputArgument(args, 'vsockscope');
  return { input, options: ringOption(args), readArgs: [...(args.options.follow === true ? ['--follow'] : []), path!] };
}
