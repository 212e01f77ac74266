import { posix } from 'node:path';
import { collected, failed } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type {
  AccountDetail,
  AccountGroup,
  AccountsFacts,
  AccountUser,
  FileMeta,
  InputProblem,
  LastLogin,
  PamModuleLine,
  PasswordPolicyFacts,
  PasswordState,
  PwqualitySetting,
  SudoCommand,
  SudoFacts,
  SudoFile,
  SudoPrincipal,
  SudoRule,
} from '../facts/accounts.js';
import { effectiveShell, isLoginShell, safeExcerpt } from './parse/passwd.js';
import { passwordState } from './parse/shadow.js';
import { parseLoginDefs, type LoginDefsEntry } from './parse/login-defs.js';
import { LASTLOG_RECORD_SIZE, parseLastlogRecord } from './parse/lastlog.js';
import { expandList, isIncludedirName, parseSudoers, principalOf, type SudoersEntry } from './parse/sudoers.js';
import { controlActions, moduleName, parsePam, type PamLine } from './parse/pam.js';
import { checkPwqualitySetting, parsePwqualityConf } from './parse/pwquality.js';
import { firstExisting } from './paths.js';
import { DPKG_STATUS, dpkgInstalled } from './dpkg.js';
import { defineCollector, type CollectContext } from './types.js';
import { hostOf } from './host/index.js';
import { DPKG_GATHER } from './gathers.js';

const MAX_TABLE_BYTES = 32 * 1024 * 1024;
const MAX_CONF_BYTES = 1024 * 1024;
const SUDO_BINARIES = ['/usr/bin/sudo', '/bin/sudo', '/usr/local/bin/sudo', '/usr/sbin/sudo'];
/** sudo's own limit on nested includes (sudoers(5)). */
const MAX_INCLUDE_DEPTH = 128;
/** sudoers files read in all, each inclusion counting. */
const MAX_INCLUDED_FILES = 4096;
/** login.defs(5) default for UID_MIN. */
const DEFAULT_UID_MIN = 1000;

type Text = { ok: true; text: string } | { ok: false; message: string };

/** Reads a file as text even if it holds NUL bytes: the parsers flag such lines as garbage. */
async function readLoose(ctx: CollectContext, path: string, maxBytes = MAX_TABLE_BYTES): Promise<Text & { missing?: boolean }> {
  const r = await ctx.target.readBytes(path, { binaryOk: true, maxBytes });
  if (!r.ok) return { ok: false, message: r.message, missing: r.error === 'missing' };
  return { ok: true, text: new TextDecoder('utf-8').decode(r.bytes) };
}

async function meta(ctx: CollectContext, path: string): Promise<FileMeta | null> {
  const s = await ctx.target.stat(path);
  return s.ok ? { path, uid: s.uid, gid: s.gid, mode: s.mode } : null;
}

// ---------------------------------------------------------------- passwd, group, shadow, lastlog

async function readLastLogins(ctx: CollectContext, uids: number[]): Promise<Map<number, LastLogin>> {
  const out = new Map<number, LastLogin>();
  const path = '/var/log/lastlog';
  const fail = (reason: string) => {
    for (const u of uids) out.set(u, { kind: 'unknown', reason });
  };
  const st = await ctx.target.stat(path);
  if (!st.ok) {
    fail(`${path}: ${st.message} (last login unknown)`);
    return out;
  }
  if (st.type !== 'file') {
    fail(`${path} is not a regular file (last login unknown)`);
    return out;
  }
  // The file is sparse and indexed by UID (nobody at 65534 puts it near 19 MB): read only the records needed.
  for (const uid of uids) {
    const r = await ctx.target.readRange(path, uid * LASTLOG_RECORD_SIZE, LASTLOG_RECORD_SIZE);
    if (!r.ok) {
      fail(`${path} could not be read: ${r.message}`);
      return out;
    }
    const rec = parseLastlogRecord(r.bytes);
    out.set(
      uid,
      rec
        ? {
            kind: 'at',
            time: new Date(rec.time * 1000).toISOString(),
            line: rec.line,
            host: rec.host,
            source: { path, note: `record of UID ${uid}` },
          }
        : { kind: 'never', source: { path, note: `no record for UID ${uid}: never logged in (since lastlog was created)` } },
    );
  }
  return out;
}

