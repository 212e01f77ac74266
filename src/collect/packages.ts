import { gunzipSync } from 'node:zlib';
import { absent, collected, failed } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type { AptSetting, ListFile, LogFile, OriginPattern, PackageFacts, PendingUpdate, ReleaseOrigin } from '../facts/packages.js';
import type { Target } from '../target/types.js';
import {
  allowedOriginToPattern,
  isAptConfPart,
  matchOriginPattern,
  mergeAptConf,
  parseAptConf,
  substituteUu,
  type AptConfMerged,
  type AptConfParse,
} from './parse/apt-conf.js';
import { parseAptHistory, parseDpkgLog, type LogSpan } from './parse/apt-history.js';
import {
  listCompression,
  MAX_LIST_BYTES,
  matchPinPattern,
  parsePreferences,
  parseRelease,
  pickCandidate,
  pinMatchesFile,
  releaseStemOf,
  scanPackages,
  siteOf,
  STATUS_PRIORITY,
  type ListEntry,
  type PinRecord,
} from './parse/apt-lists.js';
import { scanListFile, type ScanResult } from './list-scan.js';
import { compareDebVersions } from './parse/deb-version.js';
import type { DpkgPackage } from './parse/dpkg-status.js';
import { DPKG_STATUS, dpkgStatus } from './dpkg.js';
import { parseOsRelease } from './parse/os-release.js';
import { hostOf } from './host/index.js';
import type { UnitStore } from './host/units.js';
import { defineCollector, type CollectContext } from './types.js';
import { DPKG_GATHER, gathersOfAll, unitGathers } from './gathers.js';

const STATUS = DPKG_STATUS;
const LISTS = '/var/lib/apt/lists';
const STAMP = '/var/lib/apt/periodic/update-success-stamp';
const TIMERS = ['apt-daily.timer', 'apt-daily-upgrade.timer'];
const UNIT_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];
const MAX_LOG = 256 * 1024 * 1024;

/** apt-pkg defaults (apt_preferences(5)). */
const PRIO_DEFAULT = 500;
const PRIO_NOT_AUTOMATIC = 1;
const PRIO_BUT_AUTOMATIC_UPGRADES = 100;
const PRIO_DEFAULT_RELEASE = 990;

async function readDistro(t: Target): Promise<PackageFacts['distro']> {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    const r = await t.readText(path, { maxBytes: 64 * 1024 });
    if (!r.ok) continue;
    const kv = parseOsRelease(r.text);
    const id = kv.ID ?? null;
    // lsb_release -i (lsb-release 12): ID capitalised, or NAME when it differs only in case.
    let distroId = id ? id.charAt(0).toUpperCase() + id.slice(1) : null;
    if (id && kv.NAME && kv.NAME.toLowerCase() === id.toLowerCase()) distroId = kv.NAME;
    return { id, codename: kv.VERSION_CODENAME ?? null, distroId, source: { path } };
  }
  return { id: null, codename: null, distroId: null, source: { note: 'no os-release' } };
}

async function readAptConf(t: Target): Promise<{ parses: AptConfParse[]; errors: PackageFacts['aptConf']['errors'] }> {
  const parses: AptConfParse[] = [];
  const errors: PackageFacts['aptConf']['errors'] = [];
  const dir = '/etc/apt/apt.conf.d';
  const l = await t.list(dir);
  const names = l.ok
    ? l.entries
        .filter((e) => e.type !== 'dir' && isAptConfPart(e.name))
        .map((e) => e.name)
        .sort()
    : [];
  if (!l.ok && l.error !== 'missing') errors.push({ path: dir, line: 0, message: l.message });
  for (const path of [...names.map((n) => `${dir}/${n}`), '/etc/apt/apt.conf']) {
    const r = await t.readText(path, { maxBytes: 1024 * 1024 });
    if (!r.ok) {
      if (r.error !== 'missing') errors.push({ path, line: 0, message: r.message });
      continue;
    }
    const p = parseAptConf(r.text, path);
    parses.push(p);
    for (const e of p.errors) errors.push({ path, ...e });
  }
  return { parses, errors };
}

