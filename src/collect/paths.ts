import { PermissionDenied } from '../target/types.js';
import type { FileType, Target } from '../target/types.js';

export { PermissionDenied } from '../target/types.js';

/**
 * The first of `paths` that exists, and the paths before it whose stat was denied (so whether they
 * exist is not known). Symlinks are followed, so a dangling link does not count; `type` restricts
 * the hit to one file type.
 */
export async function probeFirst(t: Target, paths: readonly string[], type?: FileType): Promise<{ path: string | null; denied: string[] }> {
  const denied: string[] = [];
  for (const p of paths) {
    const s = await t.stat(p);
    if (s.ok && (type === undefined || s.type === type)) return { path: p, denied };
    if (!s.ok && s.error === 'denied') denied.push(p);
  }
  return { path: null, denied };
}

/**
 * The first of `paths` that exists on the target (stat: symlinks followed, so a dangling link does
 * not count), optionally only of the given type; null when none does. A denied stat before the answer
 * throws PermissionDenied: an earlier path may exist, so neither "none" nor a later hit is known.
 */
export async function firstExisting(t: Target, paths: readonly string[], type?: FileType): Promise<string | null> {
  const r = await probeFirst(t, paths, type);
  if (r.denied[0] !== undefined) throw new PermissionDenied(r.denied[0]);
  return r.path;
}

/** Whether `path` exists (symlinks followed); PermissionDenied when that cannot be told. */
export async function exists(t: Target, path: string, type?: FileType): Promise<boolean> {
  return (await firstExisting(t, [path], type)) !== null;
}
