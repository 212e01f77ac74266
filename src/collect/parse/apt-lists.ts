import { gunzipSync } from 'node:zlib';

/** Largest decompressed Packages file accepted (bookworm main is ~50 MB). */
export const MAX_LIST_BYTES = 512 * 1024 * 1024;

export type Decoded = { ok: true; bytes: Buffer } | { ok: false; message: string };

/**
 * One LZ4 block into out[op..limit); returns the new op, or -1 when the block is corrupt or
 * would write past limit. Hot loop: plain typed-array indexing, no closures.
 */
function decodeLz4Block(src: Uint8Array, ip: number, end: number, out: Uint8Array, op: number, limit: number): number {
  while (ip < end) {
    const token = src[ip++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b = 255;
      while (b === 255 && ip < end) {
        b = src[ip++]!;
        lit += b;
      }
    }
    if (ip + lit > end || op + lit > limit) return -1;
    if (lit > 16) out.set(src.subarray(ip, ip + lit), op);
    else for (let k = 0; k < lit; k++) out[op + k] = src[ip + k]!;
    op += lit;
    ip += lit;
    if (ip >= end) break;
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    let len = token & 15;
    if (len === 15) {
      let b = 255;
      while (b === 255 && ip < end) {
        b = src[ip++]!;
        len += b;
      }
    }
    len += 4;
    if (offset === 0 || offset > op || op + len > limit) return -1;
    let from = op - offset;
    if (offset >= len && len > 16) {
      out.copyWithin(op, from, from + len);
      op += len;
    } else for (let k = 0; k < len; k++) out[op++] = out[from++]!;
  }
  return op;
}

const LZ4_BLOCK_MAX = [0, 0, 0, 0, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];

/**
 * LZ4 frame format (lz4_Frame_format.md v1.6.x): apt keeps its lists lz4-compressed when
 * Acquire::GzipIndexes is set (Docker images, debuerreotype). Node has no lz4, so this is the
 * whole decoder: frames, blocks (linked or independent), checksums skipped.
 */
export function decodeLz4Frame(src: Buffer, maxOut = MAX_LIST_BYTES): Decoded {
  let out = new Uint8Array(Math.min(Math.max(src.length * 3, 1 << 20), maxOut));
  let op = 0;
  let ip = 0;
  while (ip < src.length) {
    if (ip + 4 > src.length) return { ok: false, message: 'truncated lz4 frame header' };
    const magic = src.readUInt32LE(ip);
    if ((magic & 0xfffffff0) >>> 0 === 0x184d2a50) {
      if (ip + 8 > src.length) return { ok: false, message: 'truncated lz4 skippable frame' };
      ip += 8 + src.readUInt32LE(ip + 4);
      continue;
    }
    if (magic !== 0x184d2204) return { ok: false, message: `not an lz4 frame (magic 0x${magic.toString(16)})` };
    ip += 4;
    const flg = src[ip] ?? 0;
    const bd = src[ip + 1] ?? 0;
    if (flg >> 6 !== 1) return { ok: false, message: 'unsupported lz4 frame version' };
    const blockMax = LZ4_BLOCK_MAX[(bd >> 4) & 7] ?? 0;
    if (blockMax === 0) return { ok: false, message: 'invalid lz4 block size' };
    const blockChecksum = (flg & 0x10) !== 0;
    const contentSize = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    const dictId = (flg & 0x01) !== 0;
    ip += 2 + (contentSize ? 8 : 0) + (dictId ? 4 : 0) + 1; // FLG, BD, sizes, HC
    for (;;) {
      if (ip + 4 > src.length) return { ok: false, message: 'truncated lz4 block' };
      const word = src.readUInt32LE(ip);
      ip += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (ip + size > src.length) return { ok: false, message: 'truncated lz4 block' };
      if (op + blockMax > out.length) {
        if (op + blockMax > maxOut + blockMax) return { ok: false, message: `decompressed size over ${maxOut} bytes` };
        const bigger = new Uint8Array(Math.max(out.length * 2, op + blockMax));
        bigger.set(out.subarray(0, op));
        out = bigger;
      }
      if (word & 0x80000000) {
        if (size > blockMax) return { ok: false, message: 'corrupt lz4 block (size)' };
        out.set(src.subarray(ip, ip + size), op);
        op += size;
      } else {
        const next = decodeLz4Block(src, ip, ip + size, out, op, op + blockMax);
        if (next < 0) return { ok: false, message: 'corrupt lz4 block' };
        op = next;
      }
      if (op > maxOut) return { ok: false, message: `decompressed size over ${maxOut} bytes` };
      ip += size + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) ip += 4;
  }
  return { ok: true, bytes: Buffer.from(out.buffer, out.byteOffset, op) };
}

