import { globOver } from './glob-over.js';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { posix } from 'node:path';
import { spawn } from 'node:child_process';
import { connect as netConnect } from 'node:net';
import { fileType, hostWalk, shellQuote, type HostRoot } from './fs-walk.js';
import { isUnderPath } from './paths.js';
import { batchByCalls } from './batch.js';
import type {
  BatchRequest,
  BatchResult,
  BytesResult,
  ConnectResult,
  Endpoint,
  DirEntry,
  FsError,
  FsErrorKind,
  ListResult,
  ReadOptions,
  ReadResult,
  RunOptions,
  RunResult,
  MountTableResult,
  StatResult,
  Target,
  WalkEvent,
  WalkFilter,
  WalkOptions,
} from './types.js';

export { shellQuote } from './fs-walk.js';

const DEFAULT_MAX_READ = 4 * 1024 * 1024;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_SYMLINK_HOPS = 40; // Linux's MAXSYMLINKS
const MAX_RANGE = 64 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const MOUNTINFO = '/proc/self/mountinfo';

function fsError(error: FsErrorKind, message: string): FsError {
  return { ok: false, error, message };
}

function errnoKind(e: unknown): FsErrorKind {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'missing';
    case 'EACCES':
    case 'EPERM':
      return 'denied';
    case 'ELOOP':
      return 'loop';
    case 'ENOTDIR':
      return 'not-dir';
    case 'EISDIR':
      return 'not-file';
    default:
      return 'io';
  }
}

const KIND_TEXT: Record<FsErrorKind, string> = {
  missing: 'does not exist',
  denied: 'permission denied',
  'too-large': 'is larger than the read limit',
  binary: 'holds binary data (NUL bytes), not text',
  loop: 'has too many levels of symbolic links (a loop?)',
  'not-file': 'is not a regular file',
  'not-dir': 'is not a directory',
  io: 'could not be read',
};

export function describeFsError(path: string, kind: FsErrorKind): string {
  return `${JSON.stringify(path)} ${KIND_TEXT[kind]}`;
}

function statOk(s: Stats): StatResult {
  return {
    ok: true,
    type: fileType(s),
    mode: s.mode & 0o7777,
    uid: s.uid,
    gid: s.gid,
    size: s.size,
    mtimeMs: s.mtimeMs,
    dev: s.dev,
    ino: s.ino,
  };
}

/** Normalises a target path: absolute, no trailing slash, '.' and '..' folded (clamped at /). */
export function normalizeTargetPath(p: string): string {
  // Most paths are already normal; posix.resolve costs more than the file access it precedes.
  // (no empty, '.' or '..' component and no trailing slash: nothing to fold)
  if (p.startsWith('/') && !/\/\.{0,2}(\/|$)/.test(p)) return p;
  return posix.resolve('/', p);
}

/**
 * A target backed by this machine's file system: the live host (root '/', commands allowed) or an
 * offline root directory (every path resolved inside the root as if chrooted, commands unavailable).
 *
 * File access uses synchronous system calls behind the async interface: an audit makes about a
 * thousand small reads and stats, and each costs ten times less CPU than through fs.promises (its
 * thread-pool round trip), which on a 2-core host is most of the audit's own time. FIFOs are opened
 * with O_NONBLOCK and rejected before any read, so no read waits for a writer.
 */
export class FsTarget implements Target {
  readonly kind: 'local' | 'root';
  readonly live: boolean;
  readonly root: string;
  readonly name: string;
  private readonly findBinary: string | null;

  /** findBinary: the find(1) walk() runs (default 'find'); null: always the built-in walker. */
  constructor(opts: { root?: string; name: string; findBinary?: string | null }) {
    this.root = opts.root ? posix.resolve(opts.root) : '/';
    this.kind = this.root === '/' ? 'local' : 'root';
    this.live = this.kind === 'local';
    this.name = opts.name;
    this.findBinary = opts.findBinary === undefined ? 'find' : opts.findBinary;
  }