function tableProblems(path: string, issues: { line: number; message: string }[], lines: string[]): InputProblem[] {
  return issues.map((i) => ({
    message: `${path}:${i.line}: ${i.message}`,
    source: { path, line: i.line, excerpt: safeExcerpt(redactPasswordField(lines[i.line - 1] ?? '')) },
  }));
}

/** Bad lines are shown as evidence: the second field (a password hash in shadow/passwd) is masked. */
function redactPasswordField(line: string): string {
  const f = line.split(':');
  if (f.length > 1 && f[1] !== '' && f[1] !== 'x') f[1] = '(redacted)';
  return f.join(':');
}

// ---------------------------------------------------------------- sudo

interface LoadedSudoers {
  files: SudoFile[];
  entries: { path: string; entry: SudoersEntry }[];
  problems: InputProblem[];
}

async function loadSudoers(ctx: CollectContext): Promise<LoadedSudoers> {
  const out: LoadedSudoers = { files: [], entries: [], problems: [] };
  const visiting = new Set<string>();
  let reads = 0;
  const visit = async (path: string, depth: number, from: Source | null): Promise<void> => {
    // An includedir holding `l -> .` makes every level a new path (the loop check compares paths)
    // and each level fans out: a budget of files read in all bounds it, reported once.
    if (++reads > MAX_INCLUDED_FILES) {
      if (reads === MAX_INCLUDED_FILES + 1)
        out.problems.push({
          message: `more than ${MAX_INCLUDED_FILES} sudoers files included in all at ${path} (an include loop through a directory link?): not read further`,
          source: from ?? { path },
        });
      return;
    }
    if (depth > MAX_INCLUDE_DEPTH) {
      out.problems.push({ message: `includes nested deeper than ${MAX_INCLUDE_DEPTH} at ${path}`, source: from ?? { path } });
      return;
    }
    if (visiting.has(path)) {
      out.problems.push({ message: `include loop: ${path} includes itself`, source: from ?? { path } });
      return;
    }
    const r = await readLoose(ctx, path, MAX_CONF_BYTES);
    if (!r.ok) {
      // A missing /etc/sudoers leaves `files` empty (the check says so); anything else is a problem.
      if (from || !r.missing)
        out.problems.push({ message: from ? `${path} (included): ${r.message}` : r.message, source: from ?? { path } });
      return;
    }
    visiting.add(path);
    const parsed = parseSudoers(r.text);
    const errors = parsed.errors.map((e) => ({ message: `${path}:${e.line}: ${e.message}`, source: { path, line: e.line } }));
    out.files.push({ meta: await meta(ctx, path), source: { path }, parsesOk: errors.length === 0, errors });
    for (const entry of parsed.entries) {
      if (entry.kind !== 'include') {
        out.entries.push({ path, entry });
        continue;
      }
      const src: Source = { path, line: entry.line, excerpt: entry.text };
      if (entry.path.includes('%h')) {
        out.problems.push({ message: `${path}:${entry.line}: include path with %h (host name) is not followed`, source: src });
        continue;
      }
      const target = posix.resolve(posix.dirname(path), entry.path);
      if (!entry.dir) {
        await visit(target, depth + 1, src);
        continue;
      }
      const l = await ctx.target.list(target);
      if (!l.ok) {
        if (l.error !== 'missing') out.problems.push({ message: `${path}:${entry.line}: ${l.message}`, source: src });
        continue;
      }
      for (const e of l.entries) {
        if (!isIncludedirName(e.name) || e.type === 'dir') continue;
        await visit(posix.join(target, e.name), depth + 1, src);
      }
    }
    visiting.delete(path);
  };
  await visit('/etc/sudoers', 0, null);
  return out;
}

function principalKey(p: SudoPrincipal): string {
  return `${p.kind}:${p.name}`;
}

