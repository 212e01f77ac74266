import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { posix } from 'node:path';
import { spawn } from 'node:child_process';
import { componentMatcher, hasWildcard } from '../util/glob.js';
import { batchByCalls } from './batch.js';
import type {
  BatchRequest,
  BatchResult,
  BytesResult,
  DirEntry,
  FileType,
  FsError,
  FsErrorKind,
  ListResult,
  ReadOptions,
  ReadResult,
  RunOptions,
  RunResult,
  StatResult,
  Target,
} from './types.js';

const DEFAULT_MAX_READ = 4 * 1024 * 1024;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_SYMLINK_HOPS = 40; // Linux's MAXSYMLINKS

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

function fileType(s: Stats): FileType {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isBlockDevice()) return 'block';
  if (s.isCharacterDevice()) return 'char';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  return 'other';
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

  constructor(opts: { root?: string; name: string }) {
    this.root = opts.root ? posix.resolve(opts.root) : '/';
    this.kind = this.root === '/' ? 'local' : 'root';
    this.live = this.kind === 'local';
    this.name = opts.name;
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

  hostPath(path: string): Promise<{ ok: true; path: string } | FsError> {
    return Promise.resolve(this.resolve(path));
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

  async glob(pattern: string): Promise<string[]> {
    const parts = normalizeTargetPath(pattern).split('/').filter(Boolean);
    let bases = ['/'];
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      const next: string[] = [];
      for (const base of bases) {
        if (!hasWildcard(part)) {
          const p = posix.join(base, part);
          if (!last || (await this.lstat(p)).ok) next.push(p);
          continue;
        }
        const l = await this.list(base);
        if (!l.ok) continue;
        const match = componentMatcher(part);
        for (const e of l.entries) if (match(e.name)) next.push(posix.join(base, e.name));
      }
      bases = next;
    }
    // A non-wildcard intermediate component may not exist: keep only what does.
    const out: string[] = [];
    for (const p of bases) if ((await this.lstat(p)).ok) out.push(p);
    return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
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