  /**
   * Resolves a target path to a host path. Inside a root every symlink is followed by hand, with '/'
   * meaning the root and '..' clamped at it, so nothing leads out (like openat2's RESOLVE_IN_ROOT).
   */
  resolve(p: string, followLast = true): { ok: true; path: string } | FsError {
    const target = normalizeTargetPath(p);
    if (this.root === '/') return { ok: true, path: target };
    const pending = target.split('/').filter(Boolean);
    let stack: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const c = pending.shift()!;
      if (c === '.') continue;
      if (c === '..') {
        // Every component on the stack was seen to be a directory (or the walk stopped): clamp at the root.
        stack.pop();
        continue;
      }
      const next = [...stack, c];
      if (pending.length === 0 && !followLast) {
        stack = next;
        break;
      }
      const hp = posix.join(this.root, ...next);
      let st: Stats;
      try {
        st = lstatSync(hp);
      } catch (e) {
        const kind = errnoKind(e);
        // The last component may be missing (the caller's stat/open then says so). A missing or
        // non-directory component with more to resolve ends the walk like the kernel's ENOENT/ENOTDIR:
        // joining the rest ('..' included) would climb out of the root.
        if ((kind === 'missing' || kind === 'not-dir') && pending.length === 0) {
          stack = next;
          break;
        }
        return fsError(kind, describeFsError(target, kind));
      }
      if (st.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) return fsError('loop', describeFsError(target, 'loop'));
        let link: string;
        try {
          link = readlinkSync(hp);
        } catch (e) {
          const kind = errnoKind(e);
          return fsError(kind, describeFsError(target, kind));
        }
        if (link.startsWith('/')) stack = [];
        pending.unshift(...link.split('/').filter(Boolean));
        continue;
      }
      // A non-directory with components after it (even '.' or '..'): ENOTDIR, as the kernel says.
      if (pending.length > 0 && !st.isDirectory()) return fsError('not-dir', describeFsError(target, 'not-dir'));
      stack = next;
    }
    return { ok: true, path: posix.join(this.root, ...stack) };
  }

  readRange(path: string, offset: number, length: number): Promise<{ ok: true; bytes: Buffer; size: number } | FsError> {
    return Promise.resolve(this.readRangeNow(path, offset, length));
  }

  private readRangeNow(path: string, offset: number, length: number): { ok: true; bytes: Buffer; size: number } | FsError {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0)
      return fsError('io', `${JSON.stringify(path)}: bad range ${offset}+${length}`);
    if (length > MAX_RANGE)
      return fsError('too-large', `${JSON.stringify(path)}: a range of ${length} bytes is over the limit of ${MAX_RANGE}`);
    const r = this.resolve(path);
    if (!r.ok) return r;
    let fd: number | undefined;
    try {
      fd = openSync(r.path, constants.O_RDONLY | constants.O_NONBLOCK);
      const st = fstatSync(fd);
      if (!st.isFile()) return fsError('not-file', describeFsError(path, 'not-file'));
      const buf = Buffer.allocUnsafe(length);
      let n = 0;
      while (n < length) {
        const got = readSync(fd, buf, n, length - n, offset + n);
        if (got === 0) break;
        n += got;
      }
      return { ok: true, bytes: buf.subarray(0, n), size: st.size };
    } catch (e) {
      const kind = errnoKind(e);
      return fsError(kind, describeFsError(path, kind));
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  async *walk(roots: readonly string[], filter: WalkFilter, opts: WalkOptions = {}): AsyncGenerator<WalkEvent> {
    const hostRoots: HostRoot[] = [];
    const preface: WalkEvent[] = [];
    for (const root of roots) {
      const target = normalizeTargetPath(root);
      // A root that is a symlink is followed (inside the root); nothing below it is.
      const r = this.root === '/' ? this.liveRealPath(target) : this.realPathNow(target);
      if (r.ok) hostRoots.push({ target, host: this.root === '/' ? r.path : r.path === '/' ? this.root : posix.join(this.root, r.path) });
      else preface.push({ kind: 'unreadable', path: target, raw: null, reason: r.message });
    }
    const prune = (opts.prune ?? []).map((p) => {
      const t = normalizeTargetPath(p);
      // Below a walk root: under the host path that root resolved to; elsewhere inside the root as written.
      const r = hostRoots.filter((x) => isUnderPath(t, x.target)).sort((a, b) => b.target.length - a.target.length)[0];
      if (r) return r.target === t ? r.host : posix.join(r.host, t.slice(r.target === '/' ? 0 : r.target.length));
      return this.root === '/' ? t : posix.join(this.root, t);
    });
    if (hostRoots.length === 0) {
      const method = this.findBinary === null ? 'walker' : 'find';
      yield { kind: 'start', method, command: 'no root to walk' };
      yield* preface;
      yield { kind: 'end', end: { status: 'done', method, command: 'no root to walk', message: null } };
      return;
    }
    yield* hostWalk({ roots: hostRoots, prune, filter, opts, findBinary: this.findBinary, preface });
  }

  private liveRealPath(path: string): { ok: true; path: string } | FsError {
    try {
      return { ok: true, path: realpathSync.native(path) };
    } catch (e) {
      const kind = errnoKind(e);
      return fsError(kind, describeFsError(path, kind));
    }
  }

  async mountTable(): Promise<MountTableResult> {
    if (this.live) {
      // procfs reports size 0: readBytes reads it to EOF.
      const r = await this.readText(MOUNTINFO, { maxBytes: 16 * 1024 * 1024 });
      return r.ok ? { ok: true, text: r.text, source: MOUNTINFO } : r;
    }
    // An offline root: this machine's mounts at or below the root (an image, a bind mount in a
    // chroot), with mount points made target paths. Fields stay in the kernel's escaped form.
    let text: string;
    try {
      text = readFileSync(MOUNTINFO, 'utf8');
    } catch (e) {
      const kind = errnoKind(e);
      return fsError(kind, `this machine's ${MOUNTINFO} ${KIND_TEXT[kind]}`);
    }
    const esc = escapeMountField(this.root);
    const lines: string[] = [];
    for (const line of text.split('\n')) {
      const f = line.split(' ');
      const mp = f[4];
      if (mp === undefined) continue;
      if (mp === esc) f[4] = '/';
      else if (mp.startsWith(`${esc}/`)) f[4] = mp.slice(esc.length);
      else continue;
      lines.push(f.join(' '));
    }
    return { ok: true, text: lines.length > 0 ? `${lines.join('\n')}\n` : '', source: `${MOUNTINFO} of this machine, below the root` };
  }

  connect(endpoint: Endpoint, opts: { timeoutMs?: number } = {}): Promise<ConnectResult> {
    const where = 'unix' in endpoint ? endpoint.unix : `${endpoint.host}:${endpoint.port}`;
    if (!this.live)
      return Promise.resolve({ ok: false, reason: 'offline', message: `offline root: no live connection (${where})`, code: null });
    const timeoutMs = opts.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise((resolve) => {
      const sock = 'unix' in endpoint ? netConnect({ path: endpoint.unix }) : netConnect({ host: endpoint.host, port: endpoint.port });
      const timer = setTimeout(() => {
        sock.destroy();
        resolve({ ok: false, reason: 'timeout', message: `connect to ${where}: no answer within ${timeoutMs} ms`, code: 'ETIMEDOUT' });
      }, timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        resolve({ ok: true, stream: sock });
      });
      sock.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const code = e.code ?? null;
        const reason =
          code === 'ENOENT' ? 'missing' : code === 'ECONNREFUSED' ? 'refused' : code === 'EACCES' || code === 'EPERM' ? 'denied' : 'error';
        resolve({ ok: false, reason, message: e.message, code });
      });
    });
  }

  realPath(path: string): Promise<{ ok: true; path: string } | FsError> {
    return Promise.resolve(this.realPathNow(path));
  }

  private realPathNow(path: string): { ok: true; path: string } | FsError {
    try {
      if (this.root === '/') return { ok: true, path: realpathSync.native(normalizeTargetPath(path)) };
      const r = this.resolve(path);
      if (!r.ok) return r;
      lstatSync(r.path); // the last component may be missing: resolve() leaves that to the caller
      return { ok: true, path: r.path === this.root ? '/' : r.path.slice(this.root.length) };
    } catch (e) {
      const kind = errnoKind(e);
      return fsError(kind, describeFsError(path, kind));
    }
  }

  readBytes(path: string, opts: ReadOptions = {}): Promise<BytesResult> {
    return Promise.resolve(this.readBytesNow(path, opts));
  }

  private readBytesNow(path: string, opts: ReadOptions = {}): BytesResult {
    const max = opts.maxBytes ?? DEFAULT_MAX_READ;
    const r = this.resolve(path);
    if (!r.ok) return r;
    let fd: number | undefined;
    try {
      // O_NONBLOCK: opening a FIFO must not hang the run.
      fd = openSync(r.path, constants.O_RDONLY | constants.O_NONBLOCK);
      const st = fstatSync(fd);
      if (!st.isFile()) return fsError('not-file', describeFsError(path, 'not-file'));
      if (st.size > max) return fsError('too-large', `${JSON.stringify(path)} is ${st.size} bytes, over the read limit of ${max}`);
      // Read to EOF rather than trusting st_size: procfs and sysfs files report 0.
      const chunks: Buffer[] = [];
      let n = 0;
      for (;;) {
        // st.size + 1 detects growth; procfs/sysfs report 0, so they read in 64 KiB steps.
        const buf = Buffer.allocUnsafe(Math.min(st.size > 0 ? st.size + 1 : 64 * 1024, max + 1 - n));
        const bytesRead = readSync(fd, buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        chunks.push(buf.subarray(0, bytesRead));
        n += bytesRead;
        if (n > max) return fsError('too-large', `${JSON.stringify(path)} grew over the read limit of ${max} bytes`);
        // A short read of a regular file with a size is its end; pseudo files are read until 0.
        if (st.size > 0 && bytesRead < buf.length) break;
      }
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, n);
      // A NUL anywhere, not only near the start: programs stop a line at a NUL, so text after one
      // would be judged as something the program never reads (a '#\0\n' joins the next line to a comment).
      if (!opts.binaryOk && bytes.includes(0)) return fsError('binary', describeFsError(path, 'binary'));
      return { ok: true, bytes };
    } catch (e) {
      const kind = errnoKind(e);
      return fsError(kind, describeFsError(path, kind));
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  async readText(path: string, opts: ReadOptions = {}): Promise<ReadResult> {
    const r = await this.readBytes(path, opts);
    if (!r.ok) return r;
    return { ok: true, text: new TextDecoder('utf-8').decode(r.bytes), size: r.bytes.length };
  }

  stat(path: string): Promise<StatResult> {
    return Promise.resolve(this.statNow(path));
  }

  private statNow(path: string): StatResult {
    const r = this.resolve(path, true);
    if (!r.ok) return r;
    try {
      return statOk(statSync(r.path));
    } catch (e) {
      const kind = errnoKind(e);
      return fsError(kind, describeFsError(path, kind));
    }
  }

  lstat(path: string): Promise<StatResult> {
    return Promise.resolve(this.lstatNow(path));
  }

  private lstatNow(path: string): StatResult {
    const r = this.resolve(path, false);
    if (!r.ok) return r;
    try {
      return statOk(lstatSync(r.path));
    } catch (e) {
      const kind = errnoKind(e);
      return fsError(kind, describeFsError(path, kind));
    }
  }

  list(dir: string): Promise<ListResult> {
    return Promise.resolve(this.listNow(dir));
  }

  private listNow(dir: string): ListResult {
    const r = this.resolve(dir);
    if (!r.ok) return r;
    try {
      const ents = readdirSync(r.path, { withFileTypes: true });
      const entries: DirEntry[] = ents.map((e) => ({
        name: e.name,
        type: e.isFile()
          ? 'file'
          : e.isDirectory()
            ? 'dir'
            : e.isSymbolicLink()
              ? 'symlink'
              : e.isBlockDevice()
                ? 'block'
                : e.isCharacterDevice()
                  ? 'char'
                  : e.isFIFO()
                    ? 'fifo'
                    : e.isSocket()
                      ? 'socket'
                      : 'other',
      }));
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { ok: true, entries };
    } catch (e) {
      const kind = errnoKind(e);
      return fsError(kind, describeFsError(dir, kind));
    }
  }

  glob(pattern: string): Promise<string[]> {
    return globOver(this, pattern, false);
  }

  /** Every request at once, through this object's own calls (a target made from this one by overriding calls keeps them). */
  batch(requests: readonly BatchRequest[], onResult?: (index: number, result: BatchResult) => void): Promise<BatchResult[]> {
    return batchByCalls(this, requests, onResult);
  }

  run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    const command = argv.map(shellQuote).join(' ');
    if (!this.live) return Promise.resolve({ ok: false, reason: 'offline', message: `${argv[0]} cannot run on an offline root`, command });
    return runCommand(argv, opts);
  }
}