/** Builds rules per principal with aliases expanded and NOPASSWD / `Defaults !authenticate` resolved. */
export function resolveSudoRules(entries: readonly { path: string; entry: SudoersEntry }[]): SudoRule[] {
  const aliases = {
    User_Alias: new Map<string, string[]>(),
    Cmnd_Alias: new Map<string, string[]>(),
    Host_Alias: new Map<string, string[]>(),
    Runas_Alias: new Map<string, string[]>(),
  };
  for (const { entry } of entries) if (entry.kind === 'alias') aliases[entry.type].set(entry.name, entry.members);
  // Defaults: later entries override earlier ones; only `authenticate` matters here.
  let globalAuth = true;
  const userAuth = new Map<string, boolean>();
  for (const { entry } of entries) {
    if (entry.kind !== 'defaults') continue;
    for (const s of entry.settings) {
      if (s.name !== 'authenticate') continue;
      const value = !s.negated && s.value !== 'false';
      if (entry.scope === 'global') globalAuth = value;
      else if (entry.scope === 'user')
        for (const u of expandList(entry.list, aliases.User_Alias)) if (!u.negated) userAuth.set(principalKey(principalOf(u.item)), value);
    }
  }
  const rules: SudoRule[] = [];
  for (const { path, entry } of entries) {
    if (entry.kind !== 'userspec') continue;
    for (const u of expandList(entry.users, aliases.User_Alias)) {
      if (u.negated) continue;
      const principal = principalOf(u.item);
      const auth = userAuth.get(principalKey(principal)) ?? userAuth.get('all:ALL') ?? globalAuth;
      for (const g of entry.grants) {
        const commands: SudoCommand[] = [];
        for (const c of g.cmnds) {
          for (const x of expandList([`${c.negated ? '!' : ''}${c.command}`], aliases.Cmnd_Alias)) {
            commands.push({
              command: x.item,
              negated: x.negated,
              nopasswd: c.tag === 'nopasswd' || (c.tag === null && !auth),
              runas: c.runas,
            });
          }
        }
        const hosts = expandList(g.hosts, aliases.Host_Alias).map((h) => `${h.negated ? '!' : ''}${h.item}`);
        rules.push({ principal, hosts, commands, source: { path, line: entry.line, excerpt: entry.text } });
      }
    }
  }
  return rules;
}

async function collectSudo(ctx: CollectContext): Promise<SudoFacts> {
  const binary = await firstExisting(ctx.target, SUDO_BINARIES, 'file');
  const loaded = await loadSudoers(ctx);
  // An image may hold the package without its binary (or the other way round): either counts.
  const pkg = (await dpkgInstalled(ctx.target))?.get('sudo') ?? null;
  const installed = binary !== null || pkg !== null;
  const facts: SudoFacts = {
    installed,
    installedSource: binary
      ? { path: binary }
      : pkg
        ? { path: DPKG_STATUS, line: pkg.line, excerpt: `sudo ${pkg.version}` }
        : { note: `no sudo binary at ${SUDO_BINARIES.join(', ')} and no sudo package in ${DPKG_STATUS}` },
    validatedBy: 'parser',
    files: loaded.files,
    rules: resolveSudoRules(loaded.entries),
    problems: loaded.problems,
  };
  if (installed && ctx.target.live && loaded.files.length > 0) {
    const whole = await ctx.target.run(['visudo', '-c'], { timeoutMs: ctx.commandTimeoutMs });
    if (whole.ok && whole.code === 0) {
      // visudo -c checks the main file and every file it includes: all of them parse.
      facts.validatedBy = 'visudo';
      for (const f of facts.files) {
        f.parsesOk = true;
        f.errors = [];
        f.source = { path: f.source.path!, command: whole.command };
      }
    } else if (whole.ok) {
      // Something fails: each file on its own says which.
      facts.validatedBy = 'visudo';
      for (const f of facts.files) {
        const path = f.source.path!;
        const r = await ctx.target.run(['visudo', '-c', '-f', path], { timeoutMs: ctx.commandTimeoutMs });
        if (!r.ok) {
          f.errors.push({ message: `${r.command}: ${r.message}`, source: { command: r.command } });
          f.parsesOk = false;
          continue;
        }
        const lines = `${r.stdout}\n${r.stderr}`
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !/parsed OK$/.test(l));
        f.parsesOk = r.code === 0;
        f.source = { path, command: r.command };
        // visudo's own words replace the parser's when they disagree.
        if (r.code !== 0)
          f.errors = (lines.length ? lines : [`exit status ${r.code}`]).map((l) => ({
            message: l,
            source: { command: r.command, excerpt: l },
          }));
        else f.errors = [];
      }
      if (whole.code !== 0 && facts.files.every((f) => f.parsesOk)) {
        facts.problems.push({
          message: `visudo -c failed: ${`${whole.stdout} ${whole.stderr}`.trim().replace(/\s+/g, ' ')}`,
          source: { command: whole.command },
        });
      }
    } else if (whole.reason !== 'not-found') {
      facts.problems.push({ message: `${whole.command}: ${whole.message}`, source: { command: whole.command } });
    }
  }
  return facts;
}

