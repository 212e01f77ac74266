import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { loadPackage } from '../util/load-package.js';
import { posix } from 'node:path';
import { absent, collected } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type {
  RedisAclUser,
  RedisConfigState,
  RedisDangerousCommand,
  RedisFacts,
  RedisFileSetting,
  RedisInstance,
  RedisLive,
  RedisPermission,
  RedisSecret,
} from '../facts/redis.js';
import { bridgeTo, connectError } from '../target/streams.js';
import type { Target } from '../target/types.js';
import {
  COMMAND_PROBES,
  DANGEROUS_COMMANDS,
  commandAllowed,
  hasAllCommands,
  hasAllKeys,
  parseAclFile,
  parseAclList,
  probeKey,
  type AclUserModel,
} from './parse/redis-acl.js';
import { parseRedisConfig, type RedisDirective } from './parse/redis-config.js';
import { buildModel, resolveAcl, setting, type ModelUser, type RedisModel } from './parse/redis-model.js';
import { estimateSecret, hashedSecret } from './parse/redis-strength.js';
import { DPKG_STATUS, dpkgInstalled } from './dpkg.js';
import { hostOf } from './host/index.js';
import type { ProcessInfo } from './host/processes.js';
import type { UnitStore } from './host/units.js';
import { defineCollector, type CollectContext } from './types.js';
import { DPKG_GATHER } from './gathers.js';

/** The redis-server package's configuration (its systemd unit: redis-server /etc/redis/redis.conf). */
export const DEFAULT_CONF = '/etc/redis/redis.conf';
const BINARY = '/usr/bin/redis-server';
const MAX_CONF_BYTES = 4 * 1024 * 1024;
const MAX_INCLUDE_DEPTH = 16;
/** Files read in all, each include counting again: three self-includes are 3^16 reads before the depth stops them. */
const MAX_INCLUDED_FILES = 4096;

// ---------------------------------------------------------------- files

interface Loaded {
  directives: RedisDirective[];
  files: string[];
  state: RedisConfigState;
}

const hasGlob = (p: string) => /[*?[]/.test(p);

/** Reads a configuration file with its includes expanded in place (config.c loadServerConfig). */
async function loadConfig(t: Target, path: string): Promise<Loaded> {
  const out: Loaded = { directives: [], files: [], state: { status: 'ok' } };
  const bad = (s: RedisConfigState) => {
    if (out.state.status === 'ok') out.state = s;
  };
  // Past the depth (Redis recurses until it crashes) or the budget, nothing more is read: the first
  // overflow decides (status invalid) and the reads stay bounded whatever the fan-out.
  let stop = false;
  let reads = 0;
  async function load(p: string, depth: number, from: Source | null): Promise<void> {
    if (stop) return;
    if (depth > MAX_INCLUDE_DEPTH || ++reads > MAX_INCLUDED_FILES) {
      stop = true;
      return bad({
        status: 'invalid',
        reason:
          depth > MAX_INCLUDE_DEPTH
            ? `include nesting deeper than ${MAX_INCLUDE_DEPTH} (an include loop: Redis recurses until it crashes)`
            : `more than ${MAX_INCLUDED_FILES} included files in all (an include bomb?): not read further`,
        source: from ?? { path: p },
      });
    }
    const r = await t.readBytes(p, { binaryOk: true, maxBytes: MAX_CONF_BYTES });
    if (!r.ok) {
      const reason = `${r.message}${from ? '' : ''}`;
      if (r.error === 'missing' || r.error === 'not-file' || r.error === 'loop')
        return bad(
          from
            ? { status: 'invalid', reason: `Fatal error, can't open config file ${JSON.stringify(p)}: ${reason}`, source: from }
            : { status: 'missing', reason, source: { path: p } },
        );
      return bad({ status: 'unreadable', reason, source: from ?? { path: p } });
    }
    out.files.push(p);
    const parsed = parseRedisConfig(r.bytes, p);
    const firstErr = parsed.errors[0];
    if (firstErr)
      bad({
        status: 'invalid',
        reason: `${firstErr.message}: Redis refuses to start (FATAL CONFIG FILE ERROR)`,
        source: { path: firstErr.path, line: firstErr.line },
      });
    for (const d of parsed.directives) {
      if (stop) return;
      if (d.name !== 'include') {
        out.directives.push(d);
        continue;
      }
      // Relative paths are relative to redis-server's working directory: / under systemd.
      const target = posix.isAbsolute(d.args[0]!) ? d.args[0]! : posix.join('/', d.args[0]!);
      const here: Source = { path: d.path, line: d.line, excerpt: `include ${d.args[0]!}` };
      if (hasGlob(target)) for (const g of await t.glob(target)) await load(g, depth + 1, here);
      else await load(target, depth + 1, here);
    }
  }
  await load(path, 0, null);
  return out;
}

// ---------------------------------------------------------------- what the start refuses after loading

const abs = (p: string, base = '/') => (posix.isAbsolute(p) ? p : posix.join(base, p));
const yes = (m: RedisModel, name: string) => (m.last.get(name)?.args[0] ?? 'no').toLowerCase() === 'yes';
const at = (d: RedisDirective): Source => ({ path: d.path, line: d.line, excerpt: `${d.name} ${d.args[0] ?? ''}` });

/** bind as the listener sees it: optional "-" dropped, * and ::* the wildcards, localhost 127.0.0.1. */
function listenAddress(a: string): { family: 4 | 6; addr: string } | null {
  const x = a.replace(/^-/, '').toLowerCase();
  if (x === '*' || x === '0.0.0.0') return { family: 4, addr: '0.0.0.0' };
  if (x === '::*' || x === '::') return { family: 6, addr: '::' };
  if (x === 'localhost') return { family: 4, addr: '127.0.0.1' };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(x)) return { family: 4, addr: x };
  if (x.includes(':')) return { family: 6, addr: x };
  return null;
}

