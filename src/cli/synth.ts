// `vsockscope synth SCENARIO -o FILE`: a generated capture plus FILE.truth.json.

import { DEFAULT_SEED } from '../synth/seed.js';
import { intOption, parseArgs, type OptionSpecs } from './args.js';
import { UsageError } from './errors.js';
import type { Output } from './output.js';

export const SYNTH_OPTIONS: OptionSpecs = {
  output: { kind: 'string', short: 'o', value: 'FILE', help: 'capture to write (.pcapng: pcapng, else pcap); the truth goes to FILE.truth.json' },
  seed: { kind: 'string', value: 'N', help: `seed of the generator (default ${DEFAULT_SEED}); the same seed gives the same bytes` },
  list: { kind: 'flag', help: 'list the scenarios' },
};

export async function synthCommand(argv: readonly string[], out: Output): Promise<number> {
  const args = parseArgs(argv, SYNTH_OPTIONS);
  // The generator loads here only: no other command needs it.
  const { SCENARIOS, writeScenario } = await import('../synth/index.js');
  if (args.options.list === true) {
    for (const s of SCENARIOS) out.line(`${s.name.padEnd(20)} ${s.description}`);
    return 0;
  }
  const [name, ...extra] = args.positionals;
  if (name === undefined || extra.length > 0) throw new UsageError('synth needs one scenario name (vsockscope synth --list shows them)');
  if (!SCENARIOS.some((s) => s.name === name)) throw new UsageError(`unknown scenario '${name}' (vsockscope synth --list shows them)`);
  const output = args.options.output as string | undefined;
  if (output === undefined) throw new UsageError('synth needs -o FILE');
  const seed = intOption(args, 'seed', 0) ?? DEFAULT_SEED;
  if (seed > 0xffffffff) throw new UsageError('option --seed must be below 2^32');
  await writeScenario(name, seed, output);
  out.line(`wrote ${output} and ${output}.truth.json (scenario ${name}, seed ${seed})`);
  return 0;
}