// ---------------------------------------------------------------- PAM password policy

const PAM_ENTRY_SERVICES = ['passwd', 'common-password', 'system-auth', 'password-auth'];
const PAM_MAX_DEPTH = 16;
/** libpwquality 1.4 defaults (pwqprivate.h; pwquality.conf(5)). */
const PWQ_DEFAULTS = { minlen: 8, minclass: 0, dcredit: 0, ucredit: 0, lcredit: 0, ocredit: 0, enforcing: 1 } as const;
const PWQ_BASE_MIN_LENGTH = 6;
const PWQ_NUM_CLASSES = 4;
const UNIX_HASH_OPTIONS = ['yescrypt', 'gost_yescrypt', 'sha512', 'sha256', 'blowfish', 'bigcrypt', 'md5'];

async function flattenPasswordStack(
  ctx: CollectContext,
  service: string,
  problems: InputProblem[],
  depth = 0,
  seen = new Set<string>(),
): Promise<{ line: PamLine; path: string }[]> {
  const path = service.startsWith('/') ? service : `/etc/pam.d/${service}`;
  if (depth > PAM_MAX_DEPTH || seen.has(path)) {
    problems.push({ message: `PAM include loop or nesting too deep at ${path}`, source: { path } });
    return [];
  }
  const r = await readLoose(ctx, path, MAX_CONF_BYTES);
  if (!r.ok) {
    problems.push({ message: r.message, source: { path } });
    return [];
  }
  const parsed = parsePam(r.text);
  for (const e of parsed.errors) problems.push({ message: `${path}:${e.line}: ${e.message}`, source: { path, line: e.line } });
  const out: { line: PamLine; path: string }[] = [];
  const inner = new Set([...seen, path]);
  for (const e of parsed.entries) {
    if ('target' in e) out.push(...(await flattenPasswordStack(ctx, e.target, problems, depth + 1, inner)));
    else if (e.type === 'password') {
      if (e.control === 'include' || e.control === 'substack')
        out.push(...(await flattenPasswordStack(ctx, e.module, problems, depth + 1, inner)));
      else out.push({ line: e, path });
    }
  }
  return out;
}

function stackLines(flat: { line: PamLine; path: string }[]): PamModuleLine[] {
  const lines: PamModuleLine[] = flat.map(({ line, path }) => ({
    module: moduleName(line.module),
    control: line.control,
    args: line.args,
    optional: line.optional,
    source: { path, line: line.line, excerpt: line.text },
    skippableBy: null,
  }));
  for (let i = 0; i < lines.length; i++) {
    const actions = controlActions(lines[i]!.control);
    for (const [k, v] of Object.entries(actions)) {
      const jump = /^\d+$/.test(v) ? Number(v) : v === 'done' && (k === 'success' || k === 'default') ? Infinity : 0;
      for (let j = i + 1; j <= Math.min(i + jump, lines.length - 1); j++) lines[j]!.skippableBy ??= lines[i]!.source;
    }
  }
  return lines;
}

