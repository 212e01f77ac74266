// The agreement harness for Redis: each generated case (conf-gen.ts) is judged by Rampart's offline
// model (collectRedis on the files, the five redis.* checks) and run by the real redis-server 7.0, whose
// refusal or running values (CONFIG GET, ACL LIST, COMMAND INFO over the unix socket) are the truth.
// Shared by test/redis/agree.test.ts and bench/agree-redis.ts.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createClient } from 'redis';
import { collectRedis } from '../../src/collect/redis.js';
import { redisChecks } from '../../src/checks/redis/index.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { RedisDangerousCommand, RedisFacts, RedisInstance } from '../../src/facts/redis.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { ctx, freePort, realClockEnv } from '../helpers.js';
import { PROBE_PASS, PROBE_USER, redisCase, type RedisGenCase } from './conf-gen.js';

const DANGEROUS: RedisDangerousCommand[] = ['flushdb', 'flushall', 'config', 'debug', 'keys', 'shutdown', 'module'];
const CHECKS = ['requirepass', 'bind-local', 'dangerous-commands', 'acl', 'tls'] as const;

export interface ItemResult {
  item: string;
  rampart: string;
  real: string;
}

export interface CaseResult {
  name: string;
  mutations: string[];
  items: ItemResult[];
  falsePasses: string[];
  realRefusal: string | null;
  rampartRefusal: string | null;
}

let certs: string | null = null;
/** A certificate and key, a second key, a placeholder file: made once per process. */
function certDir(): string {
  if (certs && existsSync(certs)) return certs;
  const d = mkdtempSync(join(tmpdir(), 'rampart-redis-certs-'));
  process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  const ssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '30',
    '-subj',
    '/CN=rampart-agree',
    '-keyout',
    join(d, 'key.pem'),
    '-out',
    join(d, 'cert.pem'),
  ]);
  ssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(d, 'other-key.pem')]);
  writeFileSync(join(d, 'placeholder.pem'), 'placeholder certificate\n');
  certs = d;
  return d;
}