/**
 * "Failed listening on port N (TCP), aborting": the same address twice in bind, or a wildcard with
 * another address of its family (no SO_REUSEPORT; an optional "-" address too), or port = tls-port.
 * An address this host does not have, or a port another process holds, is not decidable from files.
 */
function listenConflict(m: RedisModel): RedisConfigState | null {
  const bindD = m.last.get('bind');
  const addrs = (bindD?.args ?? ['*', '-::*']).filter((a) => a !== '').map(listenAddress);
  const portD = m.last.get('port');
  const tlsD = m.last.get('tls-port');
  const port = portD?.args[0] ?? '6379';
  const tls = tlsD?.args[0] ?? '0';
  if (port !== '0' && port === tls)
    return {
      status: 'invalid',
      reason: `port and tls-port are both ${port}: "Failed listening on port ${port} (TLS), aborting."`,
      source: at(tlsD!),
    };
  if (port === '0' && tls === '0') return null;
  const seen: { family: 4 | 6; addr: string }[] = [];
  for (const a of addrs) {
    if (!a) continue;
    const clash = seen.find(
      (s) =>
        s.family === a.family && (s.addr === a.addr || s.addr === '0.0.0.0' || s.addr === '::' || a.addr === '0.0.0.0' || a.addr === '::'),
    );
    if (clash)
      return {
        status: 'invalid',
        reason: `bind lists ${clash.addr === a.addr ? `${a.addr} twice` : `${clash.addr} and ${a.addr}`} on one port: "Failed listening on port ${port !== '0' ? port : tls}", Redis refuses to start`,
        source: bindD ? at(bindD) : { note: 'bind default * -::*' },
      };
    seen.push(a);
  }
  return null;
}

/**
 * Start-up refusals the loader cannot see line by line (checked with redis-server 7.0.15): `dir` must
 * be a directory (chdir when read), the log file's directory must exist (config.c opens it after
 * loading), and TLS (tls-port, tls-replication or tls-cluster) needs a loadable certificate and key
 * and, unless tls-auth-clients is no, a CA ("Failed to configure TLS").
 */
async function startRefusal(t: Target, m: RedisModel): Promise<RedisConfigState | null> {
  const dir = m.last.get('dir');
  let cwd = '/';
  if (dir) {
    const p = abs(dir.args[0]!);
    const st = await t.stat(p);
    if (!st.ok && st.error !== 'missing') return { status: 'unreadable', reason: `dir ${p}: ${st.message}`, source: at(dir) };
    if (!st.ok || st.type !== 'dir')
      return {
        status: 'invalid',
        reason: `dir ${p}: ${st.ok ? 'Not a directory' : 'No such file or directory'}: Redis refuses to start (FATAL CONFIG FILE ERROR)`,
        source: at(dir),
      };
    cwd = p;
  }
  const log = m.last.get('logfile');
  if (log && log.args[0]) {
    const p = posix.dirname(abs(log.args[0], cwd));
    const st = await t.stat(p);
    if (!st.ok && st.error !== 'missing') return { status: 'unreadable', reason: `logfile directory ${p}: ${st.message}`, source: at(log) };
    if (!st.ok || st.type !== 'dir')
      return {
        status: 'invalid',
        reason: `Can't open the log file: ${p} is not a directory: Redis refuses to start (FATAL CONFIG FILE ERROR)`,
        source: at(log),
      };
  }
  // Module options (name.option) are applied once the modules are loaded: without one, the start aborts.
  const moduleOpt = [...m.last.values()].find((d) => d.name.includes('.'));
  if (moduleOpt && m.modules.length === 0)
    return {
      status: 'invalid',
      reason: `${moduleOpt.name}: Module Configuration detected without loadmodule directive: Redis aborts the start`,
      source: at(moduleOpt),
    };
  for (const d of m.modules) {
    const st = await t.stat(abs(d.args[0]!, cwd));
    if (!st.ok && st.error === 'missing')
      return {
        status: 'invalid',
        reason: `loadmodule ${d.args[0]!}: Module failed to load (no such file): Redis refuses to start`,
        source: at(d),
      };
    if (moduleOpt || !st.ok)
      return {
        status: 'unreadable',
        reason: `loadmodule ${d.args[0]!}: what the module accepts and changes is not modelled`,
        source: at(d),
      };
  }
  const tlsPort = m.last.get('tls-port');
  const port = m.last.get('port');
  if (port?.args[0] === '0' && (tlsPort?.args[0] ?? '0') === '0' && !m.last.get('unixsocket')?.args[0])
    return {
      status: 'invalid',
      reason: 'port 0, no tls-port and no unixsocket: "Configured to not listen anywhere, exiting."',
      source: at(port),
    };
  const listen = listenConflict(m);
  if (listen) return listen;
  const tlsOn = (tlsPort !== undefined && tlsPort.args[0] !== '0') || yes(m, 'tls-replication') || yes(m, 'tls-cluster');
  if (!tlsOn) return null;
  const why = tlsPort && tlsPort.args[0] !== '0' ? at(tlsPort) : at((m.last.get('tls-replication') ?? m.last.get('tls-cluster'))!);
  const refuse = (reason: string, source: Source = why): RedisConfigState => ({
    status: 'invalid',
    reason: `${reason}: Failed to configure TLS, Redis refuses to start`,
    source,
  });
  const file = async (name: string): Promise<{ d: RedisDirective; text: string } | RedisConfigState | null> => {
    const d = m.last.get(name);
    if (!d || !d.args[0]) return null;
    const r = await t.readBytes(abs(d.args[0], cwd), { maxBytes: 1024 * 1024, binaryOk: true });
    if (!r.ok)
      return r.error === 'missing' || r.error === 'not-file'
        ? refuse(`${name} ${d.args[0]}: ${r.message}`, at(d))
        : { status: 'unreadable', reason: `${name} ${d.args[0]}: ${r.message}`, source: at(d) };
    return { d, text: r.bytes.toString('latin1') };
  };
  const cert = await file('tls-cert-file');
  if (cert === null) return refuse('No tls-cert-file configured!');
  if ('status' in cert) return cert;
  const key = await file('tls-key-file');
  if (key === null) return refuse('No tls-key-file configured!');
  if ('status' in key) return key;
  const authClients = (m.last.get('tls-auth-clients')?.args[0] ?? 'yes').toLowerCase();
  const ca = await file('tls-ca-cert-file');
  if (ca !== null && 'status' in ca) return ca;
  const caDir = m.last.get('tls-ca-cert-dir');
  if ((authClients !== 'no' || yes(m, 'tls-cluster') || yes(m, 'tls-replication')) && ca === null && !caDir?.args[0])
    return refuse(
      'Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!',
    );
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert.text);
  } catch {
    return refuse(`Failed to load certificate: ${cert.d.args[0]!}`, at(cert.d));
  }
  try {
    const pass = m.last.get('tls-key-file-pass')?.args[0];
    const k = createPrivateKey(pass ? { key: key.text, passphrase: pass } : { key: key.text });
    if (!x509.checkPrivateKey(k)) return refuse(`Failed to load private key: ${key.d.args[0]!} does not match the certificate`, at(key.d));
  } catch {
    return refuse(`Failed to load private key: ${key.d.args[0]!}`, at(key.d));
  }
  if (ca !== null) {
    try {
      new X509Certificate(ca.text);
    } catch {
      return refuse(`Failed to configure CA certificate(s) file/directory: ${ca.d.args[0]!}`, at(ca.d));
    }
  }
  return null;
}

