import { bootStateOfAny, type UnitStore } from './host/units.js';
import { hostOf, type HostServices } from './host/index.js';
import { textRecords } from './host/accounts.js';
import { posix } from 'node:path';
import { gunzipSync, constants as zc } from 'node:zlib';
import { absent, collected } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type { AuditdFacts, BootState, FileIntegrityFacts, HidsFacts, IdsFacts } from '../facts/ids.js';
import type { Target } from '../target/types.js';
import { DPKG_STATUS, dpkgInstalled } from './dpkg.js';
import { aideDatabasePath, expandAideMacros, parseAideConf } from './parse/aide.js';
import { auditCoverage, mergeAugenrules, parseAuditctlStatus, parseAuditRules, type AuditRule } from './parse/audit-rules.js';
import { parseOssecConf } from './parse/ossec.js';
import { defineCollector, type CollectContext } from './types.js';
import { exists, PermissionDenied } from './paths.js';
import { DPKG_GATHER, gathersOfAll, unitGathers } from './gathers.js';
import { redactSecrets } from '../util/redact.js';

const MAX_CONF = 4 * 1024 * 1024;

/** Enabled at boot (host/units.ts bootState): a *.wants symlink to one of the units, else (no unit file) SysV start links. */
export async function bootState(units: UnitStore, names: string[], sysv: string[]): Promise<BootState> {
  const any = await bootStateOfAny(units, names, { sysv });
  const evidence: Source[] = any.states.flatMap((s) => s.evidence);
  if (any.sysvLink) evidence.push({ path: any.sysvLink, note: 'SysV start link (no systemd unit file)' });
  else if (any.unitFile && !any.enabled && !any.masked)
    evidence.push({ path: any.unitFile, note: 'unit file present, no enablement symlink in *.wants/' });
  return { unitFile: any.unitFile, enabledAtBoot: any.enabled, masked: any.masked, evidence };
}

async function daemons(
  host: HostServices,
  comms: string[],
): Promise<{ list: { pid: number; comm: string; user: string | null }[] | null; source: Source }> {
  const procs = await host.processes();
  if (!procs) return { list: null, source: { note: 'running processes cannot be seen (offline root, or /proc unreadable)' } };
  const users = new Map(textRecords((await host.accounts()).passwd).map((e) => [e.uid, e.name]));
  const list = procs
    .filter((p) => comms.includes(p.comm) && p.argv.length > 0)
    .map((p) => ({ pid: p.pid, comm: p.comm, user: p.uid === null ? null : (users.get(p.uid) ?? String(p.uid)) }));
  return { list, source: { path: '/proc', note: `processes named ${comms.join(' or ')}` } };
}

async function pkgEvidence(t: Target, names: string[]): Promise<Source[]> {
  const pkgs = await dpkgInstalled(t);
  const out: Source[] = [];
  for (const n of names) {
    const p = pkgs?.get(n);
    if (p) out.push({ path: DPKG_STATUS, line: p.line, excerpt: `${n} ${p.version}` });
  }
  return out;
}

export const OSSEC_CONF = '/var/ossec/etc/ossec.conf';

