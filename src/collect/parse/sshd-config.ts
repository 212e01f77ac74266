import { matchWildcard } from '../../util/wildcard.js';
import { familyWidth, formatIp, networkBits, parseCidr, parseIp, rangeContains } from '../../util/ip.js';

/**
 * sshd_config(5) syntax, as OpenSSH 9.2's servconf.c reads it: the keyword ends at whitespace or one
 * '=', is case-insensitive; the arguments are split like argv_split(…, terminate_on_comment=1):
 * "…" and '…' quotes, backslash escapes, a '#' starting an argument ends the line.
 *
 * Whitespace is what the C code calls whitespace (space, tab, CR, LF; a form feed only at the end of a
 * line), never Unicode spaces: a NO-BREAK SPACE or a byte-order mark is part of a word, as sshd reads
 * it ("Bad configuration option: \357\273\277Port"). A NUL byte ends the line the way
 * load_server_config's strlen() does: the rest of that line, newline included, is dropped, so the
 * next line is joined to it (`#\0\nPasswordAuthentication no` is one comment) — verified against
 * sshd 9.2 `sshd -t`.
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
  /** Default 'error' (sshd -t refuses); 'warning' for what sshd accepts but a reader should know. */
  severity?: 'warning';
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
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
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
      else if (quote === '' && (c === ' ' || c === '\t')) break;
      else arg += c;
    }
    if (quote !== '') return null;
    out.push(arg);
  }
  return out;
}

/**
 * The logical lines sshd parses: each physical line cut at its first NUL (newline dropped with the
 * rest), joined as load_server_config does. `line` is the physical line where the logical line starts.
 */
export function sshdLogicalLines(text: string): { line: number; text: string; nul: boolean }[] {
  const out: { line: number; text: string; nul: boolean }[] = [];
  const phys = text.split('\n');
  let cur: { line: number; text: string; nul: boolean } | null = null;
  for (const [i, raw] of phys.entries()) {
    const lead = raw.replace(/^[ \t\r]+/, '');
    const nul = lead.indexOf('\u0000');
    if (cur === null) cur = { line: i + 1, text: '', nul: false };
    if (nul >= 0) {
      cur.text += lead.slice(0, nul);
      cur.nul = true;
      continue;
    }
    cur.text += lead;
    out.push(cur);
    cur = null;
  }
  if (cur !== null && cur.text !== '') out.push(cur);
  return out;
}

const WS = ' \t\r\n';
const isWs = (c: string | undefined) => c !== undefined && WS.includes(c);

/**
 * servconf.c's keyword split (strdelim with split_equals): the keyword ends at whitespace, '=' or a
 * double quote; a quoted part runs to the next '"' (`Pass"word"Authentication` is "Password", only
 * '"' quotes here: `'X11Forwarding'` is a keyword with its quotes); one '=' may follow, with
 * whitespace around it, except after a quoted keyword (`"UseDNS"=no` gives the argument "=no"). An
 * empty keyword takes the next word. null: an unmatched quote (sshd ignores the line).
 */
export function sshdKeyword(line: string): { keyword: string; rest: string | null } | null {
  const once = (t: string): { keyword: string; rest: string | null } | null => {
    let i = 0;
    while (i < t.length && !isWs(t[i]) && t[i] !== '"' && t[i] !== '=') i++;
    if (i >= t.length) return { keyword: t, rest: null };
    if (t[i] === '"') {
      const close = t.indexOf('"', i + 1);
      if (close < 0) return null;
      let j = close + 1;
      while (isWs(t[j])) j++;
      return { keyword: t.slice(0, i) + t.slice(i + 1, close), rest: t.slice(j) };
    }
    const wait = t[i] === '=';
    let j = i + 1;
    while (isWs(t[j])) j++;
    if (!wait && t[j] === '=') {
      j++;
      while (isWs(t[j])) j++;
    }
    return { keyword: t.slice(0, i), rest: t.slice(j) };
  };
  const first = once(line);
  if (first === null || first.keyword !== '' || first.rest === null) return first;
  return once(first.rest);
}

