import type { CommandSpec, OptionSpec } from './spec.js';

/**
 * Everything a user reads about the command line is generated here from the CommandSpecs: the global
 * help, `rampart CMD --help` (= `rampart help CMD`), "did you mean", the man page and the completions.
 */

export const GLOBAL_EXIT_CODES = [
  '0 nothing at or above --fail-on, 1 something is, 2 usage/configuration/internal error,',
  '3 the target could not be reached or read. Waived results never fail a run.',
];

/** `--fail-on SEVERITY` / `-o, --output FILE`. */
export function optionLabel(name: string, o: OptionSpec): string {
  const long = `--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
  return o.short !== undefined ? `-${o.short}, ${long}` : long;
}

function optionHelp(o: OptionSpec): string {
  return o.choices !== undefined && !o.help.includes(o.choices.join(', ')) ? `${o.help} (${o.choices.join('|')})` : o.help;
}

function table(rows: readonly [string, string][], indent = '  '): string {
  const w = Math.min(34, Math.max(...rows.map(([l]) => l.length)));
  return rows
    .map(([l, r]) => (l.length > w ? `${indent}${l}\n${indent}${' '.repeat(w + 2)}${r}` : `${indent}${l.padEnd(w + 2)}${r}`))
    .join('\n');
}

/** `rampart CMD --help`: usage, summary, arguments, options, examples, exit codes. */
export function renderCommandHelp(spec: CommandSpec): string {
  const parts = [`Usage:\n${spec.usage.map((u) => `  rampart ${u}`).join('\n')}`, `${spec.summary}.`];
  const pos = spec.positionals ?? [];
  if (pos.length > 0) parts.push(`Arguments:\n${table(pos.map((p) => [p.name, p.help]))}`);
  const opts = Object.entries(spec.options);
  const rows: [string, string][] = opts.map(([n, o]) => [optionLabel(n, o), optionHelp(o)]);
  rows.push(['-h, --help', 'this help']);
  parts.push(`Options:\n${table(rows)}`);
  parts.push(`Examples:\n${spec.examples.map((e) => `  ${e.cmd}\n      ${e.what}`).join('\n')}`);
  parts.push(`Exit codes:\n${(spec.exitCodes ?? GLOBAL_EXIT_CODES).map((l) => `  ${l}`).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}

/** `rampart fleet --help` (= `rampart help fleet`): the subcommands of a group, each with its usage. */
export function renderGroupHelp(word: string, specs: readonly CommandSpec[]): string | null {
  const group = specs.filter((s) => s.name.startsWith(`${word} `));
  if (group.length === 0) return null;
  return (
    `Usage:\n${group.map((s) => `  rampart ${s.usage[0]}`).join('\n')}\n\n` +
    `Commands:\n${table(group.map((s) => [s.name, s.summary]))}\n\n` +
    `Each has its own help: ${group.map((s) => `rampart ${s.name} --help`).join(', ')}.\n`
  );
}

/** The help of the words the dispatcher answers itself (help, completion, version). */
export const BUILTIN_HELP: Readonly<Record<string, string>> = {
  help:
    'Usage:\n  rampart help [COMMAND]\n\nthe global help, or the usage, options and examples of COMMAND (= rampart COMMAND --help).\n\n' +
    "Examples:\n  rampart help audit\n      audit's usage, options and examples\n  rampart help fleet drift\n      a subcommand's\n",
  completion:
    'Usage:\n  rampart completion bash|zsh|fish\n\nshell completions for commands, subcommands, options and their values.\n\n' +
    'Examples:\n  rampart completion bash | sudo tee /etc/bash_completion.d/rampart >/dev/null\n      bash, for every user\n' +
    '  rampart completion fish > ~/.config/fish/completions/rampart.fish\n      fish, for you\n',
  version:
    'Usage:\n  rampart --version\n\nthe version of rampart.\n\nExamples:\n  rampart --version\n      the version number\n  rampart version\n      the same\n',
};

/** `rampart --help`: every command with its summary, then audit's options. */
export function renderGlobalHelp(specs: readonly CommandSpec[], version: string): string {
  const audit = specs.find((s) => s.name === 'audit');
  const cmds = table(specs.map((s) => [s.name, s.summary]));
  const auditOpts = audit
    ? `\n\nAudit options:\n${table(Object.entries(audit.options).map(([n, o]) => [optionLabel(n, o), optionHelp(o)]))}`
    : '';
  return (
    `rampart ${version}: audit a Debian/Ubuntu server against the Server Hardening Guide\n\n` +
    `Usage:\n  rampart COMMAND [options]\n  rampart help COMMAND             the usage, options and examples of a command (= rampart COMMAND --help)\n` +
    `  rampart completion bash|zsh|fish shell completions\n  rampart --version\n\nCommands:\n${cmds}${auditOpts}\n\n` +
    `Exit codes: ${GLOBAL_EXIT_CODES.join('\n')}\n` +
    `Other commands' exit codes are in their help (rampart help COMMAND).\n`
  );
}

/** Optimal string alignment distance (a transposition counts one: audti → audit). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a third of the word's length (at least 1, at most 3 edits), or null. */
export function closest(word: string, candidates: readonly string[]): string | null {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word, c);
    if (dist < bestD || (dist === bestD && best !== null && c < best)) [best, bestD] = [c, dist];
  }
  if (best !== null && bestD <= limit) return best;
  const prefixed = candidates.filter((c) => c.startsWith(word));
  return word.length >= 3 && prefixed.length === 1 ? prefixed[0]! : null;
}

