import { collected, type Fact } from '../facts/fact.js';
import type { MacBoot, MacFacts, MacKernel } from '../facts/mac.js';
import { DPKG_STATUS, dpkgStatus } from './dpkg.js';
import { parseAaStatusJson, parseApparmorProfiles, profileFileMode } from './parse/apparmor.js';
import { lsmParams, parseGrubDefault } from './parse/grub-default.js';
import { hostOf } from './host/index.js';
import { enablingLinks } from './host/units.js';
import { defineCollector, type CollectContext } from './types.js';
import { DPKG_GATHER, gathersOfAll, unitGathers } from './gathers.js';

const SYS_AA_ENABLED = '/sys/module/apparmor/parameters/enabled';
const SYS_AA_PROFILES = '/sys/kernel/security/apparmor/profiles';
const SYS_SELINUX_ENFORCE = '/sys/fs/selinux/enforce';
const SYS_LSM = '/sys/kernel/security/lsm';

async function kernelState(ctx: CollectContext): Promise<MacKernel> {
  const t = ctx.target;
  const k: MacKernel = { lsm: null, apparmor: { enabled: null, profiles: null, profilesError: null }, selinux: { enforcing: null } };
  const lsm = await t.readText(SYS_LSM, { maxBytes: 4096 });
  if (lsm.ok) k.lsm = { value: lsm.text.trim().split(',').filter(Boolean), source: { path: SYS_LSM, excerpt: lsm.text.trim() } };
  const en = await t.readText(SYS_AA_ENABLED, { maxBytes: 64 });
  if (en.ok) k.apparmor.enabled = { value: en.text.trim() === 'Y', source: { path: SYS_AA_ENABLED, excerpt: en.text.trim() } };
  if (k.apparmor.enabled?.value) {
    const pr = await t.readText(SYS_AA_PROFILES, { maxBytes: 16 * 1024 * 1024 });
    if (pr.ok) k.apparmor.profiles = { ...parseApparmorProfiles(pr.text), source: { path: SYS_AA_PROFILES } };
    else {
      const aa = await t.run(['aa-status', '--json'], { timeoutMs: ctx.commandTimeoutMs });
      const counts = aa.ok && aa.code === 0 ? parseAaStatusJson(aa.stdout) : null;
      if (counts) k.apparmor.profiles = { ...counts, source: { command: aa.command } };
      else k.apparmor.profilesError = `${pr.message}; ${aa.ok ? `${aa.command} exited with ${aa.code}` : aa.message}`;
    }
  }
  const se = await t.readText(SYS_SELINUX_ENFORCE, { maxBytes: 64 });
  if (se.ok) k.selinux.enforcing = { value: se.text.trim() === '1', source: { path: SYS_SELINUX_ENFORCE, excerpt: se.text.trim() } };
  return k;
}

