// A Target on a remote host over the system OpenSSH client (issue 11): one ControlMaster connection
// per host in a private 0700 directory, BatchMode, strict host-key checking, the user's agent and
// ~/.ssh/config (or `-F FILE`). Every call becomes a request of the one-trip payload (src/fleet/payload.ts):
// the calls made in the same turn of the event loop go in one `ssh HOST sh -s` (a "wave"), so a batch is
// one round trip and each wave of dependent calls one more. walk() runs GNU find remotely, connect() goes
// over `ssh -W`, mountTable() reads the remote /proc/self/mountinfo.
//
// A transport failure (ssh's exit 255, a payload answer that does not decode, sudo refusing) is a host
// failure: it is recorded once (`failure`), every pending and later call rejects with HostFailure, and
// the fleet runner reports the host as not assessed. A partial answer is never used.
import { globOver } from './glob-over.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { buildPayload, PayloadDecoder, shQuote, type PayloadRequest, type PayloadResult } from '../fleet/payload.js';
import type { HostError, HostErrorKind } from '../fleet/types.js';
import { batchByCalls } from './batch.js';
import { describeFsError, normalizeTargetPath } from './fs-target.js';
import { hostWalk, shellQuote, type HostRoot } from './fs-walk.js';
import { isUnderPath } from './paths.js';
import {
  type BatchRequest,
  type BatchResult,
  type BytesResult,
  type ConnectResult,
  type Endpoint,
  type FsError,
  type FsErrorKind,
  type ListResult,
  type MountTableResult,
  type ReadOptions,
  type ReadResult,
  type RunOptions,
  type RunResult,
  type StatResult,
  type Target,
  type WalkEvent,
  type WalkFilter,
  type WalkOptions,
} from './types.js';

const DEFAULT_MAX_READ = 4 * 1024 * 1024;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_RANGE = 64 * 1024 * 1024;
const READ_AHEAD = 4 * 1024 * 1024;
const SEQUENTIAL_AHEAD = 16 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;
const MOUNTINFO = '/proc/self/mountinfo';
// eslint-disable-next-line no-control-regex -- control characters are what it removes from ssh's messages
const CONTROL = /[\x00-\x1f\x7f]/g;
const FIND_ENV = ['env', 'LC_ALL=C', 'LANG=C', 'PATH=/usr/bin:/bin:/usr/sbin:/sbin'];

/** Where and how to reach a host (an inventory's connection, or `--host [user@]HOST[:PORT]`). */
export interface SshDestination {
  host: string;
  port?: number | null;
  user?: string | null;
  /** ansible_ssh_private_key_file */
  identityFile?: string | null;
  /** ansible_ssh_common_args, already split into words. */
  extraArgs?: readonly string[];
  /** `sudo -n` for every payload. */
  become?: boolean;
}

export interface SshTargetOptions {
  /** The host's name in the fleet (its inventory name). */
  name: string;
  dest: SshDestination;
  /** `--ssh-config FILE` (ssh -F); else the user's ~/.ssh/config. */
  sshConfig?: string | null;
  /** ssh ConnectTimeout (s). */
  connectTimeoutS?: number;
  /** The ssh binary (default 'ssh'). */
  ssh?: string;
  /** The environment ssh runs in (HOME, SSH_AUTH_SOCK…): default this process's. */
  env?: NodeJS.ProcessEnv;
}

/** A transport failure: the host cannot be assessed. */
export class HostFailure extends Error {
  constructor(readonly error: HostError) {
    super(error.message);
    this.name = 'HostFailure';
  }
}

