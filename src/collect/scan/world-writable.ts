import type { ExcludedMount, WorldWritableEntry, WorldWritableFacts } from '../../facts/world-writable.js';
import type { Target } from '../../target/types.js';
import { classifyMount, isUnder, visibleMounts, type MountEntry } from '../parse/mountinfo.js';
import { octal } from './paths.js';

export const FINDINGS_CAP = 100_000;
const MAX_NOT_SCANNED = 100;
/** Always left out of an offline root: the guide's pseudo file systems and /run (runtime state). */
const OFFLINE_SKIP = ['/proc', '/sys', '/dev', '/run'];
/** Always left out live, whatever the mount table says. */
const LIVE_SKIP = ['/proc', '/sys'];

/** What to walk, in target paths. */
export interface ScanPlan {
  roots: string[];
  /** Not descended into. */
  prune: string[];
  excluded: ExcludedMount[];
}

function nearestAncestor(m: MountEntry, mounts: readonly MountEntry[]): MountEntry | null {
  let best: MountEntry | null = null;
  for (const o of mounts) {
    if (o === m || !isUnder(m.mountPoint, o.mountPoint) || o.mountPoint === m.mountPoint) continue;
    if (!best || o.mountPoint.length > best.mountPoint.length) best = o;
  }
  return best;
}

/**
 * What to walk. Live: every mount the scan includes (classifyMount) is reached from / or, when it
 * sits below an excluded mount, walked as a root of its own; excluded mounts reachable from a walk
 * are pruned. Offline: the root tree minus /{proc,sys,dev,run} and excluded mounts inside it (the
 * target's mount table: for an offline root, this machine's mounts below it, as target paths).
 */
export function planScan(live: boolean, mounts: readonly MountEntry[]): ScanPlan {
  const vis = visibleMounts(mounts);
  const excluded: ExcludedMount[] = [];
  const prune = new Set<string>();
  const roots: string[] = [];
  if (live) {
    const rootMount = vis.find((m) => m.mountPoint === '/');
    if (!rootMount || classifyMount(rootMount).scan) roots.push('/');
    for (const m of vis) {
      if (m.mountPoint === '/') continue;
      const cls = classifyMount(m);
      const parent = nearestAncestor(m, vis);
      const parentScanned = !parent || classifyMount(parent).scan;
      if (!cls.scan) {
        excluded.push({ path: m.mountPoint, fstype: m.fstype, reason: cls.reason });
        if (parentScanned) prune.add(m.mountPoint);
      } else if (!parentScanned && !LIVE_SKIP.some((d) => isUnder(m.mountPoint, d))) roots.push(m.mountPoint);
    }
    for (const d of LIVE_SKIP)
      if (!prune.has(d) && !excluded.some((e) => isUnder(d, e.path) && e.path !== '/')) {
        prune.add(d);
        excluded.push({
          path: d,
          fstype: vis.find((m) => m.mountPoint === d)?.fstype ?? 'unknown',
          reason: 'always left out (kernel pseudo file system)',
        });
      }
  } else {
    roots.push('/');
    for (const d of OFFLINE_SKIP) {
      prune.add(d);
      excluded.push({ path: d, fstype: 'n/a', reason: 'left out of an offline root (pseudo or runtime file system on a live system)' });
    }
    for (const m of vis) {
      if (m.mountPoint === '/') continue;
      const cls = classifyMount(m);
      if (cls.scan || OFFLINE_SKIP.some((d) => isUnder(m.mountPoint, d))) continue;
      prune.add(m.mountPoint);
      excluded.push({ path: m.mountPoint, fstype: m.fstype, reason: cls.reason });
    }
  }
  return { roots, prune: [...prune].sort(), excluded };
}

export type ScanOutcome = Omit<WorldWritableFacts, 'excluded'>;

/**
 * World-writable files and directories through the target's walk (GNU find -P on the target, the
 * built-in walker without it): symlinks never followed, names kept byte-exact.
 */
export async function scanWorldWritable(
  t: Target,
  plan: ScanPlan,
  opts: { cap?: number; timeoutMs: number },
): Promise<{ ok: true; outcome: ScanOutcome } | { ok: false; message: string }> {
  const cap = opts.cap ?? FINDINGS_CAP;
  const entries: WorldWritableEntry[] = [];
  const notScanned: WorldWritableFacts['notScanned'] = [];
  let notScannedCount = 0;
  let truncated = false;
  let how: { method: 'find' | 'walker'; command: string } = { method: 'find', command: '' };
  const walk = t.walk(
    plan.roots,
    { types: ['file', 'dir'], permAll: 0o002, unreadableDirs: true },
    { prune: plan.prune, timeoutMs: opts.timeoutMs, maxEntries: cap + 1 },
  );
  for await (const ev of walk) {
    if (ev.kind === 'start') how = ev;
    else if (ev.kind === 'entry') {
      if (entries.length >= cap) {
        truncated = true;
        break;
      }
      const e = ev.entry;
      entries.push({
        path: e.path,
        rawBase64: e.raw ? e.raw.toString('base64') : null,
        type: e.type === 'dir' ? 'dir' : 'file',
        mode: octal(e.mode),
        uid: e.uid,
      });
    } else if (ev.kind === 'unreadable') {
      notScannedCount++;
      if (notScanned.length < MAX_NOT_SCANNED)
        notScanned.push({ path: ev.path ?? '(see reason)', rawBase64: ev.raw ? ev.raw.toString('base64') : null, reason: ev.reason });
    } else {
      if (ev.end.status === 'timeout' || ev.end.status === 'error')
        return { ok: false, message: ev.end.message ?? `${ev.end.command} failed` };
      if (ev.end.status === 'limit') truncated = true;
    }
  }
  return {
    ok: true,
    outcome: {
      method: how.method,
      command: how.command,
      roots: plan.roots,
      entries,
      truncated,
      cap,
      notScanned,
      notScannedCount,
    },
  };
}