async function bootConfig(ctx: CollectContext): Promise<MacBoot> {
  const t = ctx.target;
  const cmdline: MacBoot['cmdline'] = [];
  let env: Record<string, string> = {};
  // grub-mkconfig sources /etc/default/grub, then /etc/default/grub.d/*.cfg in order.
  for (const path of ['/etc/default/grub', ...(await t.glob('/etc/default/grub.d/*.cfg'))]) {
    const r = await t.readText(path, { maxBytes: 1024 * 1024 });
    if (!r.ok) continue;
    const parsed = parseGrubDefault(r.text, env);
    env = parsed.env;
    for (const a of parsed.assignments) {
      if (a.name !== 'GRUB_CMDLINE_LINUX' && a.name !== 'GRUB_CMDLINE_LINUX_DEFAULT') continue;
      // A later assignment replaces the variable: drop what the earlier one contributed.
      for (let i = cmdline.length - 1; i >= 0; i--) if (cmdline[i]!.source.excerpt?.startsWith(`${a.name}=`)) cmdline.splice(i, 1);
      for (const p of lsmParams(a.value)) cmdline.push({ ...p, source: { path, line: a.line, excerpt: `${a.name}="${a.value}"` } });
    }
  }
  let selinuxConfig: MacBoot['selinuxConfig'] = null;
  const sc = await t.readText('/etc/selinux/config', { maxBytes: 64 * 1024 });
  if (sc.ok)
    sc.text.split('\n').forEach((l, i) => {
      const m = /^\s*SELINUX\s*=\s*"?([A-Za-z]+)"?\s*$/.exec(l);
      if (m) selinuxConfig = { value: m[1]!.toLowerCase(), source: { path: '/etc/selinux/config', line: i + 1, excerpt: l.trim() } };
    });
  const st = await dpkgStatus(t);
  const pkg = st.ok ? (st.parsed.installed.find((p) => p.name === 'apparmor') ?? null) : null;
  const apparmorPackage = {
    installed: pkg !== null,
    version: pkg?.version ?? null,
    source: st.ok ? { path: DPKG_STATUS, ...(pkg ? { line: pkg.line } : {}) } : { note: `dpkg status unreadable: ${st.message}` },
  };
  let apparmorService: MacBoot['apparmorService'] = null;
  const boot = await hostOf(ctx).units.bootState('apparmor.service');
  const link = boot.enabled ? enablingLinks(boot)[0] : undefined;
  if (link) apparmorService = { value: true, source: { path: link.path } };
  else if (boot.mask) apparmorService = { value: false, source: boot.mask };
  if (
    !apparmorService &&
    ((await t.lstat('/lib/systemd/system/apparmor.service')).ok || (await t.lstat('/usr/lib/systemd/system/apparmor.service')).ok)
  )
    apparmorService = {
      value: false,
      source: { path: '/etc/systemd/system/sysinit.target.wants', note: 'no apparmor.service link: not enabled at boot' },
    };
  return { cmdline, selinuxConfig, apparmorPackage, apparmorService, apparmorProfiles: await profileFiles(ctx) };
}

async function profileFiles(ctx: CollectContext): Promise<MacBoot['apparmorProfiles']> {
  const t = ctx.target;
  const list = await t.list('/etc/apparmor.d');
  if (!list.ok) return null;
  const forced = await t.list('/etc/apparmor.d/force-complain');
  const disabled = await t.list('/etc/apparmor.d/disable');
  const forcedNames = new Set(forced.ok ? forced.entries.map((e) => e.name) : []);
  const disabledNames = new Set(disabled.ok ? disabled.entries.map((e) => e.name) : []);
  const out = {
    enforce: 0,
    complain: 0,
    other: 0,
    complainNames: [] as string[],
    files: 0,
    disabled: 0,
    source: { path: '/etc/apparmor.d' },
  };
  for (const e of list.entries) {
    if (e.type !== 'file' || e.name.startsWith('.') || /\.(dpkg-\w+|rpmnew|rpmsave|orig|bak)$|~$/.test(e.name)) continue;
    const r = await t.readText(`/etc/apparmor.d/${e.name}`, { maxBytes: 4 * 1024 * 1024 });
    if (!r.ok) continue;
    const mode = profileFileMode(r.text);
    if (mode === null) continue;
    out.files++;
    if (disabledNames.has(e.name)) out.disabled++;
    else if (mode === 'complain' || forcedNames.has(e.name)) {
      out.complain++;
      if (out.complainNames.length < 10) out.complainNames.push(e.name);
    } else out.enforce++;
  }
  return out;
}

export const macCollector = defineCollector({
  key: 'mac',
  gathers: (g) =>
    gathersOfAll(unitGathers('apparmor.service'), {
      files: [
        { path: '/etc/default/grub', maxBytes: 1024 * 1024 },
        { path: '/etc/selinux/config', maxBytes: 64 * 1024 },
        DPKG_GATHER,
        ...(g.live ? [SYS_AA_ENABLED, SYS_AA_PROFILES, SYS_SELINUX_ENFORCE, SYS_LSM] : []),
      ],
      globs: [{ pattern: '/etc/default/grub.d/*.cfg', maxBytes: 1024 * 1024 }],
      // Profiles, with the force-complain/ and disable/ links.
      dirs: [
        { path: '/etc/apparmor.d', depth: 2, skip: ['abstractions', 'tunables', 'local', 'abi'] },
        '/etc/apparmor.d/force-complain',
        '/etc/apparmor.d/disable',
      ],
    }),
  async collect(ctx): Promise<Fact<MacFacts>> {
    return collected({ live: ctx.target.live, kernel: ctx.target.live ? await kernelState(ctx) : null, boot: await bootConfig(ctx) });
  },
});
