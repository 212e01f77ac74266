import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { unsafeDirReason, unsafeFileReason } from '../util/safe-write.js';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

export const DEFAULT_STATE_DIR = '/var/lib/rampart';

/** `--state-dir DIR`, else $RAMPART_STATE_DIR, else /var/lib/rampart; `explicit` says whether the user chose it. */
export function resolveStateDir(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): { dir: string; explicit: boolean } {
  if (flag !== undefined) return { dir: resolve(cwd, flag), explicit: true };
  const fromEnv = env.RAMPART_STATE_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return { dir: resolve(cwd, fromEnv), explicit: true };
  return { dir: DEFAULT_STATE_DIR, explicit: false };
}

/** The real path of `p`, resolving symlinks of its nearest existing ancestor. */
function realish(p: string): string {
  let head = p;
  let tail = '';
  while (!existsSync(head)) {
    const up = dirname(head);
    if (up === head) break;
    tail = tail ? `${head.slice(up.length + (up.endsWith('/') ? 0 : 1))}/${tail}` : head.slice(up.length + (up.endsWith('/') ? 0 : 1));
    head = up;
  }
  try {
    return resolve(realpathSync(head), tail);
  } catch {
    return p;
  }
}

/** Whether `dir` is `root` or inside it (after symlinks): the store never goes into an audited root. */
export function isInside(dir: string, root: string): boolean {
  const rel = relative(realish(root), realish(dir));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Why the state directory must not be used (a symlink, foreign-owned, group/world-writable: another
 * user could plant links or forge attestations there), or null; a missing directory is no problem here.
 */
export function stateDirProblem(dir: string): string | null {
  let st;
  try {
    st = lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return unsafeDirReason(dir, st);
}

/** Why a store file (and SQLite's -wal/-shm companions) must not be opened: a planted symlink, not a regular file, foreign-owned. */
export function storeFileProblem(file: string): string | null {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    const why = unsafeFileReason(f);
    if (why !== null) return why;
  }
  return null;
}