export function parseSshdConfig(text: string): ParsedSshdConfig {
  const lines: SshdLine[] = [];
  const errors: SshdParseError[] = [];
  for (const { line, text: l, nul } of sshdLogicalLines(text)) {
    if (nul)
      errors.push({
        line,
        severity: 'warning',
        message: 'holds binary data (a NUL byte): sshd ignores the rest of that line and joins the next line to it',
      });
    const t = l.replace(/[ \t\r\n\f]+$/, '').replace(/^[ \t\r]+/, '');
    if (t === '' || t.startsWith('#')) continue;
    const kw = sshdKeyword(t);
    // An unmatched quote in the keyword, an empty or '#' keyword: sshd ignores the line.
    if (kw === null || kw.keyword === '' || kw.keyword.startsWith('#')) continue;
    const { keyword, rest } = kw;
    const args = rest === null ? [] : splitSshdArgs(rest);
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
export function parseMatchCriteria(
  args: readonly string[],
  services: ReadonlyMap<string, number> | null = null,
): { ok: true; criteria: MatchCriterion[] } | { ok: false; message: string } {
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
    if ((attr === 'address' || attr === 'localaddress') && !addrListValid(p))
      return { ok: false, message: `Invalid Match ${attr} argument '${p}'` };
    if (attr === 'localport' && a2port(p, services) === -1) return { ok: false, message: `Invalid LocalPort '${p}' on Match line` };
    criteria.push({ attribute: attr, patterns: p });
    i++;
  }
  if (criteria.length === 0) return { ok: false, message: 'Match without criteria' };
  return { ok: true, criteria };
}

export { matchWildcard };

/** /etc/services: TCP service name or alias → port (what getservbyname(name, "tcp") answers from files). */
export function parseServices(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const f = raw
      .replace(/#.*/, '')
      .trim()
      .split(/[ \t]+/);
    const m = /^(\d+)\/tcp$/.exec(f[1] ?? '');
    if (!f[0] || !m) continue;
    for (const name of [f[0], ...f.slice(2)]) if (!out.has(name)) out.set(name, Number(m[1]));
  }
  return out;
}

/**
 * The host of a ListenAddress value (cleanhostname: "[…]" removed), or null when it is a bare IPv6
 * address; sshd resolves it with getaddrinfo when it starts ("bad addr or host: … (Name or service not known)").
 */
export function listenHost(value: string): string {
  const colon = value.indexOf(':');
  if (!value.includes('[') && colon >= 0 && value.indexOf(':', colon + 1) >= 0) return value;
  const host = value.startsWith('[') ? value.slice(1, Math.max(1, value.indexOf(']'))) : value.split(/[:/]/)[0]!;
  return host;
}

/** Names /etc/hosts gives an address to. */
export function parseHostsNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split('\n')) {
    const f = raw
      .replace(/#.*/, '')
      .trim()
      .split(/[ \t]+/);
    if (f.length > 1 && parseIp(f[0]!)) for (const n of f.slice(1)) out.add(n.toLowerCase());
  }
  return out;
}

export { parseIp };

/** misc.c a2port: a number 0–65535 (strtonum), else a TCP service name (getservbyname); -1 when neither. */
export function a2port(s: string, services: ReadonlyMap<string, number> | null): number {
  if (/^[ \t\n\v\f\r]*[+-]?\d+$/.test(s)) {
    const n = Number(s.trim());
    return n >= 0 && n <= 65535 ? n : -1;
  }
  return services?.get(s) ?? -1;
}

/**
 * addr.c addr_match_list(NULL, list) as sshd uses it to check a list at parse time: an empty entry,
 * or an entry that parses as address/len whose length exceeds the family or has host bits set, is
 * an error (-2); any other entry that is not an address is a wildcard pattern (accepted).
 */
export function addrListValid(list: string): boolean {
  for (const raw of list.split(',')) {
    const p = raw.startsWith('!') ? raw.slice(1) : raw;
    if (p === '') return false;
    const slash = p.indexOf('/');
    const len = slash < 0 ? null : p.slice(slash + 1);
    if (len !== null && !/^\d+$/.test(len)) continue;
    if (len !== null && Number(len) > 128) continue;
    const a = parseIp(slash < 0 ? p : p.slice(0, slash));
    if (!a) continue;
    if (len === null) continue;
    const width = familyWidth(a.family);
    const n = Number(len);
    if (n > width) return false;
    const shift = BigInt(width - n);
    if ((a.bits >> shift) << shift !== a.bits) return false;
  }
  return true;
}

/** match_user(NULL, NULL, NULL, pattern): the host part after the first '@' must be a valid address list. */
export function userPatternValid(pattern: string): boolean {
  const at = pattern.indexOf('@');
  return at < 0 || addrListValid(pattern.slice(at + 1));
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

/** A word as sshd prints it in an error (strvis VIS_OCTAL): bytes outside printable ASCII as \ooo, at most 80 characters. */
export function sshdVis(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : b === 0x5c ? '\\\\' : `\\${b.toString(8).padStart(3, '0')}`;
    if (out.length > 80) return `${out.slice(0, 80)}…`;
  }
  return out;
}
