import { lstatSync, readdirSync, type Dirent, type Stats } from 'node:fs';

/** One step of the built-in walker: an entry (host path bytes, lstat) or a part that could not be read. */
export type WalkerStep = { path: Buffer; stats: Stats; error?: undefined } | { path: Buffer; stats?: undefined; error: string };

export interface WalkerOptions {
  /** Host paths not to descend into (matched exactly). */
  prune: ReadonlySet<string>;
  /** Do not descend into directories on another device than their root (find -xdev). */
  xdev?: boolean;
}

const SLASH = Buffer.from('/');

/**
 * A synchronous depth-first walk with an explicit stack (no recursion: very deep trees are fine),
 * names as bytes (newlines and invalid UTF-8 stay exact), symlinks never followed. Each entry of a
 * directory is yielded when the directory is read; subdirectories are read last-pushed first.
 */
export function* walkTree(roots: readonly string[], opts: WalkerOptions): Generator<WalkerStep> {
  for (const r of roots) {
    const p = Buffer.from(r);
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch (e) {
      yield { path: p, error: errText(e) };
      continue;
    }
    yield { path: p, stats: st };
    if (!st.isDirectory()) continue;
    const dev = st.dev;
    const stack: Buffer[] = [p];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let ents: Dirent<Buffer>[];
      try {
        ents = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
      } catch (e) {
        yield { path: dir, error: errText(e) };
        continue;
      }
      const base = dir.length === 1 && dir[0] === 0x2f ? dir : Buffer.concat([dir, SLASH]);
      for (const d of ents) {
        const child = Buffer.concat([base, d.name]);
        let cst: Stats;
        try {
          cst = lstatSync(child);
        } catch (e) {
          // A file removed while the walk ran is not a gap.
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') yield { path: child, error: errText(e) };
          continue;
        }
        // Like find's -path P -prune -o …: a pruned path is neither listed nor entered.
        if (opts.prune.size > 0 && opts.prune.has(child.toString('utf8'))) continue;
        yield { path: child, stats: cst };
        if (cst.isDirectory() && (!opts.xdev || cst.dev === dev)) stack.push(child);
      }
    }
  }
}

function errText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENAMETOOLONG':
      return 'path too long';
    case 'ELOOP':
      return 'symbolic link loop';
    default:
      return code ?? String(e);
  }
}