function setting(m: AptConfMerged, key: string, fallbackNote: string): AptSetting {
  const k = key.toLowerCase();
  const s = m.scalars[k];
  const writes = (m.writes[k] ?? []).map((w) => ({ path: w.path, line: w.line, excerpt: w.excerpt }));
  return s
    ? { key, value: s.value, source: { path: s.path, line: s.line, excerpt: s.excerpt }, writes }
    : { key, value: null, source: { note: fallbackNote }, writes };
}

function securityOriginsFor(files: ListFile[], distro: PackageFacts['distro']): ReleaseOrigin[] {
  const fromLists = files
    .filter((f) => f.security && f.release)
    .map((f) => {
      const r = f.release!;
      return { origin: r.origin, label: r.label, suite: r.suite, codename: r.codename, component: r.component, site: r.site };
    });
  const uniq = [...new Map(fromLists.map((o) => [JSON.stringify(o), o])).values()];
  if (uniq.length > 0) return uniq;
  const cn = distro.codename;
  if (!cn) return [];
  // No security list to look at: the distribution's published security archive.
  if (distro.id === 'debian')
    return [
      {
        origin: 'Debian',
        label: 'Debian-Security',
        suite: 'stable-security',
        codename: `${cn}-security`,
        component: 'main',
        site: 'security.debian.org',
      },
    ];
  if (distro.id === 'ubuntu')
    return [{ origin: 'Ubuntu', label: 'Ubuntu', suite: `${cn}-security`, codename: cn, component: 'main', site: 'security.ubuntu.com' }];
  return [];
}

function originPatterns(
  m: AptConfMerged,
  key: string,
  legacy: boolean,
  distro: PackageFacts['distro'],
  sec: ReleaseOrigin[],
): OriginPattern[] {
  const macros = { distroId: distro.distroId ?? '', distroCodename: distro.codename ?? '' };
  return (m.lists[key.toLowerCase()] ?? []).map((s) => {
    const conv = legacy ? allowedOriginToPattern(s.value) : s.value;
    const expanded = conv === null ? '' : substituteUu(conv, macros);
    const matchesSecurity = expanded !== '' && sec.some((o) => matchOriginPattern(expanded, o) === true);
    return { value: s.value, expanded, matchesSecurity, source: { path: s.path, line: s.line, excerpt: s.excerpt } };
  });
}

async function timers(t: Target, units: UnitStore): Promise<PackageFacts['timers']> {
  const out: PackageFacts['timers'] = [];
  for (const name of TIMERS) {
    let unitExists = false;
    let masked = false;
    let source: Source = { note: `${name}: no unit file` };
    for (const d of UNIT_DIRS) {
      const path = `${d}/${name}`;
      const ls = await t.lstat(path);
      if (!ls.ok) continue;
      const st = await t.stat(path);
      // systemctl mask links the unit to /dev/null (a char device; missing inside an offline root).
      if (ls.type === 'symlink' && (!st.ok || st.type === 'char')) masked = true;
      else if (st.ok && st.type === 'file' && st.size === 0) masked = true;
      else if (st.ok && st.type === 'file') unitExists = true;
      source = { path };
      break;
    }
    // A dangling link does not enable the timer.
    const link = (await units.wantsLinks(name, { dirs: UNIT_DIRS, targets: ['timers.target'] })).find((l) => l.type !== null);
    const enabled = link !== undefined;
    if (link && !masked) source = { path: link.path };
    out.push({ name, unitExists, enabled, masked, source });
  }
  return out;
}

interface LoadedList {
  file: ListFile;
  entries: ListEntry[];
  pinnable: {
    origin: string;
    label: string;
    suite: string;
    codename: string;
    component: string;
    version: string;
    arch: string;
    site: string;
  };
}

/** How much of a list file is read at a time. */
/**
 * The wanted stanzas of one list file. Plain, gzip and lz4 lists are streamed by list-scan.ts
 * (in ranges through the target, so an offline root stays inside its root); compressions Node
 * lacks (xz, bz2, zst) go through apt-helper on a live host.
 */
