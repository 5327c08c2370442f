// The input every analysing command reads: a capture file, a FIFO, stdin (`-`), a file
// followed as it grows (`--follow`), or a live capture (the `live` command).

import type { SourceSpec } from '../source/byte-source.js';
import type { OptionSpecs, ParsedArgs } from './args.js';
import { UsageError } from './errors.js';

export const INPUT_OPTIONS: OptionSpecs = {
  follow: { kind: 'flag', help: 'keep reading FILE as it is written, like tail -f (Ctrl-C ends it)' },
};

export interface Input {
  readonly spec: SourceSpec;
  /** What error messages blame: the path, `-` for stdin. */
  readonly name: string;
}

export function inputArgument(args: ParsedArgs, command: string): Input {
  if (args.positionals.length !== 1) throw new UsageError(`${command} needs exactly one input: a capture file or - for stdin`);
  const path = args.positionals[0]!;
  if (args.options.follow !== true) return { spec: { kind: 'path', path }, name: path };
  if (path === '-') throw new UsageError('--follow needs a file that is being written, not stdin');
  return { spec: { kind: 'follow', path }, name: path };
}
