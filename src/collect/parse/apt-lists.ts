import { gunzipSync } from 'node:zlib';
import { decodeLz4Buffer } from './lz4-stream.js';

/** Largest decompressed Packages file accepted (bookworm main is ~50 MB). */
export const MAX_LIST_BYTES = 512 * 1024 * 1024;

export type Decoded = { ok: true; bytes: Buffer } | { ok: false; message: string };

/** A whole lz4 list in memory (see lz4-stream.ts; the collector streams instead). */
export function decodeLz4Frame(src: Buffer, maxOut = MAX_LIST_BYTES): Decoded {
  const d = decodeLz4Buffer(src, maxOut);
  return d.ok ? d : { ok: false, message: d.message };
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

const NEEDLE = Buffer.from('Package: ', 'latin1');
const LINE_NEEDLE = Buffer.from('\nPackage: ', 'latin1');
/** A stanza ends where a blank line is followed by the next "Package: ". */
const DELIM = Buffer.from('\n\nPackage: ', 'latin1');
/** How much of a chunk the scanner takes at a time: what it copies stays small. */
const SLICE = 64 * 1024;
/** A "Package:" line this long is no package name: its stanza is skipped without keeping it. */
const MAX_NAME_LINE = 64 * 1024;

/**
 * Incremental scanner of a Packages file, fed in chunks of any size (decoded data as it comes):
 * searches "Package: " at line starts and parses only stanzas whose name is wanted. Keeps only the
 * stanza being read across chunk boundaries, and of an unwanted one only the few bytes that may
 * start the next "\n\nPackage: ". Gives the same entries as scanning the whole file at once.
 */
export class PackagesScanner {
  readonly entries: ListEntry[] = [];
  /** Unscanned bytes: [0, len) — a stanza's start (or, when skipping, a tail) then new input. */
  private buf: Buffer = Buffer.allocUnsafe(2 * SLICE);
  private len = 0;
  /** Before the first "Package: " at a line start; atStart: nothing but a prefix of it seen yet. */
  private started = false;
  private atStart = true;
  /** Inside an unwanted stanza whose name line was read: only looking for its end. */
  private skipping = false;
  /** Where the search for the current stanza's end goes on, relative to its start. */
  private resume = 0;

  /** Hashes of the wanted names' bytes: most stanzas are ruled out without making a string. */
  private readonly hashes = new Set<number>();

  constructor(private readonly wanted: ReadonlySet<string>) {
    for (const name of wanted) {
      const bytes = Buffer.from(name, 'latin1');
      // A name with characters beyond latin1 never equals a latin1-decoded line.
      if (bytes.toString('latin1') === name) this.hashes.add(hashBytes(bytes, 0, bytes.length));
    }
  }

  push(chunk: Uint8Array): void {
    for (let off = 0; off < chunk.length; off += SLICE) {
      const piece = chunk.subarray(off, Math.min(off + SLICE, chunk.length));
      if (this.len + piece.length > this.buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + piece.length));
        this.buf.copy(bigger, 0, 0, this.len);
        this.buf = bigger;
      }
      this.buf.set(piece, this.len);
      this.len += piece.length;
      this.scan();
    }
  }

  /** The input is complete: the last stanza is whatever is left. */
  end(): ListEntry[] {
    if (this.started && !this.skipping && this.len > 0) {
      const b = this.buf.subarray(0, this.len);
      const nameStart = NEEDLE.length;
      const eol = b.indexOf(10, nameStart);
      this.take(b, 0, this.nameAt(b, nameStart, eol < 0 ? b.length : eol), b.length);
    }
    this.len = 0;
    this.skipping = false;
    return this.entries;
  }

  private scan(): void {
    const b = this.buf.subarray(0, this.len);
    let pos = 0;
    if (!this.started) {
      if (this.atStart) {
        if (b.length < NEEDLE.length && NEEDLE.subarray(0, b.length).equals(b)) return;
        this.atStart = false;
        if (b.subarray(0, NEEDLE.length).equals(NEEDLE)) this.started = true;
      }
      if (!this.started) {
        const i = b.indexOf(LINE_NEEDLE);
        if (i < 0) {
          this.keep(Math.max(0, b.length - (LINE_NEEDLE.length - 1)));
          return;
        }
        pos = i + 1;
        this.started = true;
      }
    }
    for (;;) {
      if (this.skipping) {
        const next = b.indexOf(DELIM, pos);
        if (next < 0) {
          this.keep(Math.max(pos, b.length - (DELIM.length - 1)));
          return;
        }
        this.skipping = false;
        this.resume = 0;
        pos = next + 2;
        continue;
      }
      const nameStart = pos + NEEDLE.length;
      const eol = b.indexOf(10, nameStart);
      if (eol < 0) {
        if (b.length - nameStart > MAX_NAME_LINE) {
          this.skipping = true;
          this.keep(b.length - (DELIM.length - 1));
        } else this.keep(pos);
        return;
      }
      const name = this.nameAt(b, nameStart, eol);
      const next = b.indexOf(DELIM, Math.max(nameStart, pos + this.resume));
      if (next < 0) {
        if (name !== null) {
          this.resume = Math.max(NEEDLE.length, b.length - pos - (DELIM.length - 1));
          this.keep(pos);
        } else {
          this.skipping = true;
          this.keep(Math.max(nameStart, b.length - (DELIM.length - 1)));
        }
        return;
      }
      this.take(b, pos, name, next + 1);
      this.resume = 0;
      pos = next + 2;
    }
  }

  /** Drops what is scanned: [from, len) moves to the front. */
  private keep(from: number): void {
    if (from > 0) this.buf.copy(this.buf, 0, from, this.len);
    this.len -= from;
  }

  /** The name on a Package: line (trimmed like String.prototype.trim) when it is wanted, else null. */
  private nameAt(b: Buffer, start: number, end: number): string | null {
    while (start < end && isSpace(b[start]!)) start++;
    while (end > start && isSpace(b[end - 1]!)) end--;
    if (!this.hashes.has(hashBytes(b, start, end))) return null;
    const name = b.toString('latin1', start, end);
    return this.wanted.has(name) ? name : null;
  }

  private take(b: Buffer, pos: number, name: string | null, stanzaEnd: number): void {
    if (name === null) return;
    const stanza = b.toString('utf8', pos, stanzaEnd);
    const version = /^Version:[ \t]*(\S+)/m.exec(stanza)?.[1];
    const arch = /^Architecture:[ \t]*(\S+)/m.exec(stanza)?.[1];
    if (version && arch) this.entries.push({ name, version, arch });
  }
}