// ---------------------------------------------------------------- facts from the model

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The passwords of a user as facts: plaintext ones estimated, hashes matched to a known plaintext when possible. */
function secretsOf(u: AclUserModel, known: readonly string[]): RedisSecret[] {
  const out: RedisSecret[] = u.plain.map((p) => estimateSecret(p));
  const plainHashes = new Set(u.plain.map(sha256));
  for (const h of u.hashes) {
    if (plainHashes.has(h)) continue;
    const match = known.find((k) => sha256(k) === h);
    out.push(match !== undefined ? estimateSecret(match) : hashedSecret());
  }
  return out;
}

function userFacts(m: ModelUser, known: readonly string[], permSource: (u: AclUserModel) => Source): RedisAclUser {
  const u = m.user;
  const dangerous = {} as Record<RedisDangerousCommand, RedisPermission>;
  for (const c of DANGEROUS_COMMANDS) {
    const a = commandAllowed(u, c);
    dangerous[c] = { allowed: a.allowed, how: a.rule, source: permSource(u) };
  }
  return {
    name: u.name,
    enabled: u.enabled,
    nopass: u.nopass,
    passwords: secretsOf(u, known),
    allCommands: hasAllCommands(u),
    allKeys: hasAllKeys(u),
    commandRules: u.commandRules.join(' '),
    keyRules: u.keyRules.join(' '),
    dangerous,
    source: m.source,
  };
}

async function fileSetting(t: Target, m: RedisModel, name: string): Promise<RedisFileSetting> {
  const d = m.last.get(name);
  if (!d || !d.args[0]) return { value: null, source: d ? { path: d.path, line: d.line } : { note: `${name} is not set` }, file: null };
  const st = await t.stat(d.args[0]);
  return {
    value: d.args[0],
    source: { path: d.path, line: d.line, excerpt: `${name} ${d.args[0]}` },
    file: st.ok
      ? { exists: true, type: st.type, mode: st.mode, error: null }
      : { exists: false, type: null, mode: null, error: st.message },
  };
}

const num = (s: string | undefined): number | null => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);

interface Built {
  instance: RedisInstance;
  /** In memory only: passwords the files give (requirepass, `>pw` rules), to match ACL LIST hashes and pick a credential. */
  known: string[];
  requirepass: string | null;
  /** Plaintext credential candidates from the files: [user, password, source]. */
  candidates: { user: string; password: string; source: Source }[];
  model: RedisModel | null;
}

