// The command table: names, synopses, options and how each runs.

import { parseArgs, usageText, type OptionSpecs } from './args.js';
import type { CommandName } from './command-names.js';
import type { Output } from './output.js';
import { CHECK_OPTIONS, checkCommand } from './check.js';
import { CONNS_OPTIONS, connsCommand } from './conns.js';
import { LIVE_OPTIONS, liveCommand } from './live.js';
import { READ_OPTIONS, readCommand } from './read.js';
import { RECORDS_OPTIONS, recordsCommand } from './records.js';
import { SYNTH_OPTIONS, synthCommand } from './synth.js';

export interface Command {
  readonly synopsis: string;
  readonly summary: string;
  readonly options: OptionSpecs;
  /** Runs the command; resolves to the exit status. `signal`: Ctrl-C, stop reading and finish. */
  run(argv: readonly string[], out: Output, signal?: AbortSignal): Promise<number>;
  /** The input a failure should be blamed on. */
  inputOf(argv: readonly string[]): string;
}

/** The input named on a command line, for error messages: its first positional argument. */
function inputOf(options: OptionSpecs): (argv: readonly string[]) => string {
  return (argv) => {
    try {
      return parseArgs(argv, options).positionals[0] ?? '<input>';
    } catch {
      return '<input>';
    }
  };
}

export const COMMANDS: Readonly<Record<CommandName, Command>> = {
  read: {
    synopsis: '[options] FILE|-',
    summary: 'decode every frame (summary, -V tree, -x hex, --json)',
    options: READ_OPTIONS,
    inputOf: inputOf(READ_OPTIONS),
    run: readCommand,
  },
  check: {
    synopsis: '[options] FILE|-',
    summary: 'replay every connection through the reference receiver; list findings',
    options: CHECK_OPTIONS,
    inputOf: inputOf(CHECK_OPTIONS),
    run: checkCommand,
  },
  records: {
    synopsis: '[options] FILE|-',
    summary: 'SEQPACKET records per connection and direction: delivered, dropped and why',
    options: RECORDS_OPTIONS,
    inputOf: inputOf(RECORDS_OPTIONS),
    run: recordsCommand,
  },
  conns: {
    synopsis: '[options] FILE|-',
    summary: 'one row per connection instance',
    options: CONNS_OPTIONS,
    inputOf: inputOf(CONNS_OPTIONS),
    run: connsCommand,
  },
  live: {
    synopsis: '[-i IFACE] [--capture-command CMD] [--findings] [options]',
    summary: 'capture a vsockmon interface and analyse the traffic as it comes',
    options: LIVE_OPTIONS,
    inputOf: () => 'live capture',
    run: liveCommand,
  },
  synth: {
    synopsis: 'SCENARIO -o FILE [--seed N]',
    summary: 'write a generated capture of a scenario and its truth file',
    options: SYNTH_OPTIONS,
    inputOf: (argv) => parseArgs(argv, SYNTH_OPTIONS).options.output as string | undefined ?? '<output>',
    run: synthCommand,
  },
};

export function commandUsage(name: CommandName): string {
  const c = COMMANDS[name];
  return usageText(name, c.synopsis, c.options);
}

export function mainUsage(): string {
  const lines = [
    'usage: vsockscope COMMAND [options] FILE|-',
    '       vsockscope [--follow] [--ring N] FILE|-',
    '                           interactive analyzer on a terminal (the read output otherwise)',
    '       vsockscope live     capture vsockmon0 (interactive on a terminal)',
    '', 'commands:',
  ];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(9)} ${c.summary}`);
  lines.push('', 'vsockscope COMMAND --help shows the options of a command.');
  return lines.join('\n');
}
