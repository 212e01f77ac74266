import { posix } from 'node:path';
import { absent, collected, type Fact } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type {
  ComposeProject,
  DaemonJson,
  DockerDrift,
  DockerEngine,
  DockerFacts,
  DockerMount,
  DockerSettings,
  DockerWorkload,
  ScanReport,
} from '../facts/docker.js';
import type { FsError, Target } from '../target/types.js';
import { dpkgInstalled, DPKG_STATUS } from './dpkg.js';
import { firstExisting, PermissionDenied, probeFirst } from './paths.js';
import { defineCollector, type CollectContext, type FileGather, type Gathers, type GlobGather } from './types.js';
import { dockerGet, socketPathOf } from './docker-api.js';
import { parseDotenv } from './parse/compose-interpolate.js';
import { loadComposeProject } from './parse/compose-project.js';
import { extractService, normalizeCap, type ServiceBuild } from './parse/compose-service.js';
import { dockerfileUser, parseDockerfile } from './parse/dockerfile.js';
import { parseJsonWithLines, type JsonObject, type JsonValue } from './parse/docker-json.js';
import { parseScanReport } from './parse/docker-scan-report.js';
import { findEnvAssignments } from './parse/docker-env.js';
import { DPKG_GATHER } from './gathers.js';

export const DAEMON_JSON = '/etc/docker/daemon.json';
const DOCKERD_PATHS = ['/usr/bin/dockerd', '/usr/sbin/dockerd', '/usr/local/bin/dockerd'];
const DOCKER_PACKAGES = ['docker.io', 'docker-ce', 'moby-engine'];
/** Compose file names compose looks for, and the ones we discover (docker-compose*.yml, compose*.yaml …). */
const COMPOSE_NAME = /^(docker-)?compose[\w.-]*\.ya?ml$/;
const OVERRIDE_NAME = /^((?:docker-)?compose)\.override\.(ya?ml)$/;
const SEARCH_DEPTH = 3;
const SKIP_DIRS = new Set(['node_modules', '.git', 'proc', 'sys']);
const MAX_COMPOSE_FILES = 200;
/** Where scan reports are looked for (no config key yet; see test/docker/DIFFERENCES.md). */
export const SCAN_REPORT_DIRS = [
  '/var/lib/trivy/reports',
  '/var/log/trivy',
  '/var/lib/grype/reports',
  '/var/log/grype',
  '/var/lib/image-scans',
];
const SCANNER_BINARIES: { name: 'trivy' | 'grype' | 'docker scout'; paths: string[] }[] = [
  { name: 'trivy', paths: ['/usr/bin/trivy', '/usr/local/bin/trivy', '/snap/bin/trivy'] },
  { name: 'grype', paths: ['/usr/bin/grype', '/usr/local/bin/grype'] },
  {
    name: 'docker scout',
    paths: [
      '/usr/libexec/docker/cli-plugins/docker-scout',
      '/usr/local/lib/docker/cli-plugins/docker-scout',
      '/usr/lib/docker/cli-plugins/docker-scout',
      '/root/.docker/cli-plugins/docker-scout',
      '/home/*/.docker/cli-plugins/docker-scout',
    ],
  },
];
const CONTENT_TRUST_FILES: { glob: string; kind: 'systemd' | 'environment' | 'shell' }[] = [
  { glob: '/etc/systemd/system/docker.service.d/*.conf', kind: 'systemd' },
  { glob: '/etc/systemd/system/docker.service', kind: 'systemd' },
  { glob: '/etc/environment', kind: 'environment' },
  { glob: '/etc/profile', kind: 'shell' },
  { glob: '/etc/profile.d/*.sh', kind: 'shell' },
  { glob: '/etc/bash.bashrc', kind: 'shell' },
  { glob: '/root/.profile', kind: 'shell' },
  { glob: '/root/.bashrc', kind: 'shell' },
  { glob: '/root/.bash_profile', kind: 'shell' },
  { glob: '/home/*/.profile', kind: 'shell' },
  { glob: '/home/*/.bashrc', kind: 'shell' },
  { glob: '/home/*/.bash_profile', kind: 'shell' },
];