async function buildFromFiles(t: Target, configPath: string, discovery: Source[]): Promise<Built> {
  const loaded = await loadConfig(t, configPath);
  const m = buildModel(loaded.directives);
  let state: RedisConfigState = loaded.state;
  const aclfileDir = m.last.get('aclfile');
  let aclfile: { path: string; entries: ReturnType<typeof parseAclFile>['users'] } | null = null;
  if (aclfileDir && aclfileDir.args[0]) {
    const p = posix.isAbsolute(aclfileDir.args[0]) ? aclfileDir.args[0] : posix.join('/', aclfileDir.args[0]);
    const r = await t.readText(p, { maxBytes: MAX_CONF_BYTES });
    if (!r.ok) {
      if (state.status === 'ok')
        state =
          r.error === 'missing'
            ? {
                status: 'invalid',
                reason: `aclfile ${p}: ${r.message} (Redis refuses to start)`,
                source: { path: aclfileDir.path, line: aclfileDir.line },
              }
            : { status: 'unreadable', reason: r.message, source: { path: p } };
      aclfile = { path: p, entries: [] };
    } else {
      const parsed = parseAclFile(r.text, p);
      const e = parsed.errors[0];
      if (e && state.status === 'ok')
        state = {
          status: 'invalid',
          reason: `${e.message}: Redis aborts the start because of ACL errors`,
          source: { path: e.path, line: e.line },
        };
      aclfile = { path: p, entries: parsed.users };
      loaded.files.push(p);
    }
  }
  const acl = resolveAcl(m, aclfile, configPath);
  const aclErr = acl.errors[0];
  if (aclErr && state.status === 'ok')
    state = { status: 'invalid', reason: `${aclErr.message} (Redis refuses to start)`, source: aclErr.source };
  if (state.status === 'ok') state = (await startRefusal(t, m)) ?? state;

  const known = [...(m.requirepass ? [m.requirepass.value] : []), ...acl.users.flatMap((u) => u.user.plain)];
  const candidates: Built['candidates'] = [];
  const def = acl.users.find((u) => u.user.name === 'default');
  for (const u of acl.users)
    if (u.user.enabled && u.user.plain[0] !== undefined)
      candidates.push({ user: u.user.name, password: u.user.plain[0], source: u.source });
  if (def?.user.enabled && def.user.nopass) candidates.unshift({ user: 'default', password: '', source: def.source });

  const users = acl.users.map((u) => userFacts(u, known, () => u.source));
  const defUser = users.find((u) => u.name === 'default');
  const bind = setting(m, 'bind', configPath);
  const renamed: RedisInstance['renamed'] = {};
  for (const [c, r] of Object.entries(m.renamed)) renamed[c as RedisDangerousCommand] = { value: r.to, source: r.source };
  const instance: RedisInstance = {
    name: configPath,
    configPath,
    discovery,
    process: null,
    config: state,
    files: loaded.files,
    effectiveFrom: 'files',
    auth: {
      defaultEnabled: defUser?.enabled ?? false,
      defaultNopass: defUser?.nopass ?? false,
      passwords: defUser?.passwords ?? [],
      source: def?.source ?? { note: 'no default user' },
      requirepass: m.requirepass
        ? { value: m.requirepass.value !== '', source: m.requirepass.source }
        : { value: false, source: { note: 'requirepass is not set (Redis 7.0 default: none)' } },
    },
    acl: {
      kind: acl.kind,
      source:
        acl.kind === 'aclfile' && aclfileDir
          ? { path: aclfileDir.path, line: aclfileDir.line, excerpt: `aclfile ${aclfileDir.args[0] ?? ''}` }
          : acl.kind === 'config'
            ? (acl.users[1]?.source ?? { note: 'user directives' })
            : { note: 'no user directives and no aclfile: only the built-in default user' },
      aclfile: aclfile?.path ?? null,
    },
    users,
    bind: { value: bind.args, source: bind.source, defaulted: bind.defaulted },
    protectedMode: {
      value: (setting(m, 'protected-mode', configPath).args[0] ?? '').toLowerCase(),
      source: setting(m, 'protected-mode', configPath).source,
    },
    port: { value: num(setting(m, 'port', configPath).args[0]), source: setting(m, 'port', configPath).source },
    tlsPort: { value: num(setting(m, 'tls-port', configPath).args[0]), source: setting(m, 'tls-port', configPath).source },
    tlsCertFile: await fileSetting(t, m, 'tls-cert-file'),
    tlsKeyFile: await fileSetting(t, m, 'tls-key-file'),
    renamed,
    enableDebug: {
      value: (setting(m, 'enable-debug-command', configPath).args[0] ?? '').toLowerCase(),
      source: setting(m, 'enable-debug-command', configPath).source,
    },
    enableModule: {
      value: (setting(m, 'enable-module-command', configPath).args[0] ?? '').toLowerCase(),
      source: setting(m, 'enable-module-command', configPath).source,
    },
    live: offlineLive(
      t.live ? 'not-running' : 'offline',
      t.live
        ? 'no running redis-server process was matched to this configuration'
        : 'offline root: the server cannot be asked; effective values from the files',
    ),
    drift: [],
  };
  return { instance, known, requirepass: m.requirepass?.value ?? null, candidates, model: m };
}

function offlineLive(state: RedisLive['state'], detail: string): RedisLive {
  return {
    state,
    detail,
    endpoint: null,
    tls: false,
    credential: { kind: 'none', user: null, source: { note: 'not probed' }, secret: null },
    unauthenticated: { refused: null, reply: '', source: { note: 'not probed' } },
    whoami: null,
    version: null,
    configGet: { state: 'not-tried', detail: 'not probed' },
    aclList: { state: 'not-tried', detail: 'not probed' },
    dryrun: { state: 'not-tried', detail: 'not probed' },
  };
}

// ---------------------------------------------------------------- live probe (node-redis)

interface Endpoint {
  host: string;
  port: number;
  tls: boolean;
}

/** What the probe uses of a node-redis client. */
interface Client {
  sendCommand(args: string[]): Promise<unknown>;
  destroy(): void;
}
type Outcome<T> = { ok: true; value: T } | { ok: false; error: string; timeout: boolean };

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, error: `${what}: no answer within ${ms} ms`, timeout: true }), ms);
    p.then(
      (value) => {
        clearTimeout(timer);
        resolve({ ok: true, value });
      },
      (e: unknown) => {
        clearTimeout(timer);
        resolve({ ok: false, error: errText(e), timeout: false });
      },
    );
  });
}