async function scanList(ctx: CollectContext, path: string, name: string, wanted: readonly string[]): Promise<ScanResult> {
  const t = ctx.target;
  const kind = listCompression(name);
  if (kind === 'none' || kind === 'gz' || kind === 'lz4') {
    return scanListFile(t, { path, kind, wanted });
  }
  if (!t.live) return { ok: false, message: `${kind}-compressed lists need an external decompressor, which an offline audit does not run` };
  const run = await t.run(['/usr/lib/apt/apt-helper', 'cat-file', path], { timeoutMs: ctx.commandTimeoutMs, maxBytes: MAX_LIST_BYTES });
  if (!run.ok || run.code !== 0) return { ok: false, message: `${run.command}: ${run.ok ? run.stderr.trim() : run.message}` };
  return { ok: true, entries: scanPackages(Buffer.from(run.stdout, 'utf8'), new Set(wanted)) };
}

async function loadLists(
  ctx: CollectContext,
  wanted: Set<string>,
  defaultRelease: string | null,
  genericPins: PinRecord[],
): Promise<{ lists: LoadedList[]; newest: { at: number; path: string } | null }> {
  const t = ctx.target;
  const l = await t.list(LISTS);
  if (!l.ok) return { lists: [], newest: null };
  const names = l.entries
    .filter((e) => e.type === 'file')
    .map((e) => e.name)
    .sort();
  const stems = names.filter((n) => /_(In)?Release$/.test(n)).map((n) => n.replace(/(In)?Release$/, ''));
  let newest: { at: number; path: string } | null = null;
  const releases = new Map<string, { info: ReturnType<typeof parseRelease>; path: string }>();
  for (const stem of [...new Set(stems)]) {
    for (const suffix of ['InRelease', 'Release']) {
      const path = `${LISTS}/${stem}${suffix}`;
      if (!names.includes(`${stem}${suffix}`)) continue;
      const r = await t.readText(path, { maxBytes: 16 * 1024 * 1024 });
      if (r.ok) {
        releases.set(stem, { info: parseRelease(r.text), path });
        break;
      }
    }
  }
  const lists: LoadedList[] = [];
  const wantedNames = [...wanted];
  for (const name of names.filter((n) => /_Packages(\.(gz|lz4|xz|bz2|zst|lzma))?$/.test(n))) {
    const path = `${LISTS}/${name}`;
    const st = await t.stat(path);
    if (st.ok && (newest === null || st.mtimeMs > newest.at)) newest = { at: st.mtimeMs, path };
    const stem = releaseStemOf(name, [...releases.keys()]);
    const rel = stem ? releases.get(stem) : undefined;
    const rest = stem ? name.slice(stem.length) : name;
    const arch = /binary-([A-Za-z0-9-]+)_Packages/.exec(rest)?.[1] ?? '';
    const component = rest
      .replace(/_?binary-.*$/, '')
      .replace(/_Packages.*$/, '')
      .replace(/_/g, '/');
    const site = siteOf(name);
    const info = rel?.info ?? null;
    const release =
      info && rel
        ? {
            origin: info.origin,
            label: info.label,
            suite: info.suite,
            codename: info.codename,
            component,
            site,
            version: info.version,
            releasePath: rel.path,
            notAutomatic: info.notAutomatic,
            butAutomaticUpgrades: info.butAutomaticUpgrades,
          }
        : null;
    const pinnable = {
      origin: info?.origin ?? '',
      label: info?.label ?? '',
      suite: info?.suite ?? '',
      codename: info?.codename ?? '',
      component,
      version: info?.version ?? '',
      arch,
      site,
    };
    let priority = !info
      ? PRIO_DEFAULT
      : info.notAutomatic
        ? info.butAutomaticUpgrades
          ? PRIO_BUT_AUTOMATIC_UPGRADES
          : PRIO_NOT_AUTOMATIC
        : PRIO_DEFAULT;
    if (defaultRelease && (matchPinPattern(defaultRelease, pinnable.suite) || matchPinPattern(defaultRelease, pinnable.codename)))
      priority = PRIO_DEFAULT_RELEASE;
    const generic = genericPins.find((p) => pinMatchesFile(p.pin, pinnable));
    if (generic) priority = generic.priority;
    const security = !!info && (info.label === 'Debian-Security' || /-security$/.test(info.suite) || /-security$/.test(info.codename));
    const scan = await scanList(ctx, path, name, wantedNames);
    lists.push({
      file: { path, release, arch, priority, security, error: scan.ok ? null : scan.message },
      entries: scan.ok ? scan.entries : [],
      pinnable,
    });
  }
  for (const [, rel] of releases) {
    const st = await t.stat(rel.path);
    if (st.ok && (newest === null || st.mtimeMs > newest.at)) newest = { at: st.mtimeMs, path: rel.path };
  }
  const stamp = await t.stat(STAMP);
  if (stamp.ok && (newest === null || stamp.mtimeMs >= newest.at)) newest = { at: stamp.mtimeMs, path: STAMP };
  return { lists, newest };
}

