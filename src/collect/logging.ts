import { firstExisting, probeFirst } from './paths.js';
import { posix } from 'node:path';
import { collected } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type {
  AlertDestination,
  FailedLogins,
  JournaldFacts,
  LogDestination,
  LoggingFacts,
  LogrotateEffective,
  MonitorState,
  RetainedLogFile,
  Shipper,
  ShipperKind,
} from '../facts/logging.js';
import type { Target } from '../target/types.js';
import { componentMatcher, hasWildcard } from '../util/glob.js';
import { DPKG_STATUS, dpkgInstalled } from './dpkg.js';
import { parseAuthLog, parseJournalJson, type AuthLogScan } from './parse/authlog.js';
import { parseJournaldConf, parseTimespan } from './parse/journald.js';
import {
  applyLrDirective,
  cloneLrState,
  DEFAULT_TABOO,
  LOGROTATE_DEFAULTS,
  parseLogrotate,
  tabooMatch,
  type LrState,
} from './parse/logrotate.js';
import { parseRsyslogConf, selectorKinds, type RsyslogConf } from './parse/rsyslog.js';
import { parseSyslogNgConf, type SyslogNgConf } from './parse/syslog-ng.js';
import {
  parseAlloy,
  parseBeats,
  parseFluentBit,
  parseJournalUpload,
  parsePromtail,
  parseVectorToml,
  parseVectorYaml,
  type ShipperParse,
} from './parse/shippers.js';
import { isLoopbackHost } from './parse/shippers-endpoint.js';
import { hostOf, type HostServices } from './host/index.js';
import { bootStateOfAny, enablingLinks, type UnitStore } from './host/units.js';
import { defineCollector, type CollectContext } from './types.js';
import { DPKG_GATHER, gathersOfAll, unitGathers } from './gathers.js';

const MAX_CONFIG = 4 * 1024 * 1024;
const MAX_LOG = 64 * 1024 * 1024;
const MAX_INCLUDE_DEPTH = 8;
const MAX_BUCKETS = 5000;

/** Enablement of a service (host/units.ts bootState of its units); null when no unit or init script exists. */
export async function unitEnabled(
  store: UnitStore,
  units: readonly string[],
  sysv: readonly string[] = [],
): Promise<{ enabled: boolean | null; evidence: Source[] }> {
  const any = await bootStateOfAny(store, units, { sysv, sysvPrefix: 'S[0-9][0-9]' });
  const mask = any.states.find((s) => s.mask)?.mask;
  if (mask) return { enabled: false, evidence: [mask] };
  const evidence: Source[] = any.states.flatMap((s) => enablingLinks(s).map((l) => ({ path: l.path, note: 'enablement symlink' })));
  if (evidence.length > 0) return { enabled: true, evidence };
  if (any.sysvLink) return { enabled: true, evidence: [{ path: any.sysvLink, note: 'SysV start link' }] };
  if (any.unitFile)
    return { enabled: false, evidence: [{ path: any.unitFile, note: `unit file present, no enablement symlink in a *.wants/ directory` }] };
  return { enabled: null, evidence: [{ note: `no unit file for ${units.join(', ')}` }] };
}

async function readConfig(t: Target, path: string): Promise<{ ok: true; text: string } | { ok: false; message: string; missing: boolean }> {
  const r = await t.readText(path, { maxBytes: MAX_CONFIG });
  return r.ok ? { ok: true, text: r.text } : { ok: false, message: r.message, missing: r.error === 'missing' };
}

// ---------------------------------------------------------------- shippers

interface ShipperDef {
  kind: ShipperKind;
  packages: string[];
  binaries: string[];
  units: string[];
  /** /proc/PID/comm prefixes (comm is cut at 15 characters). */
  comms: string[];
  configs: string[];
  parse?: (text: string, path: string) => ShipperParse;
  /** Destination implied by the agent (a cloud service), when installed. */
  implied?: { host: string; via: string; needsConfigKey?: string };
}

const byExt = (yaml: (s: string) => ShipperParse, other: (s: string) => ShipperParse) => (text: string, path: string) =>
  /\.ya?ml$/.test(path) ? yaml(text) : other(text);

