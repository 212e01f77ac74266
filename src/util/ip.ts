/**
 * IPv4/IPv6 text ↔ bits and CIDR containment, as inet_pton(3) reads addresses. Pure; bad input
 * gives null, never an exception.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  bits: bigint;
}

/** An address range: the address as written (not masked) and its prefix length. */
export interface IpRange extends IpAddress {
  prefix: number;
}

export function familyWidth(family: IpFamily): 32 | 128 {
  return family === 4 ? 32 : 128;
}

/** A dotted quad (four decimal octets 0–255; a leading zero is read as decimal) → 32 bits. */
export function parseIPv4(s: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0n;
  for (const o of m.slice(1)) {
    const n = Number(o);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

/**
 * An IPv6 address (RFC 4291 text: eight groups, "::" for one or more zero groups, a dotted quad as
 * the last 32 bits) → 128 bits. No zone id ("%eth0"): strip it first.
 */
export function parseIPv6(s: string): bigint | null {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return null;
  let text = s;
  const quad = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const b = parseIPv4(quad[1]!);
    if (b === null) return null;
    text = `${text.slice(0, -quad[1]!.length)}${(b >> 16n).toString(16)}:${(b & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (halves.length === 2 ? fill < 1 : head.length !== 8) return null;
  let v = 0n;
  for (const g of [...head, ...Array<string>(fill).fill('0'), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

/** An IPv4 or IPv6 address, or null. */
export function parseIp(s: string): IpAddress | null {
  const v4 = parseIPv4(s);
  if (v4 !== null) return { family: 4, bits: v4 };
  const v6 = parseIPv6(s);
  return v6 === null ? null : { family: 6, bits: v6 };
}

/** "addr/len" or a bare address (a host range: /32, /128); null when either part is malformed. */
export function parseCidr(text: string): IpRange | null {
  const slash = text.indexOf('/');
  const a = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!a) return null;
  const width = familyWidth(a.family);
  if (slash < 0) return { ...a, prefix: width };
  const len = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(len) || Number(len) > width) return null;
  return { ...a, prefix: Number(len) };
}

/** The network part of a range (host bits cleared). */
export function networkBits(r: IpRange): bigint {
  const shift = BigInt(familyWidth(r.family) - r.prefix);
  return (r.bits >> shift) << shift;
}

/** Whether `addr` lies in `range`; false when the families differ (no v4-mapped folding). */
export function rangeContains(range: IpRange, addr: IpAddress): boolean {
  if (range.family !== addr.family) return false;
  const shift = BigInt(familyWidth(range.family) - range.prefix);
  return range.bits >> shift === addr.bits >> shift;
}

/** Whether the whole of range `inner` lies inside range `outer` (both "addr/len" or bare addresses); false when either is malformed. */
export function cidrWithin(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return o !== null && i !== null && o.prefix <= i.prefix && rangeContains(o, i);
}

export function formatIPv4(bits: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => ((bits >> s) & 255n).toString()).join('.');
}

/** Eight lower-case hex groups; `compress` folds the first run of two or more zero groups to "::". */
export function formatIPv6(bits: bigint, compress = false): string {
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((bits >> s) & 0xffffn).toString(16));
  const full = groups.join(':');
  return compress ? full.replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::') : full;
}

export function formatIp(a: IpAddress, compress = false): string {
  return a.family === 4 ? formatIPv4(a.bits) : formatIPv6(a.bits, compress);
}
