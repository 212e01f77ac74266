import { collected } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type { HostFacts } from '../facts/host.js';
import { parseOsRelease } from './parse/os-release.js';
import { defineCollector, type CollectContext } from './types.js';

async function readOs(ctx: CollectContext): Promise<HostFacts['os']> {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    const r = await ctx.target.readText(path, { maxBytes: 64 * 1024 });
    if (!r.ok) continue;
    const kv = parseOsRelease(r.text);
    if (!kv.ID) continue;
    return {
      id: kv.ID,
      versionId: kv.VERSION_ID ?? null,
      versionCodename: kv.VERSION_CODENAME ?? null,
      prettyName: kv.PRETTY_NAME ?? null,
      idLike: (kv.ID_LIKE ?? '').split(/\s+/).filter(Boolean),
    };
  }
  return null;
}

/**
 * Container detection. /.dockerenv alone is not trusted (some VMs carry it; SSG and Lynis both
 * misjudge them): it counts only with a corroborating sign from PID 1's environment or cgroup, or
 * an overlay root file system.
 */
async function detectContainer(ctx: CollectContext): Promise<HostFacts['container']> {
  const t = ctx.target;
  const signs: Source[] = [];
  const ignored: Source[] = [];
  if ((await t.lstat('/run/.containerenv')).ok) signs.push({ path: '/run/.containerenv', note: 'podman marker' });
  if (t.live) {
    const env = await t.readBytes('/proc/1/environ', { binaryOk: true, maxBytes: 1024 * 1024 });
    if (env.ok) {
      const m = env.bytes
        .toString('utf8')
        .split('\0')
        .find((v) => v.startsWith('container='));
      if (m) signs.push({ path: '/proc/1/environ', excerpt: m });
    }
    const cg = await t.readText('/proc/1/cgroup', { maxBytes: 64 * 1024 });
    if (cg.ok) {
      const line = cg.text.split('\n').find((l) => /\/(docker|kubepods|lxc|libpod|containerd)[/-]/.test(l));
      if (line) signs.push({ path: '/proc/1/cgroup', excerpt: line });
    }
    const mounts = await t.readText('/proc/1/mounts', { maxBytes: 4 * 1024 * 1024 });
    if (mounts.ok) {
      const root = mounts.text.split('\n').find((l) => l.split(' ')[1] === '/');
      if (root && root.split(' ')[2] === 'overlay' && (await t.lstat('/.dockerenv')).ok)
        signs.push({ path: '/.dockerenv', note: 'with an overlay root file system' });
    }
  }
  if ((await t.lstat('/.dockerenv')).ok && !signs.some((s) => s.path === '/.dockerenv'))
    ignored.push({ path: '/.dockerenv', note: 'present, but nothing else says this is a container (ignored)' });
  const kind = signs.length === 0 ? null : signs.some((s) => s.path === '/run/.containerenv') ? 'podman' : 'container';
  return { detected: signs.length > 0, kind, signs, ignored };
}

export const hostCollector = defineCollector({
  key: 'host',
  gathers: (g) => ({
    files: [
      { path: '/etc/hostname', maxBytes: 4096 },
      { path: '/etc/os-release', maxBytes: 64 * 1024 },
      { path: '/usr/lib/os-release', maxBytes: 64 * 1024 },
      ...(g.live ? ['/proc/1/environ', '/proc/1/cgroup', '/proc/1/mounts'] : []),
    ],
    paths: ['/run/.containerenv', '/.dockerenv', '/run/systemd/system'],
  }),
  async collect(ctx) {
    const hn = await ctx.target.readText('/etc/hostname', { maxBytes: 4096 });
    let systemdRunning: boolean | null = null;
    if (ctx.target.live) systemdRunning = (await ctx.target.lstat('/run/systemd/system')).ok;
    return collected({
      hostname: hn.ok ? hn.text.trim() || null : null,
      os: await readOs(ctx),
      container: await detectContainer(ctx),
      systemdRunning,
    });
  },
});