async function connect(
  t: Target,
  ep: Endpoint,
  auth: { user: string | null; password: string } | null,
  ms: number,
): Promise<Outcome<Client>> {
  // node-redis dials its socket itself: it dials the target's stream through a one-connection local bridge.
  const bridge = await bridgeTo(t, { host: ep.host, port: ep.port }, ms);
  if (!bridge.ok)
    return bridge.reason === 'timeout'
      ? { ok: false, error: `connect to ${ep.host}:${ep.port}: no answer within ${ms} ms`, timeout: true }
      : { ok: false, error: errText(connectError(bridge)), timeout: false };
  // The client library is loaded only when a Redis is there to talk to.
  const { createClient } = loadPackage('redis') as typeof import('redis');
  const client = createClient({
    socket: ep.tls
      ? { path: bridge.path, host: ep.host, tls: true, rejectUnauthorized: false, connectTimeout: ms, reconnectStrategy: false }
      : { path: bridge.path, tls: false, connectTimeout: ms, reconnectStrategy: false },
    ...(auth ? { password: auth.password, ...(auth.user ? { username: auth.user } : {}) } : {}),
    RESP: 2,
    disableClientInfo: true,
    maintNotifications: 'disabled',
  });
  client.on('error', () => undefined);
  const r = await withTimeout(client.connect(), ms, `connect to ${ep.host}:${ep.port}`);
  if (!r.ok) {
    client.destroy();
    bridge.close();
    return r;
  }
  const value: Client = {
    sendCommand: (args) => client.sendCommand(args),
    destroy: () => {
      client.destroy();
      bridge.close();
    },
  };
  return { ok: true, value };
}

async function cmd(c: Client, args: string[], ms: number): Promise<Outcome<unknown>> {
  return withTimeout(c.sendCommand(args), ms, args.slice(0, 2).join(' ').toUpperCase());
}

const str = (v: unknown): string => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : JSON.stringify(v));
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x))) : []);
const display = (args: readonly string[]) => `redis ${args.join(' ')}`;

interface Credential {
  kind: RedisLive['credential']['kind'];
  user: string | null;
  password: string;
  source: Source;
}

async function credentialFor(ctx: CollectContext, b: Built | null): Promise<Credential | { error: string; source: Source } | null> {
  const { url, password_file } = ctx.config.redis;
  let user: string | null = null;
  if (url) {
    try {
      const u = new URL(url);
      user = u.username ? decodeURIComponent(u.username) : null;
      if (u.password)
        return {
          kind: 'config-url',
          user,
          password: decodeURIComponent(u.password),
          source: { note: 'config redis.url (password not shown)' },
        };
    } catch {
      return { error: 'config redis.url is not a valid URL', source: { note: 'config redis.url' } };
    }
  }
  if (password_file) {
    const r = await ctx.target.readText(password_file, { maxBytes: 64 * 1024 });
    if (!r.ok) return { error: `redis.password_file: ${r.message}`, source: { path: password_file } };
    return {
      kind: 'password-file',
      user,
      password: (r.text.split('\n')[0] ?? '').trim(),
      source: { path: password_file, note: 'config redis.password_file (password not shown)' },
    };
  }
  const c = b?.candidates[0];
  if (c)
    return {
      kind: 'config-file',
      user: c.user === 'default' ? null : c.user,
      password: c.password,
      source: { ...c.source, note: `password of user ${c.user} from the configuration (not shown)` },
    };
  return null;
}

const CONFIG_KEYS = [
  'requirepass',
  'bind',
  'protected-mode',
  'port',
  'tls-port',
  'tls-cert-file',
  'tls-key-file',
  'aclfile',
  'enable-debug-command',
  'enable-module-command',
];

async function probe(ctx: CollectContext, b: Built, ep: Endpoint): Promise<void> {
  const inst = b.instance;
  const ms = ctx.commandTimeoutMs;
  const endpoint = `${ep.tls ? 'rediss' : 'redis'}://${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}`;
  const live: RedisLive = { ...offlineLive('error', ''), endpoint, tls: ep.tls };
  inst.live = live;
  inst.name = `${ep.host}:${ep.port}`;

  // 1. Unauthenticated: the server must refuse (NOAUTH).
  const ping: Source = { command: `${display(['PING'])} (without AUTH) at ${endpoint}` };
  const anon = await connect(ctx.target, ep, null, ms);
  let anonClient: Client | null = null;
  if (!anon.ok) {
    live.detail = anon.error;
    live.unauthenticated = { refused: null, reply: anon.error, source: ping };
    return;
  }
  const pong = await cmd(anon.value, ['PING'], ms);
  if (pong.ok) {
    live.unauthenticated = { refused: false, reply: str(pong.value), source: ping };
    anonClient = anon.value;
  } else {
    anon.value.destroy();
    if (pong.timeout) {
      live.detail = pong.error;
      live.unauthenticated = { refused: null, reply: pong.error, source: ping };
      return;
    }
    live.unauthenticated = { refused: /^NOAUTH|^WRONGPASS|^NOPERM/.test(pong.error), reply: pong.error, source: ping };
  }

  // 2. Authenticated session.
  const cred = await credentialFor(ctx, b);
  let client: Client;
  if (anonClient) {
    client = anonClient;
    live.credential = { kind: 'none', user: 'default', source: { note: 'no AUTH needed: the default user has no password' }, secret: null };
  } else {
    if (cred === null || 'error' in cred) {
      live.detail = cred
        ? cred.error
        : 'no credentials: set redis.url or redis.password_file in the Rampart configuration (or run as root so requirepass can be read from the configuration)';
      live.credential = { kind: 'none', user: null, source: cred?.source ?? { note: 'no credentials' }, secret: null };
      return;
    }
    live.credential = { kind: cred.kind, user: cred.user ?? 'default', source: cred.source, secret: estimateSecret(cred.password) };
    const c = await connect(ctx.target, ep, { user: cred.user, password: cred.password }, ms);
    if (!c.ok) {
      live.detail = `authentication as ${cred.user ?? 'default'} failed: ${c.error}`;
      return;
    }
    client = c.value;
  }
  try {
    await session(client, b, live, ms, cred && !('error' in cred) ? cred.password : null);
  } finally {
    client.destroy();
  }
}

