/** One line of /proc/PID/mountinfo (proc(5)). */
export interface MountEntry {
  id: number;
  parent: number;
  /** "major:minor" of st_dev for files on this mount. */
  majorMinor: string;
  /** The directory of the file system that forms this mount's root (bind mounts). */
  root: string;
  mountPoint: string;
  options: string;
  fstype: string;
  source: string;
  superOptions: string;
  line: number;
}

export interface MountinfoResult {
  mounts: MountEntry[];
  errors: { line: number; message: string }[];
}

/** Undoes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash). */
export function unescapeMountField(s: string): string {
  if (!s.includes('\\')) return s;
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x5c && i + 3 < raw.length && /^[0-7]{3}$/.test(raw.subarray(i + 1, i + 4).toString('latin1'))) {
      bytes.push(parseInt(raw.subarray(i + 1, i + 4).toString('latin1'), 8) & 0xff);
      i += 3;
    } else bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parses /proc/self/mountinfo. Lines that do not have the expected fields are errors, not crashes. */
export function parseMountinfo(text: string): MountinfoResult {
  const mounts: MountEntry[] = [];
  const errors: MountinfoResult['errors'] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const f = raw.split(' ');
    const sep = f.indexOf('-', 6);
    if (f.length < 10 || sep < 0 || f.length < sep + 3) {
      errors.push({ line, message: `line ${line} is not a mountinfo entry` });
      return;
    }
    const id = Number(f[0]);
    const parent = Number(f[1]);
    if (!Number.isInteger(id) || !Number.isInteger(parent) || !/^\d+:\d+$/.test(f[2]!)) {
      errors.push({ line, message: `line ${line} is not a mountinfo entry` });
      return;
    }
    mounts.push({
      id,
      parent,
      majorMinor: f[2]!,
      root: unescapeMountField(f[3]!),
      mountPoint: unescapeMountField(f[4]!),
      options: f[5]!,
      fstype: f[sep + 1]!,
      source: unescapeMountField(f[sep + 2]!),
      superOptions: f[sep + 3] ?? '',
      line,
    });
  });
  return { mounts, errors };
}

/** The mounts a path lookup sees: for each mount point the last one mounted there wins. */
export function visibleMounts(mounts: readonly MountEntry[]): MountEntry[] {
  const byPoint = new Map<string, MountEntry>();
  for (const m of mounts) byPoint.set(m.mountPoint, m);
  return [...byPoint.values()].sort((a, b) => (a.mountPoint < b.mountPoint ? -1 : a.mountPoint > b.mountPoint ? 1 : 0));
}

export function isUnder(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

/** The visible mount holding `path` (longest mount point prefix). */
export function mountOf(path: string, mounts: readonly MountEntry[]): MountEntry | null {
  let best: MountEntry | null = null;
  for (const m of visibleMounts(mounts))
    if (isUnder(path, m.mountPoint) && (!best || m.mountPoint.length >= best.mountPoint.length)) best = m;
  return best;
}

const PSEUDO = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'cgroup',
  'cgroup2',
  'securityfs',
  'debugfs',
  'tracefs',
  'configfs',
  'fusectl',
  'mqueue',
  'hugetlbfs',
  'pstore',
  'bpf',
  'binfmt_misc',
  'autofs',
  'efivarfs',
  'rpc_pipefs',
  'nsfs',
  'selinuxfs',
  'nfsd',
  'devfs',
  'usbfs',
]);
const NETWORK = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  'ncpfs',
  'sshfs',
  'fuse',
  '9p',
  'virtiofs',
  'ceph',
  'glusterfs',
  'afs',
  'lustre',
  'davfs',
  'coda',
  'ocfs2',
  'gfs2',
]);
/** Memory file systems under these hold runtime state, not data (the guide excludes dev and run). */
const RUNTIME_DIRS = ['/run', '/dev', '/proc', '/sys'];

export type MountClass = { scan: true } | { scan: false; reason: string };

/**
 * Which mounts the world-writable scan walks. Pseudo and network file systems (fuse.* included,
 * fuseblk excepted: that is a local disk) are left out; tmpfs/ramfs is left out under /run and /dev
 * (runtime state) but scanned elsewhere (/tmp on tmpfs holds user data); overlay mounts other than
 * / are container views of layers that live on the local disk anyway, so they are left out.
 */
export function classifyMount(m: Pick<MountEntry, 'fstype' | 'mountPoint'>): MountClass {
  const t = m.fstype;
  if (PSEUDO.has(t)) return { scan: false, reason: 'pseudo file system' };
  if (NETWORK.has(t) || (t.startsWith('fuse.') && t !== 'fuseblk') || t.startsWith('nfs'))
    return { scan: false, reason: 'network or user-space file system' };
  if ((t === 'tmpfs' || t === 'ramfs') && RUNTIME_DIRS.some((d) => isUnder(m.mountPoint, d)))
    return { scan: false, reason: 'runtime memory file system under /run or /dev' };
  if ((t === 'overlay' || t === 'aufs') && m.mountPoint !== '/')
    return { scan: false, reason: 'container overlay view (its layers are scanned on the disk that holds them)' };
  return { scan: true };
}