function canConnect(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(path);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

interface Truth {
  refused: string | null;
  values: Map<string, string> | null;
  defaultUser: string | null;
  commands: Map<string, boolean> | null;
}

async function runReal(conf: string, dir: string, configCommand: string | null): Promise<Truth> {
  const child = spawn('redis-server', [conf], { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'], env: realClockEnv() });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const sock = join(dir, 'redis.sock');
  const logOf = () => {
    try {
      return readFileSync(join(dir, 'redis.log'), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    // Ready when the server says so (ACL users are loaded after the listeners open, and may still abort it).
    let up = false;
    for (let i = 0; i < 400 && !up; i++) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      up = /[Rr]eady to accept connections/.test(out) || /[Rr]eady to accept connections/.test(logOf());
      if (!up) await new Promise((r) => setTimeout(r, 5));
    }
    if (up) up = await canConnect(sock);
    if (!up) {
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      const lines = `${out}\n${logOf()}`
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const why =
        lines
          .filter(
            (l) =>
              !/oO0OoO0O|Redis version=|Configuration loaded|monotonic clock|just started|^\*\*\*|Reading the configuration file|^>>>/.test(
                l,
              ),
          )
          .pop() ??
        lines.pop() ??
        'exited';
      return {
        refused: child.exitCode !== null || child.signalCode !== null ? why.slice(0, 160) : 'not listening (no unix socket)',
        values: null,
        defaultUser: null,
        commands: null,
      };
    }
    const client = createClient({
      socket: { path: sock, reconnectStrategy: false },
      username: PROBE_USER,
      password: PROBE_PASS,
      RESP: 2,
      disableClientInfo: true,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const str = (x: unknown) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x));
      let values: Map<string, string> | null = null;
      if (configCommand) {
        const flat = await client.sendCommand<unknown[]>([
          configCommand,
          'GET',
          'bind',
          'protected-mode',
          'port',
          'tls-port',
          'tls-cert-file',
          'tls-key-file',
          'enable-debug-command',
          'enable-module-command',
          'requirepass',
        ]);
        values = new Map();
        for (let i = 0; i + 1 < flat.length; i += 2) values.set(str(flat[i]), str(flat[i + 1]));
      }
      const acl = (await client.sendCommand<unknown[]>(['ACL', 'LIST'])).map(str);
      const def = acl.find((l) => l.startsWith('user default '));
      const defaultUser = def ? `${/ on( |$)/.test(def) ? 'on' : 'off'}${/ nopass( |$)/.test(def) ? ' nopass' : ''}` : 'missing';
      const info = await client.sendCommand<unknown[]>(['COMMAND', 'INFO', ...DANGEROUS]);
      const commands = new Map(DANGEROUS.map((c, i) => [c, info[i] !== null && info[i] !== undefined]));
      return { refused: null, values, defaultUser, commands };
    } finally {
      client.destroy();
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

function checkStatuses(i: RedisInstance): Record<string, string> {
  const facts: RedisFacts = { installed: true, installedEvidence: { path: '/usr/bin/redis-server' }, instances: [i] };
  const out: Record<string, string> = {};
  for (const id of CHECKS)
    out[id] = redisChecks.find((c) => c.id === `redis.${id}`)!.evaluate({ redis: facts }, ctx({ live: false })).status;
  return out;
}

/** Rampart's instance with the real values laid over it: what the checks would say on the truth. */
function truthInstance(i: RedisInstance, t: Truth): RedisInstance {
  const v = t.values;
  const x: RedisInstance = structuredClone(i);
  if (v) {
    if (v.has('bind')) x.bind = { ...x.bind, value: v.get('bind')!.split(' ').filter(Boolean) };
    x.protectedMode = { ...x.protectedMode, value: v.get('protected-mode') ?? x.protectedMode.value };
    x.port = { ...x.port, value: Number(v.get('port') ?? x.port.value) };
    x.tlsPort = { ...x.tlsPort, value: Number(v.get('tls-port') ?? x.tlsPort.value) };
    x.enableDebug = { ...x.enableDebug, value: v.get('enable-debug-command') ?? x.enableDebug.value };
    x.enableModule = { ...x.enableModule, value: v.get('enable-module-command') ?? x.enableModule.value };
    if (v.has('requirepass')) x.auth.requirepass = { ...x.auth.requirepass, value: v.get('requirepass') !== '' };
  }
  if (t.commands) {
    for (const c of DANGEROUS) {
      if (t.commands.get(c)) delete x.renamed[c];
      else if (!x.renamed[c]) x.renamed[c] = { value: 'removed', source: { note: 'real' } };
    }
  }
  if (t.defaultUser) {
    const on = t.defaultUser.startsWith('on');
    const nopass = t.defaultUser.includes('nopass');
    x.auth.defaultEnabled = on;
    x.auth.defaultNopass = nopass;
    const d = x.users.find((u) => u.name === 'default');
    if (d) {
      d.enabled = on;
      d.nopass = nopass;
    }
  }
  return x;
}

const fill = (s: string, dir: string, port: number, tlsPort: number, certs: string) =>
  s.replaceAll('@DIR@', dir).replaceAll('@PORT@', String(port)).replaceAll('@TLSPORT@', String(tlsPort)).replaceAll('@CERTS@', certs);

export async function judgeRedisCase(c: RedisGenCase): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-redis-agree-'));
  try {
    const port = await freePort();
    const tlsPort = await freePort();
    const cd = certDir();
    for (const [rel, text] of Object.entries(c.files)) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, Buffer.from(fill(text, dir, port, tlsPort, cd), 'latin1'));
    }
    const conf = join(dir, c.main);
    const f = await collectRedis(
      { target: new FsTarget({ name: 'local' }), config: DEFAULT_CONFIG, commandTimeoutMs: 2000 },
      { configPaths: [conf], processes: false },
    );
    if (f.state !== 'collected') throw new Error(`collect: ${JSON.stringify(f)}`);
    const i = f.value.instances[0]!;
    const rampartRefusal = i.config.status === 'ok' ? null : `${i.config.status}: ${i.config.reason}`;
    const truth = await runReal(conf, dir, c.configCommand);
    const items: ItemResult[] = [
      { item: 'valid', rampart: rampartRefusal ? 'refused' : 'starts', real: truth.refused ? 'refused' : 'starts' },
    ];
    const got = checkStatuses(i);
    const falsePasses: string[] = [];
    if (truth.refused) {
      for (const id of CHECKS)
        if (got[id] === 'pass') falsePasses.push(`redis.${id} passes a configuration redis-server refuses (${truth.refused})`);
    } else if (!rampartRefusal) {
      const v = truth.values;
      const add = (item: string, rampart: string, real: string | undefined) => {
        if (real !== undefined) items.push({ item, rampart, real });
      };
      if (v) {
        add('bind', i.bind.value.join(' '), v.get('bind'));
        add('protected-mode', i.protectedMode.value, v.get('protected-mode'));
        add('port', String(i.port.value), v.get('port'));
        add('tls-port', String(i.tlsPort.value), v.get('tls-port'));
        add('tls-cert-file', i.tlsCertFile.value ?? '', v.get('tls-cert-file'));
        add('tls-key-file', i.tlsKeyFile.value ?? '', v.get('tls-key-file'));
        add('enable-debug-command', i.enableDebug.value, v.get('enable-debug-command'));
        add('enable-module-command', i.enableModule.value, v.get('enable-module-command'));
        add('requirepass set', String(i.auth.requirepass.value), v.has('requirepass') ? String(v.get('requirepass') !== '') : undefined);
      }
      if (truth.defaultUser)
        add('default user', `${i.auth.defaultEnabled ? 'on' : 'off'}${i.auth.defaultNopass ? ' nopass' : ''}`, truth.defaultUser);
      for (const cmd of DANGEROUS)
        if (truth.commands) add(`command ${cmd}`, i.renamed[cmd] ? 'gone' : 'present', truth.commands.get(cmd) ? 'present' : 'gone');
      const want = checkStatuses(truthInstance(i, truth));
      for (const id of CHECKS)
        if (got[id] === 'pass' && want[id] !== 'pass') falsePasses.push(`redis.${id} passes, the running values give ${want[id]}`);
    }
    return { name: c.name, mutations: c.mutations, items, falsePasses, realRefusal: truth.refused, rampartRefusal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Summary {
  cases: number;
  items: number;
  agree: number;
  falsePass: number;
  classes: Map<string, { count: number; example: string }>;
  falsePassExamples: string[];
}

/** Counts one case into the summary; `program` names the real program in the disagreement classes. */
export function tallyCase(
  s: Summary,
  r: Pick<CaseResult, 'name' | 'items' | 'falsePasses' | 'realRefusal' | 'rampartRefusal'>,
  program: string,
): void {
  for (const it of r.items) {
    s.items++;
    if (it.rampart === it.real) s.agree++;
    else {
      const key = it.item === 'valid' ? `valid: rampart ${it.rampart}, ${program} ${it.real}` : `${it.item} differs`;
      const cur = s.classes.get(key) ?? {
        count: 0,
        example: `${r.name} — rampart ${JSON.stringify(it.rampart)} (${r.rampartRefusal ?? 'ok'}), ${program} ${JSON.stringify(it.real)} (${r.realRefusal ?? 'ok'})`,
      };
      cur.count++;
      s.classes.set(key, cur);
    }
  }
  s.falsePass += r.falsePasses.length;
  if (r.falsePasses.length) s.falsePassExamples.push(`${r.name}: ${r.falsePasses.join('; ')}`);
}

export async function runRedisAgreement(seed: number, cases: number, onCase?: (r: CaseResult) => void): Promise<Summary> {
  const s: Summary = { cases, items: 0, agree: 0, falsePass: 0, classes: new Map(), falsePassExamples: [] };
  for (let k = 0; k < cases; k++) {
    const r = await judgeRedisCase(redisCase(seed, k));
    onCase?.(r);
    tallyCase(s, r, 'redis');
  }
  return s;
}

export function formatSummary(name: string, s: Summary): string {
  const pct = s.items ? ((100 * s.agree) / s.items).toFixed(1) : '0.0';
  const lines = [`agree-${name}: cases=${s.cases} items=${s.items} agree=${s.agree} (${pct}%) false-pass=${s.falsePass}`];
  for (const [k, v] of [...s.classes].sort((a, b) => b[1].count - a[1].count)) lines.push(`  ${v.count}× ${k}\n      e.g. ${v.example}`);
  for (const e of s.falsePassExamples.slice(0, 10)) lines.push(`  FALSE PASS ${e}`);
  return lines.join('\n');
}