const SHIPPERS: ShipperDef[] = [
  {
    kind: 'promtail',
    packages: ['promtail'],
    binaries: ['/usr/bin/promtail', '/usr/local/bin/promtail'],
    units: ['promtail.service'],
    comms: ['promtail'],
    configs: ['/etc/promtail/config.yml', '/etc/promtail/config.yaml', '/etc/promtail/promtail.yml', '/etc/promtail/promtail.yaml'],
    parse: (s) => parsePromtail(s),
  },
  {
    kind: 'grafana-alloy',
    packages: ['alloy'],
    binaries: ['/usr/bin/alloy'],
    units: ['alloy.service'],
    comms: ['alloy'],
    configs: ['/etc/alloy/config.alloy'],
    parse: (s) => parseAlloy(s),
  },
  {
    kind: 'grafana-agent',
    packages: ['grafana-agent', 'grafana-agent-flow'],
    binaries: ['/usr/bin/grafana-agent', '/usr/bin/grafana-agent-flow'],
    units: ['grafana-agent.service', 'grafana-agent-flow.service'],
    comms: ['grafana-agent'],
    configs: ['/etc/grafana-agent.yaml', '/etc/grafana-agent-flow.river'],
    parse: byExt(parsePromtail, parseAlloy),
  },
  {
    kind: 'filebeat',
    packages: ['filebeat'],
    binaries: ['/usr/share/filebeat/bin/filebeat', '/usr/bin/filebeat'],
    units: ['filebeat.service'],
    comms: ['filebeat'],
    configs: ['/etc/filebeat/filebeat.yml'],
    parse: (s) => parseBeats(s),
  },
  {
    kind: 'elastic-agent',
    packages: ['elastic-agent'],
    binaries: ['/usr/bin/elastic-agent', '/opt/Elastic/Agent/elastic-agent'],
    units: ['elastic-agent.service'],
    comms: ['elastic-agent'],
    configs: ['/etc/elastic-agent/elastic-agent.yml', '/opt/Elastic/Agent/elastic-agent.yml'],
    parse: (s) => parseBeats(s),
  },
  {
    kind: 'fluent-bit',
    packages: ['fluent-bit', 'td-agent-bit'],
    binaries: ['/opt/fluent-bit/bin/fluent-bit', '/usr/bin/fluent-bit', '/opt/td-agent-bit/bin/td-agent-bit'],
    units: ['fluent-bit.service', 'td-agent-bit.service'],
    comms: ['fluent-bit', 'td-agent-bit'],
    configs: ['/etc/fluent-bit/fluent-bit.conf', '/etc/td-agent-bit/td-agent-bit.conf'],
    parse: (s) => parseFluentBit(s),
  },
  {
    kind: 'vector',
    packages: ['vector'],
    binaries: ['/usr/bin/vector'],
    units: ['vector.service'],
    comms: ['vector'],
    configs: ['/etc/vector/vector.yaml', '/etc/vector/vector.yml', '/etc/vector/vector.toml'],
    parse: byExt(parseVectorYaml, parseVectorToml),
  },
  {
    kind: 'google-cloud-ops-agent',
    packages: ['google-cloud-ops-agent'],
    binaries: ['/opt/google-cloud-ops-agent/libexec/google_cloud_ops_agent_engine'],
    units: ['google-cloud-ops-agent.service', 'google-cloud-ops-agent-fluent-bit.service'],
    comms: ['google_cloud_ops', 'fluent-bit'],
    configs: ['/etc/google-cloud-ops-agent/config.yaml'],
    implied: { host: 'Google Cloud Logging', via: 'Ops Agent built-in syslog pipeline' },
  },
  {
    kind: 'amazon-cloudwatch-agent',
    packages: ['amazon-cloudwatch-agent'],
    binaries: ['/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent'],
    units: ['amazon-cloudwatch-agent.service'],
    comms: ['amazon-cloudwat'],
    configs: ['/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json'],
    implied: { host: 'Amazon CloudWatch Logs', via: '"logs" section', needsConfigKey: '"logs"' },
  },
  {
    kind: 'azure-monitor-agent',
    packages: ['azuremonitoragent'],
    binaries: ['/opt/microsoft/azuremonitoragent/bin/mdsd'],
    units: ['azuremonitoragent.service'],
    comms: ['mdsd'],
    configs: [],
    implied: { host: 'Azure Monitor', via: 'data collection rules (defined in Azure)' },
  },
];

function toDestination(
  d: { host: string; port: number | null; protocol: string | null; via: string; cloud?: boolean },
  source: Source,
  inactive: string | null = null,
): LogDestination {
  return {
    host: d.host,
    port: d.port,
    protocol: d.protocol,
    remote: d.cloud === true || (!isLoopbackHost(d.host) && !d.host.startsWith('${')),
    via: d.via,
    inactive: d.host.startsWith('${') ? 'the host is an environment variable, unknown here' : inactive,
    source,
  };
}

async function baseShipper(
  t: Target,
  host: HostServices,
  kind: ShipperKind,
  packages: string[],
  binaries: string[],
  units: string[],
  comms: string[],
): Promise<Shipper | null> {
  const pkgs = await dpkgInstalled(t);
  const pkg = packages.map((p) => pkgs?.get(p)).find((p) => p !== undefined) ?? null;
  // The package decides; a binary is looked for only without one (an unsearchable directory then throws).
  const bin = pkg ? null : await firstExisting(t, binaries);
  if (!pkg && !bin) return null;
  const unit = await unitEnabled(host.units, units, [kind]);
  const procs = await host.processes();
  return {
    kind,
    installed: true,
    installedEvidence: pkg ? { path: DPKG_STATUS, line: pkg.line, excerpt: `${pkg.name} ${pkg.version}` } : { path: bin! },
    enabledAtBoot: unit.enabled,
    enabledEvidence: unit.evidence,
    running: procs === null ? null : procs.some((p) => comms.some((c) => p.comm.startsWith(c))),
    configFiles: [],
    destinations: [],
    errors: [],
    validation: null,
  };
}

