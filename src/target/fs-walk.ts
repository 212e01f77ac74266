// Target.walk for a file system on this machine: GNU find on host paths (measured as fast as a bare
// find), paths mapped back to target paths; the built-in walker when find is missing.
import { spawn } from 'node:child_process';
import { readlinkSync, type Stats } from 'node:fs';
import { walkTree } from './walker.js';
import type { FileType, WalkEnd, WalkEntry, WalkEvent, WalkFilter, WalkOptions } from './types.js';

export const DEFAULT_WALK_MAX_ENTRIES = 1_000_000;
export const DEFAULT_WALK_TIMEOUT_MS = 60_000;
const MAX_STDERR = 256 * 1024;
const FIND_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

/** A walk root: the target path that names it and the host path it resolved to. */
export interface HostRoot {
  target: string;
  host: string;
}

export interface HostWalk {
  roots: readonly HostRoot[];
  /** Host paths not to descend into. */
  prune: readonly string[];
  filter: WalkFilter;
  opts: WalkOptions;
  /** The find binary; null: the built-in walker only. */
  findBinary: string | null;
  /** Events for roots that could not be resolved, given right after `start`. */
  preface?: readonly WalkEvent[];
  /** Runs find elsewhere (SshTarget: over ssh): the local argv and environment that run the find argv. */
  via?: (find: string[]) => { argv: string[]; env: NodeJS.ProcessEnv };
}

const strict = new TextDecoder('utf-8', { fatal: true });

/** Exact when the bytes are UTF-8; otherwise invalid bytes become \xNN (raw keeps the bytes). */
export function decodePath(bytes: Buffer): { path: string; raw: Buffer | null } {
  try {
    return { path: strict.decode(bytes), raw: null };
  } catch {
    return { path: escapeInvalidUtf8(bytes), raw: Buffer.from(bytes) };
  }
}

function seqLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

export function escapeInvalidUtf8(bytes: Buffer): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const n = seqLength(bytes[i]!);
    if (n > 0 && i + n <= bytes.length) {
      try {
        out += strict.decode(bytes.subarray(i, i + n));
        i += n;
        continue;
      } catch {
        // falls through: not a valid sequence
      }
    }
    out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
    i++;
  }
  return out;
}

/** Host path bytes → target path bytes, by the walk root they lie under (the longest host prefix). */
function mapper(roots: readonly HostRoot[]): (host: Buffer) => Buffer {
  if (roots.every((r) => r.host === r.target)) return (h) => h;
  const sorted = [...roots]
    .sort((a, b) => b.host.length - a.host.length)
    .map((r) => ({ host: Buffer.from(r.host), target: Buffer.from(r.target) }));
  return (h) => {
    for (const r of sorted) {
      if (h.length === r.host.length && h.equals(r.host)) return r.target;
      const under = r.host.length === 1 ? h[0] === 0x2f : h.length > r.host.length && h[r.host.length] === 0x2f;
      if (under && h.subarray(0, r.host.length).equals(r.host))
        return Buffer.concat([r.target.length === 1 ? Buffer.alloc(0) : r.target, r.host.length === 1 ? h : h.subarray(r.host.length)]);
    }
    return h;
  };
}

function escapeFindPattern(p: string): string {
  return p.replace(/[[\]*?\\]/g, (c) => `\\${c}`);
}

const FIND_TYPE: Record<FileType, string> = {
  file: 'f',
  dir: 'd',
  symlink: 'l',
  block: 'b',
  char: 'c',
  fifo: 'p',
  socket: 's',
  other: 'D',
};
const FROM_FIND_TYPE: Record<string, FileType> = { f: 'file', d: 'dir', l: 'symlink', b: 'block', c: 'char', p: 'fifo', s: 'socket' };

