// redis.conf as Redis 7.0 reads it (src/config.c loadServerConfigFromString, src/sds.c sdssplitargs):
// lines split on "\n", trimmed of " \t\r\n", "#" lines and empty lines skipped, arguments split with
// sdssplitargs (double quotes with \n \r \t \b \a \xHH escapes, single quotes with \'), directive names
// case-insensitive. A line Redis rejects stops the server ("FATAL CONFIG FILE ERROR"): kept as an error.
import { REDIS_CONFIG_NAMES, REDIS_MULTI_ARG } from './redis-keywords.js';

export interface RedisDirective {
  path: string;
  line: number;
  /** Lower-cased directive name. */
  name: string;
  args: string[];
}

export interface RedisConfigError {
  path: string;
  line: number;
  message: string;
}

export interface ParsedRedisConfig {
  path: string;
  directives: RedisDirective[];
  errors: RedisConfigError[];
}

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isSpace = (c: string | undefined) => c !== undefined && /^[ \t\n\v\f\r]$/.test(c);
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/** sdssplitargs: null on unbalanced quotes or a closing quote not followed by a space. */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n || line[i] === '\0') return out;
    let cur = '';
    let inq = false;
    let insq = false;
    let done = false;
    while (!done) {
      const c = line[i];
      if (inq) {
        if (c === undefined || c === '\0') return null;
        if (c === '\\' && line[i + 1] === 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += ESCAPES[e] ?? e;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else cur += c;
      } else if (insq) {
        if (c === undefined || c === '\0') return null;
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else cur += c;
      } else if (c === undefined || c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\0') done = true;
      else if (c === '"') inq = true;
      else if (c === "'") insq = true;
      else cur += c;
      if (i < n) i++;
    }
    out.push(cur);
  }
}

/** Whether Redis 7.0 accepts this directive name with this many arguments (argc includes the name). */
function checkDirective(name: string, argc: number): string | null {
  if (REDIS_CONFIG_NAMES.has(name)) {
    if (!REDIS_MULTI_ARG.has(name) && argc !== 2) return 'wrong number of arguments';
    return null;
  }
  if (name === 'include') return argc === 2 ? null : 'Bad directive or wrong number of arguments';
  if (name === 'rename-command') return argc === 3 ? null : 'Bad directive or wrong number of arguments';
  if (name === 'user' || name === 'loadmodule') return argc >= 2 ? null : 'Bad directive or wrong number of arguments';
  if (name === 'sentinel' || name.includes('.')) return null;
  return 'Bad directive or wrong number of arguments';
}

/** Parses one configuration file (includes are left as directives for the loader to expand). */
export function parseRedisConfig(text: string, path: string): ParsedRedisConfig {
  const directives: RedisDirective[] = [];
  const errors: RedisConfigError[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    // C string semantics: a NUL byte ends the line for Redis.
    const line = raw.split('\0')[0]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const args = splitArgs(line);
    if (args === null) {
      errors.push({ path, line: i + 1, message: 'Unbalanced quotes in configuration line' });
      continue;
    }
    const [first, ...rest] = args;
    if (first === undefined) continue;
    const name = first.toLowerCase();
    const err = checkDirective(name, args.length);
    if (err) {
      errors.push({ path, line: i + 1, message: `${err} (directive ${JSON.stringify(printableName(first))})` });
      continue;
    }
    // A multi-argument option given as one argument is split again (config.c, MULTI_ARG_CONFIG).
    const values = REDIS_MULTI_ARG.has(name) && rest.length === 1 && rest[0] !== '' ? (splitArgs(rest[0]!) ?? rest) : rest;
    directives.push({ path, line: i + 1, name, args: values });
  }
  return { path, directives, errors };
}

/** A directive name safe to show (binary garbage is shortened and escaped). */
function printableName(s: string): string {
  const short = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  // eslint-disable-next-line no-control-regex
  return short.replace(/[\u0000-\u001f\u007f-\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Directives whose arguments are secrets: never shown, never stored. */
export const SECRET_DIRECTIVES = new Set(['requirepass', 'masterauth', 'tls-key-file-pass', 'tls-client-key-file-pass']);

/** The line as it may be shown: secret values and ACL passwords replaced. */
export function redactedExcerpt(d: RedisDirective): string {
  if (SECRET_DIRECTIVES.has(d.name)) return `${d.name} (value hidden)`;
  if (d.name === 'user') return `user ${d.args.map(redactAclRule).join(' ')}`;
  if (d.name === 'rename-command') return `rename-command ${d.args[0] ?? ''} ${d.args[1] === '' ? '""' : '(new name hidden)'}`;
  return [d.name, ...d.args.map((a) => (a === '' || /\s/.test(a) ? JSON.stringify(a) : a))].join(' ');
}

/** An ACL rule with its password or hash replaced ("user app on >secret" must never be shown). */
export function redactAclRule(rule: string): string {
  if (/^[><]/.test(rule)) return `${rule[0]}(password hidden)`;
  if (/^[#!]/.test(rule)) return `${rule[0]}(hash hidden)`;
  return rule;
}
