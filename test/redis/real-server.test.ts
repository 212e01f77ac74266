// Real component: redis-server processes on free loopback ports, audited through real connections.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectRedis } from '../../src/collect/redis.js';
import { redisChecks } from '../../src/checks/redis/index.js';
import { evaluate } from '../../src/evaluate/engine.js';
import { renderJson } from '../../src/report/json.js';
import { renderText } from '../../src/report/text.js';
import type { RedisFacts, RedisInstance } from '../../src/facts/redis.js';
import { canConnect, ctx, freePort, requireCommands, snapshotOf, realClockEnv } from '../helpers.js';

const STRONG = 'Vq2!zR7@wLp4$Xn9&k8#Tb';
const PROBE = 'Probe-9fK#2mQ!x7Lr@4Zt';
const APP = 'App-3hW$8nB!c2Vp&6Jy';
const SECRETS = [STRONG, PROBE, APP, 'wrong-password-xyz', 'runtime-Pw-7h#2K!q9@Zr'];

interface Started {
  dir: string;
  conf: string;
  port: number;
}

/** Starts redis-server with `body` (PORT and DIR replaced) and waits until `port` accepts. */
async function startRedis(
  t: TestContext,
  body: (p: { port: number; dir: string }) => string,
  files: Record<string, string> = {},
): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-redis-live-'));
  const port = await freePort();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const conf = join(dir, 'redis.conf');
  writeFileSync(conf, `daemonize no\ndir ${dir}\nsave ""\nappendonly no\nlogfile ""\nport ${port}\n${body({ port, dir })}`);
  const child = spawn('redis-server', [conf], { stdio: ['ignore', 'ignore', 'pipe'], env: realClockEnv() });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  t.after(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) return { dir, conf, port };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not start: ${err}`);
}

async function collectAt(
  conf: string,
  redis: { url: string | null; password_file: string | null },
  timeoutMs = 3000,
): Promise<RedisInstance> {
  const f = await collectRedis(
    { target: new FsTarget({ name: 'local' }), config: { ...DEFAULT_CONFIG, redis }, commandTimeoutMs: timeoutMs },
    { configPaths: [conf], processes: false },
  );
  assert.equal(f.state, 'collected');
  const facts = (f as { value: RedisFacts }).value;
  allFacts.push(facts);
  return facts.instances[0]!;
}

const allFacts: RedisFacts[] = [];
const verdict = (i: RedisInstance, id: string) =>
  redisChecks
    .find((c) => c.id === `redis.${id}`)!
    .evaluate({ redis: { installed: true, installedEvidence: { path: '/usr/bin/redis-server' }, instances: [i] } }, ctx());
function expectVerdicts(i: RedisInstance, want: Record<string, string>) {
  for (const [id, status] of Object.entries(want)) {
    const v = verdict(i, id);
    assert.equal(v.status, status, `redis.${id}: ${v.summary}`);
  }
}

test('no password: PING without AUTH is answered', async (t) => {
  if (!requireCommands(t, 'redis-server')) return;
  const s = await startRedis(t, () => 'bind 127.0.0.1\n');
  const i = await collectAt(s.conf, { url: `redis://127.0.0.1:${s.port}`, password_file: null });
  assert.equal(i.live.state, 'ok', i.live.detail);
  assert.equal(i.live.unauthenticated.refused, false);
  expectVerdicts(i, { requirepass: 'fail', 'bind-local': 'pass', acl: 'fail', 'dangerous-commands': 'fail' });
  assert.match(verdict(i, 'requirepass').summary, /PONG/);
});

test('requirepass read from redis.conf (as root): NOAUTH without it, strong, DRYRUN shows FLUSHALL allowed', async (t) => {
  if (!requireCommands(t, 'redis-server')) return;
  const s = await startRedis(t, () => `bind 127.0.0.1 -::1\nrequirepass "${STRONG}"\n`);
  const i = await collectAt(s.conf, { url: `redis://127.0.0.1:${s.port}`, password_file: null });
  assert.equal(i.live.state, 'ok', i.live.detail);
  assert.equal(i.live.credential.kind, 'config-file');
  assert.equal(i.live.unauthenticated.refused, true);
  assert.match(i.live.unauthenticated.reply, /^NOAUTH/);
  assert.equal(i.live.configGet.state, 'ok');
  assert.equal(i.live.dryrun.state, 'ok');
  assert.equal(i.users.find((u) => u.name === 'default')?.dangerous.flushall.allowed, true);
  assert.equal(i.auth.passwords[0]?.strong, true, 'the ACL LIST hash is matched to the known password in memory');
  expectVerdicts(i, { requirepass: 'pass', 'bind-local': 'pass', 'dangerous-commands': 'fail', acl: 'fail', tls: 'fail' });
});

