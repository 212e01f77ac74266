import { posix } from 'node:path';
import { absent, collected } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type { F2bConfigState, F2bLogFile, F2bSshdJail, Fail2banFacts } from '../facts/fail2ban.js';
import type { Target } from '../target/types.js';
import { getOption, mergeIniFiles, type MergedConfig } from './parse/fail2ban-config.js';
import { parseFail2banIni, type IniFile, type IniOption } from './parse/fail2ban-ini.js';
import { parseFail2banDump, parseJailStatus, type DumpJail } from './parse/fail2ban-dump.js';
import {
  extractOptions,
  INT_OPTIONS,
  JAIL_OPTIONS,
  JAIL_OPTIONS_1ST,
  logpathGlob,
  resolveJail,
  splitWithOptions,
} from './parse/fail2ban-jail.js';
import { parsePortSpec, parseServices } from './parse/fail2ban-ports.js';
import { str2seconds } from './parse/fail2ban-time.js';
import { DPKG_STATUS, dpkgInstalled } from './dpkg.js';
import { firstExisting } from './paths.js';
import { hostOf } from './host/index.js';
import { enablingLinks, type UnitStore } from './host/units.js';
import { parseActionLine } from './parse/fail2ban-jail.js';
import { isLoopbackHost } from './parse/shippers-endpoint.js';
import { defineCollector, type CollectContext } from './types.js';
import { DPKG_GATHER, gathersOfAll, unitGathers } from './gathers.js';

export const CONF_DIR = '/etc/fail2ban';
const DEFAULT_SOCKET = '/var/run/fail2ban/fail2ban.sock';
const FAIL2BAN_VERSION = '1.0.2';

/** fail2ban reads its config files in this order (client/configreader.py ConfigReaderUnshared.read). */
export async function configFileOrder(t: Target, base: string): Promise<string[]> {
  const candidates = [`${base}.conf`, ...(await t.glob(`${base}.d/*.conf`)), `${base}.local`, ...(await t.glob(`${base}.d/*.local`))];
  const out: string[] = [];
  // os.path.exists: follows symlinks, so a dangling link is not read.
  for (const p of candidates) if ((await t.stat(p)).ok) out.push(p);
  return out;
}

export type LoadedFile =
  | { state: 'ok'; file: IniFile }
  /** fail2ban itself skips it (missing, a directory, not UTF-8). */
  | { state: 'skipped'; path: string; reason: string }
  /** We cannot read it although fail2ban (root) may: the result is not known. */
  | { state: 'unreadable'; path: string; reason: string };

export interface LoadResult {
  /** Files merged, in order, includes expanded. */
  files: IniFile[];
  skipped: { path: string; reason: string }[];
  unreadable: { path: string; reason: string }[];
}

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Loads config files the way SafeConfigParserWithIncludes.read does: every name gets its .local
 * (unless already listed), and each file's [INCLUDES] before/after are read around it (relative to
 * its directory, recursively; a file already on the include chain is not included again).
 */
/** [INCLUDES] before/after files read in all (each inclusion counts). */
const MAX_INCLUDE_READS = 4096;

export class Fail2banConfigLoader {
  private cache = new Map<string, LoadedFile>();
  readonly skipped: { path: string; reason: string }[] = [];
  readonly unreadable: { path: string; reason: string }[] = [];

  constructor(private readonly t: Target) {}

