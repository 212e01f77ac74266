/**
 * Debian version comparison exactly as dpkg does it (deb-version(7), dpkg lib/dpkg/version.c):
 * [epoch:]upstream[-revision]; `~` sorts before everything, even the end of the string; letters
 * sort before non-letters.
 */
export interface DebVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

export function parseDebVersion(v: string): DebVersion | null {
  const s = v.trim();
  if (s === '' || /\s/.test(s)) return null;
  let epoch = 0;
  let rest = s;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    const e = s.slice(0, colon);
    if (!/^\d+$/.test(e)) return null;
    epoch = Number(e);
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '') return null;
  return { epoch, upstream, revision };
}

function order(c: number): number {
  // dpkg's order(): digits 0, letters their code, '~' -1, others code + 256; end of string 0.
  if (c >= 0x30 && c <= 0x39) return 0;
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return c;
  if (c === 0x7e) return -1;
  return c + 256;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = i < a.length ? order(a.charCodeAt(i)) : 0;
      const bc = j < b.length ? order(b.charCodeAt(j)) : 0;
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (i < a.length && a.charCodeAt(i) === 0x30) i++;
    while (j < b.length && b.charCodeAt(j) === 0x30) j++;
    while (i < a.length && isDigit(a.charCodeAt(i)) && j < b.length && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/** <0, 0, >0 like dpkg --compare-versions. Unparsable versions compare as plain strings (after valid ones). */
export function compareDebVersions(a: string, b: string): number {
  const va = parseDebVersion(a);
  const vb = parseDebVersion(b);
  if (!va || !vb) {
    if (va) return 1;
    if (vb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (va.epoch !== vb.epoch) return va.epoch - vb.epoch;
  const u = verrevcmp(va.upstream, vb.upstream);
  if (u !== 0) return u;
  return verrevcmp(va.revision, vb.revision);
}