/** The find(1) command line for a walk (host paths). */
export function findArgv(w: Pick<HostWalk, 'roots' | 'prune' | 'filter' | 'opts'>, binary = 'find'): string[] {
  const { filter, opts } = w;
  const prune = w.prune.flatMap((p, i) => (i === 0 ? ['-path', escapeFindPattern(p)] : ['-o', '-path', escapeFindPattern(p)]));
  const types = filter.types ?? [];
  const match: string[] = [];
  if (types.length === 1) match.push('-type', FIND_TYPE[types[0]!]);
  else if (types.length > 1) match.push('(', ...types.flatMap((t, i) => [...(i > 0 ? ['-o'] : []), '-type', FIND_TYPE[t]]), ')');
  if (filter.permAll !== undefined) match.push('-perm', `-${(filter.permAll & 0o7777).toString(8).padStart(4, '0')}`);
  const format = opts.detail ? 'W %m %y %U %G %s %D %p\\0%l\\0' : 'W %m %y %U %p\\0';
  const test = filter.unreadableDirs
    ? ['(', ...match, '-printf', format, ',', '-type', 'd', '!', '-readable', '-printf', 'U %p\\0', ')']
    : [...match, '-printf', format];
  return [
    binary,
    '-P',
    ...w.roots.map((r) => r.host),
    ...(opts.xdev ? ['-xdev'] : []),
    ...(prune.length > 0 ? ['(', ...prune, ')', '-prune', '-o'] : []),
    ...test,
  ];
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

type Step = WalkEvent | 'not-found';

/** Runs the walk: find when it can, else the built-in walker. Never throws; the last event is `end`. */
export async function* hostWalk(w: HostWalk): AsyncGenerator<WalkEvent> {
  if (w.findBinary !== null) {
    let notFound = false;
    for await (const step of findWalk(w, w.findBinary)) {
      if (step === 'not-found') {
        notFound = true;
        break;
      }
      yield step;
    }
    if (!notFound) return;
  }
  yield* walkerWalk(w);
}

async function* findWalk(w: HostWalk, binary: string): AsyncGenerator<Step> {
  const argv = findArgv(w, binary);
  const command = argv.map(shellQuote).join(' ');
  const timeoutMs = w.opts.timeoutMs ?? DEFAULT_WALK_TIMEOUT_MS;
  const maxEntries = w.opts.maxEntries ?? DEFAULT_WALK_MAX_ENTRIES;
  const toTarget = mapper(w.roots);
  const detail = w.opts.detail === true;
  const run = w.via ? w.via(argv) : { argv, env: { PATH: FIND_PATH, LC_ALL: 'C', LANG: 'C' } };
  const child = spawn(run.argv[0]!, run.argv.slice(1), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: run.env,
  });
  let exited = false;
  const closed = new Promise<number>((resolve) =>
    child.on('close', (code, signal) => {
      exited = true;
      resolve(code ?? (signal ? 128 : 1));
    }),
  );
  const started = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    child.once('spawn', () => resolve(null));
    child.once('error', (e: NodeJS.ErrnoException) => resolve(e));
  });
  if (started) {
    if (started.code === 'ENOENT') {
      yield 'not-found';
      return;
    }
    yield { kind: 'end', end: { status: 'error', method: 'find', command, message: `${command}: ${started.message}` } };
    return;
  }
  yield { kind: 'start', method: 'find', command };
  yield* w.preface ?? [];
  const kill = () => {
    if (exited) return;
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, timeoutMs);
  const errChunks: Buffer[] = [];
  let errSize = 0;
  child.stderr.on('data', (c: Buffer) => {
    if (errSize >= MAX_STDERR) return;
    errSize += c.length;
    errChunks.push(c);
  });
  let entries = 0;
  let unreadable = 0;
  let limited = false;
  const known: string[] = [];
  let pending = Buffer.alloc(0);
  /** A W record of a detail walk waiting for its link field. */
  let waiting: WalkEntry | null = null;
  /** find closed its stdout by itself: it is exiting, so killing it now would turn its exit code into a signal. */
  let drained = false;
  try {
    outer: for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      let nul: number;
      while ((nul = buf.indexOf(0)) >= 0) {
        const rec = buf.subarray(0, nul);
        buf = buf.subarray(nul + 1);
        if (waiting) {
          if (waiting.type === 'symlink') waiting.link = decodePath(rec).path;
          const e = waiting;
          waiting = null;
          yield { kind: 'entry', entry: e };
          continue;
        }
        if (rec[0] === 0x55 /* U */) {
          const p = decodePath(toTarget(rec.subarray(2)));
          unreadable++;
          known.push(decodePath(rec.subarray(2)).path);
          yield { kind: 'unreadable', ...p, reason: 'directory not readable' };
          continue;
        }
        const e = parseRecord(rec, detail, toTarget);
        if (!e) continue;
        if (++entries > maxEntries) {
          limited = true;
          break outer;
        }
        if (detail) waiting = e;
        else yield { kind: 'entry', entry: e };
      }
      pending = Buffer.from(buf);
    }
    drained = !limited;
  } finally {
    // The consumer stopped early (or the limit was reached): find is not left running.
    if (!drained) kill();
    clearTimeout(timer);
  }
  const code = await closed;
  if (timedOut) {
    yield { kind: 'end', end: { status: 'timeout', method: 'find', command, message: `${command} did not finish within ${timeoutMs} ms` } };
    return;
  }
  if (limited) {
    yield { kind: 'end', end: { status: 'limit', method: 'find', command, message: `the walk stopped at ${maxEntries} entries` } };
    return;
  }
  const stderr = Buffer.concat(errChunks).toString('utf8');
  const hostRoots = w.roots.filter((r) => r.host !== r.target);
  for (const line of stderr.split('\n')) {
    // A file removed while the walk ran is not a gap; a directory already listed by -readable is not counted twice.
    if (!line.startsWith('find: ') || line.endsWith('No such file or directory') || known.some((k) => line.includes(`${k}'`))) continue;
    let text = line.slice(6);
    for (const r of hostRoots)
      text = text
        .split(`'${r.host}'`)
        .join(`'${r.target}'`)
        .split(`'${r.host}/`)
        .join(`'${r.target === '/' ? '' : r.target}/`);
    unreadable++;
    yield { kind: 'unreadable', path: null, raw: null, reason: [...text].map((c) => (c.charCodeAt(0) < 0x20 ? '?' : c)).join('') };
  }
  if (code !== 0 && unreadable === 0) {
    yield {
      kind: 'end',
      end: { status: 'error', method: 'find', command, message: `${command} exited with ${code}: ${stderr.split('\n')[0] ?? ''}` },
    };
    return;
  }
  yield { kind: 'end', end: { status: 'done', method: 'find', command, message: null } };
}

