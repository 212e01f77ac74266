import { posix } from 'node:path';
import type { Source } from '../facts/evidence.js';
import { collected, type Fact } from '../facts/fact.js';
import type { DataDir, DeviceLayer, StorageFacts } from '../facts/storage.js';
import { parseCrypttab, parseFstab, type CrypttabEntry, type FstabEntry } from './parse/fstab.js';
import { isUnder, visibleMounts, type MountEntry } from './parse/mountinfo.js';
import { hostOf } from './host/index.js';
import { defineCollector, type CollectContext } from './types.js';

type Candidate = Pick<DataDir, 'path' | 'role' | 'source'>;

const NETWORK_FS = /^(nfs4?|cifs|smb3|smbfs|sshfs|fuse\..*|9p|virtiofs|ceph|glusterfs)$/;

/** PostgreSQL data directories (data_directory, else Debian's /var/lib/postgresql/VER/CLUSTER), Redis dir, config dirs. */
async function candidates(ctx: CollectContext): Promise<Candidate[]> {
  const t = ctx.target;
  const out: Candidate[] = [];
  const confs = await t.glob('/etc/postgresql/*/*/postgresql.conf');
  for (const conf of confs) {
    const r = await t.readText(conf, { maxBytes: 4 * 1024 * 1024 });
    let found: Candidate | null = null;
    if (r.ok)
      r.text.split('\n').forEach((l, i) => {
        const m = /^\s*data_directory\s*=?\s*'([^']*)'/.exec(l) ?? /^\s*data_directory\s*=?\s*([^\s#']+)/.exec(l);
        if (m) found = { path: posix.resolve('/', m[1]!), role: 'postgresql', source: { path: conf, line: i + 1, excerpt: l.trim() } };
      });
    const [, , , ver, cluster] = conf.split('/');
    out.push(
      found ?? {
        path: `/var/lib/postgresql/${ver}/${cluster}`,
        role: 'postgresql',
        source: { path: conf, note: 'no data_directory: the Debian default /var/lib/postgresql/VERSION/CLUSTER' },
      },
    );
  }
  if (confs.length === 0)
    out.push({ path: '/var/lib/postgresql', role: 'postgresql', source: { note: 'Debian default (postgresql-common)' } });
  const redis = await t.readText('/etc/redis/redis.conf', { maxBytes: 4 * 1024 * 1024 });
  let redisDir: Candidate = { path: '/var/lib/redis', role: 'redis', source: { note: 'Debian default (redis-server)' } };
  if (redis.ok)
    redis.text.split('\n').forEach((l, i) => {
      const m = /^\s*dir\s+"?([^"\s]+)"?\s*$/.exec(l); // last one wins (redis.conf)
      if (m)
        redisDir = {
          path: posix.resolve('/', m[1]!),
          role: 'redis',
          source: { path: '/etc/redis/redis.conf', line: i + 1, excerpt: l.trim() },
        };
    });
  out.push(redisDir);
  for (const d of ctx.config.backup_dirs) out.push({ path: posix.resolve('/', d), role: 'backup', source: { note: 'config backup_dirs' } });
  for (const d of ctx.config.app_dirs) out.push({ path: posix.resolve('/', d), role: 'app', source: { note: 'config app_dirs' } });
  return out;
}

/** glibc's major()/minor() of a dev_t. */
export function majorMinor(dev: number): string {
  const hi = Math.floor(dev / 2 ** 32);
  const lo = dev >>> 0;
  const major = ((lo >>> 8) & 0xfff) | ((hi & 0xfffff000) >>> 0);
  const minor = (lo & 0xff) | ((lo >>> 12) & 0xfff00);
  return `${major}:${minor}`;
}

/** Device mapper UUID prefixes: cryptsetup sets CRYPT-<TYPE>-…, LVM sets LVM-…. */
export function dmLayerKind(uuid: string): Pick<DeviceLayer, 'kind' | 'encrypted'> {
  if (/^CRYPT-LUKS\d?-/.test(uuid)) return { kind: 'luks', encrypted: true };
  if (uuid.startsWith('CRYPT-')) return { kind: 'crypt', encrypted: true };
  if (uuid.startsWith('LVM-')) return { kind: 'lvm', encrypted: false };
  return { kind: 'dm', encrypted: false };
}

