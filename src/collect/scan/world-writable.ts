import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { ExcludedMount, WorldWritableEntry, WorldWritableFacts } from '../../facts/world-writable.js';
import { runCommand } from '../../target/fs-target.js';
import { classifyMount, isUnder, visibleMounts, type MountEntry } from '../parse/mountinfo.js';
import { octal, scannedPath, toTargetBytes } from './paths.js';
import { walk } from './walk.js';

export const FINDINGS_CAP = 100_000;
const MAX_NOT_SCANNED = 100;
/** Always left out of an offline root: the guide's pseudo file systems and /run (runtime state). */
const OFFLINE_SKIP = ['/proc', '/sys', '/dev', '/run'];
/** Always left out live, whatever the mount table says. */
const LIVE_SKIP = ['/proc', '/sys'];

export interface ScanPlan {
  /** Host path of the target's root. */
  hostRoot: string;
  /** Host paths to walk. */
  roots: string[];
  /** Host paths not to descend into. */
  prune: string[];
  /** Target paths, for the facts. */
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
 * are pruned. Offline: the root tree minus <root>/{proc,sys,dev,run} and excluded host mounts inside it.
 */
export function planScan(hostRoot: string, live: boolean, mounts: readonly MountEntry[]): ScanPlan {
  const vis = visibleMounts(mounts);
  const excluded: ExcludedMount[] = [];
  const prune = new Set<string>();
  const roots: string[] = [];
  const toTarget = (p: string) => (hostRoot === '/' ? p : p === hostRoot ? '/' : p.slice(hostRoot.length));
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
    roots.push(hostRoot);
    for (const d of OFFLINE_SKIP) {
      prune.add(posix.join(hostRoot, d));
      excluded.push({ path: d, fstype: 'n/a', reason: 'left out of an offline root (pseudo or runtime file system on a live system)' });
    }
    for (const m of vis) {
      if (!isUnder(m.mountPoint, hostRoot) || m.mountPoint === hostRoot) continue;
      const cls = classifyMount({ fstype: m.fstype, mountPoint: toTarget(m.mountPoint) });
      if (cls.scan || OFFLINE_SKIP.some((d) => isUnder(toTarget(m.mountPoint), d))) continue;
      prune.add(m.mountPoint);
      excluded.push({ path: toTarget(m.mountPoint), fstype: m.fstype, reason: cls.reason });
    }
  }
  return { hostRoot, roots, prune: [...prune].sort(), excluded };
}

/** The host's own mount table, for an offline root that may have mounts inside it. */
export function hostMountinfoText(): string | null {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return null;
  }
}

export type ScanOutcome = Omit<WorldWritableFacts, 'excluded'>;

class Accumulator {
  entries: WorldWritableEntry[] = [];
  notScanned: WorldWritableFacts['notScanned'] = [];
  notScannedCount = 0;
  truncated = false;
  constructor(
    private hostRoot: string,
    readonly cap: number,
  ) {}
  add(hostPath: Buffer, type: 'file' | 'dir', mode: number, uid: number): boolean {
    if (this.entries.length >= this.cap) {
      this.truncated = true;
      return false;
    }
    this.entries.push({ ...scannedPath(toTargetBytes(hostPath, this.hostRoot)), type, mode: octal(mode), uid });
    return true;
  }
  unreadable(hostPath: Buffer | null, reason: string) {
    this.notScannedCount++;
    if (this.notScanned.length >= MAX_NOT_SCANNED) return;
    const p = hostPath ? scannedPath(toTargetBytes(hostPath, this.hostRoot)) : { path: '(see reason)', rawBase64: null };
    this.notScanned.push({ ...p, reason });
  }
}

function escapeFindPattern(p: string): string {
  return p.replace(/[[\]*?\\]/g, (c) => `\\${c}`);
}

export function findArgv(plan: ScanPlan): string[] {
  const prune = plan.prune.flatMap((p, i) => (i === 0 ? ['-path', escapeFindPattern(p)] : ['-o', '-path', escapeFindPattern(p)]));
  const test = [
    '(',
    '(',
    '-type',
    'f',
    '-o',
    '-type',
    'd',
    ')',
    '-perm',
    '-0002',
    '-printf',
    'W %m %y %U %p\\0',
    ',',
    '-type',
    'd',
    '!',
    '-readable',
    '-printf',
    'U %p\\0',
    ')',
  ];
  return ['find', '-P', ...plan.roots, ...(prune.length > 0 ? ['(', ...prune, ')', '-prune', '-o'] : []), ...test];
}

/**
 * GNU find: -P never follows symlinks, output NUL-separated so names keep every byte. Resolves
 * { ok: false, notFound: true } when find is not installed.
 */
