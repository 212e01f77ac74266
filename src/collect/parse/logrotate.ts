/**
 * logrotate(8) configuration, as logrotate 3.21 (Debian 12) reads it (config.c readConfigFile):
 * a line starting with `/`, `"`, `'` or `~` opens a log file definition (paths up to `{`), a
 * keyword line sets an option (top level: the defaults for what follows, including files read
 * later through `include`; inside a block: that block only), `postrotate`…`endscript` scripts are
 * skipped. The last of `size` and a frequency keyword wins (logrotate notes "'weekly' overrides
 * previously specified 'size'"); with neither, logrotate rotates by size (1 MiB).
 */
import type { Source } from '../../facts/evidence.js';

export interface LrDirective {
  name: string;
  args: string[];
  line: number;
  text: string;
}

export interface LrBlock {
  patterns: string[];
  line: number;
  directives: LrDirective[];
}

export type LrItem = { kind: 'directive'; directive: LrDirective } | { kind: 'block'; block: LrBlock };

export interface LogrotateFile {
  path: string;
  items: LrItem[];
  errors: { line: number; message: string }[];
}

const SCRIPT_KEYWORDS = new Set(['postrotate', 'prerotate', 'firstaction', 'lastaction', 'preremove']);
const FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type LrFrequency = (typeof FREQUENCIES)[number];

/** Words of a line, honouring "double" and 'single' quotes. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

export function parseLogrotate(text: string, path: string): LogrotateFile {
  const items: LrItem[] = [];
  const errors: LogrotateFile['errors'] = [];
  const lines = text.split('\n');
  let block: LrBlock | null = null;
  let pending: { patterns: string[]; line: number } | null = null;
  let script: { name: string; line: number } | null = null;
  for (const [i, raw] of lines.entries()) {
    const n = i + 1;
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (script) {
      if (/^endscript\b/.test(trimmed)) script = null;
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (block) {
      if (trimmed.startsWith('}')) {
        items.push({ kind: 'block', block });
        block = null;
        continue;
      }
      const [name = '', ...args] = words(trimmed);
      const key = name.toLowerCase();
      if (SCRIPT_KEYWORDS.has(key)) {
        script = { name: key, line: n };
        continue;
      }
      if (key === 'include')
        errors.push({ line: n, message: 'include is not allowed inside a log file definition (logrotate ignores it)' });
      else block.directives.push({ name: key, args, line: n, text: trimmed });
      continue;
    }
    if (/^["'/~]/.test(trimmed) || pending) {
      const brace = trimmed.indexOf('{');
      const head = brace === -1 ? trimmed : trimmed.slice(0, brace);
      pending ??= { patterns: [], line: n };
      pending.patterns.push(...words(head));
      if (brace !== -1) {
        block = { patterns: pending.patterns, line: pending.line, directives: [] };
        pending = null;
        const rest = trimmed.slice(brace + 1).trim();
        if (rest.startsWith('}')) {
          items.push({ kind: 'block', block });
          block = null;
        } else if (rest) errors.push({ line: n, message: `text after "{" is ignored: ${JSON.stringify(rest)}` });
      }
      continue;
    }
    if (trimmed.startsWith('{')) {
      errors.push({ line: n, message: '"{" without log file names' });
      continue;
    }
    if (trimmed.startsWith('}')) {
      errors.push({ line: n, message: 'unexpected "}"' });
      continue;
    }
    const [name = '', ...args] = words(trimmed);
    if (!/^[a-z]/i.test(name)) {
      errors.push({
        line: n,
        message: `lines must begin with a keyword or a filename (possibly in double quotes): ${JSON.stringify(trimmed.slice(0, 80))}`,
      });
      continue;
    }
    items.push({ kind: 'directive', directive: { name: name.toLowerCase(), args, line: n, text: trimmed } });
  }
  if (script) errors.push({ line: script.line, message: `${script.name} without endscript` });
  if (block) errors.push({ line: block.line, message: 'missing "}" at end of file: logrotate rejects the file' });
  if (pending) errors.push({ line: pending.line, message: 'log file names without "{"' });
  return { path, items, errors };
}

export interface LrSetting<T> {
  value: T;
  source: Source;
}

/** The options that decide retention, with the directive that set each (or logrotate's default). */
export interface LrState {
  /** What triggers rotation: a period, or `size` (only when the file grows past `size`). */
  criterion: LrSetting<LrFrequency | 'size'>;
  /** Rotated files kept; -1 keeps them all. */
  rotate: LrSetting<number>;
  /** Days; rotated files older than this are removed. */
  maxage: LrSetting<number | null>;
  size: LrSetting<number | null>;
  /** Rotates before the period when the file grows past this. */
  maxsize: LrSetting<number | null>;
}

