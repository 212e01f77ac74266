import type {
  BatchRequest,
  BatchResult,
  BytesResult,
  EachOps,
  EachResult,
  FsErrorKind,
  ListResult,
  ReadOptions,
  ReadResult,
  RealPathResult,
  RunOptions,
  RunResult,
  StatResult,
  Target,
} from '../target/types.js';
import type { BatchStats } from '../facts/index.js';
import type { GatherContext, Gathers } from './types.js';

export type { BatchStats };

/** ReadOptions' documented default limit (target/types.ts). */
const DEFAULT_READ_MAX = 4 * 1024 * 1024;

/** Errors a read gives whatever its limit or binary flag: a raw read's error is the answer to any read. */
const OPTION_FREE_ERRORS: ReadonlySet<FsErrorKind> = new Set(['missing', 'denied', 'loop', 'not-file', 'not-dir', 'io']);

interface ReadEntry {
  opts: ReadOptions;
  /** A raw read (binaryOk, a limit only): it answers reads with other options where the answer is the same. */
  raw: boolean;
  result: Promise<BytesResult>;
}

interface Pending {
  request: BatchRequest;
  resolve: (r: BatchResult) => void;
  reject: (e: unknown) => void;
  settled: boolean;
}

/**
 * A Target that answers from batches: the declared reads are fetched in one batch, and every call it
 * cannot answer yet is queued and sent with the others of the same turn of the event loop, so each
 * wave of dependent reads costs one round trip (DataLoader's coalescing). Answers are exactly those of
 * the inner target's own calls: a read is served from a raw read only where its options cannot change
 * the answer (else it is sent as asked), and a command only from a declared run with the same options.
 * Methods it does not know are the inner target's, counted as direct round trips.
 */