const LABEL_PROJECT = 'com.docker.compose.project';
const LABEL_SERVICE = 'com.docker.compose.service';
const LABEL_FILES = 'com.docker.compose.project.config_files';

export const dockerCollector = defineCollector({
  key: 'docker',
  gathers: (g) => ({
    files: [DPKG_GATHER, ...g.config.compose_files, ...LATER.files],
    paths: ['/usr/bin/dockerd', '/usr/sbin/dockerd', '/usr/local/bin/dockerd', ...g.config.compose_search_dirs, ...LATER.paths],
    // The trees compose files are discovered in (walkCompose), names and stats only.
    dirs: g.config.compose_search_dirs.map((path) => ({ path, read: false, depth: SEARCH_DEPTH, skip: [...SKIP_DIRS] })),
    // What the scan-report, content-trust and scanner probes read one after the other (over ssh each
    // would be one more wave): the fixed paths and globs up front, read with the limits they are read with.
    globs: LATER.globs,
  }),
  collect: collectDocker,
});

function laterGathers(): Required<Pick<Gathers, 'files' | 'paths' | 'globs'>> {
  const files: FileGather[] = [{ path: DAEMON_JSON, maxBytes: 1024 * 1024 }];
  const globs: GlobGather[] = SCAN_REPORT_DIRS.map((d) => ({ pattern: `${d}/*.json`, maxBytes: 256 * 1024 * 1024 }));
  for (const f of CONTENT_TRUST_FILES) {
    if (f.glob.includes('*')) globs.push({ pattern: f.glob, maxBytes: 1024 * 1024 });
    else files.push({ path: f.glob, maxBytes: 1024 * 1024 });
  }
  const paths: string[] = [];
  for (const s of SCANNER_BINARIES)
    for (const p of s.paths) {
      const parts = p.split('/');
      const w = parts.findIndex((c) => c.includes('*'));
      if (w < 0) paths.push(p);
      else globs.push({ pattern: parts.slice(0, w + 1).join('/'), read: false });
    }
  return { files, paths, globs };
}
const LATER = laterGathers();

export async function collectDocker(ctx: CollectContext): Promise<Fact<DockerFacts>> {
  const t = ctx.target;
  const installedEvidence = await dockerInstalled(t);
  const engine = await engineState(ctx);
  const live = engine.state === 'running' ? await liveContainers(ctx, engine) : { containers: [], error: null };

  const searchDirs = ctx.config.compose_search_dirs;
  const fileSets = await discoverProjects(t, searchDirs, ctx.config.compose_files, live.containers);
  const projects: ComposeProject[] = [];
  const workloads: DockerWorkload[] = [];
  const matched = new Set<string>();
  for (const set of fileSets) {
    if (set.unseen) {
      // A dangling directory link says "a project may be there" only where Docker is: elsewhere it is any link.
      if (installedEvidence.length > 0 || engine.state === 'running') projects.push(unseenProject(t, set.files[0] ?? '/', set.unseen));
      continue;
    }
    const { project, services } = await loadProject(t, set.files, set.origin);
    projects.push(project);
    for (const s of services) {
      const c = live.containers.find(
        (lc) => !matched.has(lc.id) && lc.labels[LABEL_PROJECT] === project.name && lc.labels[LABEL_SERVICE] === s.name,
      );
      if (c) matched.add(c.id);
      workloads.push({
        name: `${project.name}/${s.name}`,
        project: project.name,
        service: s.name,
        composeSource: s.key,
        container: c ? { id: c.id.slice(0, 12), name: c.name, state: c.state, source: c.settings.image.source } : null,
        settings: c ? c.settings : s.settings,
        compose: c ? s.settings : null,
        drift: c ? driftOf(s.settings, c.settings) : [],
      });
    }
  }
  for (const c of live.containers) {
    if (matched.has(c.id)) continue;
    workloads.push({
      name: `container ${c.name}`,
      project: c.labels[LABEL_PROJECT] ?? null,
      service: c.labels[LABEL_SERVICE] ?? null,
      composeSource: null,
      container: { id: c.id.slice(0, 12), name: c.name, state: c.state, source: c.settings.image.source },
      settings: c.settings,
      compose: null,
      drift: [],
    });
  }
  if (live.error) engine.detail = `${engine.detail}; ${live.error}`;

  if (installedEvidence.length === 0 && projects.length === 0 && engine.state !== 'running') {
    return absent('Docker is not installed (no docker.io/docker-ce package, no dockerd) and no compose files were found');
  }

  const scanReportDirs = [
    ...SCAN_REPORT_DIRS,
    ...new Set(fileSets.filter((f) => !f.unseen).map((f) => posix.join(posix.dirname(f.files[0] ?? '/'), 'scan-reports'))),
  ];
  // Independent probes, all at once (one wave over ssh, not one per probe); an error is the first in
  // this order, as when they ran one after the other.
  const settled = await Promise.allSettled([scanReports(t, scanReportDirs), contentTrust(t), scanners(t), daemonJson(t)] as const);
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
  const [reports, ct, sc, daemon] = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    Awaited<ReturnType<typeof scanReports>>,
    Awaited<ReturnType<typeof contentTrust>>,
    Awaited<ReturnType<typeof scanners>>,
    Awaited<ReturnType<typeof daemonJson>>,
  ];
  return collected({
    installed: installedEvidence.length > 0,
    installedEvidence,
    composeSearchDirs: searchDirs,
    projects,
    workloads,
    daemon,
    engine,
    scanners: sc.found,
    ...(sc.denied.length > 0 ? { scannersDenied: sc.denied } : {}),
    scanReportDirs,
    scanReports: reports.reports,
    scanReportErrors: reports.errors,
    contentTrust: ct.found,
    contentTrustSearched: ct.searched,
    contentTrustDenied: ct.denied,
  });
}

