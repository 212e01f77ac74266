import type { FileType, Target } from '../target/types.js';

/**
 * The first of `paths` that exists on the target (stat: symlinks followed, so a dangling link does
 * not count), optionally only of the given type; null when none does.
 */
export async function firstExisting(t: Target, paths: readonly string[], type?: FileType): Promise<string | null> {
  for (const p of paths) {
    const s = await t.stat(p);
    if (s.ok && (type === undefined || s.type === type)) return p;
  }
  return null;
}
