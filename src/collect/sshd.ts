import { absent, collected, type Fact } from '../facts/fact.js';
import { describeSource, type Source } from '../facts/evidence.js';
import type { SshdContext, SshdFacts, SshdHostKey, SshdSetting } from '../facts/sshd.js';
import type { Target } from '../target/types.js';
import { dpkgInstalled, upstreamVersion } from './dpkg.js';
import { MAX_WITNESS_BLOCKS, connectionSpec, globalSpec, planContexts, type ContextSpec } from './parse/sshd-contexts.js';
import { isLoginShell } from './parse/passwd.js';
import { readAccountDb, textRecords, type AccountDb } from './host/accounts.js';
import { hostOf } from './host/index.js';
import { hostKeyProblems } from './sshd-hostkeys.js';
import { defaultsFor, type SshdDefaults } from './parse/sshd-defaults.js';
import { NO_CONNECTION, effectiveSshd, listenPorts, loadSshdModel, type GroupLookup } from './parse/sshd-model.js';
import { parseOpensshVersion, parsePublicKey, parseSshdDump } from './parse/sshd-output.js';
import { defineCollector, type CollectContext } from './types.js';
import { ACCOUNT_DB_GATHERS, DPKG_GATHER } from './gathers.js';
import { OPENSSH_9_2_DEFAULTS } from './parse/sshd-defaults.js';

const SSHD_CONFIG = '/etc/ssh/sshd_config';
const SSHD_BIN = '/usr/sbin/sshd';
/** Config files bigger than this are not read (a real sshd_config is a few KiB). */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** At most this many `sshd -T -C` run at once. */
const LIVE_PARALLEL = 4;
/** More connections than this (a config with hundreds of Match blocks) are judged from the files beyond it. */
const MAX_LIVE_CONTEXTS = 256;

/** Users and groups for Match evaluation, from the target's account database (host/accounts.ts). */
export async function readLookup(t: Target): Promise<GroupLookup & { loginUsers: string[] }> {
  return lookupFrom(await readAccountDb(t));
}

function lookupFrom(db: AccountDb): GroupLookup & { loginUsers: string[] } {
  const lookup: GroupLookup & { loginUsers: string[] } = { users: [], groups: [], loginUsers: [] };
  for (const u of textRecords(db.passwd)) {
    lookup.users.push({ name: u.name, gid: u.gid });
    // A locked password still lets a key in (UsePAM): every account with a login shell counts.
    if (isLoginShell(u.shell)) lookup.loginUsers.push(u.name);
  }
  for (const g of textRecords(db.group)) lookup.groups.push({ name: g.name, gid: g.gid, members: g.members });
  return lookup;
}

/** Admins: config.admin_users and the members of config.admin_groups. */
export function adminsOf(config: CollectContext['config'], lookup: GroupLookup): string[] {
  const admins = new Set(config.admin_users);
  for (const g of config.admin_groups) {
    const grp = lookup.groups.find((x) => x.name === g);
    if (!grp) continue;
    for (const m of grp.members) admins.add(m);
    for (const u of lookup.users) if (u.gid === grp.gid) admins.add(u.name);
  }
  return [...admins];
}

export function sshdFileAccess(t: Target) {
  return {
    async read(path: string) {
      // Bytes as sshd reads them: a byte-order mark is kept (sshd refuses it) and NULs go to the
      // parser, which cuts lines at a NUL as sshd does.
      const b = await t.readBytes(path, { maxBytes: MAX_CONFIG_BYTES, binaryOk: true });
      if (b.ok) return { ok: true as const, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(b.bytes) };
      // fopen(3) opens a directory and getline(3) then fails: sshd reads it as an empty file
      // (an Include glob that matches a directory), verified with sshd 9.2 `sshd -t`.
      if (b.error === 'not-file') {
        const st = await t.stat(path);
        if (st.ok && st.type === 'dir') return { ok: true as const, text: '' };
      }
      return { ok: false as const, message: b.message, kind: 'unreadable' as const };
    },
    glob: (p: string) => t.glob(p),
  };
}

function diff(global: Record<string, SshdSetting>, ctx: Record<string, SshdSetting>): Record<string, SshdSetting> {
  const out: Record<string, SshdSetting> = {};
  for (const [k, v] of Object.entries(ctx)) if (global[k]?.value !== v.value) out[k] = v;
  return out;
}

/** Values from sshd -T, sources from the file model where it agrees (sshd -T names no file). */
function combine(dump: Record<string, string>, files: Record<string, SshdSetting>, command: string): Record<string, SshdSetting> {
  const out: Record<string, SshdSetting> = {};
  for (const [k, value] of Object.entries(dump)) {
    const m = files[k];
    if (m && m.value === value) out[k] = { value, source: { ...m.source, command }, ...(m.block ? { block: m.block } : {}) };
    else
      out[k] = {
        value,
        source: { command, ...(m ? { note: `the configuration files give "${m.value}" (${describeSource(m.source)})` } : {}) },
      };
  }
  return out;
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? ''
  );
}

