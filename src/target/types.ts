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
  /**
   * glob(3)-style expansion (*, ?, [...]) per path component, sorted lexically like glob(3). A directory
   * a wildcard must list that cannot be read for permission throws PermissionDenied: what it holds is not
   * known, so "no match" would be a guess.
   */
  glob(pattern: string): Promise<string[]>;
  /** The path on this machine that a target path resolves to, for scanners that walk trees themselves. */
  hostPath(path: string): Promise<{ ok: true; path: string } | FsError>;
  /** The target path with every symlink resolved (inside the root), like realpath(3); an error if it does not exist. */
  realPath(path: string): Promise<{ ok: true; path: string } | FsError>;
  /** Runs a command (argv, no shell). Offline targets answer { ok: false, reason: 'offline' }. */
  run(argv: string[], opts?: RunOptions): Promise<RunResult>;
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
