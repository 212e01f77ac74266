import { COMMANDS } from './commands/index.js';
import { TargetError, UsageError } from './errors.js';
import { BUILTIN_HELP, closest, renderCommandHelp, renderCompletion, renderGlobalHelp, renderGroupHelp, topWords } from './help.js';
import type { Io } from './io.js';
import { parseCommand, type CommandSpec } from './spec.js';
import { VERSION } from '../version.js';

/** argv → the command it names and the rest, or a usage error with a suggestion. */
export function findCommand(argv: readonly string[], specs: readonly CommandSpec[] = COMMANDS): { spec: CommandSpec; rest: string[] } {
  const [first = '', second, ...more] = argv;
  const exact = specs.find((s) => s.name === first);
  if (exact) return { spec: exact, rest: argv.slice(1) };
  const group = specs.filter((s) => s.name.startsWith(`${first} `));
  if (group.length > 0) {
    const sub = group.find((s) => s.name === `${first} ${second ?? ''}`);
    if (sub) return { spec: sub, rest: more };
    const names = group.map((s) => s.name.slice(first.length + 1));
    const hint = second === undefined ? null : closest(second, names);
    const usage = group.map((s) => `rampart ${s.usage[0]}`).join('; ');
    throw new UsageError(
      second === undefined || second.startsWith('-')
        ? `usage: ${usage}`
        : `unknown command "${first} ${second}"${hint ? ` (did you mean "${first} ${hint}"?)` : ''}: ${usage}`,
    );
  }
  if (first.startsWith('-')) {
    const opt = closest(first.split('=')[0]!, ['--version', '--help']);
    throw new UsageError(`unknown option "${first}"${opt ? ` (did you mean ${opt}?)` : ''}: a command comes first (try rampart --help)`);
  }
  const hint = closest(first, topWords(specs));
  throw new UsageError(`unknown command "${first}"${hint ? ` (did you mean "${hint}"?)` : ''} (try rampart --help)`);
}

/** `rampart help WORDS`: a command's help, a group's (help fleet), or a built-in's (help completion). */
function helpOf(words: readonly string[]): string {
  if (words.length === 1) {
    const builtin = BUILTIN_HELP[words[0]!];
    if (builtin !== undefined) return builtin;
    const group = renderGroupHelp(words[0]!, COMMANDS);
    if (group !== null) return group;
  }
  return renderCommandHelp(findCommand(words).spec);
}

function wantsHelp(rest: readonly string[]): boolean {
  const end = rest.indexOf('--');
  return (end === -1 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** parseArgs' unknown-option error, said with the closest declared option. */
function unknownOption(e: TypeError, spec: CommandSpec): UsageError | null {
  if (!('code' in e) || e.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return null;
  const given = /Unknown option '([^']+)'/.exec(e.message)?.[1];
  if (given === undefined) return null;
  const names = Object.keys(spec.options).map((n) => `--${n}`);
  const hint = given.startsWith('--') ? closest(given.split('=')[0]!, names) : null;
  return new UsageError(
    `${spec.name}: Unknown option '${given}'${hint ? ` (did you mean ${hint}?)` : ''} (try rampart ${spec.name} --help)`,
  );
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case '--version':
    case 'version':
      io.stdout(`${VERSION}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
      io.stdout(renderGlobalHelp(COMMANDS, VERSION));
      return cmd === undefined ? 2 : 0;
    case 'help':
      io.stdout(rest.length === 0 ? renderGlobalHelp(COMMANDS, VERSION) : helpOf(rest));
      return 0;
    case 'completion': {
      if (wantsHelp(rest)) {
        io.stdout(BUILTIN_HELP.completion!);
        return 0;
      }
      const text = rest.length === 1 ? renderCompletion(rest[0]!, COMMANDS) : null;
      if (text === null) throw new UsageError('usage: rampart completion bash|zsh|fish');
      io.stdout(text);
      return 0;
    }
  }
  const group = cmd === undefined || rest.length === 0 || !wantsHelp(rest.slice(0, 1)) ? null : renderGroupHelp(cmd, COMMANDS);
  if (group !== null) {
    io.stdout(group);
    return 0;
  }
  const { spec, rest: args } = findCommand(argv);
  if (wantsHelp(args)) {
    io.stdout(renderCommandHelp(spec));
    return 0;
  }
  let parsed;
  try {
    parsed = parseCommand(spec, args);
  } catch (e) {
    const better = e instanceof TypeError ? unknownOption(e, spec) : null;
    if (better) throw better;
    throw e;
  }
  return await spec.run(parsed, io);
}

/** argv (without node and script) → exit code. Tests call this directly. */
export async function run(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof TargetError) {
      io.stderr(`rampart: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof TypeError && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`rampart: ${e.message} (try rampart ${argv[0] ?? ''} --help)\n`);
      return 2;
    }
    io.stderr(`rampart: internal error\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}