/** How a list file is compressed, from its name (apt: Packages, .gz, .lz4, .xz, .bz2, .zst). */
export function listCompression(name: string): 'none' | 'gz' | 'lz4' | 'xz' | 'bz2' | 'zst' | 'lzma' {
  const m = /\.(gz|lz4|xz|bz2|zst|lzma)$/.exec(name);
  return m ? (m[1] as 'gz' | 'lz4' | 'xz' | 'bz2' | 'zst' | 'lzma') : 'none';
}

/** Decompresses a list file in-process where Node can (plain, gzip, lz4). */
export function decompressList(name: string, bytes: Buffer): Decoded | { ok: false; message: string; external: true } {
  const kind = listCompression(name);
  try {
    if (kind === 'none') return { ok: true, bytes };
    if (kind === 'gz') return { ok: true, bytes: gunzipSync(bytes, { maxOutputLength: MAX_LIST_BYTES }) };
    if (kind === 'lz4') return decodeLz4Frame(bytes);
  } catch (e) {
    return { ok: false, message: `${kind} data is corrupt: ${(e as Error).message}` };
  }
  return { ok: false, message: `${kind}-compressed lists need an external decompressor`, external: true };
}

export interface ReleaseInfo {
  origin: string;
  label: string;
  suite: string;
  codename: string;
  version: string;
  notAutomatic: boolean;
  butAutomaticUpgrades: boolean;
}

/** Release / InRelease (clear-signed) header fields; the checksum lists are skipped. */
export function parseRelease(text: string): ReleaseInfo | null {
  let body = text;
  if (body.startsWith('-----BEGIN PGP SIGNED MESSAGE-----')) {
    const start = body.indexOf('\n\n');
    const sig = body.indexOf('\n-----BEGIN PGP SIGNATURE-----');
    if (start < 0) return null;
    body = body.slice(start + 2, sig > start ? sig : undefined);
  }
  const f: Record<string, string> = {};
  for (const line of body.split('\n')) {
    const m = /^([A-Za-z0-9-]+):[ \t]*(.*)$/.exec(line);
    if (m) f[m[1]!.toLowerCase()] = m[2]!.trim();
  }
  if (Object.keys(f).length === 0) return null;
  return {
    origin: f.origin ?? '',
    label: f.label ?? '',
    suite: f.suite ?? f.archive ?? '',
    codename: f.codename ?? '',
    version: f.version ?? '',
    notAutomatic: (f.notautomatic ?? '').toLowerCase() === 'yes',
    butAutomaticUpgrades: (f.butautomaticupgrades ?? '').toLowerCase() === 'yes',
  };
}

export interface ListEntry {
  name: string;
  version: string;
  arch: string;
}

/**
 * Finds the stanzas of the wanted packages in a Packages file without decoding the rest:
 * searches "Package: " at line starts and parses only stanzas whose name is wanted.
 */
export function scanPackages(buf: Buffer, wanted: ReadonlySet<string>): ListEntry[] {
  const out: ListEntry[] = [];
  const needle = Buffer.from('Package: ', 'latin1');
  let pos = buf.subarray(0, needle.length).equals(needle) ? 0 : buf.indexOf('\nPackage: ', 0, 'latin1');
  if (pos > 0) pos += 1;
  while (pos >= 0 && pos < buf.length) {
    const nameStart = pos + needle.length;
    const eol = buf.indexOf(10, nameStart);
    const lineEnd = eol < 0 ? buf.length : eol;
    const name = buf.toString('latin1', nameStart, lineEnd).trim();
    const next = buf.indexOf('\n\nPackage: ', nameStart, 'latin1');
    const stanzaEnd = next < 0 ? buf.length : next + 1;
    if (wanted.has(name)) {
      const stanza = buf.toString('utf8', pos, stanzaEnd);
      const version = /^Version:[ \t]*(\S+)/m.exec(stanza)?.[1];
      const arch = /^Architecture:[ \t]*(\S+)/m.exec(stanza)?.[1];
      if (version && arch) out.push({ name, version, arch });
    }
    pos = next < 0 ? -1 : next + 2;
  }
  return out;
}

/** Splits a list file name into its repository prefix (the matching Release file's stem). */
export function releaseStemOf(listName: string, releaseStems: readonly string[]): string | null {
  let best: string | null = null;
  for (const stem of releaseStems) if (listName.startsWith(stem) && (best === null || stem.length > best.length)) best = stem;
  return best;
}

/** The host a list file came from (apt's "site", what `Pin: origin` matches). */
export function siteOf(listName: string): string {
  return decodeURIComponent(listName.split('_')[0] ?? '').replace(/^[^@]*@/, '').replace(/:\d+$/, '');
}

export interface PinRecord {
  path: string;
  line: number;
  /** Package names, globs or /regexps/; ['*'] for a generic pin. */
  packages: string[];
  pin: { kind: 'release'; conditions: Record<string, string> } | { kind: 'origin'; host: string } | { kind: 'version'; pattern: string };
  priority: number;
  text: string;
}

export interface PreferencesParse {
  pins: PinRecord[];
  errors: { path: string; line: number; message: string }[];
}