async function dockerInstalled(t: Target): Promise<Source[]> {
  const out: Source[] = [];
  const pkgs = await dpkgInstalled(t);
  for (const p of DOCKER_PACKAGES) if (pkgs?.has(p)) out.push({ path: DPKG_STATUS, note: `package ${p} installed` });
  const dockerd = await firstExisting(t, DOCKERD_PATHS, 'file');
  if (dockerd) out.push({ path: dockerd });
  return out;
}

// ---------------------------------------------------------------- discovery

export interface FileSet {
  files: string[];
  origin: ComposeProject['origin'];
  /** A link directly in a search dir that cannot be followed: a project there would not be seen. */
  unseen?: FsError;
}

/**
 * Compose files under `dir`, depth-first in lexical order. Symlinks are followed (through the target,
 * so never out of an offline root): a linked compose file counts, a linked directory is searched once
 * (device and inode seen with its depth, so a link to an ancestor cannot loop, and a compose file
 * reached by two paths is one project, under the path found first). A compose-named link that cannot
 * be followed (dangling, a loop, a target outside the root) is kept: reading it says why, and the
 * docker checks are unknown naming it rather than passing on a project they never saw. So is any such
 * link directly in a search dir (`/srv/lms -> /mnt/data/lms` on a disk without that volume) on a host
 * with Docker: that is where project directories are linked from. Deeper dangling links are ordinary
 * app files and skipped.
 */