async function collectHids(t: Target, host: HostServices): Promise<HidsFacts> {
  const installedEvidence = await pkgEvidence(t, ['wazuh-agent', 'ossec-hids-agent', 'ossec-hids']);
  const names = installedEvidence.map((e) => (e.excerpt ?? '').split(' ')[0]);
  let product: HidsFacts['product'] = names.includes('wazuh-agent')
    ? 'wazuh-agent'
    : names.includes('ossec-hids-agent')
      ? 'ossec-hids-agent'
      : names.length > 0
        ? 'ossec'
        : null;
  for (const bin of ['/var/ossec/bin/wazuh-agentd', '/var/ossec/bin/ossec-agentd']) {
    // /var/ossec is 0750 root:wazuh: unprivileged, its binaries cannot be seen. The package decides
    // then; without one, whether an agent is installed cannot be told (PermissionDenied, unknown).
    let present = false;
    try {
      present = await exists(t, bin);
    } catch (e) {
      if (!(e instanceof PermissionDenied) || product === null) throw e;
    }
    if (present) {
      installedEvidence.push({ path: bin });
      product ??= bin.endsWith('wazuh-agentd') ? 'wazuh-agent' : 'ossec';
    }
  }
  const boot = await bootState(
    host.units,
    ['wazuh-agent.service', 'ossec-hids-agent.service', 'ossec.service'],
    ['wazuh-agent', 'ossec-hids-agent', 'ossec'],
  );
  const procs = await daemons(host, ['wazuh-agentd', 'ossec-agentd']);
  const config: HidsFacts['config'] = { path: OSSEC_CONF, state: 'ok', detail: null, managers: [] };
  const r = await t.readText(OSSEC_CONF, { maxBytes: MAX_CONF });
  if (!r.ok) Object.assign(config, { state: r.error === 'missing' ? 'missing' : 'unreadable', detail: r.message });
  else {
    const p = parseOssecConf(r.text, OSSEC_CONF);
    config.managers = p.managers;
    if (p.errors[0])
      Object.assign(config, {
        state: 'invalid',
        detail: `${p.errors[0].message} (line ${p.errors[0].line}): the agent's XML reader refuses the file`,
      });
    else if (p.managers.length === 0 && p.placeholders[0])
      config.detail = `the manager address is still the template placeholder "${p.placeholders[0].address}" (line ${p.placeholders[0].source.line ?? 0})`;
  }
  return { product, installedEvidence, boot, processes: procs.list, processesSource: procs.source, config };
}

export const AUDIT_RULES_DIR = '/etc/audit/rules.d';
export const AUDIT_RULES = '/etc/audit/audit.rules';

async function rulesDirFiles(t: Target, dir: string): Promise<{ name: string; path: string; text: string }[] | null> {
  const l = await t.list(dir);
  if (!l.ok) return null;
  const out: { name: string; path: string; text: string }[] = [];
  for (const e of l.entries) {
    const path = posix.join(dir, e.name);
    const r = await t.readText(path, { maxBytes: MAX_CONF });
    if (r.ok) out.push({ name: e.name, path, text: r.text });
  }
  return out;
}

/** Parses each merged line on its own so every rule keeps the rules.d file and line it came from. */
function parseMerged(lines: { text: string; source: Source | null }[]): {
  rules: AuditRule[];
  errors: { message: string; source: Source }[];
} {
  const rules: AuditRule[] = [];
  const errors: { message: string; source: Source }[] = [];
  for (const l of lines) {
    if (!l.source) continue;
    const p = parseAuditRules(l.text, { path: l.source.path ?? AUDIT_RULES_DIR });
    const fix = (s: Source): Source => ({ ...s, line: l.source?.line ?? 1 });
    errors.push(...p.errors.map((e) => ({ ...e, source: fix(e.source) })));
    // auditctl -R (what augenrules --load runs) stops at the first bad line: later rules are not loaded.
    if (p.errors.length > 0) break;
    rules.push(...p.rules.map((r) => ({ ...r, source: fix(r.source) })));
  }
  return { rules, errors };
}

