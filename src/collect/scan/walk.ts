import { lstatSync, readdirSync, readlinkSync, type Dirent, type Stats } from 'node:fs';

export interface WalkEntry {
  /** Host path bytes. */
  path: Buffer;
  stats: Stats;
}

export interface WalkOptions {
  /** Host paths not to descend into (matched exactly). */
  prune: ReadonlySet<string>;
  /** Called for every entry below the roots (and the roots themselves); return false to stop the walk. */
  visit(e: WalkEntry): boolean;
  /** Called for a directory that could not be listed. */
  unreadable(path: Buffer, reason: string): void;
  /** Decide from the directory entry alone whether lstat is needed (speed); default: always. */
  needsStat?(d: Dirent<Buffer>): boolean;
  deadline?: number;
}

export type WalkEnd = 'done' | 'stopped' | 'deadline';

const SLASH = Buffer.from('/');

/**
 * A synchronous depth-first walk with an explicit stack (no recursion: very deep trees are fine),
 * names as bytes (newlines and invalid UTF-8 stay exact), symlinks never followed. It yields to
 * the event loop every few thousand entries so timers (collector timeouts) still fire.
 */
export async function walk(roots: readonly string[], opts: WalkOptions): Promise<WalkEnd> {
  const stack: Buffer[] = [];
  for (const r of roots) {
    const p = Buffer.from(r);
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch (e) {
      opts.unreadable(p, errText(e));
      continue;
    }
    if (!opts.visit({ path: p, stats: st })) return 'stopped';
    if (st.isDirectory()) stack.push(p);
  }
  let n = 0;
  while (stack.length > 0) {
    const dir = stack.pop()!;
    if (opts.prune.has(dir.toString('utf8'))) continue;
    let ents: Dirent<Buffer>[];
    try {
      ents = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      opts.unreadable(dir, errText(e));
      continue;
    }
    const base = dir.length === 1 && dir[0] === 0x2f ? dir : Buffer.concat([dir, SLASH]);
    for (const d of ents) {
      const p = Buffer.concat([base, d.name]);
      if (opts.needsStat && !opts.needsStat(d)) {
        if (d.isDirectory()) stack.push(p);
        continue;
      }
      let st: Stats;
      try {
        st = lstatSync(p);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') opts.unreadable(p, errText(e));
        continue;
      }
      if (!opts.visit({ path: p, stats: st })) return 'stopped';
      if (st.isDirectory()) stack.push(p);
      if (++n % 4096 === 0) {
        await new Promise((r) => setImmediate(r));
        if (opts.deadline !== undefined && Date.now() > opts.deadline) return 'deadline';
      }
    }
  }
  return 'done';
}

export function readLink(p: Buffer): Buffer | null {
  try {
    return readlinkSync(p, { encoding: 'buffer' });
  } catch {
    return null;
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
