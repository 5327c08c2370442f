// The commands' names, apart from the commands (commands.ts loads every command's modules):
// main.ts routes a command line with these before any of those load.

export const COMMAND_NAMES = ['read', 'check', 'records', 'conns', 'live', 'synth'] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

/** Own names only: `toString` is no command (a file of that name opens the analyzer). */
export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}