/** Walks /sys/class/block/NAME and its slaves; the stack is encrypted when every path down passes a crypt layer. */
async function blockStack(ctx: CollectContext, sysDir: string, name: string, layers: DeviceLayer[], depth = 0): Promise<boolean> {
  const t = ctx.target;
  const uuid = await t.readText(`${sysDir}/dm/uuid`, { maxBytes: 4096 });
  if (!uuid.ok) {
    layers.push({ name, kind: 'disk', encrypted: false, detail: 'block device without a device-mapper layer', source: { path: sysDir } });
    return false;
  }
  const u = uuid.text.trim();
  const kind = dmLayerKind(u);
  const dmName = await t.readText(`${sysDir}/dm/name`, { maxBytes: 4096 });
  layers.push({
    name,
    ...kind,
    detail: `dm ${dmName.ok ? dmName.text.trim() : '?'} uuid ${u}`,
    source: { path: `${sysDir}/dm/uuid`, excerpt: u },
  });
  if (kind.encrypted) return true;
  if (depth > 16) return false;
  const slaves = await t.list(`${sysDir}/slaves`);
  if (!slaves.ok || slaves.entries.length === 0) return false;
  let all = true;
  for (const s of slaves.entries) all = (await blockStack(ctx, `/sys/class/block/${s.name}`, s.name, layers, depth + 1)) && all;
  return all;
}

async function sysDirForSource(ctx: CollectContext, m: MountEntry): Promise<{ dir: string; name: string } | null> {
  if (!m.majorMinor.startsWith('0:')) return { dir: `/sys/dev/block/${m.majorMinor}`, name: m.majorMinor };
  // Anonymous device numbers (btrfs): follow the mount source instead.
  const mapper = /^\/dev\/mapper\/(.+)$/.exec(m.source);
  if (mapper) {
    for (const d of await ctx.target.glob('/sys/class/block/dm-*')) {
      const n = await ctx.target.readText(`${d}/dm/name`, { maxBytes: 4096 });
      if (n.ok && n.text.trim() === mapper[1]) return { dir: d, name: posix.basename(d) };
    }
    return null;
  }
  const dev = /^\/dev\/([^/]+)$/.exec(m.source);
  if (dev && (await ctx.target.lstat(`/sys/class/block/${dev[1]}`)).ok) return { dir: `/sys/class/block/${dev[1]}`, name: dev[1]! };
  return null;
}

async function judgeLive(ctx: CollectContext, c: Candidate, mounts: MountEntry[], mountSource: Source, dev: number): Promise<DataDir> {
  const d: DataDir = { ...c, exists: true, mount: null, layers: [], stackEncrypted: null, fscrypt: null, problem: null };
  const mm = majorMinor(dev);
  const vis = visibleMounts(mounts);
  const byDev = vis.filter((m) => m.majorMinor === mm && isUnder(c.path, m.mountPoint));
  const byPrefix = vis.filter((m) => isUnder(c.path, m.mountPoint));
  const pick = (l: MountEntry[]) => l.reduce<MountEntry | null>((b, m) => (!b || m.mountPoint.length >= b.mountPoint.length ? m : b), null);
  const m = pick(byDev) ?? pick(byPrefix);
  if (!m) return { ...d, problem: `no mount in /proc/self/mountinfo holds ${c.path}` };
  d.mount = { mountPoint: m.mountPoint, fstype: m.fstype, device: m.source, source: { ...mountSource, line: m.line } };
  if (m.fstype === 'zfs') {
    const r = await ctx.target.run(['zfs', 'get', '-H', '-o', 'value', 'encryption', m.source], { timeoutMs: ctx.commandTimeoutMs });
    if (!r.ok || r.code !== 0)
      return { ...d, problem: `cannot read the ZFS encryption property of ${m.source}: ${r.ok ? r.stderr.trim() : r.message}` };
    const v = r.stdout.trim();
    d.layers.push({
      name: m.source,
      kind: 'zfs',
      encrypted: v !== 'off' && v !== '-',
      detail: `encryption=${v}`,
      source: { command: r.command, excerpt: v },
    });
    d.stackEncrypted = v !== 'off' && v !== '-';
    return d;
  }
  if (NETWORK_FS.test(m.fstype))
    return {
      ...d,
      layers: [
        {
          name: m.source,
          kind: 'network',
          encrypted: null,
          detail: `${m.fstype} share: encryption at rest is the server's`,
          source: d.mount.source,
        },
      ],
      problem: `${c.path} is on a ${m.fstype} network share: encryption at rest is decided on the server`,
    };
  if (m.fstype === 'tmpfs' || m.fstype === 'ramfs') {
    d.layers.push({
      name: m.source,
      kind: 'memory',
      encrypted: false,
      detail: `${m.fstype}: memory, may be written to swap`,
      source: d.mount.source,
    });
    d.stackEncrypted = false;
    return d;
  }
  const sys = await sysDirForSource(ctx, m);
  if (!sys) return { ...d, problem: `cannot find the block device of ${m.source} (${m.fstype}, ${m.majorMinor}) under /sys` };
  if (!(await ctx.target.lstat(sys.dir)).ok)
    return { ...d, problem: `${sys.dir} does not exist: the device ${m.source} (${m.majorMinor}) is not a block device the kernel lists` };
  d.stackEncrypted = await blockStack(ctx, sys.dir, sys.name, d.layers);
  return d;
}

