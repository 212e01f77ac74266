/**
 * pg_hba.conf tokenizer and record parser, after PostgreSQL 15's src/backend/libpq/hba.c
 * (tokenize_auth_file / next_token / parse_hba_line): records of whitespace-separated fields,
 * a field is a comma-separated list of tokens, "double quotes" keep blanks and commas and take
 * away a keyword's meaning ("" is a literal quote), `#` starts a comment, a backslash at the end
 * of a line continues the record on the next one (PostgreSQL 14+). `@file` tokens are expanded
 * by the caller. PostgreSQL 16's include / include_if_exists / include_dir records are recognised.
 */
import { isIP } from 'node:net';
import type { PgHbaAddress } from '../../facts/postgres.js';
import { formatIp, networkBits, parseIPv4, parseIPv6 } from '../../util/ip.js';

export interface HbaToken {
  text: string;
  quoted: boolean;
}

export interface HbaRawLine {
  path: string;
  /** First physical line of the record. */
  line: number;
  /** The record as written (continuations joined). */
  excerpt: string;
  fields: HbaToken[][];
  error: string | null;
}

/** Splits a file into records and tokens. */
export function tokenizePgHba(text: string, path: string): HbaRawLine[] {
  const out: HbaRawLine[] = [];
  const phys = text.split('\n');
  for (let i = 0; i < phys.length; i++) {
    const start = i + 1;
    let rec = (phys[i] ?? '').replace(/\r$/, '');
    while (rec.endsWith('\\') && i + 1 < phys.length) rec = rec.slice(0, -1) + (phys[++i] ?? '').replace(/\r$/, '');
    const r = tokenizeRecord(rec);
    if (r.fields.length === 0 && !r.error) continue;
    out.push({ path, line: start, excerpt: rec.replace(/\s+#.*$/, '').trim(), fields: r.fields, error: r.error });
  }
  return out;
}

function tokenizeRecord(rec: string): { fields: HbaToken[][]; error: string | null } {
  const fields: HbaToken[][] = [];
  let pos = 0;
  const ws = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r';
  for (;;) {
    while (ws(rec[pos])) pos++;
    if (pos >= rec.length || rec[pos] === '#') break;
    const field: HbaToken[] = [];
    for (;;) {
      // next_token skips blanks before every token, so "a, b" is one field of two tokens.
      while (ws(rec[pos])) pos++;
      let buf = '';
      let inQuote = false;
      let sawQuote = false;
      let wasQuote = false;
      while (pos < rec.length) {
        const c = rec[pos]!;
        if (!inQuote && (ws(c) || c === ',' || c === '#')) break;
        pos++;
        if (c !== '"' || wasQuote) buf += c;
        if (inQuote && c === '"') wasQuote = !wasQuote;
        else wasQuote = false;
        if (c === '"') {
          inQuote = !inQuote;
          sawQuote = true;
        }
      }
      if (inQuote) return { fields, error: 'unterminated quoted string' };
      field.push({ text: buf, quoted: sawQuote });
      if (rec[pos] === ',') {
        pos++;
        continue;
      }
      break;
    }
    fields.push(field);
  }
  return { fields, error: null };
}

export const HBA_TYPES = ['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'] as const;
export const HBA_INCLUDES = ['include', 'include_if_exists', 'include_dir'] as const;
export const HBA_METHODS = [
  'trust',
  'reject',
  'scram-sha-256',
  'md5',
  'password',
  'gss',
  'sspi',
  'ident',
  'peer',
  'pam',
  'ldap',
  'radius',
  'cert',
  'bsd',
];

export type HbaRecord =
  | { kind: 'rule'; type: string; databases: string[]; users: string[]; address: PgHbaAddress | null; method: string; options: string[] }
  | { kind: 'include'; directive: (typeof HBA_INCLUDES)[number]; target: string }
  | { kind: 'error'; message: string };

/** A token as PostgreSQL 15 shows it in pg_hba_file_rules (a quoted keyword without its quotes). */
const show = (t: HbaToken) => t.text;

/** parse_hba_line: the fields of one record (with @file tokens already expanded). */
export function interpretHbaFields(fields: HbaToken[][]): HbaRecord {
  const one = (i: number): HbaToken | null => (fields[i]?.length === 1 ? fields[i][0]! : null);
  const type = one(0);
  if (!type) return { kind: 'error', message: 'multiple values specified for connection type' };
  if ((HBA_INCLUDES as readonly string[]).includes(type.text) && !type.quoted) {
    const target = one(1);
    if (!target || fields.length !== 2) return { kind: 'error', message: `${type.text} takes exactly one file name` };
    return { kind: 'include', directive: type.text as (typeof HBA_INCLUDES)[number], target: target.text };
  }
  if (!(HBA_TYPES as readonly string[]).includes(type.text)) return { kind: 'error', message: `invalid connection type "${type.text}"` };
  const dbs = fields[1];
  const users = fields[2];
  if (!dbs) return { kind: 'error', message: 'end-of-line before database specification' };
  if (!users) return { kind: 'error', message: 'end-of-line before role specification' };
  let idx = 3;
  let address: PgHbaAddress | null = null;
  if (type.text !== 'local') {
    const a = one(3);
    if (!fields[3]) return { kind: 'error', message: 'end-of-line before IP address specification' };
    if (!a) return { kind: 'error', message: 'multiple values specified for host address' };
    idx = 4;
    let mask: string | null = null;
    const bare = a.text.includes('/') ? null : isIP(a.text);
    if (!a.quoted && bare) {
      const m = one(4);
      if (!m) return { kind: 'error', message: 'end-of-line before netmask specification' };
      mask = m.text;
      idx = 5;
    }
    const r = parseHbaAddress(a.quoted && ['all', 'samehost', 'samenet'].includes(a.text) ? `"${a.text}"` : a.text, mask);
    if ('error' in r) return { kind: 'error', message: r.error };
    address = r;
  }
  const method = one(idx);
  if (!fields[idx]) return { kind: 'error', message: 'end-of-line before authentication method' };
  if (!method) return { kind: 'error', message: 'multiple values specified for authentication type' };
  if (!HBA_METHODS.includes(method.text)) return { kind: 'error', message: `invalid authentication method "${method.text}"` };
  if (method.text === 'peer' && type.text !== 'local')
    return { kind: 'error', message: 'peer authentication is only supported on local sockets' };
  const options = fields
    .slice(idx + 1)
    .flat()
    .map((t) => t.text);
  for (const o of options) if (!o.includes('=')) return { kind: 'error', message: `authentication option not in name=value format: ${o}` };
  return { kind: 'rule', type: type.text, databases: dbs.map(show), users: users.map(show), address, method: method.text, options };
}

// ---------------------------------------------------------------- addresses

function maskBits(mask: string, family: 4 | 6): number | null {
  const n = family === 4 ? parseIPv4(mask) : parseIPv6(mask.replace(/%.*$/, ''));
  if (n === null) return null;
  const bits = family === 4 ? 32 : 128;
  const s = n.toString(2).padStart(bits, '0');
  return /^1*0*$/.test(s) ? (s.indexOf('0') === -1 ? bits : s.indexOf('0')) : null;
}

/**
 * An address field (with the separate netmask field, if any) as PostgreSQL reads it: all, samehost,
 * samenet, an address with /len or a mask, or a host name (".example.com" matches a suffix). The
 * network is masked, as PostgreSQL does; `any` is a zero-length prefix.
 */
export function parseHbaAddress(address: string, netmask: string | null): PgHbaAddress | { error: string } {
  if (address === 'all' || address === 'samehost' || address === 'samenet') return { kind: address, text: address };
  const [ip = '', len] = address.split('/');
  const fam = isIP(ip);
  if (fam === 0) {
    if (len !== undefined) return { error: `invalid IP address "${address}"` };
    return { kind: 'hostname', text: address.replace(/^"(.*)"$/, '$1') };
  }
  const family = fam === 4 ? 'ipv4' : 'ipv6';
  const bits = fam === 4 ? 32 : 128;
  let prefix: number;
  if (len !== undefined) {
    prefix = /^\d+$/.test(len) ? Number(len) : NaN;
    if (!(prefix >= 0 && prefix <= bits)) return { error: `invalid CIDR mask in address "${address}"` };
  } else if (netmask !== null) {
    if (isIP(netmask) !== fam) return { error: `invalid IP mask "${netmask}"` };
    const m = maskBits(netmask, fam as 4 | 6);
    if (m === null) return { error: `invalid IP mask "${netmask}"` };
    prefix = m;
  } else prefix = bits;
  // isIP accepts a zone id ("fe80::1%eth0"); the bits are the address's.
  const n = (fam === 4 ? parseIPv4(ip) : parseIPv6(ip.replace(/%.*$/, ''))) ?? 0n;
  const net = networkBits({ family: fam as 4 | 6, bits: n, prefix });
  const cidr = `${formatIp({ family: fam as 4 | 6, bits: net }, true)}/${prefix}`;
  const loopback = fam === 4 ? prefix >= 8 && net >> 24n === 127n : prefix === 128 && net === 1n;
  return { kind: 'cidr', text: netmask === null ? address : `${address} ${netmask}`, cidr, family, prefix, any: prefix === 0, loopback };
}
