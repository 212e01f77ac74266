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
  readonly kind: 'local' | 'root';
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
  /** glob(3)-style expansion (*, ?, [...]) per path component, sorted lexically like glob(3). */
  glob(pattern: string): Promise<string[]>;
  /** The path on this machine that a target path resolves to, for scanners that walk trees themselves. */
  hostPath(path: string): Promise<{ ok: true; path: string } | FsError>;
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
