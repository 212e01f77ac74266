import type { Duplex } from 'node:stream';

export type FsErrorKind = 'missing' | 'denied' | 'too-large' | 'binary' | 'loop' | 'not-file' | 'not-dir' | 'io';

export interface FsError {
  ok: false;
  error: FsErrorKind;
  /** One line, safe to show: what went wrong and on which path. */
  message: string;
}

export type ReadResult = { ok: true; text: string; size: number } | FsError;
export type BytesResult = { ok: true; bytes: Buffer } | FsError;

export type FileType = 'file' | 'dir' | 'symlink' | 'block' | 'char' | 'fifo' | 'socket' | 'other';

export interface StatInfo {
  type: FileType;
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}
export type StatResult = ({ ok: true } & StatInfo) | FsError;

export interface DirEntry {
  name: string;
  type: FileType;
}
export type ListResult = { ok: true; entries: DirEntry[] } | FsError;

export type RunResult =
  | { ok: true; code: number; stdout: string; stderr: string; command: string }
  | { ok: false; reason: 'offline' | 'not-found' | 'timeout' | 'error'; message: string; command: string };

export interface RunOptions {
  timeoutMs?: number;
  maxBytes?: number;
  env?: Record<string, string>;
  input?: string;
}

export interface ReadOptions {
  /** Refuse files larger than this (default 4 MiB). */
  maxBytes?: number;
  /** Accept NUL bytes (default: a NUL byte anywhere in the file means binary, an error). */
  binaryOk?: boolean;
}

/** One entry a walk found (lstat of it: symlinks are entries, never followed). */
export interface WalkEntry {
  /** Target path; bytes that are not UTF-8 are shown as \xNN (see raw). */
  path: string;
  /** The exact bytes of the path when they are not UTF-8, else null. */
  raw: Buffer | null;
  type: FileType;
  /** Permission bits including setuid/setgid/sticky. */
  mode: number;
  uid: number;
  /** Given when the walk was asked for them (WalkOptions.detail), else null. */
  gid: number | null;
  size: number | null;
  dev: number | null;
  /** A symlink's target (\xNN for bytes that are not UTF-8) when detail was asked for, else null. */
  link: string | null;
}

/**
 * What a walk yields: a small declarative filter that maps onto find(1) predicates, so a remote
 * target runs `find` with it.
 */
export interface WalkFilter {
  /** Only entries of these types (find -type); default every type. */
  types?: readonly FileType[];
  /** Only entries with every one of these permission bits set (find -perm -MODE): 0o002 is world-writable. */
  permAll?: number;
  /** Report directories the walk cannot read as `unreadable` events (find -type d ! -readable). */
  unreadableDirs?: boolean;
}

export interface WalkOptions {
  /** Target paths not to descend into (find -path P -prune). */
  prune?: readonly string[];
  /** Stay on the file system of each root (find -xdev). */
  xdev?: boolean;
  /** gid, size, dev and symlink targets in every entry. */
  detail?: boolean;
  /** Stop after this many entries (the end says `limit`). Default 1,000,000. */
  maxEntries?: number;
  /** Stop after this long (the end says `timeout`). Default 60 s. */
  timeoutMs?: number;
}

export interface WalkEnd {
  status: 'done' | 'limit' | 'timeout' | 'error';
  /** 'find': GNU find on the target; 'walker': the built-in walker (no find). */
  method: 'find' | 'walker';
  /** What ran, for evidence. */
  command: string;
  /** Why it ended early (timeout, error). */
  message: string | null;
}

export type WalkEvent =
  /** Always the first event: how the walk runs. */
  | { kind: 'start'; method: WalkEnd['method']; command: string }
  | { kind: 'entry'; entry: WalkEntry }
  /** A part of the tree not walked; path null when the walker only gave a message (reason holds it). */
  | { kind: 'unreadable'; path: string | null; raw: Buffer | null; reason: string }
  /** Always the last event. */
  | { kind: 'end'; end: WalkEnd };

/** Where connect() goes: a unix socket path or a TCP address, both on the target. */
export type Endpoint = { unix: string } | { host: string; port: number };

export type ConnectResult =
  | { ok: true; stream: Duplex }
  | {
      ok: false;
      /** offline: an offline root has no live connection. */
      reason: 'offline' | 'missing' | 'refused' | 'denied' | 'timeout' | 'error';
      message: string;
      /** The errno code (ENOENT, ECONNREFUSED…) when the system gave one. */
      code: string | null;
    };

/** The mount table (proc(5) mountinfo format) with mount points as target paths. */
export type MountTableResult = { ok: true; text: string; source: string } | FsError;
/** What a batch fetches for each path a list or glob request finds (a remote target does it in the same round trip). */
export interface EachOps {
  /** Read each path raw (binaryOk) up to this many bytes. */
  read?: number;
  stat?: boolean;
  lstat?: boolean;
}