const OWNER_LIST = '/var/lib/dpkg/info/openssh-server.list';

async function readVersion(t: Target, timeoutMs: number, dpkgVersion: string | null): Promise<{ version: string | null; source: Source }> {
  if (t.live && dpkgVersion) {
    // The package that owns the binary says its version, without starting sshd a second time.
    const list = await t.readText(OWNER_LIST, { maxBytes: 1024 * 1024 });
    if (list.ok && list.text.split('\n').includes(SSHD_BIN)) {
      return {
        version: dpkgVersion,
        source: { path: '/var/lib/dpkg/status', note: `Package: openssh-server (${dpkgVersion}), which owns ${SSHD_BIN} (${OWNER_LIST})` },
      };
    }
  }
  if (t.live) {
    for (const argv of [
      [SSHD_BIN, '-V'],
      ['ssh', '-V'],
    ]) {
      const r = await t.run(argv, { timeoutMs });
      if (!r.ok) continue;
      const v = parseOpensshVersion(`${r.stderr}\n${r.stdout}`);
      if (v && (!dpkgVersion || dpkgVersion.startsWith(v)))
        return { version: dpkgVersion ?? v, source: { command: r.command, excerpt: firstLine(r.stderr || r.stdout) } };
      if (v) return { version: v, source: { command: r.command, excerpt: firstLine(r.stderr || r.stdout) } };
    }
  }
  return {
    version: dpkgVersion,
    source: dpkgVersion ? { path: '/var/lib/dpkg/status', note: 'Package: openssh-server' } : { note: 'version unknown' },
  };
}

async function readHostKeys(t: Target, effective: Record<string, SshdSetting>, defaults: SshdDefaults): Promise<SshdHostKey[]> {
  let paths = effective.hostkey?.value.split(' ').filter(Boolean) ?? [];
  if (paths.length === 0) {
    paths = [];
    for (const p of defaults.hostKeys) if ((await t.stat(p)).ok) paths.push(p);
  }
  const out: SshdHostKey[] = [];
  for (const p of paths) {
    const pub = await t.readText(`${p}.pub`, { maxBytes: 64 * 1024 });
    if (!pub.ok) {
      out.push({ path: p, type: null, bits: null, error: pub.message });
      continue;
    }
    const k = parsePublicKey(pub.text);
    out.push(
      'error' in k
        ? { path: p, type: null, bits: null, error: `${p}.pub: ${k.error}` }
        : { path: p, type: k.type, bits: k.bits, error: null },
    );
  }
  return out;
}

