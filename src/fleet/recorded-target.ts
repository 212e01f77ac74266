import { batchByCalls } from '../target/batch.js';
import type { PayloadRequest, PayloadResult } from './payload.js';
import type {
  BatchRequest,
  BatchResult,
  BytesResult,
  ConnectResult,
  FileType,
  FsError,
  FsErrorKind,
  ListResult,
  MountTableResult,
  ReadOptions,
  ReadResult,
  RunOptions,
  RunResult,
  StatInfo,
  StatResult,
  Target,
  WalkEvent,
} from '../target/types.js';

/**
 * A Target that answers from one host's recorded payload (the playbook's fetched output, issue 11):
 * nothing is asked of the host again. A call the recording does not hold fails as an FsError 'io'
 * "not in the recorded payload" (runs: reason 'error'; glob: an Error thrown; walk: an `error` end),
 * so the facts that needed it fail and the requirements become unknown, never pass.
 *
 * Besides the payload's own records, a "bundle" (see playbook.ts: one `run` that prints every small file
 * below the configuration directories with its stat) answers reads and stats of files it holds.
 */

export const NOT_RECORDED = 'not in the recorded payload';

export interface BundleFile {
  stat: StatInfo;
  bytes: Buffer;
}

const DEFAULT_MAX_READ = 4 * 1024 * 1024;

function err(kind: FsErrorKind, path: string, what: string): FsError {
  return { ok: false, error: kind, message: `${JSON.stringify(path)}: ${what}` };
}
const notRecorded = (path: string): FsError => err('io', path, NOT_RECORDED);