async function session(c: Client, b: Built, live: RedisLive, ms: number, credPassword: string | null): Promise<void> {
  const inst = b.instance;
  const known = credPassword !== null ? [...b.known, credPassword] : b.known;
  const info = await cmd(c, ['INFO', 'server'], ms);
  if (!info.ok && info.timeout) {
    live.detail = info.error;
    return;
  }
  if (info.ok) live.version = /redis_version:(\S+)/.exec(str(info.value))?.[1] ?? null;
  const who = await cmd(c, ['ACL', 'WHOAMI'], ms);
  live.whoami = who.ok ? str(who.value) : null;
  live.state = 'ok';
  live.detail = `connected as ${live.whoami ?? '?'}${live.version ? ` (Redis ${live.version})` : ''}`;

  // CONFIG GET, where the command exists and is allowed.
  const cfgArgs = ['CONFIG', 'GET', ...CONFIG_KEYS];
  const cfg = await cmd(c, cfgArgs, ms);
  const cfgSource: Source = { command: display(['CONFIG', 'GET', ...CONFIG_KEYS]) };
  if (cfg.ok) {
    const flat = asStrings(cfg.value);
    const values = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) values.set(flat[i]!, flat[i + 1]!);
    live.configGet = { state: 'ok', detail: `${values.size} values` };
    overlayConfig(inst, values, b, cfgSource);
  } else {
    const renamed = inst.renamed.config;
    if (/unknown command/i.test(cfg.error))
      live.configGet =
        renamed?.value === 'removed'
          ? {
              state: 'removed',
              detail: `CONFIG is removed (rename-command CONFIG "" at ${renamed.source.path ?? ''}:${renamed.source.line ?? ''}): the running values cannot have been changed, the files decide`,
            }
          : { state: 'renamed', detail: `CONFIG is not available under its name (${cfg.error}): the running values cannot be read` };
    else if (/^NOPERM/.test(cfg.error))
      live.configGet = { state: 'denied', detail: `user ${live.whoami ?? '?'} may not run CONFIG GET (${cfg.error})` };
    else live.configGet = { state: 'error', detail: cfg.error };
  }

  // ACL LIST: the users the server has now (hashes are compared in memory, never kept).
  const list = await cmd(c, ['ACL', 'LIST'], ms);
  const listSource: Source = { command: display(['ACL', 'LIST']) };
  let liveUsers: AclUserModel[] | null = null;
  if (list.ok) {
    liveUsers = parseAclList(asStrings(list.value));
    live.aclList = { state: 'ok', detail: `${liveUsers.length} users` };
  } else live.aclList = { state: /^NOPERM/.test(list.error) ? 'denied' : 'error', detail: list.error };

  if (liveUsers) {
    const before = inst.users
      .map((u) => `${u.name}:${u.enabled ? 'on' : 'off'}${u.nopass ? ':nopass' : ''}`)
      .sort()
      .join(' ');
    const users = liveUsers.map((u) => userFacts({ user: u, source: listSource }, known, () => listSource));
    const after = users
      .map((u) => `${u.name}:${u.enabled ? 'on' : 'off'}${u.nopass ? ':nopass' : ''}`)
      .sort()
      .join(' ');
    if (inst.config.status === 'ok' && before !== after)
      inst.drift.push({ setting: 'ACL users', disk: before, live: after, diskSource: inst.acl.source, liveSource: listSource });
    // ACL DRYRUN per enabled user and dangerous command: the server's own answer.
    let dry: RedisLive['dryrun'] = { state: 'ok', detail: '' };
    for (const u of users.filter((x) => x.enabled)) {
      for (const command of DANGEROUS_COMMANDS) {
        let allowed: boolean | null = false;
        let how = '';
        for (const p of COMMAND_PROBES.filter((x) => x.command === command)) {
          const args = ['ACL', 'DRYRUN', u.name, ...p.dryrun];
          const r = await cmd(c, args, ms);
          // DRYRUN answers "OK" or, as a plain reply, why the user may not run it.
          if (r.ok && str(r.value) === 'OK') {
            allowed = true;
            how = `ACL DRYRUN ${probeKey(p)}: OK`;
            break;
          }
          if (r.ok) how = `ACL DRYRUN ${probeKey(p)}: ${str(r.value).slice(0, 200)}`;
          else if (/no permissions|not found|unknown command/i.test(r.error) && !/^NOPERM.*'acl\|dryrun'/i.test(r.error))
            how = `ACL DRYRUN ${probeKey(p)}: ${r.error}`;
          else {
            dry = { state: /^NOPERM/.test(r.error) ? 'denied' : 'error', detail: r.error };
            allowed = null;
            break;
          }
        }
        if (dry.state !== 'ok') break;
        u.dangerous[command] = { allowed, how, source: { command: display(['ACL', 'DRYRUN', u.name, command]) } };
      }
      if (dry.state !== 'ok') break;
    }
    live.dryrun =
      dry.state === 'ok'
        ? { state: 'ok', detail: 'every enabled user and dangerous command' }
        : { ...dry, detail: `${dry.detail}; permissions judged from the ACL LIST rules instead` };
    inst.users = users;
    const def = users.find((u) => u.name === 'default');
    inst.auth = {
      ...inst.auth,
      defaultEnabled: def?.enabled ?? false,
      defaultNopass: def?.nopass ?? false,
      passwords: def?.passwords ?? [],
      source: listSource,
    };
    inst.acl = { ...inst.acl, kind: 'live', source: listSource };
    inst.effectiveFrom = 'files+live';
  }
  if (live.configGet.state === 'ok') inst.effectiveFrom = 'files+live';
}