/** ssh's own failures (exit 255), by what it printed. */
export function classifySshFailure(stderr: string): HostError {
  const text = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(@+|Warning: Permanently added)/.test(l));
  const line = (text.find((l) => !/^debug/.test(l)) ?? 'ssh failed without a message').slice(0, 300);
  const all = text.join('\n');
  const HOST_KEY =
    /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|host key .* (is not known|mismatch)|No .* host key is known/i;
  let kind: HostErrorKind = 'unreachable';
  let said = line;
  if (HOST_KEY.test(all)) {
    kind = 'host-key';
    const changed = /REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(all)
      ? 'the host key changed (REMOTE HOST IDENTIFICATION HAS CHANGED); '
      : '';
    said = `${changed}${text.find((l) => /Host key verification failed/i.test(l)) ?? text.find((l) => HOST_KEY.test(l)) ?? line}`;
  } else if (/Permission denied|Too many authentication failures|no more authentication methods|Authentication failed/i.test(all))
    kind = 'auth';
  else if (/timed out|Timeout, server .* not responding/i.test(all)) kind = 'timeout';
  return { kind, message: `ssh: ${said.slice(0, 300).replace(CONTROL, '?')}` };
}

interface Queued {
  req: PayloadRequest;
  resolve: (r: PayloadResult) => void;
  reject: (e: unknown) => void;
}

function fsError(error: FsErrorKind, message: string): FsError {
  return { ok: false, error, message };
}

/** A payload error result as the FsError the same call on FsTarget gives. */
function asFsError(path: string, r: Extract<PayloadResult, { ok: false }>): FsError {
  if ('reason' in r) return fsError('io', `${JSON.stringify(path)}: ${r.message}`);
  const kind: FsErrorKind = r.error === 'unsupported' ? 'io' : r.error;
  return fsError(kind, r.error === 'unsupported' ? `${JSON.stringify(path)}: ${r.message}` : describeFsError(path, kind));
}

export class SshTarget implements Target {
  readonly kind = 'ssh' as const;
  readonly root = '/';
  readonly live = true;
  readonly name: string;
  /** The first transport failure; once set, every call rejects with it. */
  failure: HostError | null = null;
  /** Payloads sent (each one `ssh … sh -s`: one round trip), walks and connects. */
  readonly trips = { payloads: 0, requests: 0, walks: 0, connects: 0 };
  /** One line per payload sent: its request count by op (the bench's wave breakdown). */
  readonly waveLog: string[] = [];
  /** How long each walk held the session (ms; the bench's breakdown). */
  readonly walkMs: number[] = [];
  private readonly dir: string;
  private readonly control: string;
  private readonly base: string[];
  private readonly env: NodeJS.ProcessEnv;
  private wave: Queued[] = [];
  private scheduled = false;
  /** One session at a time (MaxSessions 1 works): payloads and walks take turns. */
  private session: Promise<void> = Promise.resolve();
  private readonly children = new Set<ChildProcess>();
  private opened = false;
  private closed = false;

  constructor(private readonly opts: SshTargetOptions) {
    this.name = opts.name;
    this.dir = mkdtempSync(join(tmpdir(), 'rampart-ssh-')); // mode 0700
    this.control = join(this.dir, 'cm');
    this.env = opts.env ?? process.env;
    const d = opts.dest;
    this.base = [
      ...(opts.sshConfig ? ['-F', opts.sshConfig] : []),
      // Before the inventory's own arguments: the first value ssh reads wins, so these cannot be undone.
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `ControlPath=${this.control}`,
      '-o',
      `ConnectTimeout=${Math.max(1, Math.round(opts.connectTimeoutS ?? 10))}`,
      ...(d.port ? ['-p', String(d.port)] : []),
      ...(d.user ? ['-l', d.user] : []),
      ...(d.identityFile ? ['-i', d.identityFile] : []),
      ...(d.extraArgs ?? []),
    ];
  }

  /** The argv of one ssh client run (over the master once it is open). */
  private argv(extra: readonly string[], remote: string | null): string[] {
    return [
      this.opts.ssh ?? 'ssh',
      ...this.base,
      ...(this.opened ? ['-o', 'ControlMaster=no'] : []),
      ...extra,
      '--',
      this.opts.dest.host,
      ...(remote === null ? [] : [remote]),
    ];
  }