/** Top-level words: single commands and the first word of subcommands (`backup`, `fleet`). */
export function topWords(specs: readonly CommandSpec[]): string[] {
  return [...new Set([...specs.map((s) => s.name.split(' ')[0]!), 'help', 'completion', 'version'])];
}

// ---- completions ---------------------------------------------------------------------------------

function subcommands(specs: readonly CommandSpec[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const s of specs) {
    const [first, second] = s.name.split(' ');
    if (second !== undefined) m.set(first!, [...(m.get(first!) ?? []), second]);
  }
  return m;
}

function optWords(s: CommandSpec): string[] {
  return [...Object.entries(s.options).flatMap(([n, o]) => (o.short ? [`--${n}`, `-${o.short}`] : [`--${n}`])), '--help'];
}

export function renderCompletion(shell: string, specs: readonly CommandSpec[]): string | null {
  const words = topWords(specs);
  const subs = subcommands(specs);
  if (shell === 'bash') {
    const cases = specs
      .map((s) => {
        const choices = Object.entries(s.options)
          .filter(([, o]) => o.choices)
          .map(([n, o]) => `      --${n}) COMPREPLY=($(compgen -W "${o.choices!.join(' ')}" -- "$cur")); return ;;`)
          .join('\n');
        return `    "${s.name}")\n      case "$prev" in\n${choices ? `${choices}\n` : ''}      esac\n      COMPREPLY=($(compgen -W "${optWords(s).join(' ')}" -- "$cur")) ;;`;
      })
      .join('\n');
    const subCases = [...subs].map(([w, l]) => `    ${w}) COMPREPLY=($(compgen -W "${l.join(' ')}" -- "$cur")); return ;;`).join('\n');
    return `# bash completion for rampart (rampart completion bash > /etc/bash_completion.d/rampart)
_rampart() {
  local cur prev cmd
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${words.join(' ')}" -- "$cur")); return
  fi
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 2 ]; then
    case "$cmd" in
${subCases}
    help) COMPREPLY=($(compgen -W "${words.join(' ')}" -- "$cur")); return ;;
    completion) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return ;;
    esac
  fi
  case "$cmd" in
${[...subs.keys()].map((w) => `    ${w}) cmd="${w} \${COMP_WORDS[2]}" ;;`).join('\n')}
  esac
  case "$cmd" in
${cases}
    *) COMPREPLY=() ;;
  esac
}
complete -o default -F _rampart rampart
`;
  }
  if (shell === 'zsh') {
    const cmdLines = specs
      .filter((s) => !s.name.includes(' '))
      .map((s) => `    '${s.name}:${s.summary.replace(/'/g, "'\\''").replace(/:/g, '\\:')}'`);
    for (const w of subs.keys()) cmdLines.push(`    '${w}:${subs.get(w)!.join(', ')}'`);
    const cases = specs.map((s) => `    "${s.name}") opts=(${optWords(s).join(' ')}) ;;`).join('\n');
    return `#compdef rampart
# zsh completion for rampart (rampart completion zsh > "\${fpath[1]}/_rampart")
_rampart() {
  local -a commands opts
  commands=(
${cmdLines.join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands; return
  fi
  local cmd="\${words[2]}"
  case "$cmd" in
${[...subs].map(([w, l]) => `    ${w}) if (( CURRENT == 3 )); then compadd ${l.join(' ')}; return; fi; cmd="${w} \${words[3]}" ;;`).join('\n')}
  esac
  case "$cmd" in
${cases}
  esac
  compadd -- $opts
  _files
}
compdef _rampart rampart
`;
  }
  if (shell === 'fish') {
    const lines = [
      '# fish completion for rampart (rampart completion fish > ~/.config/fish/completions/rampart.fish)',
      'complete -c rampart -f',
    ];
    for (const s of specs) {
      const [first, second] = s.name.split(' ');
      if (second === undefined)
        lines.push(`complete -c rampart -n __fish_use_subcommand -a ${first} -d '${s.summary.replace(/'/g, "\\'")}'`);
      else lines.push(`complete -c rampart -n '__fish_seen_subcommand_from ${first}' -a ${second} -d '${s.summary.replace(/'/g, "\\'")}'`);
      for (const [n, o] of Object.entries(s.options)) {
        const a = o.choices ? ` -x -a '${o.choices.join(' ')}'` : o.type === 'string' ? ' -r' : '';
        lines.push(
          `complete -c rampart -n '__fish_seen_subcommand_from ${second ?? first}' -l ${n}${o.short ? ` -s ${o.short}` : ''}${a} -d '${o.help.replace(/'/g, "\\'")}'`,
        );
      }
    }
    for (const w of ['help', 'completion']) lines.push(`complete -c rampart -n __fish_use_subcommand -a ${w}`);
    return `${lines.join('\n')}\n`;
  }
  return null;
}