async function readPins(t: Target): Promise<{ pins: PinRecord[]; problems: PackageFacts['lists']['problems'] }> {
  const pins: PinRecord[] = [];
  const problems: PackageFacts['lists']['problems'] = [];
  const l = await t.list('/etc/apt/preferences.d');
  const parts = l.ok
    ? l.entries
        .filter((e) => e.type !== 'dir' && /^[A-Za-z0-9_.-]+$/.test(e.name) && (!e.name.includes('.') || e.name.endsWith('.pref')))
        .map((e) => `/etc/apt/preferences.d/${e.name}`)
        .sort()
    : [];
  for (const path of ['/etc/apt/preferences', ...parts]) {
    const r = await t.readText(path, { maxBytes: 1024 * 1024 });
    if (!r.ok) {
      if (r.error !== 'missing') problems.push({ source: { path }, reason: r.message });
      continue;
    }
    const p = parsePreferences(r.text, path);
    pins.push(...p.pins);
    for (const e of p.errors) problems.push({ source: { path: e.path, line: e.line }, reason: e.message });
  }
  for (const p of pins) {
    if (p.packages.some((n) => n.startsWith('src:')))
      problems.push({ source: { path: p.path, line: p.line }, reason: 'source-package pins (src:) are not evaluated' });
    if (p.packages.includes('*') && p.pin.kind === 'version')
      problems.push({ source: { path: p.path, line: p.line }, reason: 'a version pin for all packages is invalid (apt ignores it)' });
  }
  return { pins, problems };
}

function originLabel(f: ListFile): string {
  const r = f.release;
  if (!r) return f.path;
  return `${r.label || r.origin} ${r.codename || r.suite} (${r.site})`;
}

function computeUpdates(
  installed: DpkgPackage[],
  lists: LoadedList[],
  specific: PinRecord[],
  nativeArch: string,
): { pending: PendingUpdate[]; inventory: PackageFacts['inventory']['packages'] } {
  // name:arch → version → list indexes (Architecture: all belongs to the native architecture)
  const index = new Map<string, Map<string, number[]>>();
  lists.forEach((l, i) => {
    for (const e of l.entries) {
      const key = `${e.name}:${e.arch === 'all' ? nativeArch : e.arch}`;
      let vers = index.get(key);
      if (!vers) index.set(key, (vers = new Map<string, number[]>()));
      const files = vers.get(e.version) ?? [];
      if (!files.includes(i)) files.push(i);
      vers.set(e.version, files);
    }
  });
  const pending: PendingUpdate[] = [];
  const inventory: PackageFacts['inventory']['packages'] = [];
  for (const pkg of installed) {
    const arch = pkg.arch === 'all' ? nativeArch : pkg.arch;
    const vers = index.get(`${pkg.name}:${arch}`) ?? new Map<string, number[]>();
    const pins = specific.filter((p) => p.packages.some((n) => matchPinPattern(n, pkg.name)));
    const prio = (v: string): number => {
      const files = vers.get(v) ?? [];
      for (const p of pins) {
        if (p.pin.kind === 'version' ? matchPinPattern(p.pin.pattern, v) : files.some((i) => pinMatchesFile(p.pin, lists[i]!.pinnable)))
          return p.priority;
      }
      let best = v === pkg.version ? STATUS_PRIORITY : Number.NEGATIVE_INFINITY;
      for (const i of files) best = Math.max(best, lists[i]!.file.priority);
      return best;
    };
    const candidate = pickCandidate(pkg.version, [...vers.keys()], prio, compareDebVersions);
    const instFiles = (vers.get(pkg.version) ?? []).map((i) => lists[i]!.file).sort((a, b) => b.priority - a.priority);
    inventory.push({ name: pkg.name, arch: pkg.arch, version: pkg.version, origin: instFiles[0] ? originLabel(instFiles[0]) : 'local' });
    if (candidate === pkg.version || compareDebVersions(candidate, pkg.version) <= 0) continue;
    const files = (vers.get(candidate) ?? []).map((i) => lists[i]!.file);
    pending.push({
      name: pkg.name,
      arch: pkg.arch,
      installed: pkg.version,
      candidate,
      origins: files.map(originLabel),
      security: files.some((f) => f.security),
    });
  }
  pending.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { pending, inventory };
}

