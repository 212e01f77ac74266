import { parseArgs } from 'node:util';
import type { Io } from './io.js';

/**
 * One declaration per command (issue 14): the parser, `rampart CMD --help`, `rampart help CMD`,
 * "did you mean", the man page and the shell completions are all generated from it. A command module
 * exports its `CommandSpec`; src/cli/run.ts dispatches on the registry of specs.
 */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  /** The value's placeholder in help (`FILE`, `N`, `SEVERITY`). */
  arg?: string;
  /** One line for --help and the man page. */
  help: string;
  /** The values a string option accepts, for help and completions (validation stays in the handler). */
  choices?: readonly string[];
}

export interface PositionalSpec {
  name: string;
  help: string;
  optional?: boolean;
  variadic?: boolean;
}

export interface Example {
  cmd: string;
  what: string;
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface CommandSpec {
  /** `audit`, or `fleet drift` for a subcommand. */
  name: string;
  summary: string;
  /** Usage lines without the leading `rampart `. */
  usage: readonly string[];
  options: Readonly<Record<string, OptionSpec>>;
  positionals?: readonly PositionalSpec[];
  examples: readonly Example[];
  /** Exit codes that differ from the global ones, one line each. */
  exitCodes?: readonly string[];
  run(args: Parsed, io: Io): Promise<number> | number;
}

/**
 * `--timeout -5`: parseArgs takes a value that starts with a dash for an option ("ambiguous"); a
 * negative number after an option that takes a value is that value (`--timeout=-5`), so the option's
 * own check says what range it takes.
 */
function joinNegativeValues(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): string[] {
  const takesValue = (a: string): boolean => {
    if (a.startsWith('--')) return options[a.slice(2)]?.type === 'string';
    return a.length === 2 && Object.values(options).some((o) => o.type === 'string' && o.short === a.slice(1));
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (next !== undefined && !a.includes('=') && takesValue(a) && /^-(\d|\.\d)/.test(next)) {
      out.push(a.startsWith('--') ? `${a}=${next}` : `${a}${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** argv → the declared values and positionals (node:util parseArgs, strict). */
export function parseCommand(spec: CommandSpec, argv: string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type };
    if (o.short !== undefined) options[name].short = o.short;
    if (o.multiple !== undefined) options[name].multiple = o.multiple;
    if (o.default !== undefined) options[name].default = o.default;
  }
  const { values, positionals } = parseArgs({
    args: joinNegativeValues(argv, options),
    options,
    allowPositionals: (spec.positionals ?? []).length > 0,
    strict: true,
  });
  return { values: values as Parsed['values'], positionals };
}

type ValueOf<O extends OptionSpec> = O['type'] extends 'boolean'
  ? O['multiple'] extends true
    ? boolean[]
    : boolean
  : O['multiple'] extends true
    ? string[]
    : string;

/** The parsed values of a declared option set: an option with a default is always there. */
export type ValuesOf<Os extends Readonly<Record<string, OptionSpec>>> = {
  [K in keyof Os]: Os[K] extends { default: string | boolean } ? ValueOf<Os[K]> : ValueOf<Os[K]> | undefined;
};

/** A CommandSpec whose handler sees its values typed from its own option declarations. */
export function defineCommand<const Os extends Readonly<Record<string, OptionSpec>>>(
  spec: Omit<CommandSpec, 'run' | 'options'> & {
    options: Os;
    run(args: Args<Os>, io: Io): Promise<number> | number;
  },
): CommandSpec {
  return spec as unknown as CommandSpec;
}

/** What a handler defined with `defineCommand` receives. */
export interface Args<Os extends Readonly<Record<string, OptionSpec>>> {
  values: ValuesOf<Os>;
  positionals: string[];
}