async function collectAuditd(ctx: CollectContext): Promise<AuditdFacts> {
  const t = ctx.target;
  const installedEvidence = await pkgEvidence(t, ['auditd']);
  for (const bin of ['/sbin/auditd', '/usr/sbin/auditd'])
    if (installedEvidence.length === 0 && (await exists(t, bin))) installedEvidence.push({ path: bin });
  const boot = await bootState(hostOf(ctx).units, ['auditd.service'], ['auditd']);
  const procs = await daemons(hostOf(ctx), ['auditd']);
  const files = await rulesDirFiles(t, AUDIT_RULES_DIR);
  const main = await t.readText(AUDIT_RULES, { maxBytes: MAX_CONF });
  let from: AuditdFacts['files']['from'] = 'none';
  let parsed: { rules: AuditRule[]; errors: { message: string; source: Source }[] } = { rules: [], errors: [] };
  let stale: boolean | null = null;
  let rulesFiles: string[] = [];
  if (files) {
    const merged = mergeAugenrules(files, AUDIT_RULES_DIR);
    rulesFiles = files.filter((f) => /\.rules$/.test(f.name) && !f.name.startsWith('.')).map((f) => f.path);
    from = 'rules.d';
    parsed = parseMerged(merged.lines);
    stale = main.ok ? main.text !== merged.text : true;
  } else if (main.ok) {
    from = 'audit.rules';
    parsed = parseAuditRules(main.text, { path: AUDIT_RULES });
  }
  const kernel: AuditdFacts['kernel'] = {
    state: 'offline',
    detail: 'offline root: the kernel audit state needs a live host',
    enabled: null,
    coverage: null,
    ruleCount: null,
    source: { note: 'offline' },
  };
  if (t.live) {
    const s = await t.run(['auditctl', '-s'], { timeoutMs: ctx.commandTimeoutMs });
    if (!s.ok || s.code !== 0) {
      const why = s.ok ? (s.stderr.trim() || s.stdout.trim() || `exit code ${s.code}`).slice(0, 200) : s.message;
      Object.assign(kernel, {
        state: 'unavailable',
        detail: `the kernel audit state cannot be read: ${why}`,
        source: { command: s.command },
      });
    } else {
      const l = await t.run(['auditctl', '-l'], { timeoutMs: ctx.commandTimeoutMs, maxBytes: 16 * 1024 * 1024 });
      const enabled = parseAuditctlStatus(s.stdout).enabled;
      if (!l.ok || l.code !== 0) {
        const why = l.ok ? (l.stderr.trim() || `exit code ${l.code}`).slice(0, 200) : l.message;
        Object.assign(kernel, {
          state: 'unavailable',
          detail: `the loaded rules cannot be listed: ${why}`,
          enabled,
          source: { command: l.command },
        });
      } else {
        const p = parseAuditRules(l.stdout, { command: l.command });
        Object.assign(kernel, {
          state: 'ok',
          detail: `enabled ${enabled ?? '?'}, ${p.rules.length} rule(s) loaded`,
          enabled,
          coverage: auditCoverage(p.rules),
          ruleCount: p.rules.length,
          source: { command: `${s.command}; ${l.command}` },
        });
      }
    }
  }
  return {
    installed: installedEvidence.length > 0,
    installedEvidence,
    boot,
    processes: procs.list,
    processesSource: procs.source,
    files: {
      from,
      rulesDir: AUDIT_RULES_DIR,
      rulesFiles,
      auditRulesStale: stale,
      errors: parsed.errors,
      coverage: auditCoverage(parsed.rules),
      ruleCount: parsed.rules.filter((r) => r.kind !== 'control').length,
    },
    kernel,
  };
}

export const AIDE_CONF = '/etc/aide/aide.conf';
const MAX_DB_HEADER_READ = 64 * 1024 * 1024;