/** Lays CONFIG GET values over the file values; a difference is drift (passwords: "differs", never the value). */
function overlayConfig(inst: RedisInstance, v: Map<string, string>, b: Built, src: Source): void {
  const differ = (setting: string, disk: string, live: string, diskSource: Source) => {
    if (inst.config.status === 'ok') inst.drift.push({ setting, disk, live, diskSource, liveSource: src });
  };
  const rp = v.get('requirepass');
  if (rp !== undefined) {
    const disk = b.requirepass ?? '';
    if (rp !== disk)
      differ(
        'requirepass',
        disk === '' ? 'not set' : 'set',
        rp === '' ? 'not set' : 'set, differs from the file',
        inst.auth.requirepass.source,
      );
    inst.auth.requirepass = { value: rp !== '', source: src };
  }
  const bind = v.get('bind');
  if (bind !== undefined) {
    const live = bind.split(/\s+/).filter(Boolean);
    if (live.join(' ') !== inst.bind.value.join(' ')) differ('bind', inst.bind.value.join(' '), live.join(' '), inst.bind.source);
    inst.bind = { value: live, source: src, defaulted: false };
  }
  for (const [key, field] of [
    ['protected-mode', 'protectedMode'],
    ['enable-debug-command', 'enableDebug'],
    ['enable-module-command', 'enableModule'],
  ] as const) {
    const x = v.get(key);
    if (x === undefined) continue;
    if (x !== inst[field].value) differ(key, inst[field].value, x, inst[field].source);
    inst[field] = { value: x, source: src };
  }
  for (const [key, field] of [
    ['port', 'port'],
    ['tls-port', 'tlsPort'],
  ] as const) {
    const x = num(v.get(key));
    if (x === null) continue;
    if (x !== inst[field].value) differ(key, String(inst[field].value), String(x), inst[field].source);
    inst[field] = { value: x, source: src };
  }
  for (const [key, field] of [
    ['tls-cert-file', 'tlsCertFile'],
    ['tls-key-file', 'tlsKeyFile'],
  ] as const) {
    const x = v.get(key);
    if (x === undefined) continue;
    if (x !== (inst[field].value ?? '')) differ(key, inst[field].value ?? '', x, inst[field].source);
  }
}

// ---------------------------------------------------------------- discovery

interface Running {
  pid: number;
  uid: number | null;
  title: string;
  configPath: string | null;
  endpoint: Endpoint | null;
}

/** redis-server processes; Debian's process title ("redis-server 127.0.0.1:6379") hides the file. */
function runningServers(procs: readonly ProcessInfo[]): Running[] {
  const out: Running[] = [];
  for (const p of procs) {
    const words = p.argv.join(' ').split(/\s+/).filter(Boolean);
    if (p.comm !== 'redis-server' && !/(^|\/)redis-server$/.test(words[0] ?? '')) continue;
    const conf = words.slice(1).find((w) => !w.startsWith('-') && /\.conf$/.test(w)) ?? null;
    const addr = words
      .slice(1)
      .map((w) => /^(\S+):(\d+)$/.exec(w))
      .find((m) => m !== null);
    const host = addr ? addr[1]!.replace(/^\[|\]$/g, '') : null;
    const port = addr ? Number(addr[2]) : null;
    out.push({
      pid: p.pid,
      uid: p.uid,
      title: words.join(' ').slice(0, 200),
      configPath: conf && posix.isAbsolute(conf) ? conf : null,
      endpoint:
        host !== null && port !== null && port > 0
          ? { host: host === '*' || host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host, port, tls: false }
          : null,
    });
  }
  return out;
}

/** Where to connect from the files: the plaintext port on the first bound address, else the TLS port. */
function endpointFromFiles(inst: RedisInstance): Endpoint | null {
  const first = inst.bind.value.map((a) => a.replace(/^-/, '')).find(Boolean) ?? '127.0.0.1';
  const host = first === '*' || first === '0.0.0.0' ? '127.0.0.1' : first === '::*' || first === '::' ? '::1' : first;
  if (inst.port.value) return { host, port: inst.port.value, tls: false };
  if (inst.tlsPort.value) return { host, port: inst.tlsPort.value, tls: true };
  return null;
}

function endpointFromUrl(url: string | null): Endpoint | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    const tls = u.protocol === 'rediss:';
    return { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: u.port ? Number(u.port) : 6379, tls };
  } catch {
    return null;
  }
}