async function walkCompose(
  t: Target,
  dir: string,
  depth: number,
  out: string[],
  seen: Map<string, number>,
  unseen: Map<string, FsError>,
): Promise<void> {
  if (out.length >= MAX_COMPOSE_FILES) return;
  const ds = await t.stat(dir);
  if (!ds.ok || ds.type !== 'dir') return;
  // Seen at this depth or shallower: nothing new below. (Reached deeper first, it is searched again.)
  const id = `${ds.dev}:${ds.ino}`;
  if ((seen.get(id) ?? Infinity) <= depth) return;
  seen.set(id, depth);
  const l = await t.list(dir);
  if (!l.ok) return;
  for (const e of [...l.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = posix.join(dir, e.name);
    let type = e.type;
    if (type === 'symlink' || type === 'other') {
      const s = await t.stat(p);
      if (!s.ok) {
        if (COMPOSE_NAME.test(e.name)) out.push(p);
        else if (depth === 1 && e.type === 'symlink') {
          unseen.set(p, s);
          out.push(p);
        }
        continue;
      }
      type = s.type;
    }
    // Not only regular files: a compose-named FIFO or device (a link to /dev/zero) is read, and refused, saying so.
    if (type !== 'dir' && COMPOSE_NAME.test(e.name)) {
      // The same directory reached by a second path (a link, searched again deeper first): one project.
      if (!seen.has(`${id}/${e.name}`)) out.push(p);
      seen.set(`${id}/${e.name}`, depth);
    } else if (type === 'dir' && depth < SEARCH_DEPTH && !SKIP_DIRS.has(e.name)) await walkCompose(t, p, depth + 1, out, seen, unseen);
  }
}

export async function discoverProjects(
  t: Target,
  dirs: readonly string[],
  configured: readonly string[],
  containers: LiveContainer[],
): Promise<FileSet[]> {
  const found: string[] = [];
  const seen = new Map<string, number>();
  const unseen = new Map<string, FsError>();
  for (const d of dirs) await walkCompose(t, d, 1, found, seen, unseen);
  const sets: FileSet[] = [];
  const files = new Set(found);
  for (const f of files) {
    const lost = unseen.get(f);
    if (lost) {
      sets.push({ files: [f], origin: 'discovered', unseen: lost });
      continue;
    }
    const name = posix.basename(f);
    if (OVERRIDE_NAME.test(name)) {
      // An override with its base file is merged into that project; alone it is judged by itself.
      const m = OVERRIDE_NAME.exec(name);
      const dir = posix.dirname(f);
      const bases = m ? [`${m[1] ?? ''}.yml`, `${m[1] ?? ''}.yaml`].map((b) => posix.join(dir, b)) : [];
      if (bases.some((b) => files.has(b))) continue;
      sets.push({ files: [f], origin: 'discovered' });
      continue;
    }
    const base = /^((?:docker-)?compose)\.(ya?ml)$/.exec(name);
    const overrides = base
      ? [`${base[1] ?? ''}.override.yml`, `${base[1] ?? ''}.override.yaml`]
          .map((o) => posix.join(posix.dirname(f), o))
          .filter((o) => files.has(o))
      : [];
    sets.push({ files: [f, ...overrides.slice(0, 1)], origin: 'discovered' });
  }
  for (const f of configured) {
    if (sets.some((s) => s.files[0] === f)) continue;
    if ((await t.stat(f)).ok || !sets.some((s) => s.files.includes(f))) sets.push({ files: [f], origin: 'configured' });
  }
  // Live: the -f list a running project was started with (label com.docker.compose.project.config_files).
  const labelSets = new Map<string, string[]>();
  for (const c of containers) {
    const l = c.labels[LABEL_FILES];
    if (!l) continue;
    const list = l
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.startsWith('/'));
    if (list.length > 0) labelSets.set(list.join(','), list);
  }
  for (const list of labelSets.values()) {
    const i = sets.findIndex((s) => s.files[0] === list[0]);
    if (i >= 0) sets[i] = { files: list, origin: 'label' };
    else sets.push({ files: list, origin: 'label' });
  }
  return sets;
}

// ---------------------------------------------------------------- compose projects

async function loadProject(
  t: Target,
  files: string[],
  origin: ComposeProject['origin'],
): Promise<{ project: ComposeProject; services: { name: string; key: Source; settings: DockerSettings }[] }> {
  const dir = posix.dirname(files[0] ?? '/');
  const envPath = posix.join(dir, '.env');
  const envText = await t.readText(envPath, { maxBytes: 1024 * 1024 });
  const env = envText.ok ? parseDotenv(envText.text) : null;
  const envFile = env ? { path: envPath, variables: env.names } : null;
  const read = async (p: string) => {
    const r = await t.readText(p, { maxBytes: 4 * 1024 * 1024 });
    if (!r.ok) return { ok: false as const, reason: await unreadableReason(t, p, r) };
    const real = (await t.lstat(p)).ok ? await t.realPath(p) : null;
    return { ok: true as const, text: r.text, ...(real?.ok && real.path !== p ? { realPath: real.path } : {}) };
  };
  const r = await loadComposeProject(files, read, env?.values ?? {});
  const links = r.links ?? [];
  const base: Omit<ComposeProject, 'status' | 'error' | 'services' | 'name'> = {
    files,
    origin,
    envFile,
    ...(links.length > 0 ? { links } : {}),
  };
  if (!r.ok) {
    const status = r.kind === 'unreadable' ? 'unreadable' : r.kind;
    return {
      project: { ...base, name: posix.basename(dir), status, error: { reason: r.reason, source: r.source }, services: [] },
      services: [],
    };
  }
  const services: { name: string; key: Source; settings: DockerSettings }[] = [];
  for (const s of r.services) {
    const x = extractService(s.name, s.node, s.key, r.dir);
    if (!x.ok)
      return {
        project: { ...base, name: r.name, status: 'invalid', error: { reason: x.reason, source: x.source }, services: [] },
        services: [],
      };
    const settings = x.settings;
    if (x.build) await applyDockerfile(t, settings, x.build);
    services.push({ name: s.name, key: s.key, settings });
  }
  return { project: { ...base, name: r.name, status: 'ok', error: null, services: services.map((s) => s.name) }, services };
}