export class Prefetcher {
  readonly stats: BatchStats = { roundTrips: 0, batches: [], requests: 0, bytes: 0, served: 0, direct: {} };
  /** The view to give collectors: the inner target with its calls answered from batches. */
  readonly target: Target;
  private readonly reads = new Map<string, ReadEntry[]>();
  private readonly answers = new Map<string, Promise<unknown>>();
  private readonly commands = new Map<string, Promise<RunResult>>();
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly inner: Target) {
    const served: Partial<Record<keyof Target, unknown>> = {
      readBytes: (path: string, opts?: ReadOptions) => this.readBytes(path, opts ?? {}),
      readText: (path: string, opts?: ReadOptions) => this.readText(path, opts ?? {}),
      stat: (path: string) => this.answer('stat', path),
      lstat: (path: string) => this.answer('lstat', path),
      realPath: (path: string) => this.answer('realPath', path),
      list: (path: string) => this.answer('list', path),
      glob: (pattern: string) => this.answer('glob', pattern),
      run: (argv: string[], opts?: RunOptions) => this.run(argv, opts ?? {}),
    };
    const direct = new Map<PropertyKey, unknown>();
    this.target = new Proxy(inner, {
      get: (t, prop) => {
        if (Object.hasOwn(served, prop)) return served[prop as keyof Target];
        const v: unknown = Reflect.get(t, prop, t);
        if (typeof v !== 'function') return v;
        let wrapped = direct.get(prop);
        if (wrapped === undefined) {
          wrapped = (...args: unknown[]): unknown => {
            this.stats.roundTrips++;
            this.stats.direct[String(prop)] = (this.stats.direct[String(prop)] ?? 0) + 1;
            return (v as (...a: unknown[]) => unknown).apply(t, args);
          };
          direct.set(prop, wrapped);
        }
        return wrapped;
      },
    });
  }

  /** Queues the declared reads (sent with whatever else is asked in this turn). */
  prefetch(g: Gathers): void {
    const files = new Map<string, number>();
    for (const f of g.files ?? []) {
      const { path, maxBytes } = typeof f === 'string' ? { path: f, maxBytes: undefined } : f;
      files.set(path, Math.max(files.get(path) ?? 0, maxBytes ?? DEFAULT_READ_MAX));
    }
    for (const [path, maxBytes] of files) {
      this.rawRead(path, maxBytes);
      void this.answer('stat', path);
      void this.answer('lstat', path);
    }
    for (const p of g.paths ?? []) {
      void this.answer('stat', p);
      void this.answer('lstat', p);
    }
    const globs = new Map<string, EachOps>();
    for (const gl of g.globs ?? []) {
      const d = typeof gl === 'string' ? { pattern: gl } : gl;
      globs.set(d.pattern, mergeEach(globs.get(d.pattern), eachOps(d)));
    }
    for (const [pattern, each] of globs) void this.answer('glob', pattern, each);
    const dirs = new Map<string, { each: EachOps; depth: number; skip: readonly string[] }>();
    for (const dir of g.dirs ?? []) {
      const d = typeof dir === 'string' ? { path: dir } : dir;
      const known = dirs.get(d.path);
      dirs.set(d.path, {
        each: mergeEach(known?.each, eachOps(d)),
        depth: Math.max(known?.depth ?? 1, d.depth ?? 1),
        skip: known ? known.skip.filter((x) => (d.skip ?? []).includes(x)) : (d.skip ?? []),
      });
    }
    for (const [path, d] of dirs) void this.answer('list', path, d.each, d.depth, d.skip);
    for (const c of g.commands ?? []) {
      const key = commandKey(c.argv, c.opts ?? {});
      if (!this.commands.has(key))
        this.commands.set(
          key,
          handled(this.send({ op: 'run', argv: c.argv, opts: c.opts ?? {} }).then((r) => (r as { result: RunResult }).result)),
        );
    }
  }

  private async readBytes(path: string, opts: ReadOptions): Promise<BytesResult> {
    const entries = this.reads.get(path) ?? [];
    const same = entries.find((e) => sameOptions(e.opts, opts));
    if (same) {
      this.stats.served++;
      return same.result;
    }
    const plain = Object.keys(opts).every((k) => k === 'maxBytes' || k === 'binaryOk');
    const raw = plain ? entries.find((e) => e.raw) : undefined;
    if (raw) {
      const r = await raw.result;
      const served = fromRaw(r, opts);
      if (served) {
        this.stats.served++;
        return served;
      }
    }
    const result = handled(this.send({ op: 'read', path, opts }).then((r) => (r as { result: BytesResult }).result));
    this.reads.set(path, [...(this.reads.get(path) ?? []), { opts, raw: false, result }]);
    return result;
  }

  /** FsTarget's readText: the bytes, decoded as UTF-8 (a BOM dropped, invalid sequences replaced). */
  private async readText(path: string, opts: ReadOptions): Promise<ReadResult> {
    const r = await this.readBytes(path, opts);
    if (!r.ok) return r;
    return { ok: true, text: new TextDecoder('utf-8').decode(r.bytes), size: r.bytes.length };
  }

  private rawRead(path: string, maxBytes: number): void {
    const entries = this.reads.get(path) ?? [];
    const opts = { maxBytes, binaryOk: true };
    if (entries.some((e) => e.raw && (e.opts.maxBytes ?? 0) >= maxBytes)) return;
    const result = handled(this.send({ op: 'read', path, opts }).then((r) => (r as { result: BytesResult }).result));
    this.reads.set(path, [...entries, { opts, raw: true, result }]);
  }

  private answer(op: 'stat' | 'lstat', path: string): Promise<StatResult>;
  private answer(op: 'realPath', path: string): Promise<RealPathResult>;
  private answer(op: 'list', path: string, each?: EachOps, depth?: number, skip?: readonly string[]): Promise<ListResult>;
  private answer(op: 'glob', pattern: string, each?: EachOps): Promise<string[]>;
  private answer(
    op: 'stat' | 'lstat' | 'realPath' | 'list' | 'glob',
    path: string,
    each?: EachOps,
    depth?: number,
    skip?: readonly string[],
  ): Promise<unknown> {
    const key = `${op}\0${path}`;
    const known = this.answers.get(key);
    // A declared listing or glob that reads its matches is sent even when a plain one is already on its way.
    if (known && each === undefined) {
      this.stats.served++;
      return known;
    }
    const request: BatchRequest =
      op === 'glob'
        ? { op, pattern: path, ...(each ? { each } : {}) }
        : op === 'list'
          ? { op, path, ...(each ? { each } : {}), ...(depth !== undefined && depth > 1 ? { depth, skip: skip ?? [] } : {}) }
          : { op, path };
    const result = handled(
      this.send(request).then((r) => {
        if (r.op === 'list' || r.op === 'glob') for (const e of r.each) this.learn(e, each?.read);
        return r.result;
      }),
    );
    if (!known) this.answers.set(key, result);
    return known ?? result;
  }

  /** What a batch found out about one path of a listing or glob: kept unless already asked for. */
  private learn(e: EachResult, readLimit: number | undefined): void {
    if (e.list !== undefined && !this.answers.has(`list\0${e.path}`)) this.answers.set(`list\0${e.path}`, Promise.resolve(e.list));
    for (const op of ['stat', 'lstat'] as const) {
      const r = e[op];
      const key = `${op}\0${e.path}`;
      if (r !== undefined && !this.answers.has(key)) this.answers.set(key, Promise.resolve(r));
    }
    if (e.read !== undefined && readLimit !== undefined) {
      const entries = this.reads.get(e.path) ?? [];
      // Kept with the options it was read with: only a read asking exactly those gets it unfiltered.
      if (!entries.some((x) => x.raw))
        this.reads.set(e.path, [...entries, { opts: { maxBytes: readLimit, binaryOk: true }, raw: true, result: Promise.resolve(e.read) }]);
    }
  }

  private run(argv: string[], opts: RunOptions): Promise<RunResult> {
    const declared = this.commands.get(commandKey(argv, opts));
    if (declared) {
      this.stats.served++;
      return declared;
    }
    // Not cached: a command run twice runs twice, as it would without the batch.
    return this.send({ op: 'run', argv, opts }).then((r) => (r as { result: RunResult }).result);
  }

  private send(request: BatchRequest): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject, settled: false });
      if (!this.scheduled) {
        this.scheduled = true;
        // After every promise continuation of this turn: the calls of all collectors that can go on
        // without an answer are in the queue by then.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.stats.roundTrips++;
    this.stats.batches.push(batch.length);
    this.stats.requests += batch.length;
    const settle = (i: number, r: BatchResult) => {
      const p = batch[i];
      if (!p || p.settled) return;
      p.settled = true;
      this.stats.bytes += bytesOf(r);
      p.resolve(r);
    };
    this.inner
      .batch(
        batch.map((p) => p.request),
        settle,
      )
      .then(
        (results) => {
          results.forEach((r, i) => settle(i, r));
          for (const p of batch) if (!p.settled) p.reject(new Error('the target answered a batch without every result'));
        },
        (e: unknown) => {
          for (const p of batch) if (!p.settled) p.reject(e);
        },
      );
  }
}