/** database_in as AIDE resolves it: macros, conditionals, includes (file, or directory + regex). */
async function aideDatabaseIn(t: Target, conf: string): Promise<{ url: string | null; source: Source; notes: string[]; denied: string[] }> {
  const defines: Record<string, string> = {};
  const hostname = await t.readText('/etc/hostname', { maxBytes: 4096 });
  const host = hostname.ok ? hostname.text.trim() : '';
  let found: { url: string; source: Source } | null = null;
  const notes: string[] = [];
  const denied: string[] = [];
  const seen = new Set<string>();
  const walk = async (path: string, depth: number): Promise<void> => {
    if (depth > 16 || seen.has(path)) return;
    seen.add(path);
    const r = await t.readText(path, { maxBytes: MAX_CONF });
    if (!r.ok) {
      notes.push(r.message);
      if (r.error === 'denied') denied.push(r.message);
      return;
    }
    const active: boolean[] = [];
    const on = () => active.every(Boolean);
    for (const d of parseAideConf(r.text).directives) {
      if (d.kind === 'if')
        active.push(
          d.test === 'ifdef'
            ? d.name in defines
            : d.test === 'ifndef'
              ? !(d.name in defines)
              : d.test === 'ifhost'
                ? d.name === host
                : d.name !== host,
        );
      else if (d.kind === 'else') active.push(!(active.pop() ?? true));
      else if (d.kind === 'endif') active.pop();
      else if (!on()) continue;
      else if (d.kind === 'define') defines[d.name] = expandAideMacros(d.value, defines);
      else if (d.kind === 'undef') delete defines[d.name];
      else if (d.kind === 'option' && (d.name === 'database_in' || d.name === 'database'))
        found = { url: expandAideMacros(d.value, defines), source: { path, line: d.line, excerpt: redactSecrets(`${d.name}=${d.value}`) } };
      else if (d.kind === 'include') {
        const target = expandAideMacros(d.path, defines);
        if (d.regex === null) await walk(target, depth + 1);
        else {
          const l = await t.list(target);
          if (!l.ok && l.error === 'denied') denied.push(l.message);
          let re: RegExp | null = null;
          try {
            re = new RegExp(d.regex);
          } catch {
            notes.push(`${path}:${d.line}: bad include regex`);
          }
          for (const e of l.ok && re ? [...l.entries].sort((a, b) => (a.name < b.name ? -1 : 1)) : []) {
            if (!re?.test(e.name)) continue;
            const p = posix.join(target, e.name);
            const st = await t.stat(p);
            if (!st.ok || st.type !== 'file') continue;
            if (d.x && st.mode & 0o111) notes.push(`${p} is executable: aide runs it and reads its output, which is not evaluated here`);
            else await walk(p, depth + 1);
          }
        }
      }
    }
  };
  await walk(conf, 0);
  const f = found as { url: string; source: Source } | null;
  return f ? { ...f, notes, denied } : { url: null, source: { path: conf, note: 'no database_in in the configuration' }, notes, denied };
}

