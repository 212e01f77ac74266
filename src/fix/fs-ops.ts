// The file operations of the apply engine: read a file's exact state, write a candidate beside it
// (O_EXCL, never through a symlink), fsync, replace atomically. Synchronous on purpose: every step is
// ordered and durable before the next one starts.
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  futimesSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** An expected failure of a step (refused write, full disk, validator): the engine rolls back and reports it. */
export class FixError extends Error {
  override name = 'FixError';
}

export interface FileMeta {
  mode: number;
  uid: number;
  gid: number;
}

export type FileState =
  { exists: false } | (FileMeta & { exists: true; sha256: string; size: number; atimeMs: number; mtimeMs: number; content: Buffer });

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The directory of `path` must be a real directory path: a symlink on the way could lead the write elsewhere. */
export function checkParent(path: string): void {
  const dir = dirname(path);
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (e) {
    throw new FixError(`cannot resolve the directory of ${path}: ${errText(e)}`);
  }
  if (real !== dir) throw new FixError(`the directory of ${path} passes through a symlink (it is ${real}): refused`);
}

/** The exact state of a regular file, read through a descriptor opened without following a symlink. */
export function readState(path: string): FileState {
  const l = lstatSync(path, { throwIfNoEntry: false });
  if (!l) return { exists: false };
  if (!l.isFile()) throw new FixError(`${path} is not a regular file (${l.isSymbolicLink() ? 'a symlink' : 'a special file'}): refused`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    throw new FixError(`cannot open ${path}: ${errText(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.ino !== l.ino || st.dev !== l.dev) throw new FixError(`${path} changed while it was read: refused`);
    const content = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, content, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off !== st.size) throw new FixError(`${path} shrank while it was read: refused`);
    return {
      exists: true,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      size: st.size,
      sha256: sha256(content),
      atimeMs: st.atimeMs,
      mtimeMs: st.mtimeMs,
      content,
    };
  } finally {
    closeSync(fd);
  }
}

/** Whether a file is there with exactly this content, mode and owner. */
export function isState(s: FileState, want: FileMeta & { sha256: string }): boolean {
  return s.exists && s.sha256 === want.sha256 && s.mode === want.mode && s.uid === want.uid && s.gid === want.gid;
}

/** `.NAME.rampart-RUN.KIND` beside the file: one name per run and purpose, so a recovery knows what is its own. */
export function tempPathOf(path: string, runId: string, kind: 'new' | 'restore'): string {
  const base = Buffer.from(basename(path))
    .subarray(0, 120)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return join(dirname(path), `.${base}.rampart-${runId}.${kind}`);
}

/**
 * Writes `content` to a new file at `path` (O_CREAT|O_EXCL|O_NOFOLLOW: never an existing file or a
 * symlink), sets owner then mode (chown clears set-id bits), optionally the times, and fsyncs it.
 * On failure the partial file is removed.
 */
export function writeExclusive(path: string, content: Uint8Array, meta: FileMeta, times?: { atimeMs: number; mtimeMs: number }): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    throw new FixError(`cannot create ${path}: ${errText(e)}`);
  }
  try {
    let off = 0;
    while (off < content.length) off += writeSync(fd, content, off, content.length - off);
    fchownSync(fd, meta.uid, meta.gid);
    fchmodSync(fd, meta.mode);
    if (times) futimesSync(fd, times.atimeMs / 1000, times.mtimeMs / 1000);
    fsyncSync(fd);
  } catch (e) {
    closeQuietly(fd);
    removeIfFile(path);
    throw new FixError(`cannot write ${path}: ${errText(e)}`);
  }
  try {
    closeSync(fd);
  } catch (e) {
    removeIfFile(path);
    throw new FixError(`cannot write ${path}: ${errText(e)}`);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already failing: the first error is the one reported
  }
}

/** Removes `path` if it is a regular file (never a directory or what a symlink points to); whether it removed one. */
export function removeIfFile(path: string): boolean {
  const l = lstatSync(path, { throwIfNoEntry: false });
  if (!l || !l.isFile()) return false;
  unlinkSync(path);
  return true;
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function replace(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    throw new FixError(`cannot replace ${to}: ${errText(e)}`);
  }
}

/**
 * Puts a file back to exactly `want` (bytes, mode, owner, group, times) through a candidate beside it
 * and an atomic rename; idempotent, so a recovery may repeat it after a crash at any point.
 */
export function restoreFile(path: string, runId: string, content: Buffer, want: FileMeta & { atimeMs: number; mtimeMs: number }): void {
  const tmp = tempPathOf(path, runId, 'restore');
  removeIfFile(tmp);
  writeExclusive(tmp, content, want, want);
  try {
    replace(tmp, path);
  } catch (e) {
    removeIfFile(tmp);
    throw e;
  }
  fsyncDir(dirname(path));
}