/**
 * fscrypt (per-directory encryption of ext4 and f2fs): the E attribute, for every data directory
 * whose device stack is not encrypted, from one `lsattr -d` ("FLAGS PATH" per line, in argv order).
 */
async function judgeFscrypt(ctx: CollectContext, dirs: DataDir[]): Promise<void> {
  const need = dirs.filter((d) => d.problem === null && d.stackEncrypted !== true && d.mount && /^(ext4|f2fs)$/.test(d.mount.fstype));
  if (need.length === 0) return;
  const r = await ctx.target.run(['lsattr', '-d', '--', ...need.map((d) => d.path)], { timeoutMs: ctx.commandTimeoutMs });
  if (!r.ok) return;
  const lines = r.stdout.split('\n');
  for (const d of need) {
    const line = lines.find((l) => l.endsWith(` ${d.path}`));
    if (line) d.fscrypt = /^\S*E/.test(line);
  }
}

/** /dev/mapper names: LVM escapes '-' in VG and LV names as '--'. */
function lvmVg(mapperName: string): string | null {
  const m = /^((?:[^-]|--)+)-((?:[^-]|--)+)$/.exec(mapperName);
  return m ? m[1]!.replace(/--/g, '-') : null;
}

async function judgeOffline(ctx: CollectContext, c: Candidate, fstab: FstabEntry[], crypttab: CrypttabEntry[]): Promise<DataDir> {
  const d: DataDir = { ...c, exists: true, mount: null, layers: [], stackEncrypted: null, fscrypt: null, problem: null };
  const e = fstab
    .filter((f) => f.file.startsWith('/') && isUnder(c.path, f.file))
    .reduce<FstabEntry | null>((b, f) => (!b || f.file.length >= b.file.length ? f : b), null);
  if (!e) return { ...d, problem: `no /etc/fstab entry holds ${c.path}` };
  const src: Source = { path: '/etc/fstab', line: e.line, excerpt: `${e.spec} ${e.file} ${e.vfstype}` };
  d.mount = { mountPoint: e.file, fstype: e.vfstype, device: e.spec, source: src };
  if (e.vfstype === 'zfs') return { ...d, problem: 'the ZFS encryption property cannot be read from an offline root' };
  if (NETWORK_FS.test(e.vfstype))
    return { ...d, problem: `${c.path} is on a ${e.vfstype} network share: encryption at rest is decided on the server` };
  if (e.vfstype === 'tmpfs')
    return { ...d, layers: [{ name: e.spec, kind: 'memory', encrypted: false, detail: 'tmpfs', source: src }], stackEncrypted: false };
  const crypt = (name: string) => crypttab.find((x) => x.target === name);
  const layer = (x: CrypttabEntry): DeviceLayer => ({
    name: x.target,
    kind: x.type === 'luks' ? 'luks' : 'crypt',
    encrypted: true,
    detail: `crypttab ${x.type} on ${x.source}`,
    source: { path: '/etc/crypttab', line: x.line, excerpt: `${x.target} ${x.source} ${x.keyFile} ${x.options.join(',')}` },
  });
  const mapper = /^\/dev\/mapper\/(.+)$/.exec(e.spec)?.[1] ?? /^\/dev\/disk\/by-id\/dm-name-(.+)$/.exec(e.spec)?.[1] ?? null;
  if (mapper) {
    const direct = crypt(mapper);
    if (direct) return { ...d, layers: [layer(direct)], stackEncrypted: true };
    const vg = lvmVg(mapper);
    if (vg) {
      const backup = await ctx.target.readText(`/etc/lvm/backup/${vg}`, { maxBytes: 4 * 1024 * 1024 });
      if (!backup.ok)
        return {
          ...d,
          problem: `${e.spec} is an LVM volume of ${vg}; /etc/lvm/backup/${vg} ${backup.message.replace(/^"[^"]*" /, '')}, so its physical volumes are unknown offline`,
        };
      const pvs = [...backup.text.matchAll(/device\s*=\s*"([^"]+)"/g)].map((m) => m[1]!);
      d.layers.push({
        name: mapper,
        kind: 'lvm',
        encrypted: false,
        detail: `LVM volume group ${vg} on ${pvs.join(', ') || 'no listed device'}`,
        source: { path: `/etc/lvm/backup/${vg}` },
      });
      let all = pvs.length > 0;
      for (const pv of pvs) {
        const x = crypt(/^\/dev\/mapper\/(.+)$/.exec(pv)?.[1] ?? '');
        if (x) d.layers.push(layer(x));
        else {
          all = false;
          d.layers.push({
            name: pv,
            kind: 'disk',
            encrypted: false,
            detail: 'physical volume not in /etc/crypttab',
            source: { path: `/etc/lvm/backup/${vg}` },
          });
        }
      }
      return { ...d, stackEncrypted: all };
    }
  }
  // UUID=, LABEL=, /dev/sdXN: an unlocked crypttab device no fstab line names might be it.
  const named = new Set(fstab.map((f) => /^\/dev\/mapper\/(.+)$/.exec(f.spec)?.[1]).filter(Boolean));
  const unnamed = crypttab.filter((x) => !named.has(x.target) && !x.options.includes('swap'));
  if (unnamed.length > 0)
    return {
      ...d,
      problem: `${e.spec} may be the file system inside ${unnamed.map((x) => `/dev/mapper/${x.target} (/etc/crypttab:${x.line})`).join(', ')}: that cannot be told offline`,
    };
  d.layers.push({
    name: e.spec,
    kind: 'disk',
    encrypted: false,
    detail: crypttab.length === 0 ? 'no /etc/crypttab entry: no encrypted device is set up' : 'not a device /etc/crypttab sets up',
    source: src,
  });
  return { ...d, stackEncrypted: false };
}