test('aclfile users, default off: DRYRUN refuses every dangerous command; CONFIG GET denied → CONFIG-based parts unknown', async (t) => {
  if (!requireCommands(t, 'redis-server')) return;
  const h = (p: string) => createHash('sha256').update(p).digest('hex');
  const acl = `user default off\nuser app on #${h(APP)} ~app:* &* +@all -@dangerous\nuser rampart on #${h(PROBE)} ~* +@all -@dangerous +acl|dryrun +acl|list +acl|whoami +info\n`;
  const s = await startRedis(t, ({ dir }) => `bind 127.0.0.1\naclfile ${dir}/users.acl\n`, { 'users.acl': acl });
  const pwFile = join(s.dir, 'probe.pw');
  writeFileSync(pwFile, `${PROBE}\n`);
  const i = await collectAt(s.conf, { url: `redis://rampart@127.0.0.1:${s.port}`, password_file: pwFile });
  assert.equal(i.live.state, 'ok', i.live.detail);
  assert.equal(i.live.whoami, 'rampart');
  assert.equal(i.live.dryrun.state, 'ok', i.live.dryrun.detail);
  assert.equal(i.live.configGet.state, 'denied');
  assert.equal(
    i.users.find((u) => u.name === 'app')?.dangerous.config.allowed,
    false,
    JSON.stringify(i.users.map((u) => [u.name, u.dangerous])),
  );
  expectVerdicts(i, { 'dangerous-commands': 'pass', acl: 'pass', 'bind-local': 'unknown', tls: 'unknown' });
  assert.match(verdict(i, 'bind-local').summary, /NOPERM|may not run CONFIG GET/);
});

test('dangerous commands renamed to "": DRYRUN says not found, CONFIG removed → the files decide', async (t) => {
  if (!requireCommands(t, 'redis-server')) return;
  const renames = ['FLUSHDB', 'FLUSHALL', 'CONFIG', 'DEBUG', 'KEYS', 'SHUTDOWN', 'MODULE'].map((c) => `rename-command ${c} ""`).join('\n');
  const s = await startRedis(t, () => `bind 127.0.0.1\nrequirepass "${STRONG}"\n${renames}\n`);
  const i = await collectAt(s.conf, { url: `redis://:${encodeURIComponent(STRONG)}@127.0.0.1:${s.port}`, password_file: null });
  assert.equal(i.live.state, 'ok', i.live.detail);
  assert.equal(i.live.credential.kind, 'config-url');
  assert.equal(i.live.configGet.state, 'removed');
  expectVerdicts(i, { 'dangerous-commands': 'pass', 'bind-local': 'pass', requirepass: 'pass' });
});

test('CONFIG renamed to another name: the collector says so, CONFIG-based parts unknown', async (t) => {
  if (!requireCommands(t, 'redis-server')) return;
  const s = await startRedis(t, () => `bind 127.0.0.1\nrequirepass "${STRONG}"\nrename-command CONFIG hidden-config-name\n`);
  const i = await collectAt(s.conf, { url: `redis://127.0.0.1:${s.port}`, password_file: null });
  assert.equal(i.live.configGet.state, 'renamed');
  expectVerdicts(i, { 'bind-local': 'unknown', 'dangerous-commands': 'fail' });
  assert.doesNotMatch(JSON.stringify(i), /hidden-config-name/);
});

test('TLS only (port 0): connects with rediss, tls passes', async (t) => {
  if (!requireCommands(t, 'redis-server', 'openssl')) return;
  const dir = mkdtempSync(join(tmpdir(), 'rampart-redis-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      join(dir, 'c.pem'),
    ],
    { stdio: 'ignore' },
  );
  const tlsPort = await freePort();
  // port 0: nothing accepts plaintext, so the start is awaited on the TLS port.
  const conf = join(dir, 'redis.conf');
  writeFileSync(
    conf,
    `daemonize no\ndir ${dir}\nsave ""\nlogfile ""\nbind 127.0.0.1\nrequirepass "${STRONG}"\nport 0\ntls-port ${tlsPort}\ntls-cert-file ${dir}/c.pem\ntls-key-file ${dir}/k.pem\ntls-auth-clients no\n`,
  );
  const child = spawn('redis-server', [conf], { stdio: 'ignore', env: realClockEnv() });
  t.after(() => child.kill('SIGKILL'));
  for (let n = 0; n < 100 && !(await canConnect(tlsPort)); n++) await new Promise((r) => setTimeout(r, 50));
  const i = await collectAt(conf, { url: `rediss://127.0.0.1:${tlsPort}`, password_file: null });
  assert.equal(i.live.state, 'ok', i.live.detail);
  assert.equal(i.live.tls, true);
  expectVerdicts(i, { tls: 'pass', requirepass: 'pass' });
});

