// The batched half of the one-trip payload (issue 11 performance): on a host with GNU stat, find and tar,
// a wave's stat/lstat/list/read requests are answered by a few "bulk" records (one `stat` for all stats,
// one `find -files0-from` for all listings, one `tar` for all regular-file reads, one `tar` of the
// bounded copies of the size-0 files of /proc and /sys), each request's own record then only says
// "bulk". This file plans a wave (which requests share which bulk record, their bounds) and parses the
// bulk bodies; every parser is strict and throws BulkError on a malformed body (the host fails).
import type { DirEntry, FileType, StatInfo } from '../target/types.js';

export type BulkKind = 'stat' | 'lstat' | 'list' | 'tar' | 'post' | 'big' | 'ztar';
export const BULK_KINDS: ReadonlySet<string> = new Set<BulkKind>(['stat', 'lstat', 'list', 'tar', 'post', 'big', 'ztar']);

export class BulkError extends Error {}

/** The requests a wave batches: distinct paths per kind, reads by (path, bound) with the first id of each. */
export interface BulkPlan {
  stat: string[];
  lstat: string[];
  list: string[];
  /** key `${max}\0${path}` → the first request id that reads it (the id of its /proc copy). */
  readIds: Map<string, number>;
  reads: { id: number; path: string; max: number }[];
  maxes: number[];
}

interface PlanInput {
  op: string;
  path?: string;
  maxBytes?: number;
}

/** Files whose size stat(2) does not give (procfs says 0, sysfs 4096): read by a bounded copy, never by tar. */
export function pseudoFile(path: string): boolean {
  return /^\/(proc|sys)\//.test(path);
}

export function readKey(path: string, max: number): string {
  return `${max}\0${path}`;
}

export function planBulk(requests: readonly PlanInput[]): BulkPlan {
  const stat = new Set<string>();
  const lstat = new Set<string>();
  const list = new Set<string>();
  const readIds = new Map<string, number>();
  const reads: BulkPlan['reads'] = [];
  const maxes = new Set<number>();
  requests.forEach((r, id) => {
    if (r.path === undefined) return;
    if (r.op === 'stat') stat.add(r.path);
    else if (r.op === 'lstat') lstat.add(r.path);
    else if (r.op === 'list') list.add(r.path);
    else if (r.op === 'read' && r.maxBytes !== undefined) {
      const k = readKey(r.path, r.maxBytes);
      if (!readIds.has(k)) {
        readIds.set(k, id);
        reads.push({ id, path: r.path, max: r.maxBytes });
        maxes.add(r.maxBytes);
      }
    }
  });
  return { stat: [...stat], lstat: [...lstat], list: [...list], readIds, reads, maxes: [...maxes].sort((a, b) => a - b) };
}

const bytesOf = (s: string): number => Buffer.byteLength(s, 'utf8');

/** The largest body each bulk record of this plan may have (a bigger announce fails the host). */
export function bulkLimit(plan: BulkPlan, kind: BulkKind): number {
  const paths = (ps: readonly string[], per: number) => ps.reduce((n, p) => n + per + bytesOf(p), 0);
  switch (kind) {
    case 'stat':
      return paths(plan.stat, 128);
    case 'lstat':
      return paths(plan.lstat, 128);
    case 'list':
      // A listing had 1 MiB as one record; the same bound per directory here.
      return paths(plan.list, 1024 * 1024 + 16);
    case 'post':
    case 'big':
      return plan.reads.reduce((n, r) => n + 64 + bytesOf(r.path), 0);
    case 'tar':
      // Header, GNU long-name header and its data, the body rounded up to 512; the end blocks.
      return plan.reads.reduce((n, r) => n + r.max + 2048 + 2 * bytesOf(r.path), 0) + 20_480;
    case 'ztar':
      return plan.reads.reduce((n, r) => n + r.max + 1 + 1536, 0) + 20_480;
  }
}

// ---- the parsers

/** Splits a body of NUL-terminated items. */
function items(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const nul = body.indexOf(0, at);
    if (nul < 0) throw new BulkError('an item not NUL-terminated');
    out.push(body.subarray(at, nul));
    at = nul + 1;
  }
  return out;
}

/** A path as the host's bytes (the key the bulk maps use). */
export function hostKey(path: string): string {
  return Buffer.from(path, 'utf8').toString('latin1');
}

/** The stat of `stat --printf '%f %u %g %s %Y %d %i'` fields (groups 1–7 of a match: raw mode in hex, uid, gid, size, mtime s, dev, ino). */
export function statOfFields(m: RegExpExecArray): StatInfo {
  const raw = parseInt(m[1] as string, 16);
  return {
    type: typeOfMode(raw),
    mode: raw & 0o7777,
    uid: Number(m[2]),
    gid: Number(m[3]),
    size: Number(m[4]),
    mtimeMs: Number(m[5]) * 1000,
    dev: Number(m[6]),
    ino: Number(m[7]),
  };
}

function typeOfMode(raw: number): FileType {
  const t: Record<number, FileType> = {
    0o100000: 'file',
    0o040000: 'dir',
    0o120000: 'symlink',
    0o060000: 'block',
    0o020000: 'char',
    0o010000: 'fifo',
    0o140000: 'socket',
  };
  return t[raw & 0o170000] ?? 'other';
}