/** The kernel's escapes in mountinfo fields (proc(5)): space, tab, newline and backslash as octal. */
function escapeMountField(s: string): string {
  return s.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

export interface CommandOptions extends RunOptions {
  /**
   * Streams stdout here instead of collecting it (the result's stdout is then ''; stdout does not
   * count towards maxBytes). Returning false stops the command: its process group is killed and the
   * result is still ok (code 128 for the signal).
   */
  onStdout?: (chunk: Buffer) => boolean | void;
  /** Keep at most about this many bytes of stderr and drop the rest (default: stderr counts towards maxBytes). */
  maxStderrBytes?: number;
  /** false: start from an empty environment (PATH and the C locale, then `env`) instead of this process's. */
  inheritEnv?: boolean;
}

/** Runs argv without a shell, in its own process group, killed as a group on timeout. */
export function runCommand(argv: string[], opts: CommandOptions = {}): Promise<RunResult> {
  const command = argv.map(shellQuote).join(' ');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_OUTPUT;
  const inherited = opts.inheritEnv === false ? {} : process.env;
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (!file) {
      resolve({ ok: false, reason: 'error', message: 'empty command', command });
      return;
    }
    const child = spawn(file, args, {
      detached: true,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...inherited, LC_ALL: 'C', LANG: 'C', ...opts.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let errSize = 0;
    let settled = false;
    let overflow = false;
    const finish = (r: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      kill();
      finish({ ok: false, reason: 'timeout', message: `${command} did not finish within ${timeoutMs} ms`, command });
    }, timeoutMs);
    const collect = (bucket: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        overflow = true;
        kill();
        return;
      }
      bucket.push(chunk);
    };
    const { onStdout, maxStderrBytes } = opts;
    let stopped = false;
    child.stdout?.on(
      'data',
      onStdout === undefined
        ? collect(out)
        : (chunk: Buffer) => {
            if (stopped) return;
            if (onStdout(chunk) === false) {
              stopped = true;
              kill();
            }
          },
    );
    child.stderr?.on(
      'data',
      maxStderrBytes === undefined
        ? collect(err)
        : (chunk: Buffer) => {
            if (errSize >= maxStderrBytes) return;
            errSize += chunk.length;
            err.push(chunk);
          },
    );
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish({
        ok: false,
        reason: e.code === 'ENOENT' ? 'not-found' : 'error',
        message: e.code === 'ENOENT' ? `${file} is not installed (not on PATH)` : `${command}: ${e.message}`,
        command,
      });
    });
    child.on('close', (code, signal) => {
      if (overflow) finish({ ok: false, reason: 'error', message: `${command} printed more than ${maxBytes} bytes`, command });
      else
        finish({
          ok: true,
          code: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          command,
        });
    });
    if (opts.input !== undefined && child.stdin) {
      // A command that exits without reading its input makes the write fail (EPIPE): not a crash.
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input);
    }
  });
}
