import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Mode of every file Rampart creates (reports, snapshots, the store): reports can hold sensitive evidence. */
export const FILE_MODE = 0o600;
/** Mode of every directory Rampart creates (the state directory, collections). */
export const DIR_MODE = 0o700;

const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Writes `file` atomically and without following anything planted: a temporary file with a random
 * name in the same directory, created O_EXCL|O_NOFOLLOW with mode 0600 (a symlink or file planted
 * there makes the open fail rather than be followed), fsync, then rename over `file` (rename
 * replaces a link at `file` itself, never writes through it). `file` must be the caller's real path.
 */
export function writeFileSafe(file: string, data: string | Buffer): void {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, CREATE_NEW, FILE_MODE);
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created (or a planted entry we refused to open: unlinking our random name is harmless)
    }
    throw e;
  }
}

/** Creates `file` empty, exclusively, 0600, never through a symlink; false when it already exists. */
export function createFileExclusive(file: string): boolean {
  try {
    closeSync(openSync(file, CREATE_NEW, FILE_MODE));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Why a directory Rampart keeps its own state in must not be used, or null when it may: it must be a
 * real directory (not a symlink), owned by the running user or root, and writable by nobody else
 * (a group/world-writable or foreign-owned directory lets another user plant links or swap files).
 */
export function unsafeDirReason(dir: string, st: Stats = lstatSync(dir), uid = process.geteuid?.() ?? 0): string | null {
  if (st.isSymbolicLink()) return `${dir} is a symbolic link (the state directory must be a real directory)`;
  if (!st.isDirectory()) return `${dir} is not a directory`;
  if (st.uid !== uid && st.uid !== 0) return `${dir} is owned by uid ${st.uid}, not by the running user (uid ${uid}) or root`;
  if ((st.mode & 0o022) !== 0)
    return `${dir} is ${(st.mode & 0o002) !== 0 ? 'world' : 'group'}-writable (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}); fix with chmod 700 ${dir}`;
  return null;
}

/** Why an existing file of the state directory must not be opened (a symlink, not a regular file, foreign-owned), or null. */
export function unsafeFileReason(file: string, uid = process.geteuid?.() ?? 0): string | null {
  let st: Stats;
  try {
    st = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (st.isSymbolicLink()) return `${file} is a symbolic link (refused: it could point at another database or into an audited root)`;
  if (!st.isFile()) return `${file} is not a regular file`;
  if (st.uid !== uid && st.uid !== 0) return `${file} is owned by uid ${st.uid}, not by the running user (uid ${uid}) or root`;
  return null;
}