async function readLog(t: Target, path: string, parse: (text: string) => LogSpan): Promise<LogFile> {
  const r = await t.readBytes(path, { maxBytes: MAX_LOG, binaryOk: path.endsWith('.gz') });
  if (!r.ok) return { path, entries: 0, first: null, last: null, error: r.message };
  let text: string;
  try {
    text = path.endsWith('.gz') ? gunzipSync(r.bytes, { maxOutputLength: MAX_LOG }).toString('utf8') : r.bytes.toString('utf8');
  } catch (e) {
    return { path, entries: 0, first: null, last: null, error: `${path}: not valid gzip data (${(e as Error).message})` };
  }
  const s = parse(text);
  const error = s.entries === 0 && s.malformed > 0 ? `${path}: no readable time stamps (${s.malformed} malformed)` : null;
  return { path, entries: s.entries, first: s.first, last: s.last, error };
}

async function history(t: Target): Promise<PackageFacts['history']> {
  const logs = async (dir: string, re: RegExp, parse: (text: string) => LogSpan): Promise<LogFile[]> => {
    const l = await t.list(dir);
    if (!l.ok) return [];
    const names = l.entries
      .filter((e) => e.type === 'file' && re.test(e.name))
      .map((e) => e.name)
      .sort();
    const out: LogFile[] = [];
    for (const n of names) out.push(await readLog(t, `${dir}/${n}`, parse));
    return out;
  };
  return {
    apt: await logs('/var/log/apt', /^history\.log(\.\d+)?(\.gz)?$/, parseAptHistory),
    dpkg: await logs('/var/log', /^dpkg\.log(\.\d+)?(\.gz)?$/, parseDpkgLog),
  };
}

