import { posix } from 'node:path';
import type { AppDirFacts, AppModeEntry } from '../facts/app-permissions.js';
import { collected } from '../facts/fact.js';
import { isUnder } from './parse/mountinfo.js';
import { octal } from './scan/paths.js';
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
  const facts: AppDirFacts = { ...base, exists: true };
  const push = (e: AppModeEntry) => {
    if (facts.deviations.length >= MAX_DEVIATIONS) facts.truncated = true;
    else facts.deviations.push(e);
  };
  const timeoutMs = Math.max(ctx.commandTimeoutMs * 2, 30_000);
  let ended: string | null = null;
  // Every entry (no filter): entry paths are below the configured dir, symlinks in it not followed.
  for await (const ev of ctx.target.walk([dir], {}, { detail: true, timeoutMs })) {
    if (ev.kind === 'unreadable') {
      if (facts.notScanned.length < 100) facts.notScanned.push({ path: ev.path ?? '(see reason)', reason: ev.reason });
      continue;
    }
    if (ev.kind === 'end') {
      if (ev.end.status === 'timeout') ended = `the walk of ${dir} did not finish in time`;
      else if (ev.end.status !== 'done') ended = `the walk of ${dir} stopped: ${ev.end.message ?? ev.end.status}`;
      continue;
    }
    if (ev.kind !== 'entry') continue;
    const e = ev.entry;
    const tp = { path: e.path, rawBase64: e.raw ? e.raw.toString('base64') : null };
    const mode = e.mode;
    if (e.type === 'file') {
      facts.files++;
      if (mode !== FILE_MODE && !(mode === EXEC_MODE && executables.has(tp.path)))
        push({ ...tp, type: 'file', mode: octal(mode), linkTarget: null });
    } else if (e.type === 'dir') {
      facts.dirs++;
      if (mode !== DIR_MODE) push({ ...tp, type: 'dir', mode: octal(mode), linkTarget: null });
    } else if (e.type === 'symlink') {
      const text = e.link;
      const dest = text === null ? null : posix.resolve(posix.dirname(tp.path), text);
      if (dest === null || !isUnder(dest, dir)) push({ ...tp, type: 'symlink', mode: octal(mode), linkTarget: text });
    } else push({ ...tp, type: 'other', mode: octal(mode), linkTarget: null });
  }
  // Readdir order differs between file systems and walk methods: the facts list paths in order.
  facts.deviations.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (ended !== null) facts.error = ended;
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
