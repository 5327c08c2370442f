// Which way a command line goes. Decided before the commands' modules load (main.ts),
// so that the interactive view's loader can start first.

import { canRunInteractive } from '../ui/terminal.js';
import { isCommandName, type CommandName } from './command-names.js';
import { UsageError } from './errors.js';
import type { Input } from './input.js';
import { tuiCall, type TuiOptions } from './tui-call.js';

export type Route =
  /** No arguments (`asked` false: the usage goes to stderr, status 2), or help asked for. */
  | { readonly kind: 'usage'; readonly asked: boolean }
  | { readonly kind: 'command'; readonly name: CommandName; readonly args: readonly string[] }
  /** `vsockscope [--follow] [--ring N] FILE|-` on a terminal. */
  | { readonly kind: 'interactive'; readonly input: Input; readonly options: TuiOptions }
  | { readonly kind: 'fail'; readonly message: string };

/** `onTerminal`: whether the interactive view can run here (a parameter for the tests). */
export function route(argv: readonly string[], onTerminal: () => boolean = canRunInteractive): Route {
  const [name, ...rest] = argv;
  if (name === undefined) return { kind: 'usage', asked: false };
  if (name === 'help' || name === '--help' || name === '-h') return { kind: 'usage', asked: true };
  if (isCommandName(name)) return { kind: 'command', name, args: rest };
  // Off a terminal, `read` prints the capture instead.
  let call;
  try {
    call = tuiCall(argv);
  } catch (e) {
    if (e instanceof UsageError) return { kind: 'fail', message: e.message };
    throw e;
  }
  if (call === undefined) return { kind: 'fail', message: `unknown command '${name}' (try: vsockscope help)` };
  if (onTerminal()) return { kind: 'interactive', input: call.input, options: call.options };
  return { kind: 'command', name: 'read', args: call.readArgs };
}
