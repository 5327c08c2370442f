// A small argument parser: each command declares its options once; values are
// checked here so commands receive typed, validated settings.

import { UsageError } from './errors.js';

export type OptionKind = 'flag' | 'string' | 'count';

export interface OptionSpec {
  readonly kind: OptionKind;
  readonly short?: string;
  readonly help: string;
  readonly value?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface ParsedArgs {
  readonly positionals: string[];
  readonly options: Record<string, string | boolean | undefined>;
}

export function parseArgs(argv: readonly string[], specs: OptionSpecs): ParsedArgs {
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.short !== undefined) byShort.set(spec.short, name);
  const positionals: string[] = [];
  const options: Record<string, string | boolean | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break; }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      if (!Object.hasOwn(specs, name)) throw new UsageError(`unknown option ${arg.slice(0, eq < 0 ? undefined : eq)}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      name = byShort.get(arg.slice(1, 2));
      if (name === undefined) throw new UsageError(`unknown option ${arg.slice(0, 2)}`);
      if (arg.length > 2) inline = arg.slice(2);
    } else {
      positionals.push(arg);
      continue;
    }
    const spec = specs[name]!;
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value`);
      options[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`option --${name} needs a value (${spec.value ?? 'VALUE'})`);
    options[name] = value;
  }
  return { positionals, options };
}

export function intOption(parsed: ParsedArgs, name: string, min: number): number | undefined {
  const raw = parsed.options[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`option --${name} needs an integer >= ${min}, got '${String(raw)}'`);
  }
  return Number(raw);
}

export function choiceOption<T extends string>(parsed: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const raw = parsed.options[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`option --${name} must be one of ${choices.join(', ')}, got '${String(raw)}'`);
  }
  return raw as T;
}

export function usageText(command: string, synopsis: string, specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) =>
    [(spec.short !== undefined ? `-${spec.short}, ` : '    ') + `--${name}` + (spec.kind === 'flag' ? '' : ` ${spec.value ?? 'VALUE'}`), spec.help] as const);
  const width = Math.max(0, ...rows.map(([flag]) => flag.length));
  return [`usage: vsockscope ${command} ${synopsis}`, ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`)].join('\n');
}