/** apt_preferences(5): stanzas of Package / Pin / Pin-Priority (Explanation ignored). */
export function parsePreferences(text: string, path: string): PreferencesParse {
  const pins: PinRecord[] = [];
  const errors: PreferencesParse['errors'] = [];
  const lines = text.split('\n');
  let cur: { start: number; fields: Record<string, string>; text: string[] } | null = null;
  const flush = (): void => {
    if (!cur) return;
    const f = cur.fields;
    const c = cur;
    cur = null;
    if (f.package === undefined && f.pin === undefined && f['pin-priority'] === undefined) return;
    if (f.package === undefined || f.pin === undefined || f['pin-priority'] === undefined) {
      errors.push({ path, line: c.start, message: 'incomplete pin: Package, Pin and Pin-Priority are all needed' });
      return;
    }
    const prio = Number(f['pin-priority']);
    if (!Number.isInteger(prio)) {
      errors.push({ path, line: c.start, message: `Pin-Priority ${JSON.stringify(f['pin-priority'])} is not a number` });
      return;
    }
    const m = /^(release|origin|version)\s*(.*)$/.exec(f.pin);
    if (!m) {
      errors.push({ path, line: c.start, message: `unknown pin type ${JSON.stringify(f.pin)}` });
      return;
    }
    const arg = m[2]!.trim();
    let pin: PinRecord['pin'];
    if (m[1] === 'origin') pin = { kind: 'origin', host: arg.replace(/^"(.*)"$/, '$1') };
    else if (m[1] === 'version') pin = { kind: 'version', pattern: arg };
    else {
      const conditions: Record<string, string> = {};
      for (const part of arg.split(',')) {
        const kv = part.trim();
        if (!kv) continue;
        const eq = kv.indexOf('=');
        if (eq < 0) conditions.v = kv;
        else conditions[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      }
      pin = { kind: 'release', conditions };
    }
    pins.push({ path, line: c.start, packages: f.package.split(/\s+/).filter(Boolean), pin, priority: prio, text: c.text.join(' | ') });
  };
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      flush();
      return;
    }
    if (/^\s*#/.test(line)) return;
    if (/^\s/.test(line)) return; // continuation (Explanation)
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (!m) {
      errors.push({ path, line: i + 1, message: `not a field: ${JSON.stringify(line.slice(0, 80))}` });
      return;
    }
    cur ??= { start: i + 1, fields: {}, text: [] };
    const key = m[1]!.toLowerCase();
    if (key !== 'explanation') {
      cur.fields[key] = m[2]!.trim();
      cur.text.push(line.trim());
    }
  });
  flush();
  return { pins, errors };
}

/** apt's pattern semantics for pins: /regexp/, glob with * ? [..], else exact. */
export function matchPinPattern(pattern: string, value: string): boolean {
  if (pattern.length >= 2 && pattern.startsWith('/') && pattern.endsWith('/')) {
    try {
      return new RegExp(pattern.slice(1, -1)).test(value);
    } catch {
      return false;
    }
  }
  if (/[*?[]/.test(pattern)) return globToRegExp(pattern).test(value);
  return pattern === value;
}

export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

/** What a pin is matched against: a list file's release fields and site. */
export interface PinnableFile {
  origin: string;
  label: string;
  suite: string;
  codename: string;
  component: string;
  version: string;
  arch: string;
  site: string;
}

/** pkgVersionMatch::FileMatch for `Pin: release ...` and `Pin: origin ...`. */
export function pinMatchesFile(pin: PinRecord['pin'], f: PinnableFile): boolean {
  if (pin.kind === 'origin') return pin.host === f.site;
  if (pin.kind === 'version') return false;
  const fields: Record<string, string> = { a: f.suite, n: f.codename, o: f.origin, l: f.label, c: f.component, v: f.version, b: f.arch };
  for (const [k, v] of Object.entries(pin.conditions)) {
    const field = fields[k];
    if (field === undefined) return false;
    if (k === 'v' && !/[*?[/]/.test(v)) {
      if (!(field === v || field.startsWith(v + '.'))) return false;
    } else if (!matchPinPattern(v, field)) return false;
  }
  return true;
}

export const STATUS_PRIORITY = 100;

/**
 * apt's candidate (apt_preferences(5), pkgPolicy::GetCandidateVer): the version with the highest
 * priority wins, the higher version on a tie; a version below the installed one only with a
 * priority of 1000 or more; priorities of 0 or less never win. `prio` gives each version's priority.
 */
export function pickCandidate(installed: string, versions: readonly string[], prio: (v: string) => number, compare: (a: string, b: string) => number): string {
  let best = installed;
  let bestPrio = prio(installed);
  for (const v of versions) {
    if (v === installed) continue;
    const p = prio(v);
    if (p <= 0) continue;
    const c = compare(v, installed);
    if (c < 0 && p < 1000) continue;
    if (p > bestPrio || (p === bestPrio && compare(v, best) > 0)) {
      best = v;
      bestPrio = p;
    }
  }
  return best;
}