async function collectGeneric(t: Target, host: HostServices, def: ShipperDef): Promise<Shipper | null> {
  const s = await baseShipper(t, host, def.kind, def.packages, def.binaries, def.units, def.comms);
  if (!s) return null;
  const queue = [...def.configs];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < 32) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const r = await readConfig(t, path);
    if (!r.ok) {
      if (!r.missing) s.errors.push({ message: r.message, source: { path }, unreadable: true });
      continue;
    }
    s.configFiles.push(path);
    if (def.implied) {
      if (!def.implied.needsConfigKey || r.text.includes(def.implied.needsConfigKey))
        s.destinations.push(
          toDestination({ host: def.implied.host, port: null, protocol: 'https', via: def.implied.via, cloud: true }, { path }),
        );
      continue;
    }
    if (!def.parse) continue;
    const p = def.parse(r.text, path);
    for (const d of p.destinations)
      s.destinations.push(
        toDestination(d, { path, ...(d.line ? { line: d.line } : {}), excerpt: `${d.via}: ${d.host}${d.port ? `:${d.port}` : ''}` }),
      );
    for (const e of p.errors) s.errors.push({ message: e.message, source: { path, ...(e.line ? { line: e.line } : {}) } });
    for (const inc of p.includes) {
      const pattern = inc.startsWith('/') ? inc : posix.join(posix.dirname(path), inc);
      queue.push(...(hasWildcard(pattern) ? await t.glob(pattern) : [pattern]));
    }
  }
  if (def.implied && def.configs.length === 0)
    s.destinations.push(
      toDestination({ host: def.implied.host, port: null, protocol: 'https', via: def.implied.via, cloud: true }, s.installedEvidence),
    );
  if (def.kind === 'google-cloud-ops-agent' && s.configFiles.length === 0)
    s.destinations.push(
      toDestination({ host: def.implied!.host, port: null, protocol: 'https', via: def.implied!.via, cloud: true }, s.installedEvidence),
    );
  if (def.kind === 'elastic-agent') {
    const probe = await probeFirst(t, ['/etc/elastic-agent/fleet.enc', '/opt/Elastic/Agent/fleet.enc']);
    const fleet = probe.path;
    for (const d of fleet ? [] : probe.denied)
      s.errors.push({
        message: `${JSON.stringify(d)} permission denied: whether the agent is enrolled in Fleet cannot be told`,
        source: { path: d },
        unreadable: true,
      });
    if (fleet)
      s.destinations.push(
        toDestination(
          {
            host: 'Elastic Fleet (enrolled; destination in the encrypted fleet.enc)',
            port: null,
            protocol: 'https',
            via: 'fleet enrolment',
            cloud: true,
          },
          { path: fleet },
        ),
      );
  }
  return s;
}

async function expandIncludes(t: Target, pattern: string): Promise<string[]> {
  if (!hasWildcard(pattern)) {
    const st = await t.stat(pattern);
    if (st.ok && st.type === 'dir') return (await t.glob(`${pattern.replace(/\/$/, '')}/*`)).filter((p) => !p.endsWith('~'));
    return [pattern];
  }
  return t.glob(pattern);
}

export interface RsyslogCollected {
  shipper: Shipper | null;
  confs: RsyslogConf[];
}

async function collectRsyslog(ctx: CollectContext): Promise<RsyslogCollected> {
  const t = ctx.target;
  const s = await baseShipper(t, hostOf(ctx), 'rsyslog', ['rsyslog'], ['/usr/sbin/rsyslogd'], ['rsyslog.service'], ['rsyslogd']);
  if (!s) return { shipper: null, confs: [] };
  const confs: RsyslogConf[] = [];
  const walk = async (path: string, depth: number, optional: boolean): Promise<void> => {
    if (depth > MAX_INCLUDE_DEPTH || s.configFiles.includes(path)) return;
    const r = await readConfig(t, path);
    if (!r.ok) {
      if (!(optional && r.missing)) s.errors.push({ message: r.message, source: { path }, unreadable: true });
      return;
    }
    s.configFiles.push(path);
    const c = parseRsyslogConf(r.text, path);
    confs.push(c);
    for (const e of c.errors) s.errors.push({ message: e.message, source: { path, line: e.line } });
    for (const inc of c.includes) for (const p of await expandIncludes(t, inc.pattern)) await walk(p, depth + 1, inc.optional);
  };
  await walk('/etc/rsyslog.conf', 0, false);
  for (const c of confs) {
    for (const f of c.forwards) {
      const inactive = f.ruleset ? `in ruleset "${f.ruleset}": only inputs bound to that ruleset reach it` : null;
      s.destinations.push(
        toDestination(
          { host: f.host, port: f.port ?? (f.protocol === 'relp' ? 514 : 514), protocol: f.protocol, via: f.via },
          { path: c.path, line: f.line, excerpt: f.text },
          inactive,
        ),
      );
    }
  }
  if (t.live) {
    const r = await t.run(['rsyslogd', '-N1', '-f', '/etc/rsyslog.conf'], { timeoutMs: ctx.commandTimeoutMs });
    if (r.ok) {
      const out = (r.stderr + r.stdout).trim();
      s.validation = {
        ok: r.code === 0,
        detail:
          r.code === 0
            ? 'rsyslogd -N1 accepts the configuration'
            : out
                .split('\n')
                .filter((l) => /error/i.test(l))
                .slice(0, 3)
                .join('; ') || `exit code ${r.code}`,
        source: { command: r.command },
      };
    }
  }
  return { shipper: s, confs };
}