/** One request of a batch: the Target's own calls as data, so a remote target can answer many in one round trip. */
export type BatchRequest =
  | { op: 'read'; path: string; opts: ReadOptions }
  | { op: 'stat' | 'lstat' | 'realPath'; path: string }
  /** `depth` > 1: also every subdirectory (each's stat says dir; names in `skip` left out), `depth` levels down. */
  | { op: 'list'; path: string; each?: EachOps; depth?: number; skip?: readonly string[] }
  | { op: 'glob'; pattern: string; each?: EachOps }
  | { op: 'run'; argv: string[]; opts: RunOptions };

/** The answers for one path a list or glob found. */
export interface EachResult {
  path: string;
  read?: BytesResult;
  stat?: StatResult;
  lstat?: StatResult;
  /** A subdirectory of a listing with depth: its own listing (its entries follow in `each`). */
  list?: ListResult;
}

export type RealPathResult = { ok: true; path: string } | FsError;

/** The answer to request i of a batch: exactly what the Target's call gives (list and glob: also `each`). */
export type BatchResult =
  | { op: 'read'; result: BytesResult }
  | { op: 'stat' | 'lstat'; result: StatResult }
  | { op: 'realPath'; result: RealPathResult }
  | { op: 'list'; result: ListResult; each: EachResult[] }
  | { op: 'glob'; result: string[]; each: EachResult[] }
  | { op: 'run'; result: RunResult };

/**
 * The only way to touch a machine. Paths are absolute paths on the target; for a root
 * directory they are resolved inside the root (symlinks never lead out of it).
 */
export interface Target {
  readonly kind: 'local' | 'root' | 'ssh';
  /** '/' for the live host. */
  readonly root: string;
  /** Live targets can run commands and see processes, sockets and kernel state. */
  readonly live: boolean;
  readonly name: string;

  readText(path: string, opts?: ReadOptions): Promise<ReadResult>;
  readBytes(path: string, opts?: ReadOptions): Promise<BytesResult>;
  /** Follows symlinks (inside the root). */
  stat(path: string): Promise<StatResult>;
  /** Does not follow the last component. */
  lstat(path: string): Promise<StatResult>;
  list(dir: string): Promise<ListResult>;
  /**
   * glob(3)-style expansion (*, ?, [...]) per path component, sorted lexically like glob(3). A directory
   * a wildcard must list that cannot be read for permission throws PermissionDenied: what it holds is not
   * known, so "no match" would be a guess.
   */
  glob(pattern: string): Promise<string[]>;
  /**
   * Bytes [offset, offset + length) of a regular file (fewer at its end), resolved like readBytes:
   * for big or sparse files (lastlog, backups, apt lists). `size` is the file's size.
   */
  readRange(path: string, offset: number, length: number): Promise<{ ok: true; bytes: Buffer; size: number } | FsError>;
  /**
   * A streamed, bounded walk of the trees below `roots` on the target, yielding what `filter`
   * selects; symlinks are never followed and nothing outside the target's root is visited. The last
   * event is always `end`. Breaking out of the iteration stops the walk.
   */
  walk(roots: readonly string[], filter: WalkFilter, opts?: WalkOptions): AsyncIterable<WalkEvent>;
  /** The mount table the target's tree shows (live: its /proc/self/mountinfo). */
  mountTable(): Promise<MountTableResult>;
  /** A byte stream to a socket on the target; an offline root answers { ok: false, reason: 'offline' }. */
  connect(endpoint: Endpoint, opts?: { timeoutMs?: number }): Promise<ConnectResult>;
  /** The target path with every symlink resolved (inside the root), like realpath(3); an error if it does not exist. */
  realPath(path: string): Promise<{ ok: true; path: string } | FsError>;
  /** Runs a command (argv, no shell). Offline targets answer { ok: false, reason: 'offline' }. */
  run(argv: string[], opts?: RunOptions): Promise<RunResult>;
  /**
   * Answers many requests at once, each exactly as its own call would (one round trip for a remote
   * target; the local file system does them concurrently). `onResult` hears each answer as soon as it
   * is known, so a slow command does not hold the reads back.
   */
  batch(requests: readonly BatchRequest[], onResult?: (index: number, result: BatchResult) => void): Promise<BatchResult[]>;
}

/**
 * A stat that failed with permission denied (a directory on the way cannot be searched): whether the
 * path exists cannot be told, so nothing may be concluded from it ("absent" would be a guess). Thrown
 * by Target.glob (a directory a wildcard must list cannot be read) and by collect/paths.ts; the collector boundary turns it into a failed fact naming the path, so the
 * checks that need the fact are unknown; a collector that can narrow it to one value catches it.
 */
export class PermissionDenied extends Error {
  constructor(readonly path: string) {
    super(`${JSON.stringify(path)} permission denied: whether it exists cannot be told`);
    this.name = 'PermissionDenied';
  }
}
