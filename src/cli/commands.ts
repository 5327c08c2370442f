// The command table: names, synopses, options and how each runs. A command's module (its
// options and its code) is loaded only when it runs or its --help is asked for: a command
// starts without loading every other one, and the interactive view (no command) starts
// its loader before any of them.

import { parseArgs, usageText, type OptionSpecs } from './args.js';
import type { Output } from './output.js';

export interface Command {
  readonly options: OptionSpecs;
  /** Runs the command; resolves to the exit status. `signal`: Ctrl-C, stop reading and finish. */
  run(argv: readonly string[], out: Output, signal?: AbortSignal): Promise<number>;
  /** The input a failure should be blamed on. */
  inputOf(argv: readonly string[]): string;
}

export interface CommandEntry {
  readonly synopsis: string;
  readonly summary: string;
  load(): Promise<Command>;
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

/** A command from its module's options and runner; `inputOf` by default: the first positional argument. */
function command(load: () => Promise<Omit<Command, 'inputOf'> & Partial<Pick<Command, 'inputOf'>>>): () => Promise<Command> {
  return async () => {
    const c = await load();
    return { ...c, inputOf: c.inputOf ?? inputOf(c.options) };
  };
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  read: {
    synopsis: '[options] FILE|-',
    summary: 'decode every frame (summary, -V tree, -x hex, --json)',
    load: command(async () => {
      const m = await import('./read.js');
      return { options: m.READ_OPTIONS, run: m.readCommand };
    }),
  },
  check: {
    synopsis: '[options] FILE|-',
    summary: 'replay every connection through the reference receiver; list findings',
    load: command(async () => {
      const m = await import('./check.js');
      return { options: m.CHECK_OPTIONS, run: m.checkCommand };
    }),
  },
  records: {
    synopsis: '[options] FILE|-',
    summary: 'SEQPACKET records per connection and direction: delivered, dropped and why',
    load: command(async () => {
      const m = await import('./records.js');
      return { options: m.RECORDS_OPTIONS, run: m.recordsCommand };
    }),
  },
  conns: {
    synopsis: '[options] FILE|-',
    summary: 'one row per connection instance',
    load: command(async () => {
      const m = await import('./conns.js');
      return { options: m.CONNS_OPTIONS, run: m.connsCommand };
    }),
  },
  live: {
    synopsis: '[-i IFACE] [--capture-command CMD] [--findings] [options]',
    summary: 'capture a vsockmon interface and analyse the traffic as it comes',
    load: command(async () => {
      const m = await import('./live.js');
      return { options: m.LIVE_OPTIONS, run: m.liveCommand, inputOf: () => 'live capture' };
    }),
  },
  synth: {
    synopsis: 'SCENARIO -o FILE [--seed N]',
    summary: 'write a generated capture of a scenario and its truth file',
    load: command(async () => {
      const m = await import('./synth.js');
      const options = m.SYNTH_OPTIONS;
      return { options, run: m.synthCommand, inputOf: (argv) => parseArgs(argv, options).options.output as string | undefined ?? '<output>' };
    }),
  },
};

export function commandUsage(name: string, c: Command): string {
  return usageText(name, COMMANDS[name]!.synopsis, c.options);
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