async function collectSyslogNg(t: Target, host: HostServices): Promise<{ shipper: Shipper | null; confs: SyslogNgConf[] }> {
  const s = await baseShipper(
    t,
    host,
    'syslog-ng',
    ['syslog-ng-core', 'syslog-ng'],
    ['/usr/sbin/syslog-ng'],
    ['syslog-ng.service'],
    ['syslog-ng'],
  );
  if (!s) return { shipper: null, confs: [] };
  const confs: SyslogNgConf[] = [];
  const walk = async (path: string, depth: number): Promise<void> => {
    if (depth > MAX_INCLUDE_DEPTH || s.configFiles.includes(path)) return;
    const r = await readConfig(t, path);
    if (!r.ok) {
      s.errors.push({ message: r.message, source: { path }, unreadable: true });
      return;
    }
    s.configFiles.push(path);
    const c = parseSyslogNgConf(r.text, path);
    confs.push(c);
    for (const e of c.errors) s.errors.push({ message: e.message, source: { path, line: e.line } });
    for (const inc of c.includes) {
      if (inc.pattern === 'scl.conf') continue;
      const p = inc.pattern.startsWith('/') ? inc.pattern : posix.join('/etc/syslog-ng', inc.pattern);
      for (const f of await expandIncludes(t, p)) await walk(f, depth + 1);
    }
  };
  await walk('/etc/syslog-ng/syslog-ng.conf', 0);
  const used = new Set(confs.flatMap((c) => c.usedDestinations));
  for (const c of confs) {
    for (const f of c.forwards) {
      s.destinations.push(
        toDestination(
          { host: f.host, port: f.port ?? 514, protocol: f.protocol, via: `${f.driver}() in destination ${f.destination}` },
          { path: c.path, line: f.line, excerpt: f.text },
          used.has(f.destination) ? null : `no log path uses destination ${f.destination}`,
        ),
      );
    }
  }
  return { shipper: s, confs };
}

async function collectJournalUpload(t: Target, host: HostServices): Promise<Shipper | null> {
  const s = await baseShipper(
    t,
    host,
    'journal-upload',
    ['systemd-journal-remote'],
    ['/lib/systemd/systemd-journal-upload', '/usr/lib/systemd/systemd-journal-upload'],
    ['systemd-journal-upload.service'],
    ['systemd-journal'],
  );
  if (!s) return null;
  if (s.running !== null) s.running = (await host.processes())?.some((p) => p.argv[0]?.endsWith('systemd-journal-upload')) ?? null;
  const files = ['/etc/systemd/journal-upload.conf', ...(await systemdDropins(t, 'journal-upload.conf.d'))];
  let last: LogDestination | null = null;
  for (const path of files) {
    const r = await readConfig(t, path);
    if (!r.ok) continue;
    s.configFiles.push(path);
    const p = parseJournalUpload(r.text);
    for (const e of p.errors) s.errors.push({ message: e.message, source: { path, ...(e.line ? { line: e.line } : {}) } });
    const d = p.destinations[0];
    if (d)
      last = toDestination(d, {
        path,
        ...(d.line ? { line: d.line } : {}),
        excerpt: `URL= ${d.protocol ?? 'https'}://${d.host}:${d.port ?? ''}`,
      });
    else if (p.url) last = null;
  }
  if (last) s.destinations.push(last);
  return s;
}

// ---------------------------------------------------------------- journald