// ---- man page ------------------------------------------------------------------------------------

function roff(s: string): string {
  return s
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

/** man/rampart.1 (roff, section 1), from the same specs; npm run gen:man writes it. */
export function renderManPage(specs: readonly CommandSpec[], version: string): string {
  const out = [
    `.TH RAMPART 1 "" "rampart ${version}" "User Commands"`,
    '.SH NAME',
    'rampart \\- audit a Debian/Ubuntu server against the Server Hardening Guide',
    '.SH SYNOPSIS',
    '.B rampart',
    '.I COMMAND',
    '[options]',
    '.SH DESCRIPTION',
    'Rampart audits a live host, an offline root or a saved facts snapshot against the Server Hardening Guide and gives every verdict with the evidence (file and line) that decided it.',
    '.SH COMMANDS',
  ];
  for (const s of specs) {
    out.push(`.SS ${roff(s.name)}`, roff(`${s.summary}.`));
    for (const u of s.usage) out.push('.br', `.B rampart ${roff(u)}`);
    for (const p of s.positionals ?? []) out.push('.TP', `.I ${roff(p.name)}`, roff(p.help));
    for (const [n, o] of Object.entries(s.options)) out.push('.TP', `.B ${roff(optionLabel(n, o))}`, roff(optionHelp(o)));
    if (s.examples.length > 0) {
      out.push('.PP', 'Examples:');
      for (const e of s.examples) out.push('.RS', '.nf', roff(e.cmd), '.fi', '.RE', roff(e.what));
    }
    if (s.exitCodes) out.push('.PP', roff(`Exit codes: ${s.exitCodes.join('; ')}`));
  }
  out.push(
    '.SH EXIT STATUS',
    roff(GLOBAL_EXIT_CODES.join(' ')),
    '.SH ENVIRONMENT',
    '.TP',
    '.B RAMPART_STATE_DIR',
    'the history and state directory (default /var/lib/rampart)',
    '.TP',
    '.B RAMPART_NOW',
    'the evaluation time when \\-\\-now is not given',
    '.TP',
    '.B NO_COLOR, FORCE_COLOR',
    'turn colours off or on',
    '.SH SEE ALSO',
    'sshd_config(5), fail2ban(1)',
  );
  return `${out.join('\n')}\n`;
}
