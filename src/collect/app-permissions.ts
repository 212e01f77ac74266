import { posix } from 'node:path';
import type { AppDirFacts, AppModeEntry } from '../facts/app-permissions.js';
import { collected } from '../facts/fact.js';
import { isUnder } from './parse/mountinfo.js';
import { octal, scannedPath, toTargetBytes } from './scan/paths.js';
import { readLink, walk } from './scan/walk.js';
import { defineCollector, type CollectContext } from './types.js';

const MAX_DEVIATIONS = 10_000;
const FILE_MODE = 0o644;
const DIR_MODE = 0o755;
const EXEC_MODE = 0o755;

/**
 * Walks one app dir (the configured path is followed if it is a symlink; nothing below it is).
 * Records files not 0644 (0755 allowed for config.app_executables), directories not 0755,
 * symlinks that lead out of the dir (their targets are not checked here) and other node types.
 */
async function scanAppDir(ctx: CollectContext, dir: string, executables: ReadonlySet<string>): Promise<AppDirFacts> {
  const base: AppDirFacts = {
    path: dir,
    source: { note: 'config app_dirs' },
    exists: false,
    error: null,
    files: 0,
    dirs: 0,
    deviations: [],
    truncated: false,
    notScanned: [],
  };
  const st = await ctx.target.stat(dir);
  if (!st.ok) return st.error === 'missing' ? base : { ...base, exists: true, error: st.message };
  if (st.type !== 'dir') return { ...base, exists: true, error: `${JSON.stringify(dir)} is not a directory` };
  const hp = await ctx.target.hostPath(dir);
  if (!hp.ok) return { ...base, exists: true, error: hp.message };
  const facts: AppDirFacts = { ...base, exists: true };
  // Target paths below the app dir: host path with the host dir swapped for the configured one.
  const hostDir = hp.path;
  const toTarget = (p: Buffer) => {
    const rel = toTargetBytes(p, hostDir);
    return rel.length === 1 && rel[0] === 0x2f ? Buffer.from(dir) : Buffer.concat([Buffer.from(dir === '/' ? '' : dir), rel]);
  };
  const push = (e: AppModeEntry) => {
    if (facts.deviations.length >= MAX_DEVIATIONS) facts.truncated = true;
    else facts.deviations.push(e);
  };
  const end = await walk([hostDir], {
    prune: new Set(),
    deadline: Date.now() + Math.max(ctx.commandTimeoutMs * 2, 30_000),
    visit: ({ path, stats }) => {
      const tp = scannedPath(toTarget(path));
      const mode = stats.mode & 0o7777;
      if (stats.isFile()) {
        facts.files++;
        if (mode !== FILE_MODE && !(mode === EXEC_MODE && executables.has(tp.path)))
          push({ ...tp, type: 'file', mode: octal(mode), linkTarget: null });
      } else if (stats.isDirectory()) {
        facts.dirs++;
        if (mode !== DIR_MODE) push({ ...tp, type: 'dir', mode: octal(mode), linkTarget: null });
      } else if (stats.isSymbolicLink()) {
        const link = readLink(path);
        const text = link ? scannedPath(link).path : null;
        const dest = text === null ? null : posix.resolve(posix.dirname(tp.path), text);
        if (dest === null || !isUnder(dest, dir)) push({ ...tp, type: 'symlink', mode: octal(mode), linkTarget: text });
      } else push({ ...tp, type: 'other', mode: octal(mode), linkTarget: null });
      return true;
    },
    unreadable: (p, reason) => {
      if (facts.notScanned.length < 100) facts.notScanned.push({ path: scannedPath(toTarget(p)).path, reason });
    },
  });
  if (end === 'deadline') facts.error = `the walk of ${dir} did not finish in time`;
  return facts;
}

export const appPermissionsCollector = defineCollector({
  key: 'appPermissions',
  gathers: (g) => ({ paths: [...g.config.app_dirs, ...g.config.app_executables].map((p) => posix.resolve('/', p)) }),
  async collect(ctx) {
    const executables = ctx.config.app_executables.map((p) => posix.resolve('/', p));
    const dirs: AppDirFacts[] = [];
    for (const d of ctx.config.app_dirs) dirs.push(await scanAppDir(ctx, posix.resolve('/', d), new Set(executables)));
    return collected({ executables, dirs });
  },
});