test('runtime change not persisted: requirepass and bind drift → warn with both sources, no value', async (t) => {
  if (!requireCommands(t, 'redis-server')) return;
  const s = await startRedis(t, () => `bind 127.0.0.1\nrequirepass "${STRONG}"\n`);
  execFileSync('redis-cli', ['-p', String(s.port), '--no-auth-warning', '-a', STRONG, 'CONFIG', 'SET', 'bind', '127.0.0.1 -::1'], {
    stdio: 'ignore',
    env: realClockEnv(),
    timeout: 10_000,
  });
  execFileSync(
    'redis-cli',
    ['-p', String(s.port), '--no-auth-warning', '-a', STRONG, 'CONFIG', 'SET', 'requirepass', 'runtime-Pw-7h#2K!q9@Zr'],
    { stdio: 'ignore', env: realClockEnv(), timeout: 10_000 },
  );
  const pw = join(s.dir, 'pw');
  writeFileSync(pw, 'runtime-Pw-7h#2K!q9@Zr\n');
  const i = await collectAt(s.conf, { url: `redis://127.0.0.1:${s.port}`, password_file: pw });
  assert.equal(i.live.state, 'ok', i.live.detail);
  assert.deepEqual(i.drift.map((d) => d.setting).sort(), ['bind', 'requirepass']);
  const v = verdict(i, 'requirepass');
  assert.equal(v.status, 'warn', v.summary);
  assert.ok(v.findings.some((f) => f.path === s.conf) && v.findings.some((f) => f.command?.startsWith('redis CONFIG GET')));
  assert.equal(verdict(i, 'bind-local').status, 'warn');
});

test('wrong password → unknown', async (t) => {
  if (!requireCommands(t, 'redis-server')) return;
  const s = await startRedis(t, () => `bind 127.0.0.1\nrequirepass "${STRONG}"\n`);
  const i = await collectAt(s.conf, { url: `redis://:wrong-password-xyz@127.0.0.1:${s.port}`, password_file: null });
  assert.equal(i.live.state, 'error');
  assert.match(i.live.detail, /WRONGPASS/);
  expectVerdicts(i, { requirepass: 'unknown', 'bind-local': 'unknown', 'dangerous-commands': 'unknown', acl: 'unknown', tls: 'unknown' });
});

test('nothing listening → unknown', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-redis-none-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  writeFileSync(join(dir, 'redis.conf'), `bind 127.0.0.1\nport ${port}\nrequirepass "${STRONG}"\n`);
  const i = await collectAt(join(dir, 'redis.conf'), { url: `redis://127.0.0.1:${port}`, password_file: null });
  assert.equal(i.live.state, 'error');
  assert.match(i.live.detail, /ECONNREFUSED|refused/i);
  expectVerdicts(i, { requirepass: 'unknown', 'bind-local': 'unknown' });
});

test('a listener that accepts and never answers → unknown after the timeout', async (t) => {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  const dir = mkdtempSync(join(tmpdir(), 'rampart-redis-hang-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'redis.conf'), `bind 127.0.0.1\nport ${port}\n`);
  const start = Date.now();
  const i = await collectAt(join(dir, 'redis.conf'), { url: `redis://127.0.0.1:${port}`, password_file: null }, 800);
  assert.ok(Date.now() - start < 5000, `took ${Date.now() - start} ms`);
  assert.equal(i.live.state, 'error');
  assert.match(i.live.detail, /no answer within 800 ms/);
  expectVerdicts(i, { requirepass: 'unknown', acl: 'unknown' });
});

test('no password and no #hash in the facts JSON or the rendered reports', (t) => {
  if (allFacts.length === 0) return t.skip('no live facts collected');
  for (const facts of allFacts) {
    const report = evaluate(snapshotOf({ redis: facts }), {
      checks: redisChecks,
      profile: 'guide',
      startedAt: '2026-11-28T10:00:00Z',
      durationMs: 0,
    });
    for (const out of [JSON.stringify(facts), renderJson(report), renderText(report, { color: false })]) {
      for (const s of SECRETS) assert.ok(!out.includes(s), 'a password leaked');
      assert.doesNotMatch(out, /[0-9a-f]{64}/, 'a password hash leaked');
    }
  }
});