/** `stat --printf '%f %u %g %s %Y %d %i %n\0'`: path (host bytes) → stat. */
export function parseStats(body: Buffer): Map<string, StatInfo> {
  const out = new Map<string, StatInfo>();
  for (const it of items(body)) {
    const m = /^([0-9a-f]{1,8}) (\d+) (\d+) (\d+) (-?\d+) (\d+) (\d+) ([^]+)$/.exec(it.toString('latin1'));
    if (!m) throw new BulkError('bad stat line');
    const name = m[8] as string;
    if (!out.has(name)) out.set(name, statOfFields(m));
  }
  return out;
}

/** `%s %Y %n\0` (post-read stat) or `%s %n\0` (files over their bound): path → [size, mtime | null]. */
export function parseSizes(body: Buffer, withMtime: boolean): Map<string, { size: number; mtime: number | null }> {
  const out = new Map<string, { size: number; mtime: number | null }>();
  const re = withMtime ? /^(\d+) (-?\d+) ([^]+)$/ : /^(\d+) ([^]+)$/;
  for (const it of items(body)) {
    const m = re.exec(it.toString('latin1'));
    if (!m) throw new BulkError('bad size line');
    const name = (withMtime ? m[3] : m[2]) as string;
    if (!out.has(name)) out.set(name, { size: Number(m[1]), mtime: withMtime ? Number(m[2]) : null });
  }
  return out;
}

const FIND_TYPES: Record<string, FileType> = { f: 'file', d: 'dir', l: 'symlink', b: 'block', c: 'char', p: 'fifo', s: 'socket' };

/** `find -H -files0-from L -maxdepth 1 -printf '%d %y %H\0%f\0'`: start (host bytes) → entries (sorted). */
export function parseListings(body: Buffer): Map<string, DirEntry[]> {
  const out = new Map<string, DirEntry[]>();
  const all = items(body);
  if (all.length % 2 !== 0) throw new BulkError('a listing item without its name');
  for (let i = 0; i < all.length; i += 2) {
    const head = (all[i] as Buffer).toString('latin1');
    const m = /^([01]) (.) ([^]+)$/.exec(head);
    if (!m) throw new BulkError('bad listing line');
    const start = m[3] as string;
    if (m[1] === '0') {
      // A start that is no longer a directory (replaced since the shell's test): no listing, so that
      // request alone is an io error.
      if (m[2] === 'd' && !out.has(start)) out.set(start, []);
      continue;
    }
    const entries = out.get(start);
    const name = (all[i + 1] as Buffer).toString('utf8');
    if (!entries || name === '' || name.includes('/')) throw new BulkError('bad listing entry');
    entries.push({ name, type: FIND_TYPES[m[2] as string] ?? 'other' });
  }
  for (const e of out.values()) e.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

export interface TarMember {
  data: Buffer;
  size: number;
  mtime: number;
}

function octal(b: Buffer, what: string): number {
  const s = b
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  if (!/^[0-7]{1,12}$/.test(s)) throw new BulkError(`tar: bad ${what} field`);
  return parseInt(s, 8);
}

function cstring(b: Buffer): Buffer {
  const nul = b.indexOf(0);
  return nul < 0 ? b : b.subarray(0, nul);
}

/**
 * A GNU tar stream (`--format=gnu`, regular files and ././@LongLink names only): name (host bytes) →
 * the first member of that name. Checksums are verified; anything else is a BulkError.
 */
export function parseTar(body: Buffer): Map<string, TarMember> {
  const out = new Map<string, TarMember>();
  let at = 0;
  let longName: Buffer | null = null;
  while (at + 512 <= body.length) {
    const h = body.subarray(at, at + 512);
    if (h.every((x) => x === 0)) return out;
    const sum = octal(h.subarray(148, 156), 'checksum');
    let calc = 0;
    for (let i = 0; i < 512; i++) calc += i >= 148 && i < 156 ? 32 : (h[i] as number);
    if (calc !== sum) throw new BulkError('tar: bad header checksum');
    const type = String.fromCharCode(h[156] as number);
    const size = octal(h.subarray(124, 136), 'size');
    // A base-256 mtime (before 1970 or far ahead): unknown, so the read is marked changed, never trusted.
    const mtime = ((h[136] as number) & 0x80) !== 0 ? Number.NaN : octal(h.subarray(136, 148), 'mtime');
    const dataAt = at + 512;
    const next = dataAt + Math.ceil(size / 512) * 512;
    if (dataAt + size > body.length) throw new BulkError('tar: a member past the end of the stream');
    const data = body.subarray(dataAt, dataAt + size);
    if (type === 'L') longName = Buffer.from(cstring(data));
    else if (type === '0' || type === '\0') {
      const name = (longName ?? cstring(h.subarray(0, 100))).toString('latin1');
      longName = null;
      if (!out.has(name)) out.set(name, { data: Buffer.from(data), size, mtime });
    } else if (type === 'K') {
      // a long link name: no regular file follows that uses it
    } else {
      // A link, a directory, a device: not a file's content (--hard-dereference, -h): ignored, the
      // request it was for then has no answer and is an error of its own.
      longName = null;
    }
    at = next;
  }
  if (at !== body.length) throw new BulkError('tar: a partial block at the end');
  return out;
}
