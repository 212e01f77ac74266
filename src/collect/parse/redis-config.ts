// redis.conf as Redis 7.0 reads it (src/config.c loadServerConfig, loadServerConfigFromString, src/sds.c
// sdssplitargs): the file is read with fgets in pieces of at most 1024 bytes, each appended up to its
// first NUL byte (sdscat), so a NUL drops the rest of its piece and the newline with it: the next line
// joins this one ("#\0\nprotected-mode no" is one comment; checked with redis-server 7.0.15). Then
// lines split on "\n", trimmed of " \t\r\n", "#" lines and empty lines skipped, arguments split with
// sdssplitargs (double quotes with \n \r \t \b \a \xHH escapes, single quotes with \'), directive names
// case-insensitive. A line Redis rejects stops the server ("FATAL CONFIG FILE ERROR"): kept as an error.
import { REDIS_MULTI_ARG } from './redis-keywords.js';
import { REDIS_DEPRECATED, REDIS_OPTION_NAMES, canonicalRedisName, validateRedisValue } from './redis-values.js';

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
  if (REDIS_OPTION_NAMES.has(name)) {
    if (!REDIS_MULTI_ARG.has(canonicalRedisName(name)) && argc !== 2) return 'wrong number of arguments';
    return null;
  }
  if (REDIS_DEPRECATED.has(name) && argc === 2) return null;
  if (name === 'include') return argc === 2 ? null : 'Bad directive or wrong number of arguments';
  if (name === 'rename-command') return argc === 3 ? null : 'Bad directive or wrong number of arguments';
  if (name === 'user' || name === 'loadmodule') return argc >= 2 ? null : 'Bad directive or wrong number of arguments';
  if (name === 'sentinel' || name.includes('.')) return null;
  return 'Bad directive or wrong number of arguments';
}

const CONFIG_READ_LEN = 1024;

/**
 * The text Redis gets from the file (fgets + sdscat), as a byte-per-character string, and for each of
 * its lines the file line it starts on.
 */
export function redisConfigText(bytes: Buffer): { text: string; fileLines: number[]; nul: number | null } {
  let text = '';
  const fileLines = [1];
  let fileLine = 1;
  let nul: number | null = null;
  let i = 0;
  while (i < bytes.length) {
    let end = i;
    while (end < bytes.length && end - i < CONFIG_READ_LEN && bytes[end] !== 0x0a) end++;
    if (end < bytes.length && bytes[end] === 0x0a && end - i < CONFIG_READ_LEN) end++;
    const piece = bytes.subarray(i, end);
    const z = piece.indexOf(0);
    if (z >= 0 && nul === null) nul = fileLine;
    const kept = (z >= 0 ? piece.subarray(0, z) : piece).toString('latin1');
    for (let k = 0; k < piece.length; k++) if (piece[k] === 0x0a) fileLine++;
    for (const c of kept) if (c === '\n') fileLines.push(fileLine);
    text += kept;
    i = end;
  }
  return { text, fileLines, nul };
}

const utf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');

/** Parses one configuration file (includes are left as directives for the loader to expand). */
export function parseRedisConfig(input: string | Buffer, path: string): ParsedRedisConfig {
  const directives: RedisDirective[] = [];
  const errors: RedisConfigError[] = [];
  const { text, fileLines } = redisConfigText(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const lineNo = fileLines[i] ?? i + 1;
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const bytesArgs = splitArgs(line);
    if (bytesArgs === null) {
      errors.push({ path, line: lineNo, message: 'Unbalanced quotes in configuration line' });
      continue;
    }
    const args = bytesArgs.map(utf8);
    const [first, ...rest] = args;
    if (first === undefined) continue;
    const name = first.toLowerCase();
    const err = checkDirective(name, args.length);
    if (err) {
      errors.push({ path, line: lineNo, message: `${err} (directive ${JSON.stringify(printableName(first))})` });
      continue;
    }
    if (REDIS_DEPRECATED.has(name)) continue;
    const canon = canonicalRedisName(name);
    // A multi-argument option given as one argument is split again (config.c, MULTI_ARG_CONFIG).
    const values = REDIS_MULTI_ARG.has(canon) && rest.length === 1 && rest[0] !== '' ? (splitArgs(rest[0]!) ?? rest) : rest;
    const bad = validateRedisValue(canon, values);
    if (bad) {
      errors.push({ path, line: lineNo, message: `${bad} (${printableName(name)})` });
      continue;
    }
    directives.push({ path, line: lineNo, name: canon, args: values });
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