export async function collectSshd(ctx: CollectContext): Promise<Fact<SshdFacts>> {
  const t = ctx.target;
  const timeoutMs = ctx.commandTimeoutMs;
  const pkg = (await dpkgInstalled(t))?.get('openssh-server') ?? null;
  const dpkg = { installed: pkg !== null, version: pkg ? upstreamVersion(pkg.version) : null };
  const hasConfig = (await t.lstat(SSHD_CONFIG)).ok;
  if (t.live) {
    if (!(await t.stat(SSHD_BIN)).ok) return absent(`OpenSSH server is not installed (no ${SSHD_BIN})`);
  } else if (!dpkg.installed && !hasConfig) {
    return absent(`OpenSSH server is not installed (no openssh-server in /var/lib/dpkg/status, no ${SSHD_CONFIG})`);
  }

  const { version, source: versionSource } = await readVersion(t, timeoutMs, dpkg.version);
  const { defaults, exact } = defaultsFor(version);
  const lookup = lookupFrom(await hostOf(ctx).accounts());
  const model = await loadSshdModel(SSHD_CONFIG, sshdFileAccess(t), defaults);
  const filesGlobal = effectiveSshd(model, NO_CONNECTION, lookup, defaults);
  const filesPorts = listenPorts(filesGlobal);
  const plan = (global: Record<string, SshdSetting>) =>
    planContexts({
      model,
      lookup,
      admins: adminsOf(ctx.config, lookup),
      loginUsers: lookup.loginUsers,
      adminSources: ctx.config.ssh_admin_sources,
      ports: listenPorts(global),
      listenAddresses: global.listenaddress?.value.split(' ').filter((x) => x !== '' && x !== 'rdomain') ?? [],
      useDns: global.usedns?.value === 'yes',
      inet6: global.addressfamily?.value !== 'inet',
    });
  const fileContext = (s: ContextSpec) => effectiveSshd(model, s.input, lookup, defaults, s.forced ? s.witness : null);
  const toContext = (s: ContextSpec, overrides: Record<string, SshdSetting>): SshdContext => ({
    label: s.label,
    user: s.input.user,
    addr: s.input.addr,
    role: s.role,
    adminSource: s.adminSource,
    dormant: s.dormant,
    overrides,
  });

  let method: SshdFacts['method'] = 'files';
  let methodReason: string | null = t.live ? null : 'offline root: sshd -T cannot run';
  let effective = filesGlobal;
  let contexts: SshdContext[] | null = null;

  if (t.live) {
    const gs = globalSpec(model);
    const g = await t.run([SSHD_BIN, '-T', ...(gs ? ['-C', gs] : [])], { timeoutMs });
    if (!g.ok) methodReason = `${g.command} failed: ${g.message}`;
    else if (g.code !== 0) methodReason = `${g.command} exited ${g.code}: ${firstLine(g.stderr) || 'no message'}`;
    else {
      const live = combine(parseSshdDump(g.stdout), filesGlobal, g.command);
      const specs = plan(live);
      let failure: string | null = null;
      const liveContexts: (SshdContext | null)[] = specs.map(() => null);
      const one = async (i: number) => {
        const s = specs[i]!;
        // A block no -C spec can reach (a group without members) is judged from the files, forced.
        if (s.forced || i >= MAX_LIVE_CONTEXTS) {
          const why = s.forced
            ? 'judged from the files: no sshd -T -C connection matches this block'
            : `judged from the files: more than ${MAX_LIVE_CONTEXTS} connections to judge`;
          const o = diff(filesGlobal, fileContext(s));
          for (const [k, v] of Object.entries(o))
            o[k] = { ...v, source: { ...v.source, note: [v.source.note, why].filter(Boolean).join('; ') } };
          liveContexts[i] = toContext(s, o);
          return;
        }
        const r = await t.run([SSHD_BIN, '-T', '-C', connectionSpec(s.input)], { timeoutMs });
        if (!r.ok || r.code !== 0) {
          failure ??= r.ok ? `${r.command} exited ${r.code}: ${firstLine(r.stderr) || 'no message'}` : `${r.command} failed: ${r.message}`;
          return;
        }
        liveContexts[i] = toContext(s, diff(live, combine(parseSshdDump(r.stdout), fileContext(s), r.command)));
      };
      for (let i = 0; i < specs.length && failure === null; i += LIVE_PARALLEL) {
        await Promise.all(specs.slice(i, i + LIVE_PARALLEL).map((_, j) => one(i + j)));
      }
      if (failure) methodReason = failure;
      else {
        method = 'sshd -T';
        methodReason = null;
        effective = live;
        contexts = liveContexts.filter((c): c is SshdContext => c !== null);
      }
    }
  }
  contexts ??= plan(filesGlobal).map((s) => toContext(s, diff(filesGlobal, fileContext(s))));

  let validation: SshdFacts['validation'] = {
    method: 'files',
    ok: !model.problems.some((p) => p.severity === 'error'),
    output: null,
    command: null,
  };
  const cannotJudge = /Missing privilege separation directory|no hostkeys available/i;
  if (t.live && methodReason !== null && cannotJudge.test(methodReason)) {
    // sshd -t stops at the same check sshd -T just failed: not run a second time.
    validation = { ...validation, output: `${SSHD_BIN} -t could not judge either (not run): ${methodReason}` };
  } else if (t.live) {
    const v = await t.run([SSHD_BIN, '-t'], { timeoutMs });
    const out = v.ok ? `${v.stderr}${v.stdout}`.trim().slice(0, 2000) : v.message;
    // Without /run/sshd (or host keys) `sshd -t` cannot judge the files: the file model does.
    const cannot = !v.ok || cannotJudge.test(out);
    if (!cannot) validation = { method: 'sshd -t', ok: v.code === 0, output: out || null, command: v.command };
    else validation = { ...validation, output: `${v.command} could not judge: ${firstLine(out)}` };
  }
  // The file model judges the host keys too, as sshd -t would (it refuses to start without one).
  const keyProblems = validation.method === 'files' ? await hostKeyProblems(t, filesGlobal, defaults) : [];
  if (keyProblems.length) validation = { ...validation, ok: false };

  return collected<SshdFacts>({
    installed: true,
    ports: method === 'sshd -T' ? listenPorts(effective) : filesPorts,
    version,
    versionSource,
    method,
    methodReason,
    defaultsExact: exact,
    effective,
    contexts,
    files: model.files,
    problems: [...model.problems, ...keyProblems],
    validation,
    hostKeys: await readHostKeys(t, effective, defaults),
    unjudged:
      model.blocks.length > MAX_WITNESS_BLOCKS
        ? `${model.blocks.length} Match blocks: only the first ${MAX_WITNESS_BLOCKS} were judged connection by connection`
        : null,
  });
}

export const sshdCollector = defineCollector({
  key: 'sshd',
  gathers: {
    files: [DPKG_GATHER, ...ACCOUNT_DB_GATHERS, { path: SSHD_CONFIG, maxBytes: MAX_CONFIG_BYTES }, OWNER_LIST],
    // Private host keys are only stat'ed up front; their .pub halves are read.
    paths: [SSHD_BIN, ...OPENSSH_9_2_DEFAULTS.hostKeys],
    globs: [
      { pattern: '/etc/ssh/sshd_config.d/*.conf', maxBytes: MAX_CONFIG_BYTES },
      { pattern: '/etc/ssh/ssh_host_*_key.pub', maxBytes: 64 * 1024 },
    ],
  },
  collect: collectSshd,
});