  async load(path: string): Promise<LoadedFile> {
    const hit = this.cache.get(path);
    if (hit) return hit;
    let res: LoadedFile;
    const r = await this.t.readBytes(path, { binaryOk: true, maxBytes: MAX_CONFIG_BYTES });
    if (!r.ok) {
      if (r.error === 'missing') res = { state: 'skipped', path, reason: 'does not exist' };
      else if (r.error === 'not-file' || r.error === 'not-dir') res = { state: 'skipped', path, reason: r.message };
      else res = { state: 'unreadable', path, reason: r.message };
    } else {
      let text: string | null = null;
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(r.bytes);
      } catch {
        text = null;
      }
      res =
        text === null
          ? { state: 'skipped', path, reason: 'is not valid UTF-8: fail2ban logs "Error decoding config file" and ignores it' }
          : { state: 'ok', file: parseFail2banIni(text, path) };
    }
    if (res.state === 'skipped' && res.reason !== 'does not exist') this.skipped.push({ path, reason: res.reason });
    if (res.state === 'unreadable') this.unreadable.push({ path, reason: res.reason });
    this.cache.set(path, res);
    return res;
  }

  private async isFile(p: string): Promise<boolean> {
    const s = await this.t.stat(p);
    return s.ok && s.type === 'file';
  }

  private async expandWithLocal(names: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const n of names) {
      out.push(n);
      const ext = posix.extname(n);
      const local = (ext ? n.slice(0, -ext.length) : n) + '.local';
      if (!names.includes(local) && (await this.isFile(local))) out.push(local);
    }
    return out;
  }

  private includeReads = 0;

  private async includesOf(resource: string, seen: string[]): Promise<string[]> {
    // The include chain is compared by path: through a directory link (`l -> .`) every level is a
    // new path, and each file's before/after fan out again. A budget bounds it; past it the
    // configuration is unreadable (the checks answer unknown naming the include), never guessed.
    if (++this.includeReads > MAX_INCLUDE_READS) {
      if (this.includeReads === MAX_INCLUDE_READS + 1)
        this.unreadable.push({
          path: resource,
          reason: `more than ${MAX_INCLUDE_READS} [INCLUDES] reads (an include loop through a directory link?): not read further`,
        });
      return [];
    }
    const l = await this.load(resource);
    if (l.state !== 'ok') return [];
    const dir = posix.dirname(resource);
    const inc = l.file.sections.find((s) => s.name === 'INCLUDES');
    const lists: Record<'before' | 'after', string[]> = { before: [], after: [] };
    for (const key of ['before', 'after'] as const) {
      const opt = inc?.options[key];
      if (!opt) continue;
      for (const entry of opt.value.split('\n')) {
        if (!entry) continue;
        const r = entry.startsWith('/') ? entry : posix.join(dir, entry);
        if (seen.includes(r)) continue;
        lists[key].push(...(await this.includes([r], [...seen, resource])));
      }
    }
    return [...lists.before, resource, ...lists.after];
  }

  async includes(names: string[], seen: string[] = []): Promise<string[]> {
    const out: string[] = [];
    for (const n of await this.expandWithLocal(names)) out.push(...(await this.includesOf(n, seen)));
    return out;
  }

  /** Reads `<confDir>/<base>` (jail, fail2ban) with everything it includes. */
  async read(confDir: string, base: string): Promise<LoadResult> {
    const order = await configFileOrder(this.t, posix.join(confDir, base));
    const names = await this.includes(order);
    const files: IniFile[] = [];
    for (const n of names) {
      const l = await this.load(n);
      if (l.state === 'ok') files.push(l.file);
    }
    return { files, skipped: this.skipped, unreadable: this.unreadable };
  }
}

const BINARIES = ['/usr/bin/fail2ban-client', '/usr/bin/fail2ban-server'];
const SSHD_LINE = /\bsshd(?:-session)?(?:\[\d+\])?:/g;
const MAX_LOG_SCAN = 32 * 1024 * 1024;
const PYTHON_SYSTEMD = '/usr/lib/python3/dist-packages/systemd/journal.py';

async function serviceState(units: UnitStore): Promise<Fail2banFacts['service']> {
  const boot = await units.bootState('fail2ban.service', { sysv: ['fail2ban'] });
  const evidence: Source[] = [...boot.evidence];
  if (boot.unitFile && enablingLinks(boot).length === 0)
    evidence.push({ path: boot.unitFile, note: 'unit file present, no enablement symlink in /etc/systemd/system/*.wants/' });
  return { unitFile: boot.unitFile, enabledAtBoot: boot.enabled, masked: boot.mask !== null, evidence };
}

/** fail2ban's systemd backend imports python3-systemd (fail2ban/server/filtersystemd.py). */
async function pythonSystemd(t: Target): Promise<Fail2banFacts['pythonSystemd']> {
  const py = await firstExisting(t, [PYTHON_SYSTEMD]);
  return {
    present: py !== null,
    source: py ? { path: py } : { note: `python3-systemd is not installed (${PYTHON_SYSTEMD} missing)` },
  };
}

const MAIL_ACTION = /^(?:sendmail|mail|smtp)(?:[-.]|$)/;
const WEBHOOK_ACTION = /(?:apprise|webhook|slack|discord|telegram|mattermost|teams|ntfy|gotify|pushover|matrix)/i;