function unseenProject(t: Target, path: string, e: FsError): ComposeProject {
  const why =
    e.error === 'loop'
      ? 'too many levels of symbolic links (a loop)'
      : e.error === 'missing' || e.error === 'not-dir'
        ? 'its target does not exist'
        : e.message;
  const where = t.live ? '' : ' inside the root (links in an offline root resolve as in a chroot: nothing outside the root is read)';
  const reason = `${JSON.stringify(path)} is a symbolic link that cannot be followed: ${why}${where}; a compose project there cannot be seen`;
  return {
    name: posix.basename(path),
    files: [path],
    origin: 'discovered',
    status: 'unreadable',
    error: { reason, source: { path } },
    envFile: null,
    services: [],
  };
}

/** Why a compose file cannot be read; for a symlink, that it is one and that nothing outside the root is read. */
async function unreadableReason(t: Target, p: string, e: FsError): Promise<string> {
  const l = await t.lstat(p);
  if (!l.ok || l.type !== 'symlink' || (e.error !== 'missing' && e.error !== 'loop' && e.error !== 'not-dir')) return e.message;
  const why = e.error === 'loop' ? 'too many levels of symbolic links (a loop)' : 'its target does not exist';
  const where = t.live ? '' : ' inside the root (links in an offline root resolve as in a chroot: nothing outside the root is read)';
  return `a symbolic link that cannot be followed: ${why}${where}`;
}

async function applyDockerfile(t: Target, settings: DockerSettings, build: ServiceBuild): Promise<void> {
  const r = await t.readText(build.dockerfile, { maxBytes: 1024 * 1024 });
  if (!r.ok) {
    if (settings.userFrom !== 'compose')
      settings.user = { value: null, source: { ...build.at, note: `the Dockerfile cannot be read: ${r.message}` } };
    return;
  }
  const df = parseDockerfile(r.text);
  const u = dockerfileUser(df, build.args, build.target);
  settings.baseImages = u.baseImages.map((b) => ({ value: b.image, source: { path: build.dockerfile, line: b.line } }));
  if (settings.userFrom === 'compose') return;
  if (u.error) {
    settings.user = { value: null, source: { path: build.dockerfile, note: u.error } };
    return;
  }
  settings.userFrom = 'dockerfile';
  settings.user =
    u.user === null
      ? { value: null, source: { path: build.dockerfile, note: `no USER in the built stage "${u.stage}" (the base image's user applies)` } }
      : {
          value: u.user,
          source: {
            path: build.dockerfile,
            line: u.line ?? 1,
            excerpt: `USER ${u.user}`,
            ...(u.unresolved.length > 0 ? { note: `unresolved: ${u.unresolved.join(', ')}` } : {}),
          },
        };
}

// ---------------------------------------------------------------- live

interface LiveContainer {
  id: string;
  name: string;
  state: string;
  labels: Record<string, string>;
  settings: DockerSettings;
}