export const packagesCollector = defineCollector({
  key: 'packages',
  gathers: gathersOfAll(
    {
      files: [
        DPKG_GATHER,
        { path: '/etc/os-release', maxBytes: 64 * 1024 },
        { path: '/etc/apt/apt.conf', maxBytes: 1024 * 1024 },
        { path: '/etc/apt/preferences', maxBytes: 1024 * 1024 },
        { path: '/var/log/apt/history.log', maxBytes: MAX_LOG },
      ],
      paths: [STAMP],
      dirs: [
        { path: '/etc/apt/apt.conf.d', maxBytes: 1024 * 1024 },
        { path: '/etc/apt/preferences.d', maxBytes: 1024 * 1024 },
        // Package lists are big: their names and stats only (the collector reads the few it needs).
        { path: LISTS, read: false },
        { path: '/var/log/apt', read: false },
        { path: '/var/log', read: false },
      ],
      globs: TIMERS.flatMap((u) => UNIT_DIRS.map((d) => ({ pattern: `${d}/timers.target.wants/${u}`, read: false }))),
    },
    unitGathers(...TIMERS),
  ),
  async collect(ctx) {
    const t = ctx.target;
    const st = await dpkgStatus(t);
    if (!st.ok) {
      if (st.error === 'missing') return absent(`dpkg is not installed (${STATUS} does not exist)`);
      return failed(`cannot read the package database: ${st.message}`);
    }
    const dpkg = st.parsed;
    if (dpkg.installed.length === 0)
      return failed(
        `${STATUS} lists no installed package${dpkg.errors[0] ? ` (line ${dpkg.errors[0].line}: ${dpkg.errors[0].message})` : ''}`,
      );
    const nativeArch = dpkg.installed.find((p) => p.name === 'dpkg')?.arch ?? 'amd64';
    const distro = await readDistro(t);
    const conf = await readAptConf(t);
    const merged = mergeAptConf(conf.parses);
    const { pins, problems } = await readPins(t);
    const generic = pins.filter((p) => p.packages.length === 1 && p.packages[0] === '*' && p.pin.kind !== 'version');
    const specific = pins.filter((p) => !p.packages.includes('*'));
    const defaultRelease = merged.scalars['apt::default-release']?.value ?? null;
    const wanted = new Set(dpkg.installed.map((p) => p.name));
    const { lists, newest } = await loadLists(ctx, wanted, defaultRelease, generic);
    for (const l of lists) if (l.file.error) problems.push({ source: { path: l.file.path }, reason: l.file.error });
    const files = lists.map((l) => l.file);
    const { pending, inventory } = computeUpdates(dpkg.installed, lists, specific, nativeArch);
    const sec = securityOriginsFor(files, distro);
    const uu = dpkg.installed.find((p) => p.name === 'unattended-upgrades');
    const byOrigin: Record<string, number> = {};
    for (const p of inventory) byOrigin[p.origin] = (byOrigin[p.origin] ?? 0) + 1;
    const method: Source = {
      note: `candidates computed from ${STATUS} and ${files.length} list file(s) in ${LISTS} (apt's pin priorities; apt-get update is never run)`,
    };
    return collected({
      installed: true,
      manager: 'apt',
      distro,
      unattendedUpgrades: uu
        ? {
            installed: true,
            version: uu.version,
            source: { path: STATUS, line: uu.line, excerpt: `Package: unattended-upgrades (${uu.version})` },
          }
        : { installed: false, version: null, source: { path: STATUS, note: 'unattended-upgrades is not installed' } },
      aptConf: {
        files: conf.parses.map((p) => p.path),
        errors: conf.errors,
        includes: conf.parses.flatMap((p) =>
          p.statements.filter((s) => s.op === 'include').map((s) => ({ path: p.path, line: s.line, excerpt: s.excerpt })),
        ),
        enable: setting(merged, 'APT::Periodic::Enable', 'not set: apt.systemd.daily defaults to 1 (enabled)'),
        updatePackageLists: setting(merged, 'APT::Periodic::Update-Package-Lists', 'not set: apt.systemd.daily defaults to 0 (disabled)'),
        unattendedUpgrade: setting(merged, 'APT::Periodic::Unattended-Upgrade', 'not set: apt.systemd.daily defaults to 0 (disabled)'),
        originsPattern: originPatterns(merged, 'Unattended-Upgrade::Origins-Pattern', false, distro, sec),
        allowedOrigins: originPatterns(merged, 'Unattended-Upgrade::Allowed-Origins', true, distro, sec),
        securityOrigins: sec,
      },
      timers: await timers(t, hostOf(ctx).units),
      lists: {
        state: files.length === 0 ? 'none' : 'ok',
        files,
        updatedAt: newest ? new Date(newest.at).toISOString() : null,
        updatedSource: newest ? { path: newest.path, note: 'modification time' } : null,
        pins: pins.map((p) => ({ source: { path: p.path, line: p.line, excerpt: p.text }, text: p.text, priority: p.priority })),
        problems,
      },
      inventory: { count: inventory.length, byOrigin, packages: inventory, source: { path: STATUS } },
      updates:
        files.length === 0
          ? { pending: null, reason: `no package lists in ${LISTS} (apt-get update has never run, or the lists were removed)`, method }
          : { pending, reason: null, method },
      history: await history(t),
    });
  },
});