async function readPwqualityFile(
  ctx: CollectContext,
  path: string,
  into: Record<string, PwqualitySetting>,
  problems: InputProblem[],
): Promise<boolean> {
  const r = await readLoose(ctx, path, MAX_CONF_BYTES);
  if (!r.ok) {
    if (!r.missing) problems.push({ message: r.message, source: { path } });
    return true;
  }
  const parsed = parsePwqualityConf(r.text);
  for (const e of parsed.entries) {
    if (e.name in PWQ_DEFAULTS)
      into[e.name] = { value: Number(e.value), source: { path, line: e.line, excerpt: `${e.name} = ${e.value}` } };
  }
  if (parsed.error) {
    problems.push({
      message: `${path}:${parsed.error.line}: ${parsed.error.message}; libpwquality stops reading its configuration here`,
      source: { path, line: parsed.error.line },
    });
    return false;
  }
  return true;
}

async function effectivePwquality(
  ctx: CollectContext,
  line: PamModuleLine,
  problems: InputProblem[],
): Promise<NonNullable<PasswordPolicyFacts['pwquality']>> {
  const note = 'libpwquality 1.4 default (pwquality.conf(5))';
  const s: Record<string, PwqualitySetting> = Object.fromEntries(
    Object.entries(PWQ_DEFAULTS).map(([k, v]) => [k, { value: v, source: { note } }]),
  );
  // settings.c: the *.conf files of pwquality.conf.d (strcmp order) first, then pwquality.conf; an error stops reading.
  const dir = '/etc/security/pwquality.conf.d';
  const l = await ctx.target.list(dir);
  const files = l.ok
    ? l.entries
        .filter((e) => e.type !== 'dir' && /\.conf$/.test(e.name) && e.name.indexOf('.conf') === e.name.length - 5)
        .map((e) => e.name)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    : [];
  let ok = true;
  for (const f of files) if (ok) ok = await readPwqualityFile(ctx, `${dir}/${f}`, s, problems);
  if (ok) await readPwqualityFile(ctx, '/etc/security/pwquality.conf', s, problems);
  // Module arguments are applied after the configuration files (pam_pwquality.c _pam_parse).
  for (const arg of line.args) {
    const m = /^([^=]+)=(.*)$/.exec(arg);
    const name = (m?.[1] ?? arg).toLowerCase();
    if (!(name in PWQ_DEFAULTS) || !m) continue;
    if (checkPwqualitySetting(name, m[2]!) !== null) {
      problems.push({ message: `${describe(line.source)}: bad option ${arg} (pam_pwquality ignores it)`, source: line.source });
      continue;
    }
    s[name] = { value: Number(m[2]!), source: line.source };
  }
  const minlen = s.minlen!;
  const minclass = s.minclass!;
  return {
    minlen: minlen.value < PWQ_BASE_MIN_LENGTH ? { ...minlen, value: PWQ_BASE_MIN_LENGTH } : minlen,
    minclass: minclass.value > PWQ_NUM_CLASSES ? { ...minclass, value: PWQ_NUM_CLASSES } : minclass,
    dcredit: s.dcredit!,
    ucredit: s.ucredit!,
    lcredit: s.lcredit!,
    ocredit: s.ocredit!,
    enforcing: s.enforcing!,
  };
}

function describe(s: Source): string {
  return s.path ? `${s.path}${s.line ? `:${s.line}` : ''}` : (s.command ?? s.note ?? '');
}

async function passwdqcMin(ctx: CollectContext, line: PamModuleLine, problems: InputProblem[]): Promise<PasswordPolicyFacts['passwdqc']> {
  // passwdqc.conf(5) default: min=disabled,24,11,8,7
  let min = 'disabled,24,11,8,7';
  let source: Source = { note: 'passwdqc default min=disabled,24,11,8,7 (passwdqc.conf(5))' };
  for (const arg of line.args) {
    const cfg = /^config=(.+)$/.exec(arg);
    if (cfg) {
      const r = await readLoose(ctx, cfg[1]!, MAX_CONF_BYTES);
      if (!r.ok) problems.push({ message: r.message, source: line.source });
      else
        r.text.split('\n').forEach((l, i) => {
          const m = /^\s*min=(\S+)/.exec(l);
          if (m) {
            min = m[1]!;
            source = { path: cfg[1]!, line: i + 1, excerpt: l.trim() };
          }
        });
    }
    const m = /^min=(\S+)$/.exec(arg);
    if (m) {
      min = m[1]!;
      source = line.source;
    }
  }
  return { min: min.split(',').map((v) => (/^\d+$/.test(v) ? Number(v) : null)), source };
}