async function engineState(ctx: CollectContext): Promise<DockerEngine> {
  const host = ctx.config.docker_host;
  const t = ctx.target;
  if (!t.live)
    return {
      state: 'offline',
      detail: 'offline root: the Engine API is not queried',
      host,
      source: { note: 'offline' },
      version: null,
      apiVersion: null,
    };
  const sp = socketPathOf(host);
  if (!sp.ok)
    return { state: 'unsupported', detail: sp.message, host, source: { note: 'config docker_host' }, version: null, apiVersion: null };
  const command = `GET /version on ${sp.path}`;
  const r = await dockerGet(t, sp.path, '/version', ctx.commandTimeoutMs);
  if (!r.ok) {
    const state = r.reason === 'missing' || r.reason === 'refused' ? 'not-running' : 'error';
    return { state, detail: r.message, host, source: { command }, version: null, apiVersion: null };
  }
  const b = asObj(r.body);
  if (!b || str(b.ApiVersion) === null)
    return {
      state: 'error',
      detail: `${sp.path} answers GET /version, but not like a Docker Engine`,
      host,
      source: { command },
      version: null,
      apiVersion: null,
    };
  return {
    state: 'running',
    detail: `Docker Engine ${str(b?.Version) ?? '?'} answers`,
    host,
    source: { command },
    version: str(b?.Version),
    apiVersion: str(b?.ApiVersion),
  };
}

const asObj = (v: unknown): JsonObject | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : null);
const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);
const strList = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

async function liveContainers(ctx: CollectContext, engine: DockerEngine): Promise<{ containers: LiveContainer[]; error: string | null }> {
  const sp = socketPathOf(engine.host);
  if (!sp.ok) return { containers: [], error: sp.message };
  // all=1: a created-but-not-started container (e.g. one that failed to start) is judged too; exited ones are skipped.
  const list = await dockerGet(ctx.target, sp.path, '/containers/json?all=1', ctx.commandTimeoutMs);
  if (!list.ok) {
    engine.state = 'error';
    return { containers: [], error: list.message };
  }
  const out: LiveContainer[] = [];
  const errors: string[] = [];
  for (const item of Array.isArray(list.body) ? list.body : []) {
    const id = str(asObj(item)?.Id);
    const state = str(asObj(item)?.State) ?? '';
    if (!id || state === 'exited' || state === 'dead') continue;
    const r = await dockerGet(ctx.target, sp.path, `/containers/${encodeURIComponent(id)}/json`, ctx.commandTimeoutMs);
    if (!r.ok) {
      errors.push(r.message);
      if (r.reason === 'timeout') engine.state = 'error';
      continue;
    }
    const c = asObj(r.body);
    if (c) out.push(liveSettings(c, id, state));
  }
  return { containers: out, error: errors.length > 0 ? errors.join('; ') : null };
}

