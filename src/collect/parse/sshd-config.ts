import { matchWildcard } from '../../util/wildcard.js';
import { familyWidth, formatIp, networkBits, parseCidr, parseIp, rangeContains } from '../../util/ip.js';

/**
 * sshd_config(5) syntax, as OpenSSH 9.2's servconf.c reads it: the keyword ends at whitespace or one
 * '=', is case-insensitive; the arguments are split like argv_split(…, terminate_on_comment=1):
 * "…" and '…' quotes, backslash escapes, a '#' starting an argument ends the line.
 */
export interface SshdLine {
  line: number;
  /** As written. */
  keyword: string;
  args: string[];
  /** The line without surrounding whitespace. */
  text: string;
}

export interface SshdParseError {
  line: number;
  message: string;
}

export interface ParsedSshdConfig {
  lines: SshdLine[];
  errors: SshdParseError[];
}

/** Splits the arguments after the keyword; null on unbalanced quotes ("invalid quotes"). */
export function splitSshdArgs(s: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length || s[i] === '#') break;
    let arg = '';
    let quote = '';
    for (; i < s.length; i++) {
      const c = s[i]!;
      const n = s[i + 1];
      if (c === '\\' && (n === "'" || n === '"' || n === '\\' || (quote === '' && n === ' '))) {
        arg += n;
        i++;
      } else if (quote === '' && (c === '"' || c === "'")) quote = c;
      else if (quote !== '' && c === quote) quote = '';
      else if (quote === '' && /\s/.test(c)) break;
      else arg += c;
    }
    if (quote !== '') return null;
    out.push(arg);
  }
  return out;
}

export function parseSshdConfig(text: string): ParsedSshdConfig {
  const lines: SshdLine[] = [];
  const errors: SshdParseError[] = [];
  const raw = text.split('\n');
  for (const [i, l] of raw.entries()) {
    const line = i + 1;
    const t = l.replace(/[\s\f]+$/, '').replace(/^\s+/, '');
    if (t === '' || t.startsWith('#')) continue;
    const m = /^([^\s=]+)\s*(?:=\s*)?(.*)$/s.exec(t);
    if (!m) {
      errors.push({ line, message: `cannot read line ${JSON.stringify(t.slice(0, 80))}` });
      continue;
    }
    const keyword = m[1]!;
    const rest = m[2] ?? '';
    if (rest === '') {
      errors.push({ line, message: `no argument after keyword "${keyword}"` });
      continue;
    }
    const args = splitSshdArgs(rest);
    if (args === null) {
      errors.push({ line, message: `invalid quotes in ${JSON.stringify(t.slice(0, 80))}` });
      continue;
    }
    if (args.length === 0) {
      errors.push({ line, message: `no argument after keyword "${keyword}"` });
      continue;
    }
    lines.push({ line, keyword, args, text: t.length > 200 ? `${t.slice(0, 200)}…` : t });
  }
  return { lines, errors };
}

export type MatchAttribute = 'all' | 'user' | 'group' | 'host' | 'address' | 'localaddress' | 'localport' | 'rdomain';
export interface MatchCriterion {
  attribute: MatchAttribute;
  patterns: string;
}

const MATCH_ATTRIBUTES: readonly MatchAttribute[] = ['all', 'user', 'group', 'host', 'address', 'localaddress', 'localport', 'rdomain'];

/** The criteria of a Match line (its arguments), or an error message. */
export function parseMatchCriteria(args: readonly string[]): { ok: true; criteria: MatchCriterion[] } | { ok: false; message: string } {
  const criteria: MatchCriterion[] = [];
  for (let i = 0; i < args.length; i++) {
    const attr = args[i]!.toLowerCase() as MatchAttribute;
    if (!MATCH_ATTRIBUTES.includes(attr)) return { ok: false, message: `unsupported Match attribute ${args[i]!}` };
    if (attr === 'all') {
      if (args.length !== 1) return { ok: false, message: "'all' cannot be combined with other Match attributes" };
      criteria.push({ attribute: 'all', patterns: '' });
      continue;
    }
    const p = args[i + 1];
    if (p === undefined || p === '') return { ok: false, message: `Match ${args[i]!} without a pattern` };
    criteria.push({ attribute: attr, patterns: p });
    i++;
  }
  if (criteria.length === 0) return { ok: false, message: 'Match without criteria' };
  return { ok: true, criteria };
}

export { matchWildcard };

/** match_pattern_list: 1 a positive match, 0 none, -1 a negated pattern matched (which wins). */
export function matchPatternList(s: string, list: string, caseInsensitive = false): -1 | 0 | 1 {
  let positive = false;
  for (const raw of list.split(',')) {
    const neg = raw.startsWith('!');
    const p = neg ? raw.slice(1) : raw;
    if (matchWildcard(caseInsensitive ? s.toLowerCase() : s, caseInsensitive ? p.toLowerCase() : p)) {
      if (neg) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

const RANGES = new Map<string, ReturnType<typeof parseCidr>>();
const ADDRS = new Map<string, ReturnType<typeof parseIp>>();
/** Parsed once: hundreds of contexts meet the same Match lists. Bounded; cleared when full. */
function memo<T>(m: Map<string, T>, k: string, f: (k: string) => T): T {
  if (m.has(k)) return m.get(k)!;
  if (m.size > 10_000) m.clear();
  const v = f(k);
  m.set(k, v);
  return v;
}

/** Whether an address lies in a CIDR range (or equals a bare address); null if the range is malformed. */
export function inCidr(addr: string, cidr: string): boolean | null {
  const range = memo(RANGES, cidr, parseCidr);
  if (!range) return null;
  const a = memo(ADDRS, addr, parseIp);
  return a !== null && rangeContains(range, a);
}

/** addr_match_list(3): 1 match, 0 none, -1 negated match, -2 malformed entry. */
export function matchAddressList(addr: string, list: string): -2 | -1 | 0 | 1 {
  let ret: 0 | 1 = 0;
  for (const raw of list.split(',')) {
    const neg = raw.startsWith('!');
    const p = neg ? raw.slice(1) : raw;
    let hit: boolean;
    if (p.includes('/')) {
      const r = inCidr(addr, p);
      if (r === null) return -2;
      hit = r;
    } else hit = matchWildcard(addr, p, true);
    if (hit) {
      if (neg) return -1;
      ret = 1;
    }
  }
  return ret;
}

/** The first host address of a CIDR range (the address itself for a host route), for sshd -T -C addr=. */
export function firstHostOf(cidr: string): string | null {
  const range = parseCidr(cidr);
  if (!range) return null;
  const bits = range.prefix < familyWidth(range.family) - 1 ? networkBits(range) + 1n : range.bits;
  return formatIp({ family: range.family, bits });
}

/** convtime(3): "90", "1m30s", "2h" → seconds; null if malformed. */
export function convtime(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  const re = /(\d+)([sSmMhHdDwW]?)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const mult: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
    total += Number(m[1]) * (mult[m[2]!.toLowerCase()] ?? 1);
    pos = re.lastIndex;
  }
  return pos === s.length && s.length > 0 ? total : null;
}