/** Drop-ins of a systemd config in the order systemd applies them: by file name; /etc masks /run masks /usr/lib. */
async function systemdDropins(t: Target, dir: string): Promise<string[]> {
  const byName = new Map<string, string>();
  for (const base of ['/etc/systemd', '/run/systemd', '/usr/local/lib/systemd', '/usr/lib/systemd', '/lib/systemd']) {
    for (const p of await t.glob(`${base}/${dir}/*.conf`)) {
      const name = posix.basename(p);
      if (!byName.has(name)) byName.set(name, p);
    }
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
}

async function collectJournald(t: Target, units: UnitStore): Promise<JournaldFacts> {
  const unit = await units.unitFile('systemd-journald.service');
  const main =
    (await firstExisting(t, ['/etc/systemd/journald.conf', '/run/systemd/journald.conf', '/usr/lib/systemd/journald.conf'])) ?? null;
  const files = [...(main ? [main] : []), ...(await systemdDropins(t, 'journald.conf.d'))];
  const dflt = (note: string): Source => ({ note: `systemd-journald default (journald.conf(5)): ${note}` });
  const j: JournaldFacts = {
    present: unit !== null,
    evidence: unit ? { path: unit } : { note: 'no systemd-journald.service unit file' },
    files: [],
    storage: { value: 'auto', source: dflt('Storage=auto') },
    persistentDir: false,
    maxRetentionSec: { value: null, source: dflt('MaxRetentionSec unset (no time limit)') },
    systemMaxUse: { value: null, source: dflt('SystemMaxUse 10% of the file system, at most 4G') },
    systemKeepFree: { value: null, source: dflt('SystemKeepFree 15% of the file system, at most 4G') },
    errors: [],
  };
  const pd = await t.stat('/var/log/journal');
  j.persistentDir = pd.ok && pd.type === 'dir';
  for (const path of files) {
    const r = await readConfig(t, path);
    if (!r.ok) {
      j.errors.push({ message: r.message, source: { path }, unreadable: true });
      continue;
    }
    j.files.push(path);
    const parsed = parseJournaldConf(r.text, path);
    for (const e of parsed.errors) j.errors.push({ message: e.message, source: { path, line: e.line } });
    for (const a of parsed.assignments) {
      const source: Source = { path, line: a.line, excerpt: a.text };
      if (a.key === 'Storage') {
        const v = a.value.toLowerCase();
        if (a.value === '') j.storage = { value: 'auto', source: { ...source, note: 'empty: default auto' } };
        else if (['volatile', 'persistent', 'auto', 'none'].includes(v)) j.storage = { value: v, source };
        else j.errors.push({ message: `Storage=${a.value} is not a valid value (journald ignores it)`, source });
      } else if (a.key === 'MaxRetentionSec') {
        if (a.value === '') j.maxRetentionSec = { value: null, source };
        else {
          const s = parseTimespan(a.value);
          if (s === null) j.errors.push({ message: `MaxRetentionSec=${a.value} is not a time span (journald ignores it)`, source });
          else j.maxRetentionSec = { value: s === 0 || s === Infinity ? null : s, source };
        }
      } else if (a.key === 'SystemMaxUse') j.systemMaxUse = { value: a.value === '' ? null : a.value, source };
      else if (a.key === 'SystemKeepFree') j.systemKeepFree = { value: a.value === '' ? null : a.value, source };
    }
  }
  return j;
}

// ---------------------------------------------------------------- logrotate

interface LrBlockDef {
  patterns: string[];
  state: LrState;
  source: Source;
}

async function collectLogrotate(t: Target): Promise<{ facts: LoggingFacts['logrotate']; blocks: LrBlockDef[] }> {
  const pkg = (await dpkgInstalled(t))?.get('logrotate');
  const bin = pkg ? null : await firstExisting(t, ['/usr/sbin/logrotate']);
  const facts: LoggingFacts['logrotate'] = {
    installed: pkg !== undefined || bin !== null,
    evidence: pkg
      ? { path: DPKG_STATUS, line: pkg.line, excerpt: `logrotate ${pkg.version}` }
      : bin
        ? { path: bin }
        : { note: 'logrotate is not installed' },
    files: [],
    skipped: [],
    errors: [],
  };
  const blocks: LrBlockDef[] = [];
  if (!facts.installed) return { facts, blocks };
  const state = cloneLrState(LOGROTATE_DEFAULTS);
  let taboo = [...DEFAULT_TABOO];
  const walk = async (path: string, depth: number): Promise<void> => {
    if (depth > MAX_INCLUDE_DEPTH) {
      facts.errors.push({ message: 'include nesting too deep', source: { path } });
      return;
    }
    const r = await readConfig(t, path);
    if (!r.ok) {
      facts.errors.push({ message: r.message, source: { path } });
      return;
    }
    facts.files.push(path);
    const parsed = parseLogrotate(r.text, path);
    for (const e of parsed.errors) facts.errors.push({ message: e.message, source: { path, line: e.line } });
    for (const item of parsed.items) {
      if (item.kind === 'block') {
        const b = cloneLrState(state);
        for (const d of item.block.directives) {
          const err = applyLrDirective(b, d, path);
          if (err) facts.errors.push({ message: err, source: { path, line: d.line, excerpt: d.text } });
        }
        blocks.push({
          patterns: item.block.patterns,
          state: b,
          source: { path, line: item.block.line, excerpt: item.block.patterns.join(' ') },
        });
        continue;
      }
      const d = item.directive;
      if (d.name === 'include') {
        const target = d.args[0];
        if (!target) continue;
        const st = await t.stat(target);
        if (!st.ok) {
          facts.errors.push({ message: `include ${target}: ${st.message}`, source: { path, line: d.line } });
          continue;
        }
        if (st.type === 'dir') {
          const l = await t.list(target);
          if (!l.ok) {
            facts.errors.push({ message: l.message, source: { path: target } });
            continue;
          }
          const names = l.entries.map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          for (const name of names) {
            const p = posix.join(target, name);
            const why = tabooMatch(name, taboo);
            if (why) {
              facts.skipped.push({ path: p, reason: `logrotate ignores it (${why} pattern match)` });
              continue;
            }
            const fst = await t.stat(p);
            if (fst.ok && fst.type === 'file') await walk(p, depth + 1);
          }
        } else await walk(target, depth + 1);
      } else if (d.name === 'tabooext') {
        const add = d.args[0] === '+';
        const list = (add ? d.args.slice(1) : d.args)
          .join(' ')
          .split(/[\s,]+/)
          .filter(Boolean);
        taboo = add ? [...taboo, ...list] : list;
      } else {
        const err = applyLrDirective(state, d, path);
        if (err) facts.errors.push({ message: err, source: { path, line: d.line, excerpt: d.text } });
      }
    }
  };
  await walk('/etc/logrotate.conf', 0);
  return { facts, blocks };
}

function patternMatches(pattern: string, path: string): boolean {
  if (!hasWildcard(pattern)) return posix.normalize(pattern) === path;
  const pp = pattern.split('/');
  const fp = path.split('/');
  return pp.length === fp.length && pp.every((c, i) => (hasWildcard(c) ? componentMatcher(c)(fp[i]!) : c === fp[i]));
}

/** The first logrotate block naming the file (logrotate drops later duplicates: "duplicate log entry for …"). */
export function effectiveFor(blocks: readonly LrBlockDef[], path: string): LogrotateEffective | null {
  for (const b of blocks) {
    const pattern = b.patterns.find((p) => patternMatches(p, path));
    if (pattern === undefined) continue;
    const { criterion, rotate, maxage, size, maxsize } = b.state;
    return { block: b.source, pattern, criterion, rotate, maxage, size, maxsize };
  }
  return null;
}

// ---------------------------------------------------------------- monitors and alerts

const AUTH_WATCH = /^\/(?:var\/log\/(?:auth\.log|secure|faillog|lastlog|tallylog|wtmp|btmp)|(?:var\/)?run\/faillock)\/?$/;

async function auditdMonitor(t: Target, units: UnitStore): Promise<MonitorState> {
  const pkg = (await dpkgInstalled(t))?.get('auditd');
  const bin = pkg ? null : await firstExisting(t, ['/sbin/auditd', '/usr/sbin/auditd']);
  if (!pkg && !bin)
    return {
      installed: false,
      watchesAuth: false,
      enabledAtBoot: null,
      evidence: [{ note: 'auditd is not installed' }],
      detail: 'auditd is not installed',
    };
  const unit = await unitEnabled(units, ['auditd.service'], ['auditd']);
  const evidence: Source[] = [];
  const files = [...(await t.glob('/etc/audit/rules.d/*.rules')), '/etc/audit/audit.rules'];
  for (const path of files) {
    const r = await t.readText(path, { maxBytes: MAX_CONFIG });
    if (!r.ok) continue;
    for (const [i, line] of r.text.split('\n').entries()) {
      const w = /^\s*-w\s+(\S+)/.exec(line) ?? /^\s*-a\s+\S+.*-F\s+path=(\S+)/.exec(line);
      if (w && AUTH_WATCH.test(w[1]!)) evidence.push({ path, line: i + 1, excerpt: line.trim() });
    }
  }
  const watches = evidence.length > 0;
  return {
    installed: true,
    watchesAuth: watches,
    enabledAtBoot: unit.enabled,
    evidence: [...evidence, ...unit.evidence],
    detail: watches
      ? `auditd rules watch ${evidence.length} login record file(s)`
      : 'auditd has no rule watching the login records (auth.log, faillog, lastlog, faillock, wtmp/btmp)',
  };
}

const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`, 'g'))];
const lineOfOffset = (text: string, o: number) => text.slice(0, o).split('\n').length;

async function wazuhMonitor(t: Target, units: UnitStore): Promise<{ monitor: MonitorState; alerts: AlertDestination[] }> {
  const pkgs = await dpkgInstalled(t);
  const pkg = ['wazuh-agent', 'wazuh-manager', 'ossec-hids-agent', 'ossec-hids', 'ossec-hids-server']
    .map((p) => pkgs?.get(p))
    .find(Boolean);
  // /var/ossec is 0750 root:wazuh: the package decides; without one, a denied stat is unknown (thrown).
  const bin = pkg
    ? null
    : await firstExisting(t, [
        '/var/ossec/bin/wazuh-agentd',
        '/var/ossec/bin/wazuh-analysisd',
        '/var/ossec/bin/ossec-agentd',
        '/var/ossec/bin/ossec-analysisd',
        '/var/ossec/bin/wazuh-control',
        '/var/ossec/bin/ossec-control',
      ]);
  const none = {
    monitor: {
      installed: false,
      watchesAuth: false,
      enabledAtBoot: null,
      evidence: [{ note: 'no Wazuh/OSSEC (/var/ossec) installed' }],
      detail: 'no Wazuh/OSSEC agent',
    },
    alerts: [],
  };
  if (!pkg && !bin) return none;
  const unit = await unitEnabled(
    units,
    ['wazuh-agent.service', 'wazuh-manager.service', 'ossec.service', 'ossec-hids.service'],
    ['wazuh-agent', 'ossec'],
  );
  const path = '/var/ossec/etc/ossec.conf';
  const r = await t.readText(path, { maxBytes: MAX_CONFIG });
  if (!r.ok)
    return {
      monitor: {
        installed: true,
        watchesAuth: false,
        enabledAtBoot: unit.enabled,
        evidence: [{ path, note: r.message }],
        detail: `ossec.conf cannot be read: ${r.message}`,
      },
      alerts: [],
    };
  const text = r.text.replace(/<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, ' '));
  const evidence: Source[] = [];
  for (const lf of text.matchAll(/<localfile>([\s\S]*?)<\/localfile>/g)) {
    const loc = tag(lf[1]!, 'location')[0]?.[1] ?? '';
    const fmt = tag(lf[1]!, 'log_format')[0]?.[1] ?? '';
    if (/^\/var\/log\/(auth\.log|secure)$/.test(loc) || fmt === 'journald' || loc === 'journald')
      evidence.push({ path, line: lineOfOffset(text, lf.index), excerpt: `localfile ${loc || fmt} (${fmt})` });
  }
  const alerts: AlertDestination[] = [];
  const g = /<global>([\s\S]*?)<\/global>/.exec(text);
  if (g && tag(g[1]!, 'email_notification')[0]?.[1] === 'yes') {
    for (const to of tag(g[1]!, 'email_to'))
      alerts.push({
        via: 'wazuh-email',
        target: to[1]!,
        local: /@localhost$|^root$/.test(to[1]!),
        source: { path, line: lineOfOffset(text, g.index + g[0].indexOf(to[0])), excerpt: '<email_notification>yes</email_notification>' },
      });
  }
  for (const it of text.matchAll(/<integration>([\s\S]*?)<\/integration>/g)) {
    const name = tag(it[1]!, 'name')[0]?.[1] ?? '?';
    const hook = tag(it[1]!, 'hook_url')[0]?.[1];
    const host = hook ? (/^[a-z]+:\/\/(?:[^@/]*@)?([^/:?#]+)/i.exec(hook)?.[1] ?? null) : null;
    alerts.push({
      via: 'wazuh-integration',
      target: host ? `${name} (${host})` : name,
      local: false,
      source: { path, line: lineOfOffset(text, it.index), excerpt: `<integration><name>${name}</name>` },
    });
  }
  return {
    monitor: {
      installed: true,
      watchesAuth: evidence.length > 0,
      enabledAtBoot: unit.enabled,
      evidence: [...evidence, ...unit.evidence],
      detail:
        evidence.length > 0
          ? 'Wazuh/OSSEC reads the authentication log'
          : 'ossec.conf has no <localfile> for /var/log/auth.log, /var/log/secure or journald',
    },
    alerts,
  };
}

async function alertmanagerAlerts(t: Target): Promise<AlertDestination[]> {
  const out: AlertDestination[] = [];
  const { parseDocument, isMap, isSeq, isScalar, LineCounter } = await import('yaml');
  for (const path of ['/etc/prometheus/alertmanager.yml', '/etc/alertmanager/alertmanager.yml']) {
    const r = await t.readText(path, { maxBytes: MAX_CONFIG });
    if (!r.ok) continue;
    const lc = new LineCounter();
    const doc = parseDocument(r.text, { lineCounter: lc, uniqueKeys: false }); // linear (the library's key check is quadratic); errors are not read here;
    const receivers = doc.get('receivers', true);
    if (!isSeq(receivers)) continue;
    for (const rec of receivers.items) {
      if (!isMap(rec)) continue;
      const rawName = rec.get('name');
      const name = typeof rawName === 'string' || typeof rawName === 'number' ? String(rawName) : '?';
      const line = rec.range ? lc.linePos(rec.range[0]).line : null;
      for (const pair of rec.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!key.endsWith('_configs') || !isSeq(pair.value) || pair.value.items.length === 0) continue;
        let target = `${name}: ${key.replace(/_configs$/, '')}`;
        const first = pair.value.items[0];
        const to = isMap(first) ? first.get('to') : null;
        if (key === 'email_configs' && typeof to === 'string') target += ` → ${to}`;
        out.push({
          via: 'alertmanager',
          target,
          local: false,
          source: { path, ...(line ? { line } : {}), excerpt: `receiver ${name} (${key})` },
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- failed logins

async function failedLogins(ctx: CollectContext, authFiles: string[]): Promise<FailedLogins> {
  const t = ctx.target;
  const finish = (scan: AuthLogScan, from: 'journal' | 'file', source: Source, detail: string): FailedLogins => {
    const truncated = scan.buckets.length > MAX_BUCKETS;
    return { state: 'ok', from, source, detail, buckets: truncated ? scan.buckets.slice(-MAX_BUCKETS) : scan.buckets, truncated };
  };
  let journalNote = '';
  if (t.live) {
    const r = await t.run(['journalctl', '-u', 'ssh', '-u', 'sshd', '--since', '24 hours ago', '-o', 'json', '--no-pager'], {
      timeoutMs: ctx.commandTimeoutMs,
      maxBytes: MAX_LOG,
    });
    if (r.ok && r.code === 0) {
      const scan = parseJournalJson(r.stdout);
      if (scan.sshdLines > 0)
        return finish(
          scan,
          'journal',
          { command: r.command },
          `${scan.sshdLines} sshd journal entries read${scan.errors.length ? `; ${scan.errors.join('; ')}` : ''}`,
        );
      journalNote = 'the journal has no ssh/sshd entries in the last 24 h; ';
    } else journalNote = `journalctl: ${r.ok ? `exit code ${r.code}` : r.message}; `;
  } else journalNote = 'offline: the journal is not read; ';
  const candidates = [...new Set([...authFiles, '/var/log/auth.log', '/var/log/secure'])];
  for (const path of candidates) {
    const st = await t.stat(path);
    if (!st.ok || st.type !== 'file') continue;
    const parts: AuthLogScan[] = [];
    const read: string[] = [];
    for (const p of [`${path}.1`, path]) {
      const s = await t.stat(p);
      if (!s.ok || s.type !== 'file') continue;
      const r = await t.readBytes(p, { binaryOk: true, maxBytes: MAX_LOG });
      if (!r.ok) {
        if (p === path)
          return {
            state: 'unavailable',
            from: 'file',
            source: { path },
            detail: `${journalNote}${r.message}`,
            buckets: [],
            truncated: false,
          };
        continue;
      }
      parts.push(parseAuthLog(r.bytes.toString('utf8'), new Date(s.mtimeMs)));
      read.push(p);
    }
    const merged = new Map<string, AuthLogScan['buckets'][number]>();
    for (const b of parts.flatMap((x) => x.buckets)) {
      const k = JSON.stringify([b.hour, b.address, b.user, b.kind]);
      const m = merged.get(k);
      if (m) m.count += b.count;
      else merged.set(k, { ...b });
    }
    const scan: AuthLogScan = {
      buckets: [...merged.values()].sort((a, b) => a.hour.localeCompare(b.hour) || b.count - a.count),
      sshdLines: parts.reduce((n, x) => n + x.sshdLines, 0),
      undated: parts.reduce((n, x) => n + x.undated, 0),
      errors: [],
    };
    return finish(
      scan,
      'file',
      { path },
      `${journalNote}${read.join(' and ')} parsed (${scan.sshdLines} sshd lines${scan.undated ? `, ${scan.undated} without a readable time` : ''})`,
    );
  }
  return {
    state: 'unavailable',
    from: null,
    source: { note: 'no auth log' },
    detail: `${journalNote}no authentication log file (${candidates.join(', ')})`,
    buckets: [],
    truncated: false,
  };
}

// ---------------------------------------------------------------- the collector

function retainedFiles(rs: RsyslogCollected, ng: { confs: SyslogNgConf[] }): Omit<RetainedLogFile, 'logrotate'>[] {
  const out: Omit<RetainedLogFile, 'logrotate'>[] = [];
  const add = (path: string, kind: 'auth' | 'syslog', writtenBy: Source) => {
    if (!out.some((o) => o.path === path && o.kind === kind)) out.push({ path, kind, writtenBy });
  };
  for (const c of rs.confs) {
    for (const f of c.files) {
      if (f.ruleset) continue;
      for (const kind of selectorKinds(f.selector)) add(posix.normalize(f.file), kind, { path: c.path, line: f.line, excerpt: f.text });
    }
  }
  const used = new Set(ng.confs.flatMap((c) => c.usedDestinations));
  for (const c of ng.confs) {
    for (const f of c.files) {
      if (!used.has(f.destination)) continue;
      const base = posix.basename(f.file);
      const kind = base === 'auth.log' || base === 'secure' ? 'auth' : base === 'syslog' || base === 'messages' ? 'syslog' : null;
      if (kind) add(f.file, kind, { path: c.path, line: f.line, excerpt: f.text });
    }
  }
  return out;
}

export async function collectLogging(ctx: CollectContext) {
  const t = ctx.target;
  const host = hostOf(ctx);
  const rs = await collectRsyslog(ctx);
  const ng = await collectSyslogNg(t, host);
  const shippers: Shipper[] = [];
  if (rs.shipper) shippers.push(rs.shipper);
  if (ng.shipper) shippers.push(ng.shipper);
  const ju = await collectJournalUpload(t, host);
  if (ju) shippers.push(ju);
  for (const def of SHIPPERS) {
    const s = await collectGeneric(t, host, def);
    if (s) shippers.push(s);
  }
  const lr = await collectLogrotate(t);
  const logFiles: RetainedLogFile[] = retainedFiles(rs, ng).map((f) => ({ ...f, logrotate: effectiveFor(lr.blocks, f.path) }));
  const journald = await collectJournald(t, host.units);
  const wazuh = await wazuhMonitor(t, host.units);
  const auditd = await auditdMonitor(t, host.units);
  const alerts = [...wazuh.alerts, ...(await alertmanagerAlerts(t))];
  const logins = await failedLogins(
    ctx,
    logFiles.filter((f) => f.kind === 'auth').map((f) => f.path),
  );
  return collected<LoggingFacts>({
    installed: shippers.length > 0 || journald.present,
    shippers,
    logrotate: lr.facts,
    logFiles,
    journald,
    monitors: { wazuh: wazuh.monitor, auditd },
    alerts,
    failedLogins: logins,
  });
}

export const loggingCollector = defineCollector({
  key: 'logging',
  gathers: gathersOfAll(
    {
      files: [
        DPKG_GATHER,
        ...['/etc/systemd/journald.conf', '/run/systemd/journald.conf', '/usr/lib/systemd/journald.conf'].map((path) => ({
          path,
          maxBytes: MAX_CONFIG,
        })),
        ...['/etc/rsyslog.conf', '/etc/syslog-ng/syslog-ng.conf', '/etc/logrotate.conf', '/etc/systemd/journal-upload.conf'],
        '/etc/audit/audit.rules',
        '/var/ossec/etc/ossec.conf',
        '/etc/prometheus/alertmanager.yml',
        '/etc/alertmanager/alertmanager.yml',
        ...SHIPPERS.flatMap((s) => s.configs),
      ],
      paths: [
        ...SHIPPERS.flatMap((s) => s.binaries),
        '/usr/sbin/rsyslogd',
        '/usr/sbin/syslog-ng',
        '/lib/systemd/systemd-journal-upload',
        '/usr/lib/systemd/systemd-journal-upload',
        '/usr/sbin/logrotate',
        '/sbin/auditd',
        '/usr/sbin/auditd',
        ...['wazuh-agentd', 'wazuh-analysisd', 'ossec-agentd', 'ossec-analysisd', 'wazuh-control', 'ossec-control'].map(
          (b) => `/var/ossec/bin/${b}`,
        ),
        '/etc/elastic-agent/fleet.enc',
        '/opt/Elastic/Agent/fleet.enc',
        '/var/log/journal',
        '/var/log/auth.log',
        '/var/log/secure',
      ],
      globs: [
        ...['/etc/systemd', '/run/systemd', '/usr/local/lib/systemd', '/usr/lib/systemd', '/lib/systemd'].flatMap((b) =>
          ['journald.conf.d', 'journal-upload.conf.d'].map((d) => `${b}/${d}/*.conf`),
        ),
        '/etc/rsyslog.d/*.conf',
        '/etc/logrotate.d/*',
        '/etc/audit/rules.d/*.rules',
      ],
    },
    unitGathers('systemd-journald.service'),
  ),
  collect: (ctx) => collectLogging(ctx),
});