export function gathersOf(g: Gathers | ((ctx: GatherContext) => Gathers), ctx: GatherContext): Gathers {
  return typeof g === 'function' ? g(ctx) : g;
}

/** `p` itself, marked handled: a declared answer nobody asks for must not fail the run when its batch does. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

function mergeEach(a: EachOps | undefined, b: EachOps): EachOps {
  if (!a) return b;
  const read = Math.max(a.read ?? -1, b.read ?? -1);
  return { stat: true, lstat: true, ...(read >= 0 ? { read } : {}) };
}

function eachOps(d: { read?: boolean; maxBytes?: number }): EachOps {
  return d.read === false ? { stat: true, lstat: true } : { stat: true, lstat: true, read: d.maxBytes ?? DEFAULT_READ_MAX };
}

/**
 * The answer to a read with `opts` given a raw read (binaryOk, a limit) of the same path, or null when
 * only the target can say (the file is over the asked limit, or holds NUL bytes and binary is refused:
 * the target's own message says so).
 */
function fromRaw(r: BytesResult, opts: ReadOptions): BytesResult | null {
  if (!r.ok) return OPTION_FREE_ERRORS.has(r.error) ? r : null;
  if (r.bytes.length > (opts.maxBytes ?? DEFAULT_READ_MAX)) return null;
  if (!opts.binaryOk && r.bytes.includes(0)) return null;
  return { ok: true, bytes: Buffer.from(r.bytes) };
}

function sameOptions(a: ReadOptions, b: ReadOptions): boolean {
  return stableJson(a) === stableJson(b);
}

function commandKey(argv: readonly string[], opts: RunOptions): string {
  return stableJson([argv, opts]);
}

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

function bytesOf(r: BatchResult): number {
  switch (r.op) {
    case 'read':
      return r.result.ok ? r.result.bytes.length : 0;
    case 'run':
      return r.result.ok ? r.result.stdout.length + r.result.stderr.length : 0;
    case 'list':
    case 'glob':
      return r.each.reduce((n, e) => n + (e.read?.ok ? e.read.bytes.length : 0), 0);
    default:
      return 0;
  }
}