async function collectPasswordPolicy(ctx: CollectContext, loginDefs: Record<string, LoginDefsEntry>): Promise<PasswordPolicyFacts> {
  const problems: InputProblem[] = [];
  let entry: string | null = null;
  for (const s of PAM_ENTRY_SERVICES) {
    if ((await ctx.target.stat(`/etc/pam.d/${s}`)).ok) {
      entry = s;
      break;
    }
  }
  const stack = entry ? stackLines(await flattenPasswordStack(ctx, entry, problems)) : [];
  if (!entry)
    problems.push({
      message: 'no PAM password stack found (/etc/pam.d/passwd, common-password, system-auth)',
      source: { path: '/etc/pam.d' },
    });
  const pwqLine = stack.find((l) => l.module === 'pam_pwquality.so');
  const qcLine = stack.find((l) => l.module === 'pam_passwdqc.so');
  const unixLine = stack.find((l) => l.module === 'pam_unix.so');
  let hashMethod: PasswordPolicyFacts['hashMethod'] = null;
  const opt = unixLine?.args.filter((a) => UNIX_HASH_OPTIONS.includes(a)).at(-1);
  const enc = loginDefs.ENCRYPT_METHOD;
  if (unixLine && opt)
    hashMethod = { value: opt === 'gost_yescrypt' ? 'gost-yescrypt' : opt === 'blowfish' ? 'bcrypt' : opt, source: unixLine.source };
  else if (enc)
    hashMethod = {
      value: enc.value.toLowerCase(),
      source: { path: '/etc/login.defs', line: enc.line, excerpt: `ENCRYPT_METHOD ${enc.value}` },
    };
  else if (loginDefs.MD5_CRYPT_ENAB?.value.toLowerCase() === 'yes')
    hashMethod = { value: 'md5', source: { path: '/etc/login.defs', line: loginDefs.MD5_CRYPT_ENAB.line, excerpt: 'MD5_CRYPT_ENAB yes' } };
  else
    hashMethod = {
      value: 'des',
      source: { note: 'no hash option on pam_unix and no ENCRYPT_METHOD: DES, the pam_unix(8) and login.defs(5) default' },
    };
  return {
    stackEntry: entry,
    stack,
    pwquality: pwqLine ? await effectivePwquality(ctx, pwqLine, problems) : null,
    passwdqc: qcLine ? await passwdqcMin(ctx, qcLine, problems) : null,
    hashMethod,
    problems,
  };
}

// ---------------------------------------------------------------- the collector