  private fail(e: HostError): HostFailure {
    if (!this.failure) this.failure = e;
    return new HostFailure(this.failure);
  }

  /**
   * Opens the ControlMaster connection (authentication, host key): the host's failure when it cannot
   * be reached, else null. Every later call goes over this connection.
   */
  async open(): Promise<HostError | null> {
    if (this.failure) return this.failure;
    const log = join(this.dir, 'master.log');
    const argv = this.argv(['-o', 'ControlMaster=yes', '-o', 'ControlPersist=60', '-E', log, '-N', '-f'], null);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', env: this.env });
      this.children.add(child);
      child.once('error', () => resolve(-1));
      // exit, not close: the master forks into the background after authenticating.
      child.once('exit', (c, s) => {
        this.children.delete(child);
        resolve(c ?? (s ? 128 : 1));
      });
    });
    if (code === -1) return this.fail({ kind: 'internal', message: `${argv[0]}: cannot run the OpenSSH client` }).error;
    if (code !== 0) {
      let text = '';
      try {
        text = readFileSync(log, 'utf8');
      } catch {
        // no log: the message says so
      }
      return this.fail(classifySshFailure(text)).error;
    }
    this.opened = true;
    return null;
  }

  /** Stops the master and every ssh child, removes the control directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.endShell();
    for (const c of this.children) killTree(c);
    if (this.opened) {
      const argv = [this.opts.ssh ?? 'ssh', ...this.base, '-O', 'exit', '--', this.opts.dest.host];
      await new Promise<void>((resolve) => {
        const c = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', env: this.env });
        const timer = setTimeout(() => killTree(c), 5000);
        c.once('error', () => resolve());
        c.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Ends the host: a failure of this kind (the runner's per-host deadline), its children killed. */
  abort(error: HostError): void {
    this.fail(error);
    for (const c of this.children) killTree(c);
    const w = this.wave;
    this.wave = [];
    for (const q of w) q.reject(new HostFailure(this.failure as HostError));
  }

  // ---- the waves

  private call(req: PayloadRequest): Promise<PayloadResult> {
    if (this.failure) return Promise.reject(new HostFailure(this.failure));
    return new Promise((resolve, reject) => {
      this.wave.push({ req, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    // The wave is taken when the session is free, not when it was scheduled: every call made while
    // the previous payload (or a walk) was out goes in this one payload.
    await this.exclusive(() => this.sendQueued());
  }

  private async sendQueued(): Promise<void> {
    // Two turns of the event loop first: the calls that the answers of the previous wave lead to
    // (through the batch layer's own turn) join this wave instead of the next.
    for (let i = 0; i < 2; i++) await new Promise<void>((r) => setImmediate(r));
    if (this.failure) {
      const w = this.wave;
      this.wave = [];
      for (const q of w) q.reject(new HostFailure(this.failure));
      return;
    }
    const wave = this.wave;
    this.wave = [];
    if (wave.length === 0) return;
    // The same request twice in a wave is sent once.
    const keys = new Map<string, number>();
    const reqs: PayloadRequest[] = [];
    const index = wave.map((q) => {
      const k = JSON.stringify(q.req);
      let i = keys.get(k);
      if (i === undefined) {
        i = reqs.length;
        keys.set(k, i);
        reqs.push(q.req);
      }
      return i;
    });
    try {
      const results = await this.send(reqs);
      wave.forEach((q, i) => q.resolve(results[index[i]!]!));
    } catch (e) {
      for (const q of wave) q.reject(e);
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.session.then(fn);
    this.session = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * The host's shell: one `ssh HOST sh -s` (`sudo -n sh -s` with become) that reads payload after
   * payload from its stdin, so each wave is one round trip over the open session, not a new session.
   */
  private shell: {
    child: ChildProcess;
    stderr: string;
    /** The wave being answered: its decoder and how it ends. */
    wave: { decoder: PayloadDecoder; done: (e: HostFailure | null) => void } | null;
    primed: boolean;
  } | null = null;

  private startShell(): NonNullable<SshTarget['shell']> {
    const become = this.opts.dest.become === true;
    const argv = this.argv([], become ? 'sudo -n sh -s' : 'sh -s');
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: this.env, detached: true });
    this.children.add(child);
    const sh: NonNullable<SshTarget['shell']> = { child, stderr: '', wave: null, primed: false };
    child.stdout.on('data', (c: Buffer) => {
      const w = sh.wave;
      if (!w) {
        // Output nobody asked for: the stream cannot be trusted.
        killTree(child);
        this.fail({ kind: 'protocol', message: `${c.length} bytes of output between payloads` });
        return;
      }
      w.decoder.push(c);
      if (w.decoder.failure !== null) {
        // Garbage or oversize output: the host has failed, nothing more is read.
        killTree(child);
        sh.wave = null;
        w.done(this.fail({ kind: 'protocol', message: `payload answer rejected: ${w.decoder.failure}` }));
      } else if (w.decoder.complete) {
        sh.wave = null;
        w.done(null);
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      if (sh.stderr.length < MAX_STDERR) sh.stderr += c.toString('utf8');
    });
    child.stdin.on('error', () => undefined);
    child.once('error', (e) => {
      if (this.shell === sh) this.shell = null;
      const w = sh.wave;
      sh.wave = null;
      const f = this.fail({ kind: 'internal', message: `${argv[0]}: ${e.message}` });
      w?.done(f);
    });
    child.once('close', (code, signal) => {
      this.children.delete(child);
      if (this.shell === sh) this.shell = null;
      const w = sh.wave;
      sh.wave = null;
      if (!w) return;
      if (this.failure) return w.done(new HostFailure(this.failure));
      const r = w.decoder.end();
      const stderr = sh.stderr;
      if (code === 255) return w.done(this.fail(classifySshFailure(stderr)));
      if (become && /^sudo: /m.test(stderr))
        return w.done(this.fail({ kind: 'become', message: `sudo -n refused: ${firstLine(stderr, /^sudo: /m)}` }));
      const how = signal ? ` (ssh ended by ${signal})` : ` (exit ${code})`;
      const unsupported = /(stat|head|mktemp|timeout): (not found|command not found)|illegal option|invalid option/.test(stderr);
      w.done(
        this.fail({
          kind: unsupported ? 'unsupported' : 'protocol',
          message: `payload answer ended early${how}: ${r.ok ? 'the session closed' : r.message}${unsupported ? `; the host's tools: ${firstLine(stderr, /./)}` : ''}`,
        }),
      );
    });
    return sh;
  }

  /** Ends the shell session (before a walk takes the host's one session, and at close). */
  private endShell(): Promise<void> {
    const sh = this.shell;
    this.shell = null;
    if (!sh) return Promise.resolve();
    return new Promise((resolve) => {
      if (sh.child.exitCode !== null) return resolve();
      sh.child.once('close', () => resolve());
      sh.child.stdin!.end('exit 0\n');
      setTimeout(() => killTree(sh.child), 5000).unref();
    });
  }

  /** One payload: one wave of requests over the host's shell session (one round trip). */
  private send(reqs: PayloadRequest[]): Promise<PayloadResult[]> {
    if (this.failure) return Promise.reject(new HostFailure(this.failure));
    const sh = this.shell ?? (this.shell = this.startShell());
    const payload = buildPayload(reqs, undefined, { keepOpen: true, prelude: !sh.primed });
    sh.primed = true;
    this.trips.payloads++;
    this.trips.requests += reqs.length;
    const ops = new Map<string, number>();
    for (const r of reqs) ops.set(r.op, (ops.get(r.op) ?? 0) + 1);
    const logAt = this.waveLog.length;
    const t0 = performance.now();
    if (this.waveLog.length < 10_000)
      this.waveLog.push(
        `${reqs.length} (${[...ops].map(([o, n]) => `${o} ${n}`).join(', ')})${reqs.length <= 12 ? ` ${reqs.map((r) => ('path' in r ? r.path : 'argv' in r ? r.argv.filter((a) => a.length < 60).join(' ') : r.pattern)).join(' | ')}` : ''}`,
      );
    return new Promise((resolve, reject) => {
      const decoder = new PayloadDecoder(payload);
      sh.wave = {
        decoder,
        done: (e) => {
          if (logAt < this.waveLog.length) this.waveLog[logAt] = `${(performance.now() - t0).toFixed(0)} ms: ${this.waveLog[logAt]}`;
          if (e) return reject(e);
          const r = decoder.end();
          if (!r.ok) return reject(this.fail({ kind: 'protocol', message: `payload answer rejected: ${r.message}` }));
          resolve(r.results);
        },
      };
      // RAMPART_SSH_CAPTURE=FILE: every payload script is appended there (the bench's bare fan-out replays them).
      const capture = this.env.RAMPART_SSH_CAPTURE;
      if (capture) appendFileSync(capture, payload.script);
      sh.child.stdin!.write(payload.script);
    });
  }

  // ---- the Target calls

  async readBytes(path: string, opts: ReadOptions = {}): Promise<BytesResult> {
    const p = normalizeTargetPath(path);
    const max = opts.maxBytes ?? DEFAULT_MAX_READ;
    const r = await this.call({ op: 'read', path: p, maxBytes: Math.min(max, MAX_RANGE) });
    if (!r.ok) return asFsError(path, r);
    if (r.op !== 'read') throw new Error('payload: read answered with another op');
    if (r.changed) return fsError('io', `${JSON.stringify(path)} changed while it was read`);
    if (r.truncated || r.size > max)
      return fsError('too-large', `${JSON.stringify(path)} is ${r.size} bytes, over the read limit of ${max}`);
    if (!opts.binaryOk && r.bytes.includes(0)) return fsError('binary', describeFsError(path, 'binary'));
    return { ok: true, bytes: r.bytes };
  }

  async readText(path: string, opts: ReadOptions = {}): Promise<ReadResult> {
    const r = await this.readBytes(path, opts);
    if (!r.ok) return r;
    return { ok: true, text: new TextDecoder('utf-8').decode(r.bytes), size: r.bytes.length };
  }

  stat(path: string): Promise<StatResult> {
    return this.statOp('stat', path);
  }

  lstat(path: string): Promise<StatResult> {
    return this.statOp('lstat', path);
  }

  private async statOp(op: 'stat' | 'lstat', path: string): Promise<StatResult> {
    const r = await this.call({ op, path: normalizeTargetPath(path) });
    if (!r.ok) return asFsError(path, r);
    if (r.op !== 'stat' && r.op !== 'lstat') throw new Error('payload: stat answered with another op');
    return { ok: true, ...r.stat };
  }

  async list(dir: string): Promise<ListResult> {
    const r = await this.call({ op: 'list', path: normalizeTargetPath(dir) });
    if (!r.ok) return asFsError(dir, r);
    if (r.op !== 'list') throw new Error('payload: list answered with another op');
    if (r.changed) return fsError('io', `${JSON.stringify(dir)} changed while it was listed`);
    return { ok: true, entries: r.entries };
  }

  glob(pattern: string): Promise<string[]> {
    return globOver(this, pattern, true);
  }

  async realPath(path: string): Promise<{ ok: true; path: string } | FsError> {
    const p = normalizeTargetPath(path);
    const r = await this.call({ op: 'run', argv: ['realpath', '-e', '--', p], timeoutSec: 15, maxBytes: 64 * 1024 });
    if (r.op !== 'run') throw new Error('payload: realpath answered with another op');
    if (!r.ok) return asFsError(path, r);
    if (r.code === 0) {
      const out = r.stdout.toString('utf8');
      if (out.endsWith('\n') && out.startsWith('/')) return { ok: true, path: out.slice(0, -1) };
      return fsError('io', `${JSON.stringify(path)}: realpath printed no path`);
    }
    const err = r.stderr.toString('utf8');
    const kind: FsErrorKind = /No such file/.test(err)
      ? 'missing'
      : /Permission denied/.test(err)
        ? 'denied'
        : /Not a directory/.test(err)
          ? 'not-dir'
          : /Too many levels/.test(err)
            ? 'loop'
            : 'io';
    return fsError(kind, describeFsError(path, kind));
  }

  /** The last range read ahead (collectors read big files in consecutive chunks: one trip per READ_AHEAD bytes). */
  private ahead: { path: string; offset: number; bytes: Buffer; size: number } | null = null;
  /** Where the last range fetched ended (kept when its bytes are let go: the next one reads on sequentially). */
  private lastRange: { path: string; end: number; size: number } | null = null;

  async readRange(path: string, offset: number, length: number): Promise<{ ok: true; bytes: Buffer; size: number } | FsError> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0 || length > MAX_RANGE)
      return this.fetchRange(path, offset, length);
    const a = this.ahead;
    const p = normalizeTargetPath(path);
    if (a && a.path === p && offset >= a.offset && (offset + length <= a.offset + a.bytes.length || a.offset + a.bytes.length >= a.size)) {
      // The buffer read to its end is let go (a 16 MiB read-ahead per host is not kept for the whole audit).
      if (offset + length >= a.offset + a.bytes.length) this.ahead = null;
      return { ok: true, bytes: Buffer.from(a.bytes.subarray(offset - a.offset, offset - a.offset + length)), size: a.size };
    }
    // Reading on in the same file: the rest of it (up to SEQUENTIAL_AHEAD) in one trip, not READ_AHEAD at a time.
    const last = this.lastRange;
    const rest = last && last.path === p && offset >= last.end ? Math.min(SEQUENTIAL_AHEAD, last.size - offset) : 0;
    const want = Math.max(length, READ_AHEAD, rest);
    const r = await this.fetchRange(p, offset, want);
    if (!r.ok) return r;
    this.lastRange = { path: p, end: offset + r.bytes.length, size: r.size };
    this.ahead = length >= r.bytes.length ? null : { path: p, offset, bytes: r.bytes, size: r.size };
    return { ok: true, bytes: Buffer.from(r.bytes.subarray(0, length)), size: r.size };
  }

  private async fetchRange(path: string, offset: number, length: number): Promise<{ ok: true; bytes: Buffer; size: number } | FsError> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0)
      return fsError('io', `${JSON.stringify(path)}: bad range ${offset}+${length}`);
    if (length > MAX_RANGE)
      return fsError('too-large', `${JSON.stringify(path)}: a range of ${length} bytes is over the limit of ${MAX_RANGE}`);
    const p = normalizeTargetPath(path);
    // Exit 2 missing, 3 not a regular file, 4 unreadable; else the size on a line, then the bytes.
    const script =
      'if [ ! -e "$1" ]; then exit 2; fi; if [ ! -f "$1" ]; then exit 3; fi; if [ ! -r "$1" ]; then exit 4; fi; ' +
      's=$(stat -L -c %s -- "$1") || exit 5; printf "%s\\n" "$s"; tail -c +"$(($2 + 1))" -- "$1" | head -c "$3"';
    const r = await this.call({
      op: 'run',
      argv: ['sh', '-c', script, 'sh', p, String(offset), String(length)],
      timeoutSec: 60,
      maxBytes: length + 64,
    });
    if (r.op !== 'run') throw new Error('payload: range answered with another op');
    if (!r.ok) return asFsError(path, r);
    const kinds: Record<number, FsErrorKind> = { 2: 'missing', 3: 'not-file', 4: 'denied' };
    if (r.code !== 0 || r.truncated) {
      const kind = kinds[r.code] ?? 'io';
      return fsError(kind, describeFsError(path, kind));
    }
    const nl = r.stdout.indexOf(10);
    const size = Number(r.stdout.subarray(0, Math.max(0, nl)).toString('latin1'));
    if (nl < 1 || !Number.isSafeInteger(size)) return fsError('io', `${JSON.stringify(path)}: bad range answer`);
    // The run's stdout is this call's own buffer: a view of it, not a second copy of up to 64 MiB.
    return { ok: true, bytes: r.stdout.subarray(nl + 1), size };
  }

  async run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    const command = argv.map(shellQuote).join(' ');
    if (argv.length === 0) return { ok: false, reason: 'error', message: 'empty command', command };
    if (opts.input !== undefined)
      return { ok: false, reason: 'error', message: `${command}: standard input is not supported over ssh`, command };
    const env = Object.entries(opts.env ?? {});
    const bad = env.find(([k]) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
    if (bad) return { ok: false, reason: 'error', message: `${command}: bad environment name ${JSON.stringify(bad[0])}`, command };
    const full = env.length > 0 ? ['env', ...env.map(([k, v]) => `${k}=${v}`), ...argv] : argv;
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_OUTPUT;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const r = await this.call({ op: 'run', argv: full, timeoutSec: Math.ceil(timeoutMs / 1000), maxBytes: Math.min(maxBytes, MAX_RANGE) });
    if (r.op !== 'run') throw new Error('payload: run answered with another op');
    if (!r.ok) {
      if ('error' in r) return { ok: false, reason: 'error', message: `${command}: ${r.message}`, command };
      if (r.reason === 'not-found')
        return { ok: false, reason: 'not-found', message: `${argv[0]} is not installed (not on PATH)`, command };
      if (r.reason === 'timeout')
        return { ok: false, reason: 'timeout', message: `${command} did not finish within ${timeoutMs} ms`, command };
      return { ok: false, reason: 'error', message: r.message, command };
    }
    if (r.truncated || r.stdout.length + r.stderr.length > maxBytes)
      return { ok: false, reason: 'error', message: `${command} printed more than ${maxBytes} bytes`, command };
    // env(1) that cannot find the command: 127 with its own message.
    if (env.length > 0 && r.code === 127 && /^env: /.test(r.stderr.toString('utf8')))
      return { ok: false, reason: 'not-found', message: `${argv[0]} is not installed (not on PATH)`, command };
    return { ok: true, code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), command };
  }

  batch(requests: readonly BatchRequest[], onResult?: (index: number, result: BatchResult) => void): Promise<BatchResult[]> {
    // Every call starts in this turn: one payload, then one per wave of list/glob `each` reads.
    return batchByCalls(this, requests, onResult);
  }

  async mountTable(): Promise<MountTableResult> {
    const r = await this.readText(MOUNTINFO, { maxBytes: 16 * 1024 * 1024 });
    return r.ok ? { ok: true, text: r.text, source: `${MOUNTINFO} on ${this.name}` } : r;
  }

  async *walk(roots: readonly string[], filter: WalkFilter, opts: WalkOptions = {}): AsyncGenerator<WalkEvent> {
    if (this.failure) throw new HostFailure(this.failure);
    const hostRoots: HostRoot[] = [];
    const preface: WalkEvent[] = [];
    const resolved = await Promise.all(roots.map(async (root) => ({ target: normalizeTargetPath(root), r: await this.realPath(root) })));
    for (const { target, r } of resolved) {
      if (r.ok) hostRoots.push({ target, host: r.path });
      else preface.push({ kind: 'unreadable', path: target, raw: null, reason: r.message });
    }
    const prune = (opts.prune ?? []).map((p) => {
      const t = normalizeTargetPath(p);
      const r = hostRoots.filter((x) => isUnderPath(t, x.target)).sort((a, b) => b.target.length - a.target.length)[0];
      if (r) return r.target === t ? r.host : posix.join(r.host, t.slice(r.target === '/' ? 0 : r.target.length));
      return t;
    });
    if (hostRoots.length === 0) {
      yield { kind: 'start', method: 'find', command: 'no root to walk' };
      yield* preface;
      yield { kind: 'end', end: { status: 'done', method: 'find', command: 'no root to walk', message: null } };
      return;
    }
    const become = this.opts.dest.become === true;
    const via = (find: string[]) => {
      const remote = [...(become ? ['sudo', '-n'] : []), ...FIND_ENV, ...find].map(shQuote).join(' ');
      return { argv: this.argv([], remote), env: this.env };
    };
    // The walk holds the session (MaxSessions 1): payloads wait until it ends.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await new Promise<void>((acquired) => {
      void this.exclusive(() => {
        acquired();
        return held;
      });
    });
    await this.endShell();
    this.trips.walks++;
    const t0 = performance.now();
    try {
      yield* hostWalk({ roots: hostRoots, prune, filter, opts, findBinary: 'find', preface, via });
    } finally {
      this.walkMs.push(Math.round(performance.now() - t0));
      release();
    }
  }

  async connect(endpoint: Endpoint, opts: { timeoutMs?: number } = {}): Promise<ConnectResult> {
    if (this.failure) return { ok: false, reason: 'error', message: this.failure.message, code: null };
    if ('unix' in endpoint)
      return { ok: false, reason: 'error', message: `${endpoint.unix}: unix socket connections are not made over ssh`, code: null };
    const where = `${endpoint.host}:${endpoint.port}`;
    const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
    const argv = this.argv(['-W', `${host}:${endpoint.port}`], null);
    this.trips.connects++;
    const timeoutMs = opts.timeoutMs ?? 10_000;
    return new Promise((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: this.env, detached: true });
      this.children.add(child);
      let stderr = '';
      let settled = false;
      const done = (r: ConnectResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(grace);
        resolve(r);
      };
      child.stderr.on('data', (c: Buffer) => {
        if (stderr.length < MAX_STDERR) stderr += c.toString('utf8');
      });
      child.once('error', (e) => done({ ok: false, reason: 'error', message: `${where}: ${e.message}`, code: null }));
      child.once('exit', (code) => {
        this.children.delete(child);
        if (settled) return;
        const reason = /Connection refused/.test(stderr) ? 'refused' : /timed out/i.test(stderr) ? 'timeout' : 'error';
        done({
          ok: false,
          reason,
          message: `connect to ${where} over ssh: ${firstLine(stderr, /./) || `exit ${code}`}`,
          code: reason === 'refused' ? 'ECONNREFUSED' : null,
        });
      });
      const timer = setTimeout(() => {
        killTree(child);
        done({ ok: false, reason: 'timeout', message: `connect to ${where}: no answer within ${timeoutMs} ms`, code: 'ETIMEDOUT' });
      }, timeoutMs);
      // ssh -W says nothing when the channel opens: a refused connection ends it at once, so a stream
      // still open after a moment (or one that already answered) is connected.
      const ready = () => {
        if (settled) return;
        const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
        stream.on('close', () => killTree(child));
        done({ ok: true, stream });
      };
      const grace = setTimeout(ready, 400);
      child.stdout.once('readable', () => {
        clearTimeout(grace);
        setImmediate(ready);
      });
    });
  }
}

function firstLine(text: string, re: RegExp): string {
  const l = text.split('\n').find((x) => re.test(x)) ?? '';
  return l.trim().slice(0, 200).replace(CONTROL, '?');
}

function killTree(c: ChildProcess): void {
  if (c.exitCode !== null || c.pid === undefined) return;
  try {
    process.kill(-c.pid, 'SIGKILL');
  } catch {
    try {
      c.kill('SIGKILL');
    } catch {
      // gone
    }
  }
}