function isAideDatabase(bytes: Buffer): boolean {
  let text: string;
  try {
    text =
      bytes[0] === 0x1f && bytes[1] === 0x8b
        ? gunzipSync(bytes.subarray(0, 64 * 1024), { finishFlush: zc.Z_SYNC_FLUSH }).toString('latin1')
        : bytes.subarray(0, 64 * 1024).toString('latin1');
  } catch {
    return false;
  }
  return /^(#[^\n]*\n)*@@begin_db/.test(text);
}

async function cronInstalled(t: Target): Promise<string | null> {
  for (const p of ['/usr/sbin/cron', '/usr/sbin/anacron', '/usr/sbin/crond']) if (await exists(t, p)) return p;
  return null;
}

/** Whether the host boots systemd: live, /run/systemd/system (what the cron script tests); offline, /sbin/init is systemd. */
async function systemdInit(t: Target): Promise<boolean> {
  if (t.live) return exists(t, '/run/systemd/system');
  const [init, sd] = [await t.stat('/sbin/init'), await t.stat('/lib/systemd/systemd')];
  return init.ok && sd.ok && init.ino === sd.ino && init.dev === sd.dev;
}

async function cronEntries(t: Target, pattern: RegExp, cron: string | null): Promise<FileIntegrityFacts['schedule']['entries']> {
  const out: FileIntegrityFacts['schedule']['entries'] = [];
  const files = ['/etc/crontab', ...(await t.glob('/etc/cron.d/*')), ...(await t.glob('/var/spool/cron/crontabs/*'))];
  for (const p of files) {
    const r = await t.readText(p, { maxBytes: MAX_CONF });
    if (!r.ok) continue;
    r.text.split('\n').forEach((line, i) => {
      const s = line.trim();
      if (!s || s.startsWith('#') || /^\w+\s*=/.test(s) || !pattern.test(s)) return;
      out.push({
        kind: 'crontab',
        active: cron !== null,
        detail: cron ? `cron entry (${cron} installed)` : 'cron entry, but no cron daemon is installed',
        source: { path: p, line: i + 1, excerpt: redactSecrets(s).slice(0, 200) },
      });
    });
  }
  return out;
}

async function collectFileIntegrity(t: Target, units: UnitStore): Promise<FileIntegrityFacts> {
  const aideEv = await pkgEvidence(t, ['aide', 'aide-common']);
  if (aideEv.length === 0 && (await exists(t, '/usr/bin/aide'))) aideEv.push({ path: '/usr/bin/aide' });
  const twEv = await pkgEvidence(t, ['tripwire']);
  if (twEv.length === 0 && (await exists(t, '/usr/sbin/tripwire'))) twEv.push({ path: '/usr/sbin/tripwire' });
  const tool: FileIntegrityFacts['tool'] = aideEv.length > 0 ? 'aide' : twEv.length > 0 ? 'tripwire' : null;
  const cron = await cronInstalled(t);
  const sd = await systemdInit(t);
  const facts: FileIntegrityFacts = {
    tool,
    installedEvidence: tool === 'tripwire' ? twEv : aideEv,
    config: { path: tool === 'tripwire' ? '/etc/tripwire/twcfg.txt' : AIDE_CONF, state: 'missing', detail: null },
    database: { path: null, source: { note: 'not determined' }, exists: false, size: null, mtime: null, detail: 'no database' },
    schedule: { entries: [] },
  };
  if (tool === null) return facts;
  const entries = facts.schedule.entries;
  const checkCronDaily = async (p: string, what: string) => {
    const st = await t.stat(p);
    if (!st.ok) return;
    const exec = (st.mode & 0o111) !== 0;
    const active = exec && cron !== null && !(sd && what === 'aide');
    const why = !exec
      ? 'not executable: run-parts skips it'
      : cron === null
        ? 'no cron daemon (cron/anacron) is installed'
        : sd && what === 'aide'
          ? 'the script exits when systemd runs (dailyaidecheck.timer does the check there)'
          : `run daily by ${cron}`;
    entries.push({ kind: 'cron.daily', active, detail: why, source: { path: p } });
  };
  if (tool === 'aide') {
    const db = await aideDatabaseIn(t, AIDE_CONF);
    const conf = await t.stat(AIDE_CONF);
    // A file of the configuration that cannot be read may hold database_in: the configuration is unreadable, not "sets none".
    const state = conf.ok ? (db.denied.length > 0 ? 'unreadable' : 'ok') : conf.error === 'missing' ? 'missing' : 'unreadable';
    facts.config = { path: AIDE_CONF, state, detail: db.denied[0] ?? db.notes[0] ?? (conf.ok ? null : conf.message) };
    const path = db.url === null ? null : aideDatabasePath(db.url);
    facts.database = {
      ...facts.database,
      path,
      source: db.source,
      detail: db.url === null ? 'aide.conf sets no database_in' : path === null ? `database_in "${db.url}" is not a file` : 'missing',
    };
    const timer = await bootState(units, ['dailyaidecheck.timer'], []);
    if (timer.unitFile)
      entries.push({
        kind: 'systemd-timer',
        active: timer.enabledAtBoot,
        detail: timer.enabledAtBoot
          ? 'dailyaidecheck.timer is enabled'
          : timer.masked
            ? 'dailyaidecheck.timer is masked'
            : 'dailyaidecheck.timer is not enabled',
        source: timer.evidence[0] ?? { path: timer.unitFile },
      });
    await checkCronDaily('/etc/cron.daily/aide', 'aide');
    entries.push(
      ...(await cronEntries(
        t,
        /\b(aide|aide\.wrapper|dailyaidecheck)\b.*(--check|-C\b|--update|-u\b|dailyaidecheck)|dailyaidecheck/,
        cron,
      )),
    );
  } else {
    const host = await t.readText('/etc/hostname', { maxBytes: 4096 });
    const dbs = await t.glob('/var/lib/tripwire/*.twd');
    const path = dbs[0] ?? `/var/lib/tripwire/${host.ok ? host.text.trim() : 'HOSTNAME'}.twd`;
    const cfg = await t.stat('/etc/tripwire/tw.cfg');
    facts.config = {
      path: '/etc/tripwire/tw.cfg',
      state: cfg.ok ? 'ok' : cfg.error === 'missing' ? 'missing' : 'unreadable',
      detail: cfg.ok ? null : cfg.message,
    };
    facts.database = {
      ...facts.database,
      path,
      source: { path: '/etc/tripwire/twcfg.txt', note: 'DBFILE default /var/lib/tripwire/$(HOSTNAME).twd' },
      detail: 'missing',
    };
    await checkCronDaily('/etc/cron.daily/tripwire', 'tripwire');
    entries.push(...(await cronEntries(t, /\btripwire\b.*(--check|-m\s*c)/, cron)));
  }
  const dbPath = facts.database.path;
  if (dbPath) {
    const st = await t.stat(dbPath);
    if (st.ok && st.type === 'file') {
      facts.database = { ...facts.database, exists: true, size: st.size, mtime: new Date(st.mtimeMs).toISOString() };
      if (st.size === 0) facts.database.detail = 'empty file';
      else if (tool === 'tripwire') facts.database.detail = 'present';
      else if (st.size > MAX_DB_HEADER_READ) facts.database.detail = `present (${st.size} bytes; too large to read its header)`;
      else {
        const b = await t.readBytes(dbPath, { binaryOk: true, maxBytes: MAX_DB_HEADER_READ });
        facts.database.detail = !b.ok
          ? `present, unreadable: ${b.message}`
          : isAideDatabase(b.bytes)
            ? 'an AIDE database (@@begin_db)'
            : 'not an AIDE database (no @@begin_db header)';
        if (b.ok && !isAideDatabase(b.bytes)) facts.database.exists = false;
      }
    } else if (st.ok) facts.database.detail = `${dbPath} is not a regular file`;
    else if (st.error === 'denied')
      facts.database = { ...facts.database, exists: null, detail: `${st.message}: whether the database exists cannot be told` };
    else if (st.error !== 'missing') facts.database.detail = st.message;
  }
  return facts;
}

export async function collectIds(ctx: CollectContext) {
  const t = ctx.target;
  const [hids, auditd, fileIntegrity] = [
    await collectHids(t, hostOf(ctx)),
    await collectAuditd(ctx),
    await collectFileIntegrity(t, hostOf(ctx).units),
  ];
  if (!hids.product && !auditd.installed && !fileIntegrity.tool && (await dpkgInstalled(t)) === null && !(await exists(t, '/etc'))) {
    return absent<IdsFacts>('no file system to audit (no /etc, no dpkg status)');
  }
  return collected<IdsFacts>({ hids, auditd, fileIntegrity });
}

export const idsCollector = defineCollector({
  key: 'ids',
  gathers: gathersOfAll(
    {
      files: [
        DPKG_GATHER,
        OSSEC_CONF,
        AUDIT_RULES,
        AIDE_CONF,
        '/etc/crontab',
        '/etc/tripwire/twcfg.txt',
        { path: '/etc/passwd', maxBytes: MAX_CONF },
        { path: '/etc/hostname', maxBytes: 4096 },
      ],
      paths: [
        '/var/ossec/bin/wazuh-agentd',
        '/var/ossec/bin/ossec-agentd',
        '/sbin/auditd',
        '/usr/sbin/auditd',
        '/usr/bin/aide',
        '/usr/sbin/tripwire',
        '/usr/sbin/cron',
        '/usr/sbin/anacron',
        '/usr/sbin/crond',
        '/sbin/init',
        '/lib/systemd/systemd',
        '/run/systemd/system',
        '/etc/tripwire/tw.cfg',
        '/etc/cron.daily/aide',
        '/etc/cron.daily/tripwire',
        '/etc',
      ],
      globs: [
        ...['wazuh-agent', 'ossec-hids-agent', 'ossec', 'auditd'].map((n) => ({ pattern: `/etc/rc[2345].d/S*${n}`, read: false })),
        '/etc/cron.d/*',
        '/var/spool/cron/crontabs/*',
        { pattern: '/var/lib/tripwire/*.twd', read: false },
      ],
      dirs: [AUDIT_RULES_DIR],
    },
    unitGathers('wazuh-agent.service', 'ossec-hids-agent.service', 'ossec.service', 'auditd.service'),
  ),
  collect: (ctx) => collectIds(ctx),
});