export async function collectAccounts(ctx: CollectContext) {
  const db = await hostOf(ctx).accounts();
  const { passwd, group, shadow: shadowText } = db;
  if (!passwd.ok) return failed<AccountsFacts>(`cannot read the account database: ${passwd.message}`);
  if (!group.ok) return failed<AccountsFacts>(`cannot read the group database: ${group.message}`);
  const problems: InputProblem[] = [];
  const nis: Source[] = [];

  const pw = passwd.parsed;
  problems.push(...tableProblems('/etc/passwd', pw.issues, passwd.text.split('\n')));
  nis.push(...pw.nis.map((n) => ({ path: '/etc/passwd', line: n.line, excerpt: safeExcerpt(n.entry) })));
  const gr = group.parsed;
  problems.push(...tableProblems('/etc/group', gr.issues, group.text.split('\n')));
  nis.push(...gr.nis.map((n) => ({ path: '/etc/group', line: n.line, excerpt: safeExcerpt(n.entry) })));

  const users: AccountUser[] = pw.records.map((r) => ({
    name: r.name,
    uid: r.uid,
    gid: r.gid,
    home: r.home,
    shell: r.shell,
    source: { path: '/etc/passwd', line: r.line },
  }));
  const groups: AccountGroup[] = gr.records.map((r) => ({
    name: r.name,
    gid: r.gid,
    members: r.members,
    source: { path: '/etc/group', line: r.line },
  }));

  const shadow = shadowText.ok ? shadowText.parsed : null;
  if (!shadowText.ok) problems.push({ message: `password states unknown: ${shadowText.message}`, source: { path: '/etc/shadow' } });
  else problems.push(...tableProblems('/etc/shadow', shadowText.parsed.issues, shadowText.text.split('\n')));

  const defsText = await readLoose(ctx, '/etc/login.defs', MAX_CONF_BYTES);
  const loginDefs = defsText.ok ? parseLoginDefs(defsText.text) : {};
  const uidMinEntry = loginDefs.UID_MIN;
  const uidMin =
    uidMinEntry && /^\d+$/.test(uidMinEntry.value)
      ? {
          value: Number(uidMinEntry.value),
          source: { path: '/etc/login.defs', line: uidMinEntry.line, excerpt: `UID_MIN ${uidMinEntry.value}` },
        }
      : { value: DEFAULT_UID_MIN, source: { note: 'UID_MIN default 1000 (login.defs(5))' } };

  const lastLogins = await readLastLogins(ctx, [
    ...new Set(pw.records.filter((r) => isLoginShell(effectiveShell(r.shell))).map((r) => r.uid)),
  ]);
  const details: AccountDetail[] = pw.records.map((r) => {
    const shell = effectiveShell(r.shell);
    let password: PasswordState;
    let passwordSource: Source;
    const sh = shadow?.records.find((s) => s.name === r.name);
    if (r.passwordField === 'empty') {
      password = { kind: 'empty' };
      passwordSource = { path: '/etc/passwd', line: r.line, note: 'empty password field in /etc/passwd' };
    } else if (r.passwordField === 'other') {
      password = passwordState(passwd.text.split('\n')[r.line - 1]?.split(':')[1] ?? '');
      passwordSource = { path: '/etc/passwd', line: r.line, note: 'password field in /etc/passwd itself, not shadowed' };
    } else if (sh) {
      password = sh.password;
      passwordSource = { path: '/etc/shadow', line: sh.line };
    } else {
      password = { kind: 'unknown', reason: shadow ? `no /etc/shadow entry for ${r.name}` : 'shadow unreadable' };
      passwordSource = { path: '/etc/shadow' };
    }
    const names = new Set<string>();
    const primary = groups.find((g) => g.gid === r.gid);
    if (primary) names.add(primary.name);
    for (const g of groups) if (g.members.includes(r.name)) names.add(g.name);
    return {
      name: r.name,
      uid: r.uid,
      shell,
      loginShell: isLoginShell(shell),
      password,
      passwordSource,
      aging: sh?.aging ?? null,
      groups: [...names].sort(),
      lastLogin: lastLogins.get(r.uid) ?? { kind: 'unknown', reason: 'not looked up (no login shell)' },
    };
  });

  return collected<AccountsFacts>({
    installed: true,
    users,
    groups,
    uidMin,
    details,
    nis,
    problems,
    sudo: await collectSudo(ctx),
    passwordPolicy: await collectPasswordPolicy(ctx, loginDefs),
  });
}

export const accountsCollector = defineCollector({
  key: 'accounts',
  gathers: {
    files: [
      ...['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow'].map((path) => ({ path, maxBytes: MAX_TABLE_BYTES })),
      ...['/etc/login.defs', '/etc/sudoers', '/etc/security/pwquality.conf'].map((path) => ({ path, maxBytes: MAX_CONF_BYTES })),
      ...PAM_ENTRY_SERVICES.map((s) => ({ path: `/etc/pam.d/${s}`, maxBytes: MAX_CONF_BYTES })),
      DPKG_GATHER,
    ],
    paths: ['/var/log/lastlog', ...SUDO_BINARIES],
    dirs: [
      { path: '/etc/sudoers.d', maxBytes: MAX_CONF_BYTES },
      { path: '/etc/security/pwquality.conf.d', maxBytes: MAX_CONF_BYTES },
    ],
  },
  collect: collectAccounts,
});