/** Where the sshd jail's actions send alerts: the interpolated `action` (e.g. %(action_mwl)s → sendmail-whois-lines[dest=…]). */
async function sshdAlerts(t: Target, confDir: string, files: IniFile[]): Promise<Fail2banFacts['sshdAlerts']> {
  const cfg = mergeIniFiles(files);
  const action = getOption(cfg, 'sshd', 'action');
  const alerts: Fail2banFacts['sshdAlerts'] = [];
  if (!action?.ok) return alerts;
  const src: Source = {
    path: action.source.path,
    line: action.source.line,
    excerpt: `action = ${action.source.value.split('\n')[0] ?? ''}`,
  };
  const destemail = getOption(cfg, 'sshd', 'destemail');
  for (const l of action.value.split('\n')) {
    const a = parseActionLine(l);
    if (!a) continue;
    if (MAIL_ACTION.test(a.name)) {
      const to = a.params.dest ?? (destemail?.ok ? destemail.value : 'root@localhost');
      alerts.push({
        via: 'fail2ban-mail',
        target: `${a.name} → ${to}`,
        local: /@(?:localhost|127\.0\.0\.1)$|^root$/.test(to),
        source: src,
      });
    } else if (WEBHOOK_ACTION.test(a.name)) alerts.push({ via: 'fail2ban-webhook', target: a.name, local: false, source: src });
    else {
      const def = await firstExisting(t, [`${confDir}/action.d/${a.name}.local`, `${confDir}/action.d/${a.name}.conf`]);
      const txt = def ? await t.readText(def, { maxBytes: 256 * 1024 }) : null;
      const ban = txt?.ok ? (/^actionban\s*=([\s\S]*?)(?=^\S|$(?![\s\S]))/m.exec(txt.text)?.[1] ?? '') : '';
      const url = /\b(?:curl|wget)\b[^\n]*?https?:\/\/(?:[^@/\s]*@)?([^/:\s"']+)/.exec(ban);
      if (url)
        alerts.push({
          via: 'fail2ban-webhook',
          target: `${a.name} → ${url[1]!}`,
          local: isLoopbackHost(url[1]!),
          source: { path: def!, note: 'actionban calls a URL' },
        });
    }
  }
  return alerts;
}

async function scanLogs(t: Target, entries: string[]): Promise<F2bLogFile[]> {
  const out: F2bLogFile[] = [];
  for (const entry of entries) {
    const pattern = logpathGlob(entry);
    const matches: F2bLogFile['matches'] = [];
    for (const p of pattern.startsWith('/') ? await t.glob(pattern) : []) {
      const st = await t.stat(p);
      if (!st.ok) {
        matches.push({ path: p, size: 0, sshdLines: null, error: st.message });
        continue;
      }
      if (st.type !== 'file') {
        matches.push({ path: p, size: st.size, sshdLines: null, error: `${JSON.stringify(p)} is not a regular file` });
        continue;
      }
      const r = await t.readBytes(p, { binaryOk: true, maxBytes: MAX_LOG_SCAN });
      if (!r.ok) matches.push({ path: p, size: st.size, sshdLines: null, error: r.message });
      else matches.push({ path: p, size: st.size, sshdLines: (r.bytes.toString('latin1').match(SSHD_LINE) ?? []).length, error: null });
    }
    out.push({ pattern, matches });
  }
  return out;
}

export interface StartModel {
  /** fail2ban-client refuses the configuration as a whole ("Failed during configuration"). */
  invalid: { reason: string; source: Source } | null;
  /** The configuration reads, but the start exits 255 (no log file, or fail2ban-server says NOK). */
  blockers: Fail2banFacts['startBlockers'];
  /** Enabled jails fail2ban skips ("Jail 'X' skipped, because of wrong configuration"). */
  skipped: Record<string, { reason: string; source: Source }>;
}

const BACKEND_RE = /^(auto|polling|pyinotify|gamin|systemd)(\[.*\])?$/;
const srcOf = (o: { path: string; line: number; value: string }): Source => ({
  path: o.path,
  line: o.line,
  excerpt: o.value.split('\n')[0] ?? '',
});

/** The [Init] port of an action file (action.d/NAME.conf, its includes, .local): what it bans when the jail passes no port= to it. */
async function actionInitPort(t: Target, confDir: string, name: string): Promise<IniOption | null> {
  if (name.includes('/') || name.endsWith('.py')) return null;
  const r = await new Fail2banConfigLoader(t).read(confDir, `action.d/${name}`);
  const cfg = mergeIniFiles(r.files);
  const p = getOption(cfg, 'Init', 'port');
  return p?.ok ? { ...p.source, value: p.value } : null;
}

// Python codec names and their usual aliases (codecs.lookup normalises case, '-', '_' and spaces).
const ENCODINGS = new Set([
  'auto',
  'utf8',
  'utf',
  'u8',
  'utf16',
  'utf32',
  'utf8sig',
  'latin1',
  'latin',
  'l1',
  'iso88591',
  'ascii',
  'usascii',
  'cp1252',
  'windows1252',
  'cp1250',
  'cp1251',
  'cp437',
  'cp850',
  'koi8r',
  'koi8u',
  'eucjp',
  'shiftjis',
  'sjis',
  'gbk',
  'gb2312',
  'gb18030',
  'big5',
  'macroman',
  ...Array.from({ length: 16 }, (_, i) => `iso8859${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `cp125${i}`),
  ...Array.from({ length: 10 }, (_, i) => `latin${i + 1}`),
]);
function isKnownEncoding(v: string): boolean {
  return ENCODINGS.has(v.toLowerCase().replace(/[-_\s]/g, ''));
}

async function hasConfig(t: Target, confDir: string, rel: string): Promise<boolean> {
  return (await configFileOrder(t, posix.join(confDir, rel))).length > 0;
}

/**
 * "Would it start?" for every jail, as fail2ban 1.0.2 does it (client/jailsreader.py,
 * jailreader.py, then the server): every jail's enabled/backend/filter are interpolated, an
 * enabled jail's other options too (an interpolation error anywhere there stops the whole
 * configuration); an enabled jail whose filter or action cannot be read is skipped, and when no
 * enabled jail is left the configuration fails; an enabled file-backend jail without a log file
 * stops the start; a value fail2ban-server refuses (maxretry not an integer, a time it cannot
 * evaluate, an unknown backend, the systemd backend without python3-systemd) makes it exit 255.
 * Verified against the real fail2ban 1.0.2 (test/fail2ban/agree.test.ts).
 */
async function startModel(
  t: Target,
  confDir: string,
  cfg: MergedConfig,
  services: Record<string, number>,
  pythonSystemd: boolean,
): Promise<StartModel> {
  const model: StartModel = { invalid: null, blockers: [], skipped: {} };
  let okJails = 0;
  let badJails = 0;
  for (const name of Object.keys(cfg.sectionLines)) {
    if (name === 'INCLUDES' || name.startsWith('KNOWN/') || !cfg.sections[name]) continue;
    const sec = cfg.sectionLines[name]!;
    const secSrc: Source = { path: sec.path, line: sec.line, excerpt: `[${name}]` };
    const interp = (opt: string) => {
      const r = getOption(cfg, name, opt);
      if (r && !r.ok && !model.invalid)
        model.invalid = {
          reason: `${r.error}: fail2ban-client fails ("Failed during configuration: Bad value substitution") and nothing starts`,
          source: r.source ? srcOf(r.source) : secSrc,
        };
      return r?.ok ? r : null;
    };
    const first = JAIL_OPTIONS_1ST.map((o) => interp(o));
    if (model.invalid) return model;
    const enabled = ['1', 'on', 'true', 'yes'].includes((first[0]?.value ?? 'false').toLowerCase());
    if (!enabled) continue;
    const skip = (reason: string, source: Source) => {
      model.skipped[name] = { reason, source };
      badJails++;
    };
    const flt = first[2];
    if (flt && flt.value) {
      const e = extractOptions(flt.value);
      if (!e.ok) {
        skip(`invalid filter definition ${JSON.stringify(flt.value)}: ${e.error}`, srcOf(flt.source));
        continue;
      }
      if (!(await hasConfig(t, confDir, `filter.d/${e.name}`))) {
        skip(`unable to read the filter ${JSON.stringify(e.name)} (no ${confDir}/filter.d/${e.name}.conf or .local)`, srcOf(flt.source));
        continue;
      }
    }
    const all = new Map(JAIL_OPTIONS.map((o) => [o, interp(o)] as const));
    if (model.invalid) return model;
    const action = all.get('action');
    let actionError: { reason: string; source: Source } | null = null;
    for (const act of splitWithOptions(action?.value ?? '')) {
      const a = act.trim();
      if (!a) continue;
      const e = extractOptions(a);
      if (!e.ok) actionError = { reason: `invalid action definition ${JSON.stringify(a)}: ${e.error}`, source: srcOf(action!.source) };
      else if (!e.name.endsWith('.py') && !(await hasConfig(t, confDir, `action.d/${e.name}`)))
        actionError = {
          reason: `unable to read the action ${JSON.stringify(e.name)} (no ${confDir}/action.d/${e.name}.conf or .local)`,
          source: srcOf(action!.source),
        };
      if (actionError) break;
    }
    if (actionError) {
      skip(actionError.reason, actionError.source);
      continue;
    }
    okJails++;
    const backend = all.get('backend')?.value.trim() ?? 'auto';
    const backendSrc = all.get('backend') ? srcOf(all.get('backend')!.source) : secSrc;
    const block = (reason: string, source: Source) => model.blockers.push({ jail: name, reason, source });
    if (!backend.startsWith('systemd')) {
      const patterns = (all.get('logpath')?.value ?? '')
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean)
        .map(logpathGlob);
      let found = false;
      for (const p of patterns) if (p.startsWith('/') && (await t.glob(p)).length > 0) found = true;
      if (!found && name !== 'sshd') {
        const lp = all.get('logpath')?.source;
        const where = lp ? ` (${patterns.join(', ')} match nothing; logpath at ${lp.path}:${lp.line})` : ' (no logpath)';
        block(
          `the enabled jail [${name}] (backend ${backend}) has no log file${where}: "Have not found any log file for ${name} jail" stops the whole start`,
          first[0] ? srcOf(first[0].source) : secSrc,
        );
      }
    }
    if (!BACKEND_RE.test(backend))
      block(
        `the jail [${name}] has backend ${JSON.stringify(backend)}: fail2ban-server refuses it ("Unknown backend"), the start exits 255`,
        backendSrc,
      );
    else if (backend.startsWith('systemd') && !pythonSystemd)
      block(
        `the jail [${name}] uses backend systemd and python3-systemd is missing: fail2ban-server cannot add the jail, the start exits 255`,
        backendSrc,
      );
    for (const o of INT_OPTIONS) {
      const v = all.get(o);
      if (v && !/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(v.value))
        block(
          `${o} = ${JSON.stringify(v.value)} in [${name}] is not an integer: fail2ban-client sends None and fail2ban-server refuses it (NOK), the start exits 255`,
          srcOf(v.source),
        );
    }
    const enc = all.get('logencoding');
    if (enc && !isKnownEncoding(enc.value))
      block(
        `logencoding = ${JSON.stringify(enc.value)} in [${name}] is not an encoding Python knows: fail2ban-server refuses it ("unknown encoding"), the start exits 255`,
        srcOf(enc.source),
      );
    for (const o of ['bantime', 'findtime'] as const) {
      const v = all.get(o);
      const r = v ? str2seconds(v.value) : null;
      if (v && r && !r.ok)
        block(
          `${o} = ${JSON.stringify(v.value)} in [${name}] is not a time fail2ban can evaluate: fail2ban-server refuses it (NOK), the start exits 255`,
          srcOf(v.source),
        );
    }
  }
  if (okJails === 0 && badJails > 0) {
    const [jail, first] = Object.entries(model.skipped)[0]!;
    model.invalid = {
      reason: `no enabled jail can be read: fail2ban skips [${jail}] (${first.reason}) and then refuses the configuration`,
      source: first.source,
    };
  }
  return model;
}

function firstError(files: IniFile[]): { message: string; source: Source } | null {
  for (const f of files) {
    const e = f.errors[0];
    if (e) return { message: `${e.message} (fail2ban refuses the whole configuration)`, source: { path: e.path, line: e.line } };
  }
  return null;
}

const sameTime = (a: string, b: string) => {
  const x = str2seconds(a);
  const y = str2seconds(b);
  return x.ok && y.ok ? x.seconds === y.seconds : a === b;
};

/** Lays the dump of the real client over the values parsed from files; differences are recorded. */
function applyDump(jail: F2bSshdJail, d: DumpJail | undefined, services: Record<string, number>, command: string): void {
  const note = (o: { source: Source }) => {
    o.source = { ...o.source, command };
  };
  const differ = (option: string, files: string, dump: string) => jail.disagreements.push({ option, files, dump });
  if (!d) {
    if (jail.enabled.value) differ('enabled', 'true', 'jail not in the dump (not enabled)');
    jail.enabled = { ...jail.enabled, value: false };
    note(jail.enabled);
    return;
  }
  if (!jail.enabled.value) differ('enabled', jail.enabled.text, 'enabled');
  jail.enabled = { ...jail.enabled, value: true };
  note(jail.enabled);
  const mr = d.options.maxretry;
  if (typeof mr === 'number') {
    if (mr !== jail.maxretry.value) differ('maxretry', jail.maxretry.text, String(mr));
    jail.maxretry = { ...jail.maxretry, value: mr };
    note(jail.maxretry);
  }
  for (const k of ['bantime', 'findtime'] as const) {
    const v = d.options[k];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    const r = str2seconds(String(v));
    if (!sameTime(jail[k].text, String(v))) differ(k, jail[k].text, String(v));
    jail[k] = { ...jail[k], value: r.ok ? r.seconds : null, text: String(v), error: r.ok ? null : r.error };
    note(jail[k]);
  }
  if (d.backend !== jail.backend.value) differ('backend', jail.backend.text, d.backend);
  jail.backend = { ...jail.backend, value: d.backend, text: d.backend };
  note(jail.backend);
  const ban = d.actions[0];
  if (ban?.port != null) {
    if (ban.port !== jail.port.text) differ('port', jail.port.text, ban.port);
    jail.port = { ...jail.port, value: parsePortSpec(ban.port, services), text: ban.port };
    note(jail.port);
  }
  if (d.actions.length > 0) {
    const names = d.actions.map((a) => a.name);
    if (names.join(',') !== (jail.actions.value ?? []).join(',')) differ('action', (jail.actions.value ?? []).join(','), names.join(','));
    jail.actions = { ...jail.actions, value: names };
    note(jail.actions);
  }
}

/** The last message of the client's output without its log prefix ("2026-… fail2ban [pid]: ERROR   "). */
function clientMessage(out: string): string | null {
  const last = out.trim().split('\n').filter(Boolean).pop();
  return last ? last.replace(/^\d{4}-\d\d-\d\d [\d:,]+\s+\S+\s+\[\d+\]:\s+[A-Z]+\s+/, '').trim() : null;
}

async function socketPath(loader: Fail2banConfigLoader, confDir: string): Promise<{ socket: string; source: Source }> {
  const r = await loader.read(confDir, 'fail2ban');
  const cfg = mergeIniFiles(r.files);
  const s = getOption(cfg, 'Definition', 'socket');
  if (s?.ok && s.value) return { socket: s.value, source: { path: s.source.path, line: s.source.line, excerpt: `socket = ${s.value}` } };
  return { socket: DEFAULT_SOCKET, source: { note: `fail2ban default socket ${DEFAULT_SOCKET}` } };
}

export async function collectFail2ban(ctx: CollectContext, confDir = CONF_DIR) {
  const t = ctx.target;
  const bin = await firstExisting(t, BINARIES);
  const pkg = (await dpkgInstalled(t))?.get('fail2ban') ?? null;
  if (!bin && !pkg)
    return absent<Fail2banFacts>(
      'fail2ban is not installed (no fail2ban package in /var/lib/dpkg/status, no /usr/bin/fail2ban-client or fail2ban-server)',
    );
  const loader = new Fail2banConfigLoader(t);
  const loaded = await loader.read(confDir, 'jail');
  const extra = {
    fail2ban_version: { value: FAIL2BAN_VERSION, path: '(fail2ban built-in)', line: 0 },
    fail2ban_confpath: { value: confDir, path: '(fail2ban built-in)', line: 0 },
  };
  const cfg: MergedConfig = mergeIniFiles(loaded.files);
  Object.assign(cfg.defaults, extra);
  const servicesText = await t.readText('/etc/services', { maxBytes: 1024 * 1024 });
  const services = servicesText.ok ? parseServices(servicesText.text) : {};

  let config: F2bConfigState = { status: 'ok' };
  const bad = firstError(loaded.files);
  if (loaded.unreadable[0])
    config = { status: 'unreadable', reason: loaded.unreadable[0].reason, source: { path: loaded.unreadable[0].path } };
  else if (bad) config = { status: 'invalid', reason: bad.message, source: bad.source };
  if (loaded.files.length === 0 && config.status === 'ok')
    config = { status: 'invalid', reason: `no jail configuration under ${confDir}`, source: { path: `${confDir}/jail.conf` } };

  const python = await pythonSystemd(t);
  let sshdJail: F2bSshdJail | null = null;
  let startBlockers: Fail2banFacts['startBlockers'] = [];
  const resolved = config.status === 'ok' ? resolveJail(cfg, 'sshd', services) : null;
  if (config.status === 'ok') {
    const model = await startModel(t, confDir, cfg, services, python.present);
    if (model.invalid) config = { status: 'invalid', reason: model.invalid.reason, source: model.invalid.source };
    else {
      startBlockers = model.blockers;
      if (resolved) {
        sshdJail = { ...resolved.options, logFiles: [], disagreements: [], configError: model.skipped.sshd ?? null };
        if (resolved.firstAction) {
          const p = await actionInitPort(t, confDir, resolved.firstAction);
          if (p) sshdJail.port = { value: parsePortSpec(p.value, services), text: p.value, source: srcOf(p), refs: [], error: null };
        }
      }
    }
  }

  const dumpCmd = confDir === CONF_DIR ? ['fail2ban-client', '-d'] : ['fail2ban-client', '-c', confDir, '-d'];
  let dump: Fail2banFacts['dump'] = {
    state: 'offline',
    detail: 'offline root: fail2ban-client not run; effective values from the files',
    source: { note: 'offline' },
  };
  const sock = await socketPath(loader, confDir);
  let server: Fail2banFacts['server'] = {
    state: 'offline',
    detail: 'offline root: liveness cannot be checked',
    socket: sock.socket,
    socketSource: sock.source,
    source: { note: 'offline' },
  };
  let sshdStatus: Fail2banFacts['sshdStatus'] = null;
  let effectiveFrom: Fail2banFacts['effectiveFrom'] = 'files';

  if (t.live) {
    // The dump (a Python start and a full config parse) and the ping run at the same time. Without
    // a socket there is no server to ping (the client would only say it cannot access the socket).
    const sockStat = await t.lstat(sock.socket);
    const noSocket = sockStat.ok ? sockStat.type !== 'socket' : sockStat.error === 'missing';
    const [r, ping] = await Promise.all([
      t.run(dumpCmd, { timeoutMs: ctx.commandTimeoutMs }),
      noSocket ? null : t.run(['fail2ban-client', '-s', sock.socket, 'ping'], { timeoutMs: ctx.commandTimeoutMs }),
    ]);
    if (!r.ok) dump = { state: 'error', detail: r.message, source: { command: r.command } };
    else {
      const d = parseFail2banDump(r.stdout);
      const err = /ERROR[: ]+(.*)/.exec(r.stdout + '\n' + r.stderr);
      if (r.code !== 0 || (Object.keys(d.jails).length === 0 && err)) {
        dump = { state: 'error', detail: (err?.[1] ?? `exit code ${r.code}`).trim(), source: { command: r.command } };
        if (config.status === 'ok')
          config = {
            status: 'invalid',
            reason: `fail2ban-client rejects the configuration: ${dump.detail}`,
            source: { command: r.command },
          };
      } else {
        dump = { state: 'ok', detail: `${Object.keys(d.jails).length} jail(s) enabled`, source: { command: r.command } };
        if (sshdJail) {
          const ce = d.configErrors.sshd;
          if (ce)
            sshdJail.configError = {
              reason: ce,
              source: { command: r.command, excerpt: `Jail 'sshd' skipped, because of wrong configuration: ${ce}` },
            };
          applyDump(sshdJail, d.jails.sshd, services, r.command);
          effectiveFrom = 'files+dump';
        }
      }
    }
    if (ping === null)
      server = {
        ...server,
        state: 'not-running',
        detail: sockStat.ok ? `${sock.socket} is not a socket` : `no socket at ${sock.socket}: the server is not running`,
        source: { path: sock.socket, note: 'fail2ban-client ping not run' },
      };
    else if (!ping.ok) server = { ...server, state: 'error', detail: ping.message, source: { command: ping.command } };
    else if (ping.code === 0 && /pong/.test(ping.stdout))
      server = {
        ...server,
        state: 'running',
        detail: 'the server answers ping',
        source: { command: ping.command, excerpt: ping.stdout.trim() },
      };
    else
      server = {
        ...server,
        state: 'not-running',
        detail: clientMessage(ping.stderr + ping.stdout) ?? `exit code ${ping.code}`,
        source: { command: ping.command },
      };
    if (server.state === 'running') {
      const st = await t.run(['fail2ban-client', '-s', sock.socket, 'status', 'sshd'], { timeoutMs: ctx.commandTimeoutMs });
      if (st.ok) {
        const p = st.code === 0 ? parseJailStatus(st.stdout) : null;
        sshdStatus = p
          ? {
              active: true,
              fileList: p.fileList,
              journalMatches: p.journalMatches,
              totalFailed: p.totalFailed,
              totalBanned: p.totalBanned,
              source: { command: st.command },
            }
          : {
              active: false,
              fileList: [],
              journalMatches: null,
              totalFailed: null,
              totalBanned: null,
              source: { command: st.command, excerpt: (st.stderr + st.stdout).trim().slice(0, 200) },
            };
      }
    }
  }
  if (sshdJail) sshdJail.logFiles = await scanLogs(t, sshdJail.logpath.value ?? []);
  const alerts = config.status === 'ok' && sshdJail ? await sshdAlerts(t, confDir, loaded.files) : [];

  return collected<Fail2banFacts>({
    installed: true,
    installedEvidence: bin ? { path: bin } : { path: DPKG_STATUS, line: pkg?.line ?? 1, excerpt: `fail2ban ${pkg?.version ?? ''}`.trim() },
    confDir,
    files: loaded.files.map((f) => f.path),
    skipped: loaded.skipped,
    config,
    startBlockers,
    effectiveFrom,
    dump,
    service: await serviceState(hostOf(ctx).units),
    server,
    sshdStatus,
    sshdJail,
    sshdAlerts: alerts,
    pythonSystemd: python,
  });
}

export const fail2banCollector = defineCollector({
  key: 'fail2ban',
  gathers: gathersOfAll(
    (() => {
      // fail2ban's config sets (a .conf, its .d/ drop-ins, a .local) of the files every run reads,
      // and of the jail Rampart judges (sshd) with Debian's default action.
      const sets = ['jail', 'fail2ban', 'paths-debian', 'paths-common', 'paths-overrides', 'filter.d/sshd', 'action.d/iptables-multiport'];
      return {
        files: [
          DPKG_GATHER,
          { path: '/etc/services', maxBytes: 1024 * 1024 },
          { path: '/etc/systemd/journald.conf', maxBytes: 1024 * 1024 },
          { path: '/etc/rsyslog.conf', maxBytes: 1024 * 1024 },
          ...sets.flatMap((s) => [`${CONF_DIR}/${s}.conf`, `${CONF_DIR}/${s}.local`]),
        ],
        paths: [
          ...BINARIES,
          '/usr/lib/python3/dist-packages/systemd/journal.py',
          '/usr/sbin/rsyslogd',
          '/etc/init.d/fail2ban',
          // Debian's fail2ban package ships jail.d/defaults-debian.conf: its .local is looked for.
          `${CONF_DIR}/jail.d/defaults-debian.local`,
          DEFAULT_SOCKET,
        ],
        globs: [
          ...sets.flatMap((s) => [`${CONF_DIR}/${s}.d/*.conf`, `${CONF_DIR}/${s}.d/*.local`]),
          '/etc/systemd/journald.conf.d/*.conf',
          '/usr/lib/systemd/journald.conf.d/*.conf',
          { pattern: '/etc/rsyslog.d/*.conf', maxBytes: 1024 * 1024 },
          { pattern: '/var/log/auth.log', read: false },
          { pattern: '/etc/rc[2345].d/S*fail2ban', read: false },
        ],
      };
    })(),
    unitGathers('fail2ban.service', 'systemd-journald.service'),
  ),
  collect: (ctx) => collectFail2ban(ctx),
});