function commandText(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** A payload result error kind → the Target's kind ('dangling' reads as missing, like open(2)). */
function kindOf(e: string): FsErrorKind {
  if (e === 'dangling') return 'missing';
  if (['missing', 'denied', 'too-large', 'binary', 'loop', 'not-file', 'not-dir', 'io'].includes(e)) return e as FsErrorKind;
  return 'io';
}

/** The stat(1) `%f %u %g %s %Y %d %i` line of a bundle entry → StatInfo. */
export function parseStatLine(line: string): StatInfo | null {
  const m = /^([0-9a-f]+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$/.exec(line.trim());
  if (!m) return null;
  const raw = parseInt(m[1]!, 16);
  const fmt = raw & 0o170000;
  const type: FileType =
    fmt === 0o100000
      ? 'file'
      : fmt === 0o040000
        ? 'dir'
        : fmt === 0o120000
          ? 'symlink'
          : fmt === 0o060000
            ? 'block'
            : fmt === 0o020000
              ? 'char'
              : fmt === 0o010000
                ? 'fifo'
                : fmt === 0o140000
                  ? 'socket'
                  : 'other';
  return { type, mode: raw & 0o7777, uid: +m[2]!, gid: +m[3]!, size: +m[4]!, mtimeMs: +m[5]! * 1000, dev: +m[6]!, ino: +m[7]! };
}

/**
 * The bundle's output: per file `path\0statline\0` then exactly `size` bytes, then `\0`; ends with
 * `\0RAMPART-BUNDLE-END\0`. Anything else (a file that changed size, a cut stream) → null: the whole
 * bundle is ignored (its reads become "not recorded"), never half trusted.
 */
export function parseBundle(out: Buffer): Map<string, BundleFile> | null {
  const files = new Map<string, BundleFile>();
  const END = Buffer.from('\0RAMPART-BUNDLE-END\0');
  if (out.length < END.length || !out.subarray(out.length - END.length).equals(END)) return null;
  const body = out.subarray(0, out.length - END.length);
  let i = 0;
  while (i < body.length) {
    const a = body.indexOf(0, i);
    if (a < 0) return null;
    const b = body.indexOf(0, a + 1);
    if (b < 0) return null;
    const path = body.subarray(i, a).toString('utf8');
    const stat = parseStatLine(body.subarray(a + 1, b).toString('utf8'));
    if (!stat || !path.startsWith('/')) return null;
    const start = b + 1;
    const end = start + stat.size;
    if (end >= body.length + 1 || body[end] !== 0) return null;
    files.set(path, { stat, bytes: Buffer.from(body.subarray(start, end)) });
    i = end + 1;
  }
  return files;
}

export interface Recording {
  requests: readonly PayloadRequest[];
  results: readonly PayloadResult[];
}

/** Is this request the bundle run (playbook.ts builds it)? */
export const BUNDLE_MARK = 'rampart-bundle';

/** `sh -c SCRIPT rampart-bundle DIR...`: the bundle's $0 is its fourth word. */
export function isBundleArgv(argv: readonly string[]): boolean {
  return argv[0] === 'sh' && argv[1] === '-c' && argv[3] === BUNDLE_MARK;
}

export class RecordedTarget implements Target {
  readonly kind = 'ssh' as const;
  readonly root = '/';
  readonly live = true;
  private readonly reads = new Map<string, PayloadResult & { op: 'read' }>();
  private readonly stats = new Map<string, StatResult>();
  private readonly lstats = new Map<string, StatResult>();
  private readonly lists = new Map<string, ListResult>();
  private readonly globs = new Map<string, string[] | null>();
  private readonly runs = new Map<string, PayloadResult & { op: 'run' }>();
  private bundle = new Map<string, BundleFile>();
  /** Calls the recording could not answer (for the report of what the payload lacks). */
  readonly misses: string[] = [];

  constructor(
    readonly name: string,
    rec: Recording,
  ) {
    rec.requests.forEach((q, i) => {
      const r = rec.results[i];
      if (!r) return;
      switch (q.op) {
        case 'read':
          if (r.op === 'read') this.reads.set(q.path, r as PayloadResult & { op: 'read' });
          break;
        case 'stat':
        case 'lstat': {
          const m = q.op === 'stat' ? this.stats : this.lstats;
          m.set(
            q.path,
            r.ok && 'stat' in r
              ? { ok: true, ...r.stat }
              : err(kindOf(r.ok ? 'io' : 'error' in r ? r.error : 'io'), q.path, r.ok ? 'io' : r.message),
          );
          break;
        }
        case 'list':
          this.lists.set(
            q.path,
            r.ok && 'entries' in r
              ? { ok: true, entries: r.entries }
              : err(kindOf(!r.ok && 'error' in r ? r.error : 'io'), q.path, r.ok ? 'io' : r.message),
          );
          break;
        case 'glob':
          this.globs.set(q.pattern, r.ok && 'paths' in r ? r.paths : null);
          break;
        case 'run':
          // `sh -c SCRIPT rampart-bundle DIR...` (playbook.ts bundleRequest): the mark is $0, argv[3].
          if (isBundleArgv(q.argv)) {
            if (r.ok && 'code' in r && !r.truncated) this.bundle = parseBundle(r.stdout) ?? new Map<string, BundleFile>();
          } else if (r.op === 'run') this.runs.set(JSON.stringify(q.argv), r as PayloadResult & { op: 'run' });
          break;
      }
    });
  }

  private miss(what: string): void {
    if (this.misses.length < 10_000) this.misses.push(what);
  }

  readBytes(path: string, opts: ReadOptions = {}): Promise<BytesResult> {
    const max = opts.maxBytes ?? DEFAULT_MAX_READ;
    const r = this.reads.get(path);
    let bytes: Buffer | null = null;
    if (r) {
      if (!r.ok) return Promise.resolve(err(kindOf('error' in r ? r.error : 'io'), path, 'message' in r ? r.message : 'error'));
      if (r.changed) return Promise.resolve(err('io', path, 'changed while the payload read it'));
      if (r.size > max) return Promise.resolve(err('too-large', path, `${r.size} bytes, over the read limit of ${max}`));
      if (!r.truncated) bytes = r.bytes;
    }
    if (bytes === null) {
      const b = this.bundle.get(path);
      if (b) {
        if (b.stat.size > max) return Promise.resolve(err('too-large', path, `${b.stat.size} bytes, over the read limit of ${max}`));
        bytes = b.bytes;
      }
    }
    if (bytes === null) {
      this.miss(`read ${path}`);
      return Promise.resolve(notRecorded(path));
    }
    if (!opts.binaryOk && bytes.includes(0)) return Promise.resolve(err('binary', path, 'binary (holds a NUL byte)'));
    return Promise.resolve({ ok: true, bytes });
  }

  async readText(path: string, opts: ReadOptions = {}): Promise<ReadResult> {
    const r = await this.readBytes(path, opts);
    if (!r.ok) return r;
    return { ok: true, text: new TextDecoder('utf-8').decode(r.bytes), size: r.bytes.length };
  }

  async readRange(path: string, offset: number, length: number): Promise<{ ok: true; bytes: Buffer; size: number } | FsError> {
    const r = await this.readBytes(path, { binaryOk: true, maxBytes: Number.MAX_SAFE_INTEGER });
    if (!r.ok) return r;
    return { ok: true, bytes: r.bytes.subarray(offset, offset + length), size: r.bytes.length };
  }

  stat(path: string): Promise<StatResult> {
    const s = this.stats.get(path) ?? (this.bundle.get(path) ? { ok: true as const, ...this.bundle.get(path)!.stat } : undefined);
    if (s) return Promise.resolve(s);
    this.miss(`stat ${path}`);
    return Promise.resolve(notRecorded(path));
  }

  lstat(path: string): Promise<StatResult> {
    const s = this.lstats.get(path) ?? (this.bundle.get(path) ? { ok: true as const, ...this.bundle.get(path)!.stat } : undefined);
    if (s) return Promise.resolve(s);
    this.miss(`lstat ${path}`);
    return Promise.resolve(notRecorded(path));
  }

  list(dir: string): Promise<ListResult> {
    const l = this.lists.get(dir);
    if (l) return Promise.resolve(l);
    this.miss(`list ${dir}`);
    return Promise.resolve(notRecorded(dir));
  }

  glob(pattern: string): Promise<string[]> {
    const g = this.globs.get(pattern);
    if (g) return Promise.resolve(g);
    this.miss(`glob ${pattern}`);
    return Promise.reject(new Error(`glob ${JSON.stringify(pattern)}: ${NOT_RECORDED}`));
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- an async iterable that answers at once
  async *walk(roots: readonly string[]): AsyncIterable<WalkEvent> {
    const command = `walk ${roots.join(' ')}`;
    this.miss(command);
    yield { kind: 'start', method: 'find', command };
    yield { kind: 'end', end: { status: 'error', method: 'find', command, message: NOT_RECORDED } };
  }

  mountTable(): Promise<MountTableResult> {
    return this.readText('/proc/self/mountinfo', { maxBytes: 16 * 1024 * 1024 }).then((r) =>
      r.ok ? { ok: true, text: r.text, source: '/proc/self/mountinfo' } : r,
    );
  }

  connect(endpoint: Parameters<Target['connect']>[0]): Promise<ConnectResult> {
    this.miss(`connect ${JSON.stringify(endpoint)}`);
    return Promise.resolve({ ok: false, reason: 'error', message: `connect: ${NOT_RECORDED}`, code: null });
  }

  async realPath(path: string): Promise<{ ok: true; path: string } | FsError> {
    const r = await this.run(['realpath', '-e', '--', path]);
    if (r.ok && r.code === 0) return { ok: true, path: r.stdout.replace(/\n$/, '') };
    if (r.ok) return err('missing', path, 'realpath failed');
    return notRecorded(path);
  }

  run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    const command = commandText(argv);
    const r = opts.input === undefined && opts.env === undefined ? this.runs.get(JSON.stringify(argv)) : undefined;
    if (!r) {
      this.miss(`run ${command}`);
      return Promise.resolve({ ok: false, reason: 'error', message: `${command}: ${NOT_RECORDED}`, command });
    }
    if (!r.ok) {
      const reason = 'reason' in r && (r.reason === 'timeout' || r.reason === 'not-found') ? r.reason : 'error';
      return Promise.resolve({ ok: false, reason, message: r.message, command });
    }
    if (r.truncated) return Promise.resolve({ ok: false, reason: 'error', message: `${command}: output cut in the recording`, command });
    return Promise.resolve({ ok: true, code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), command });
  }

  /** Each request exactly as its own call (a glob that is not recorded throws, as the call does). */
  batch(requests: readonly BatchRequest[], onResult?: (index: number, result: BatchResult) => void): Promise<BatchResult[]> {
    return batchByCalls(this, requests, onResult);
  }
}