/** Configuration files of the systemd units: redis-server.service and enabled redis-server@NAME instances. */
async function unitConfigs(units: UnitStore): Promise<{ path: string; source: Source }[]> {
  const out: { path: string; source: Source }[] = [];
  for (const { path: w } of await units.wantsLinks('redis-server@*.service')) {
    const name = /redis-server@(.+)\.service$/.exec(w)?.[1];
    if (name)
      out.push({
        path: `/etc/redis/redis-${name}.conf`,
        source: { path: w, note: `unit redis-server@${name}: ExecStart=/usr/bin/redis-server /etc/redis/redis-%i.conf` },
      });
  }
  return out;
}

export interface RedisCollectOptions {
  /** Configuration files to audit instead of discovering them (tests, a non-standard layout). */
  configPaths?: string[];
  /** Look at running redis-server processes (default true on a live target). */
  processes?: boolean;
}

export async function collectRedis(ctx: CollectContext, opts: RedisCollectOptions = {}) {
  const t = ctx.target;
  const pkg = (await dpkgInstalled(t))?.get('redis-server') ?? null;
  const bin = (await t.stat(BINARY)).ok ? BINARY : null;
  if (!pkg && !bin && !opts.configPaths)
    return absent<RedisFacts>('Redis is not installed (no redis-server package in /var/lib/dpkg/status, no /usr/bin/redis-server)');

  const configs: { path: string; source: Source }[] = [];
  const add = (path: string, source: Source) => {
    const hit = configs.find((c) => c.path === path);
    if (hit) hit.source = { ...hit.source, note: [hit.source.note, source.note].filter(Boolean).join('; ') };
    else configs.push({ path, source });
  };
  if (opts.configPaths) for (const p of opts.configPaths) add(p, { path: p, note: 'configuration given to the collector' });
  else {
    if ((await t.stat(DEFAULT_CONF)).ok || pkg)
      add(DEFAULT_CONF, {
        path: DEFAULT_CONF,
        note: 'redis-server package default (redis-server.service: redis-server /etc/redis/redis.conf)',
      });
    for (const u of await unitConfigs(hostOf(ctx).units)) add(u.path, u.source);
  }
  const procs = opts.processes === false ? [] : await hostOf(ctx).processes();
  const running = runningServers(procs ?? []);
  for (const r of running) if (r.configPath) add(r.configPath, { note: `process ${r.pid}: ${r.title}` });

  const built: Built[] = [];
  for (const c of configs) built.push(await buildFromFiles(t, c.path, [c.source]));

  // Match processes to configurations: by the file on the command line, else by the port in the title.
  const unmatched: Running[] = [];
  for (const r of running) {
    const b = built.find(
      (x) =>
        (r.configPath && x.instance.configPath === r.configPath) ||
        (r.endpoint && (x.instance.port.value === r.endpoint.port || x.instance.tlsPort.value === r.endpoint.port)),
    );
    if (b && !b.instance.process) {
      b.instance.process = { pid: r.pid, uid: r.uid, title: r.title };
      b.instance.discovery.push({ note: `process ${r.pid}: ${r.title} (/proc/${r.pid}/cmdline)` });
    } else unmatched.push(r);
  }

  const url = endpointFromUrl(ctx.config.redis.url);
  // The probe dials through the target: a local socket, or over ssh a `ssh -W` channel from the remote
  // host to the address its configuration or process names (SshTarget.connect). A recorded payload
  // (fleet playbook) answers connect with "not recorded": the probe fails and the results are unknown.
  if (t.live && (t.kind === 'local' || t.kind === 'ssh')) {
    for (const b of built) {
      const i = b.instance;
      const byUrl = url && (built.length === 1 || i.port.value === url.port || i.tlsPort.value === url.port) ? url : null;
      const proc = running.find((r) => r.pid === i.process?.pid);
      const ep = byUrl ?? (i.process ? (proc?.endpoint ?? endpointFromFiles(i)) : null);
      if (ep) await probe(ctx, b, ep);
      // Without the process list (a recorded payload without /proc, an unreadable /proc), "not running"
      // is not known: the running server may differ from the files, so nothing is judged from them.
      else if (procs === null)
        i.live = offlineLive(
          'error',
          'the process list (/proc) could not be read: whether a redis-server runs with this configuration, and with which values, is not known',
        );
    }
    for (const r of unmatched) {
      const inst: RedisInstance = {
        ...(await buildFromFiles(t, '/nonexistent', [])).instance,
        name: r.title,
        configPath: null,
        files: [],
        config: {
          status: 'missing',
          reason: `process ${r.pid} (${r.title}) shows no configuration file and matches none found`,
          source: { note: `/proc/${r.pid}/cmdline` },
        },
        process: { pid: r.pid, uid: r.uid, title: r.title },
        discovery: [{ note: `process ${r.pid}: ${r.title}` }],
      };
      const b: Built = { instance: inst, known: [], requirepass: null, candidates: [], model: null };
      if (r.endpoint) await probe(ctx, b, r.endpoint);
      built.push(b);
    }
  } else if (t.live)
    for (const b of built)
      b.instance.live = offlineLive('error', `target ${t.kind}: the live probe connects only to a local or ssh target`);

  return collected<RedisFacts>({
    installed: true,
    installedEvidence: pkg
      ? { path: DPKG_STATUS, line: pkg.line, excerpt: `redis-server ${pkg.version}` }
      : bin
        ? { path: bin }
        : { note: 'configuration given to the collector' },
    instances: built.map((b) => b.instance),
  });
}

export const redisCollector = defineCollector({
  key: 'redis',
  gathers: { files: [DPKG_GATHER, { path: DEFAULT_CONF, maxBytes: MAX_CONF_BYTES }], paths: [BINARY] },
  collect: (ctx) => collectRedis(ctx),
});