export const storageCollector = defineCollector({
  key: 'storage',
  gathers: (g) => ({
    files: ['/etc/fstab', '/etc/crypttab', '/etc/redis/redis.conf', ...(g.live ? ['/proc/self/mountinfo', '/proc/mounts'] : [])],
    paths: ['/var/lib/postgresql', '/var/lib/redis', ...[...g.config.app_dirs, ...g.config.backup_dirs].map((d) => posix.resolve('/', d))],
    globs: ['/etc/postgresql/*/*/postgresql.conf'],
    dirs: ['/etc/lvm/backup'],
  }),
  async collect(ctx): Promise<Fact<StorageFacts>> {
    const t = ctx.target;
    const dirs: DataDir[] = [];
    let mounts: MountEntry[] | null = null;
    let mountsError: string | null = null;
    let fstab: FstabEntry[] | null = null;
    let crypttab: CrypttabEntry[] = [];
    let fstabError: string | null = null;
    if (t.live) {
      // The target's mount table (host/mounts.ts), not this machine's.
      const table = await hostOf(ctx).mounts();
      if (table.ok) mounts = table.mounts;
      else mountsError = table.reason;
    } else {
      const f = await t.readText('/etc/fstab', { maxBytes: 4 * 1024 * 1024 });
      if (f.ok) fstab = parseFstab(f.text).entries;
      else fstabError = f.message;
      const ct = await t.readText('/etc/crypttab', { maxBytes: 4 * 1024 * 1024 });
      if (ct.ok) crypttab = parseCrypttab(ct.text).entries;
    }
    const seen = new Set<string>();
    for (const c of await candidates(ctx)) {
      if (seen.has(`${c.role} ${c.path}`)) continue;
      seen.add(`${c.role} ${c.path}`);
      const st = await t.stat(c.path);
      const base: DataDir = { ...c, exists: st.ok, mount: null, layers: [], stackEncrypted: null, fscrypt: null, problem: null };
      if (!st.ok) {
        dirs.push(st.error === 'missing' ? base : { ...base, exists: true, problem: st.message });
        continue;
      }
      if (t.live)
        dirs.push(
          mounts
            ? await judgeLive(ctx, c, mounts, { path: '/proc/self/mountinfo' }, st.dev)
            : { ...base, problem: `cannot read the mount table: ${mountsError}` },
        );
      else dirs.push(fstab ? await judgeOffline(ctx, c, fstab, crypttab) : { ...base, problem: `cannot read /etc/fstab: ${fstabError}` });
    }
    if (t.live) await judgeFscrypt(ctx, dirs);
    return collected({ live: t.live, dirs });
  },
});