/** The white space String.prototype.trim removes, among latin1 characters. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

/** FNV-1a over b[start, end). */
function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

/** The wanted stanzas of a whole Packages file in memory (see PackagesScanner). */
export function scanPackages(buf: Buffer, wanted: ReadonlySet<string>): ListEntry[] {
  const s = new PackagesScanner(wanted);
  s.push(buf);
  return s.end();
}

/** Splits a list file name into its repository prefix (the matching Release file's stem). */
export function releaseStemOf(listName: string, releaseStems: readonly string[]): string | null {
  let best: string | null = null;
  for (const stem of releaseStems) if (listName.startsWith(stem) && (best === null || stem.length > best.length)) best = stem;
  return best;
}

/** The host a list file came from (apt's "site", what `Pin: origin` matches). */
export function siteOf(listName: string): string {
  return decodeURIComponent(listName.split('_')[0] ?? '')
    .replace(/^[^@]*@/, '')
    .replace(/:\d+$/, '');
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
        else
          conditions[kv.slice(0, eq).trim()] = kv
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
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
        re +=
          '[' +
          glob
            .slice(i + 1, close)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
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
export function pickCandidate(
  installed: string,
  versions: readonly string[],
  prio: (v: string) => number,
  compare: (a: string, b: string) => number,
): string {
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