function liveSettings(c: JsonObject, id: string, state: string): LiveContainer {
  const config = asObj(c.Config);
  const hc = asObj(c.HostConfig);
  const name = (str(c.Name) ?? id.slice(0, 12)).replace(/^\//, '');
  const src: Source = { command: `GET /containers/${id.slice(0, 12)}/json (${name})` };
  const labels: Record<string, string> = {};
  const rawLabels = asObj(config?.Labels);
  // Only compose's own labels: other labels may carry anything.
  for (const k of [LABEL_PROJECT, LABEL_SERVICE, LABEL_FILES]) {
    const v = str(rawLabels?.[k]);
    if (v !== null) labels[k] = v;
  }
  const user = str(config?.User) ?? '';
  const mounts: DockerMount[] = [];
  for (const m of Array.isArray(c.Mounts) ? c.Mounts : []) {
    const o = asObj(m);
    if (!o) continue;
    const type = str(o.Type) ?? 'other';
    mounts.push({
      type: type === 'bind' || type === 'volume' || type === 'tmpfs' || type === 'npipe' ? type : 'other',
      source: type === 'volume' ? (str(o.Name) ?? str(o.Source)) : str(o.Source),
      target: str(o.Destination) ?? '',
      readOnly: o.RW === false,
      at: src,
    });
  }
  for (const target of Object.keys(asObj(hc?.Tmpfs) ?? {})) mounts.push({ type: 'tmpfs', source: null, target, readOnly: false, at: src });
  const mode = (k: string): string | null => {
    const v = str(hc?.[k]);
    return v === null || v === '' ? null : v;
  };
  return {
    id,
    name,
    state,
    labels,
    settings: {
      image: { value: str(config?.Image), source: src },
      user: { value: user === '' ? null : user, source: src },
      userFrom: 'live',
      readOnly: { value: hc?.ReadonlyRootfs === true, source: src },
      privileged: { value: hc?.Privileged === true, source: src },
      capAdd: { value: strList(hc?.CapAdd).map(normalizeCap), source: src },
      capDrop: { value: strList(hc?.CapDrop).map(normalizeCap), source: src },
      securityOpt: { value: strList(hc?.SecurityOpt), source: src },
      networkMode: { value: mode('NetworkMode'), source: src },
      pidMode: { value: mode('PidMode'), source: src },
      ipcMode: { value: mode('IpcMode'), source: src },
      mounts,
      baseImages: [],
    },
  };
}

const show = (v: unknown): string => (v === null ? 'not set' : Array.isArray(v) ? `[${v.join(', ')}]` : JSON.stringify(v));
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Settings where the running container differs from its compose definition (only keys compose sets). */
export function driftOf(compose: DockerSettings, live: DockerSettings): DockerDrift[] {
  const out: DockerDrift[] = [];
  const add = (field: DockerDrift['field'], c: { value: unknown; source: Source }, l: { value: unknown; source: Source }) =>
    out.push({ field, compose: show(c.value), live: show(l.value), composeSource: c.source, liveSource: l.source });
  if (compose.userFrom === 'compose' && compose.user.value !== live.user.value) add('user', compose.user, live.user);
  if (compose.readOnly.value !== live.readOnly.value) add('readOnly', compose.readOnly, live.readOnly);
  if (compose.privileged.value !== live.privileged.value) add('privileged', compose.privileged, live.privileged);
  if (!sameSet(compose.capAdd.value, live.capAdd.value)) add('capAdd', compose.capAdd, live.capAdd);
  if (!sameSet(compose.capDrop.value, live.capDrop.value)) add('capDrop', compose.capDrop, live.capDrop);
  if (!sameSet(compose.securityOpt.value, live.securityOpt.value)) add('securityOpt', compose.securityOpt, live.securityOpt);
  for (const f of ['networkMode', 'pidMode', 'ipcMode'] as const) {
    const c = compose[f];
    if (c.value !== null && c.value !== live[f].value) add(f, c, live[f]);
  }
  return out;
}

// ---------------------------------------------------------------- host files

async function daemonJson(t: Target): Promise<DaemonJson> {
  const unset = (what: string): { value: null; source: Source } => ({
    value: null,
    source: { path: DAEMON_JSON, note: `${what} not set (dockerd default)` },
  });
  const base: DaemonJson = {
    path: DAEMON_JSON,
    status: 'ok',
    error: null,
    noNewPrivileges: unset('no-new-privileges'),
    icc: unset('icc'),
    liveRestore: unset('live-restore'),
    logDriver: unset('log-driver'),
    logMaxSize: unset('log-opts.max-size'),
  };
  const r = await t.readText(DAEMON_JSON, { maxBytes: 1024 * 1024 });
  if (!r.ok) {
    if (r.error === 'missing') return { ...base, status: 'missing' };
    return { ...base, status: 'unreadable', error: { reason: r.message, source: { path: DAEMON_JSON } } };
  }
  const j = parseJsonWithLines(r.text);
  if (!j.ok)
    return {
      ...base,
      status: 'invalid',
      error: { reason: `invalid JSON at line ${j.line}, column ${j.column}: ${j.message}`, source: { path: DAEMON_JSON, line: j.line } },
    };
  const o = asObj(j.value);
  if (!o)
    return { ...base, status: 'invalid', error: { reason: 'the top level is not a JSON object', source: { path: DAEMON_JSON, line: 1 } } };
  const at = (k: string): Source => ({ path: DAEMON_JSON, line: j.keyLines.get(k) ?? 1 });
  const bool = (k: string) => {
    const v = o[k];
    if (v === undefined) return null;
    if (typeof v !== 'boolean') return 'type';
    return { value: v, source: at(k) };
  };
  for (const k of ['no-new-privileges', 'icc', 'live-restore']) {
    if (bool(k) === 'type')
      return { ...base, status: 'invalid', error: { reason: `"${k}" must be a boolean (dockerd refuses to start)`, source: at(k) } };
  }
  const pick = (k: string, fallback: DaemonJson['icc']): DaemonJson['icc'] => {
    const b = bool(k);
    return b === null || b === 'type' ? fallback : b;
  };
  const opts = asObj(o['log-opts']);
  const maxSize = opts ? str(opts['max-size']) : null;
  const driver = str(o['log-driver']);
  return {
    ...base,
    noNewPrivileges: pick('no-new-privileges', base.noNewPrivileges),
    icc: pick('icc', base.icc),
    liveRestore: pick('live-restore', base.liveRestore),
    logDriver: driver === null ? base.logDriver : { value: driver, source: at('log-driver') },
    logMaxSize: maxSize === null ? base.logMaxSize : { value: maxSize, source: at('log-opts.max-size') },
  };
}

async function scanners(t: Target): Promise<{ found: DockerFacts['scanners']; denied: string[] }> {
  const found: DockerFacts['scanners'] = [];
  const denied: string[] = [];
  for (const s of SCANNER_BINARIES) {
    for (const pattern of s.paths) {
      // Expand the wildcard component only (glob drops what it cannot stat, a 0700 home included), then probe.
      const parts = pattern.split('/');
      const w = parts.findIndex((c) => c.includes('*'));
      const paths = w < 0 ? [pattern] : (await t.glob(parts.slice(0, w + 1).join('/'))).map((p) => [p, ...parts.slice(w + 1)].join('/'));
      // /root is 0700: unprivileged, whether root's docker scout plugin exists cannot be told.
      const hit = await probeFirst(t, paths, 'file');
      if (hit.path) {
        found.push({ name: s.name, path: hit.path });
        break;
      }
      denied.push(...hit.denied);
    }
  }
  return { found, denied: found.length > 0 ? [] : denied };
}

async function scanReports(t: Target, dirs: string[]): Promise<{ reports: ScanReport[]; errors: { path: string; reason: string }[] }> {
  const reports: ScanReport[] = [];
  const errors: { path: string; reason: string }[] = [];
  for (const d of dirs) {
    for (const p of await t.glob(`${d}/*.json`)) {
      const [r, st] = await Promise.all([t.readText(p, { maxBytes: 256 * 1024 * 1024 }), t.stat(p)]);
      if (!r.ok) {
        errors.push({ path: p, reason: r.message });
        continue;
      }
      const parsed = parseScanReport(r.text);
      if (!parsed.ok) {
        errors.push({ path: p, reason: parsed.reason });
        continue;
      }
      const mtime = st.ok ? new Date(st.mtimeMs).toISOString() : null;
      const when = parsed.report.createdAt ?? mtime;
      if (when === null) {
        errors.push({ path: p, reason: 'no scan time in the report and the file cannot be stat()ed' });
        continue;
      }
      reports.push({
        path: p,
        tool: parsed.report.tool,
        artifact: parsed.report.artifact,
        imageId: parsed.report.imageId,
        repoDigests: parsed.report.repoDigests,
        scannedAt: when,
        scannedAtFrom: parsed.report.createdAt ? 'report' : 'mtime',
      });
    }
  }
  return { reports, errors };
}

async function contentTrust(t: Target): Promise<{ found: { value: string; source: Source }[]; searched: string[]; denied: string[] }> {
  const found: { value: string; source: Source }[] = [];
  const searched: string[] = [];
  const denied: string[] = [];
  for (const f of CONTENT_TRUST_FILES) {
    let paths: string[];
    try {
      paths = f.glob.includes('*') ? await t.glob(f.glob) : [f.glob];
    } catch (e) {
      // A home that cannot be searched (unprivileged): its profile may set the variable either way.
      if (!(e instanceof PermissionDenied)) throw e;
      denied.push(e.path);
      continue;
    }
    for (const p of paths) {
      const r = await t.readText(p, { maxBytes: 1024 * 1024 });
      if (!r.ok) {
        if (r.error === 'denied') denied.push(p);
        continue;
      }
      searched.push(p);
      for (const a of findEnvAssignments(r.text, 'DOCKER_CONTENT_TRUST', f.kind)) {
        found.push({ value: a.value, source: { path: p, line: a.line, excerpt: `DOCKER_CONTENT_TRUST=${a.value}` } });
      }
    }
  }
  return { found, searched, denied };
}
