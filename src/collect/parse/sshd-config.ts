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

/** match_pattern(3)-style wildcard: * and ?. */
export function matchWildcard(s: string, pattern: string, caseInsensitive = false): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, caseInsensitive ? 'is' : 's').test(s);
}

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

function ipv4Bits(a: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (!m) return null;
  let v = 0n;
  for (const o of m.slice(1)) {
    const n = Number(o);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function ipv6Bits(a: string): bigint | null {
  if (!a.includes(':') || !/^[0-9a-fA-F:.]+$/.test(a)) return null;
  let s = a;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = ipv4Bits(v4[1]!);
    if (b === null) return null;
    s = `${s.slice(0, -v4[1]!.length)}${((b >> 16n) & 0xffffn).toString(16)}:${(b & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups = head.length + rest.length;
  const fill = halves.length === 2 ? 8 - groups : 0;
  if (fill < 0 || (halves.length === 1 && groups !== 8)) return null;
  const all = [...head, ...Array<string>(fill).fill('0'), ...rest];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

/** An address as { family, bits }, or null. */
export function parseAddress(a: string): { v6: boolean; bits: bigint } | null {
  const v4 = ipv4Bits(a);
  if (v4 !== null) return { v6: false, bits: v4 };
  const v6 = ipv6Bits(a);
  return v6 === null ? null : { v6: true, bits: v6 };
}

/** Whether an address lies in a CIDR range (or equals a bare address); null if the range is malformed. */
export function inCidr(addr: string, cidr: string): boolean | null {
  const [net, len] = cidr.split('/');
  const n = parseAddress(net ?? '');
  if (!n) return null;
  const width = n.v6 ? 128 : 32;
  const prefix = len === undefined ? width : /^\d+$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= width)) return null;
  const a = parseAddress(addr);
  if (!a || a.v6 !== n.v6) return false;
  const shift = BigInt(width - prefix);
  return a.bits >> shift === n.bits >> shift;
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
  const [net, len] = cidr.split('/');
  const n = parseAddress(net ?? '');
  if (!n) return null;
  const width = n.v6 ? 128 : 32;
  const prefix = len === undefined ? width : Number(len);
  if (!(prefix >= 0 && prefix <= width)) return null;
  const shift = BigInt(width - prefix);
  let bits = (n.bits >> shift) << shift;
  if (prefix < width - 1) bits += 1n;
  else bits = n.bits;
  if (!n.v6) return [24n, 16n, 8n, 0n].map((s) => ((bits >> s) & 255n).toString()).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((bits >> s) & 0xffffn).toString(16));
  return groups.join(':');
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
