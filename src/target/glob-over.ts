import { posix } from 'node:path';
import { componentMatcher, hasWildcard } from '../util/glob.js';
import { normalizeTargetPath } from './fs-target.js';
import { PermissionDenied, type ListResult, type StatResult } from './types.js';

/**
 * Target.glob over a target's own list and lstat (FsTarget and SshTarget): one listing per wildcard
 * component, every base at once; a denied directory or path throws PermissionDenied. `trustListings`:
 * an entry a listing just showed exists (no lstat: one round trip fewer over SSH).
 */
export async function globOver(
  t: { list(dir: string): Promise<ListResult>; lstat(path: string): Promise<StatResult> },
  pattern: string,
  trustListings: boolean,
): Promise<string[]> {
  const parts = normalizeTargetPath(pattern).split('/').filter(Boolean);
  let bases = ['/'];
  let listed = new Set<string>();
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const next: string[] = [];
    const nextListed = new Set<string>();
    await Promise.all(
      bases.map(async (base) => {
        if (!hasWildcard(part)) {
          const p = posix.join(base, part);
          if (!last) next.push(p);
          else {
            const st = await t.lstat(p);
            if (st.ok) next.push(p);
            else if (st.error === 'denied') throw new PermissionDenied(p);
          }
          return;
        }
        const l = await t.list(base);
        if (!l.ok) {
          if (l.error === 'denied') throw new PermissionDenied(base);
          return;
        }
        const match = componentMatcher(part);
        for (const e of l.entries)
          if (match(e.name)) {
            const p = posix.join(base, e.name);
            next.push(p);
            nextListed.add(p);
          }
      }),
    );
    bases = next;
    listed = last && trustListings ? nextListed : new Set();
  }
  // A non-wildcard intermediate component may not exist: keep only what does.
  const out: string[] = [];
  await Promise.all(
    bases.map(async (p) => {
      if (listed.has(p) || parts.length === 0) return void out.push(p);
      const st = await t.lstat(p);
      if (st.ok) out.push(p);
      else if (st.error === 'denied') throw new PermissionDenied(p);
    }),
  );
  return [...new Set(out)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
