// `vsockscope live [-i IFACE]`: capture an interface (or run --capture-command) and
// analyse the stream as it arrives: on a terminal the interactive view, live; otherwise
// (or with an output option) frames as `read` prints them, or with --findings the
// findings as `check` prints them; the summary at the end (Ctrl-C or end of stream).

import { DEFAULT_INTERFACE, liveSpec } from '../source/live-command.js';
import { canRunInteractive } from '../ui/terminal.js';
import { ANALYSIS_OPTIONS, engineOptions } from './analysis.js';
import { intOption, parseArgs, type OptionSpecs, type ParsedArgs } from './args.js';
import { FINDINGS_OPTIONS, findingsRun } from './check.js';
import type { Input } from './input.js';
import { runInteractiveBundle } from './interactive.js';
import type { Output } from './output.js';
import { FRAME_OPTIONS, framesRun } from './read.js';
import { startTui } from './tui-start.js';
import { RING_OPTION, ringOption } from './tui-call.js';

export const LIVE_OPTIONS: OptionSpecs = {
  interface: { kind: 'string', short: 'i', value: 'IFACE', help: `vsockmon interface to capture (default: ${DEFAULT_INTERFACE})` },
  'capture-command': { kind: 'string', value: 'CMD', help: 'run CMD (via /bin/sh) instead of tcpdump; its stdout must be a pcap or pcapng stream' },
  'start-timeout': { kind: 'string', value: 'SECONDS', help: 'stop with an error when the capture writes nothing for this long at start (default: 10)' },
  findings: { kind: 'flag', help: 'print findings (and records with --json) as check does, not every frame' },
  ...FRAME_OPTIONS,
  ...FINDINGS_OPTIONS,
  ...ANALYSIS_OPTIONS,
  ...RING_OPTION,
  json: { kind: 'flag', help: 'NDJSON: one object per frame (with --findings: anomaly and record lines, then a summary line)' },
};

/** Options that ask for printed output: with any of them, `live` prints even on a terminal. */
const PRINT_OPTIONS = Object.keys({ ...FRAME_OPTIONS, ...FINDINGS_OPTIONS, findings: true });

function liveInput(args: ParsedArgs): Input {
  const iface = (args.options.interface as string | undefined) ?? DEFAULT_INTERFACE;
  const timeout = intOption(args, 'start-timeout', 1);
  const spec = liveSpec(iface, args.options['capture-command'] as string | undefined, timeout !== undefined ? timeout * 1000 : undefined);
  return { spec, name: spec.kind === 'command' && spec.iface !== undefined ? spec.iface : 'capture command' };
}

export async function liveCommand(argv: readonly string[], out: Output, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, LIVE_OPTIONS);
  const input = liveInput(args);
  const options = ringOption(args);
  // On a terminal: the interactive view, live.
  if (canRunInteractive() && PRINT_OPTIONS.every((name) => args.options[name] === undefined)) {
    return runInteractiveBundle(startTui(input, { ...options, engine: engineOptions(args) }));
  }
  return args.options.findings === true ? findingsRun(input, args, out, signal) : framesRun(input, args, out, signal);
}