const BUILTIN = (what: string): Source => ({ note: `logrotate 3.21 built-in default: ${what}` });

export const LOGROTATE_DEFAULTS: LrState = {
  criterion: { value: 'size', source: BUILTIN('no frequency: rotate when larger than 1 MiB') },
  rotate: { value: 0, source: BUILTIN('rotate 0 (no old logs kept)') },
  maxage: { value: null, source: BUILTIN('no maxage') },
  size: { value: 1024 * 1024, source: BUILTIN('size 1M') },
  maxsize: { value: null, source: BUILTIN('no maxsize') },
};

/** logrotate's size syntax: N, Nk, NM, NG (powers of 1024). */
export function parseLrSize(s: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(s);
  if (!m) return null;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * mult);
}

/** Applies one option to a state; returns an error message for a value logrotate rejects. */
export function applyLrDirective(state: LrState, d: LrDirective, path: string): string | null {
  const source: Source = { path, line: d.line, excerpt: d.text };
  const arg = d.args[0];
  if ((FREQUENCIES as readonly string[]).includes(d.name)) {
    state.criterion = { value: d.name as LrFrequency, source };
    return null;
  }
  switch (d.name) {
    case 'rotate': {
      if (arg === undefined || !/^-?\d+$/.test(arg)) return `rotate count ${JSON.stringify(arg ?? '')} is not a number`;
      state.rotate = { value: Number(arg), source };
      return null;
    }
    case 'maxage': {
      if (arg === undefined || !/^\d+$/.test(arg)) return `maxage ${JSON.stringify(arg ?? '')} is not a number of days`;
      state.maxage = { value: Number(arg), source };
      return null;
    }
    case 'size':
    case 'maxsize': {
      const v = arg === undefined ? null : parseLrSize(arg);
      if (v === null) return `${d.name} ${JSON.stringify(arg ?? '')} is not a size`;
      if (d.name === 'size') {
        state.size = { value: v, source };
        state.criterion = { value: 'size', source };
      } else state.maxsize = { value: v, source };
      return null;
    }
    default:
      return null;
  }
}

export const cloneLrState = (s: LrState): LrState => ({ ...s });

/** logrotate's default tabooext list (config.c defTabooExts) and taboo patterns. */
export const DEFAULT_TABOO = [
  ',v',
  '.cfsaved',
  '.disabled',
  '.dpkg-bak',
  '.dpkg-del',
  '.dpkg-dist',
  '.dpkg-new',
  '.dpkg-old',
  '.dpkg-tmp',
  '.rhn-cfg-tmp-*',
  '.rpmnew',
  '.rpmorig',
  '.rpmsave',
  '.swp',
  '.ucf-dist',
  '.ucf-new',
  '.ucf-old',
  '~',
];

/** Whether a file of an included directory is skipped ("Ignoring X, because of *.dpkg-old pattern match"). */
export function tabooMatch(name: string, taboo: readonly string[]): string | null {
  for (const ext of taboo) {
    const re = new RegExp(
      `^.*${ext
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      's',
    );
    if (re.test(name)) return `*${ext}`;
  }
  return null;
}