/** "W <mode> <type> <uid> [<gid> <size> <dev>] <path>" */
function parseRecord(rec: Buffer, detail: boolean, toTarget: (h: Buffer) => Buffer): WalkEntry | null {
  if (rec[0] !== 0x57) return null;
  const fields: string[] = [];
  let at = 2;
  for (let i = 0; i < (detail ? 6 : 3); i++) {
    const sp = rec.indexOf(0x20, at);
    if (sp < 0) return null;
    fields.push(rec.subarray(at, sp).toString('latin1'));
    at = sp + 1;
  }
  const num = (s: string | undefined) => (s === undefined ? null : Number(s));
  return {
    ...decodePath(toTarget(rec.subarray(at))),
    mode: parseInt(fields[0]!, 8),
    type: FROM_FIND_TYPE[fields[1]!] ?? 'other',
    uid: Number(fields[2]),
    gid: detail ? num(fields[3]) : null,
    size: detail ? num(fields[4]) : null,
    dev: detail ? num(fields[5]) : null,
    link: null,
  };
}

/** The file type of an lstat/stat result. */
export function fileType(s: Stats): FileType {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isBlockDevice()) return 'block';
  if (s.isCharacterDevice()) return 'char';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  return 'other';
}

async function* walkerWalk(w: HostWalk): AsyncGenerator<WalkEvent> {
  const roots = w.roots.map((r) => r.host);
  const command = `built-in walk of ${roots.join(', ')} (find(1) not available), not following symlinks`;
  const timeoutMs = w.opts.timeoutMs ?? DEFAULT_WALK_TIMEOUT_MS;
  const maxEntries = w.opts.maxEntries ?? DEFAULT_WALK_MAX_ENTRIES;
  const deadline = Date.now() + timeoutMs;
  const toTarget = mapper(w.roots);
  const types = w.filter.types ? new Set(w.filter.types) : null;
  const perm = w.filter.permAll ?? 0;
  const end = (status: WalkEnd['status'], message: string | null): WalkEvent => ({
    kind: 'end',
    end: { status, method: 'walker', command, message },
  });
  yield { kind: 'start', method: 'walker', command };
  yield* w.preface ?? [];
  let n = 0;
  let entries = 0;
  for (const step of walkTree(roots, { prune: new Set(w.prune), xdev: w.opts.xdev === true })) {
    if (++n % 4096 === 0) {
      await new Promise((r) => setImmediate(r));
      if (Date.now() > deadline) {
        yield end('timeout', `the file system walk did not finish within ${timeoutMs} ms`);
        return;
      }
    }
    if (step.error !== undefined) {
      yield { kind: 'unreadable', ...decodePath(toTarget(step.path)), reason: step.error };
      continue;
    }
    const st = step.stats;
    const type = fileType(st);
    if ((types && !types.has(type)) || (st.mode & perm) !== perm) continue;
    if (++entries > maxEntries) {
      yield end('limit', `the walk stopped at ${maxEntries} entries`);
      return;
    }
    let link: string | null = null;
    if (w.opts.detail && type === 'symlink')
      try {
        link = decodePath(readlinkSync(step.path, { encoding: 'buffer' })).path;
      } catch {
        link = null;
      }
    yield {
      kind: 'entry',
      entry: {
        ...decodePath(toTarget(step.path)),
        type,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: w.opts.detail ? st.gid : null,
        size: w.opts.detail ? st.size : null,
        dev: w.opts.detail ? st.dev : null,
        link,
      },
    };
  }
  yield end('done', null);
}