export async function scanWithFind(
  plan: ScanPlan,
  opts: { cap?: number; timeoutMs: number; findBinary?: string },
): Promise<{ ok: true; outcome: ScanOutcome } | { ok: false; notFound: boolean; message: string }> {
  const argv = findArgv(plan);
  if (opts.findBinary) argv[0] = opts.findBinary;
  const acc = new Accumulator(plan.hostRoot, opts.cap ?? FINDINGS_CAP);
  let pending = Buffer.alloc(0);
  let stopped = false;
  const record = (rec: Buffer) => {
    if (rec[0] === 0x55 /* U */) return acc.unreadable(rec.subarray(2), 'directory not readable');
    // "W <mode> <type> <uid> <path>"
    const s1 = rec.indexOf(0x20, 2);
    const s2 = rec.indexOf(0x20, s1 + 1);
    const s3 = rec.indexOf(0x20, s2 + 1);
    if (rec[0] !== 0x57 || s1 < 0 || s2 < 0 || s3 < 0) return;
    const mode = parseInt(rec.subarray(2, s1).toString('latin1'), 8);
    const type = rec.subarray(s1 + 1, s2).toString('latin1') === 'd' ? 'dir' : 'file';
    const uid = Number(rec.subarray(s2 + 1, s3).toString('latin1'));
    if (!acc.add(rec.subarray(s3 + 1), type, mode, uid)) stopped = true;
  };
  const r = await runCommand(argv, {
    timeoutMs: opts.timeoutMs,
    inheritEnv: false,
    env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' },
    maxStderrBytes: 256 * 1024,
    onStdout: (chunk) => {
      let buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      let nul: number;
      while (!stopped && (nul = buf.indexOf(0)) >= 0) {
        record(buf.subarray(0, nul));
        buf = buf.subarray(nul + 1);
      }
      pending = Buffer.from(buf);
      return !stopped;
    },
  });
  if (!r.ok) return { ok: false, notFound: r.reason === 'not-found', message: r.message };
  const { command, code, stderr } = r;
  // Every diagnostic is a part not scanned; one already listed by -readable (exact bytes) is not counted twice.
  const known = acc.notScanned.map((n) => n.path);
  for (const line of stderr.split('\n')) {
    // A file removed while the walk ran is not a gap.
    if (!line.startsWith('find: ') || line.endsWith('No such file or directory') || known.some((k) => line.includes(`${k}'`))) continue;
    acc.unreadable(null, [...line.slice(6)].map((c) => (c.charCodeAt(0) < 0x20 ? '?' : c)).join(''));
  }
  if (!stopped && code !== 0 && acc.notScannedCount === 0)
    return { ok: false, notFound: false, message: `${command} exited with ${code}: ${stderr.split('\n')[0] ?? ''}` };
  return {
    ok: true,
    outcome: {
      method: 'find',
      command,
      roots: plan.roots.map((r) => toTarget(r, plan.hostRoot)),
      entries: acc.entries,
      truncated: acc.truncated,
      cap: acc.cap,
      notScanned: acc.notScanned,
      notScannedCount: acc.notScannedCount,
    },
  };
}

function toTarget(p: string, hostRoot: string): string {
  return scannedPath(toTargetBytes(Buffer.from(p), hostRoot)).path;
}

/** The built-in walker: the same result as scanWithFind, for hosts without GNU find. */
export async function scanWithWalker(
  plan: ScanPlan,
  opts: { cap?: number; timeoutMs: number },
): Promise<{ ok: true; outcome: ScanOutcome } | { ok: false; notFound: false; message: string }> {
  const acc = new Accumulator(plan.hostRoot, opts.cap ?? FINDINGS_CAP);
  const end = await walk(plan.roots, {
    prune: new Set(plan.prune),
    deadline: Date.now() + opts.timeoutMs,
    visit: ({ path, stats }) => {
      if ((stats.mode & 0o002) === 0 || !(stats.isFile() || stats.isDirectory())) return true;
      return acc.add(path, stats.isDirectory() ? 'dir' : 'file', stats.mode, stats.uid);
    },
    unreadable: (p, reason) => acc.unreadable(p, reason),
  });
  if (end === 'deadline') return { ok: false, notFound: false, message: `the file system walk did not finish within ${opts.timeoutMs} ms` };
  const command = `built-in walk of ${plan.roots.join(', ')} (find(1) not available), not following symlinks`;
  return {
    ok: true,
    outcome: {
      method: 'walker',
      command,
      roots: plan.roots.map((r) => toTarget(r, plan.hostRoot)),
      entries: acc.entries,
      truncated: acc.truncated,
      cap: acc.cap,
      notScanned: acc.notScanned,
      notScannedCount: acc.notScannedCount,
    },
  };
}
