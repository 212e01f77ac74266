// The live probe against a real PostgreSQL 15: roles (SCRAM, md5, expired), credentials from the
// configuration, failures (wrong password, nothing listening, a listener that never answers), drift,
// and that no password or hash reaches the facts or any rendered report.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { collectPostgres } from '../../src/collect/postgres.js';
import { pgChecks } from '../../src/checks/pg/index.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/schema.js';
import { evaluate } from '../../src/evaluate/engine.js';
import type { PgCluster, PostgresFacts } from '../../src/facts/postgres.js';
import { renderJson } from '../../src/report/json.js';
import { renderText } from '../../src/report/text.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { ctx, snapshotOf } from '../helpers.js';
import { CONF_DIR, DATA_DIR, caseRoot } from './fixture.js';
import { chownTree, freePort, initdb, makeCert, postgresDir, requirePostgres, startServer, type Server } from './pg-server.js';

const PROBE_PASSWORD = 'Probe-Pw-7f3c9a1e-long';
const SECRETS = ['S3cure-Scram-Passw0rd!', 'legacy-md5-secret', 'Old-Expired-Pw-123', PROBE_PASSWORD];

async function liveFacts(config: Partial<Config> = {}, env: Record<string, string> = {}, timeoutMs = 5_000): Promise<PostgresFacts> {
  const f = await collectPostgres(
    { target: new FsTarget({ name: 'live' }), config: { ...DEFAULT_CONFIG, ...config }, commandTimeoutMs: 20_000 },
    { env, timeoutMs },
  );
  assert.equal(f.state, 'collected');
  return (f as { value: PostgresFacts }).value;
}

function judge(cluster: PgCluster, config: Partial<Config> = {}) {
  return Object.fromEntries(
    pgChecks.map((c) => [c.id, c.evaluate({ postgres: { installed: true, installedEvidence: [], clusters: [cluster] } }, ctx({ config }))]),
  );
}

interface Setup {
  server: Server;
  conf: string;
  dataDir: string;
}

async function setup(t: TestContext, bin: string): Promise<Setup> {
  const root = caseRoot(t, 'monitoring.pass');
  chmodSync(root, 0o755);
  const dataDir = join(root, DATA_DIR);
  rmSync(dataDir, { recursive: true, force: true });
  const tpl = postgresDir(t, 'rampart-pglive-');
  initdb(bin, join(tpl, 'data'));
  cpSync(join(tpl, 'data'), dataDir, { recursive: true });
  makeCert(dataDir);
  chownTree(root);
  chmodSync(dataDir, 0o700);
  const conf = join(root, CONF_DIR);
  const server = await startServer(t, bin, dataDir, [
    '-c',
    `config_file=${conf}/postgresql.conf`,
    '-c',
    `data_directory=${dataDir}`,
    '-c',
    `hba_file=${conf}/pg_hba.conf`,
    '-c',
    `ident_file=${conf}/pg_ident.conf`,
    '-c',
    'external_pid_file=',
  ]);
  server.psql(`CREATE ROLE app_scram LOGIN PASSWORD '${SECRETS[0]}'`);
  server.psql(`SET password_encryption = 'md5'; CREATE ROLE legacy_md5 LOGIN PASSWORD '${SECRETS[1]}'`);
  server.psql(`CREATE ROLE expired_pw LOGIN PASSWORD '${SECRETS[2]}' VALID UNTIL '2001-01-01'`);
  server.psql(`CREATE ROLE rampart_probe LOGIN SUPERUSER PASSWORD '${PROBE_PASSWORD}'`);
  return { server, conf, dataDir };
}

/** Each test starts its own server (stopped when the test ends). */
async function server(t: TestContext): Promise<Setup | null> {
  const bin = requirePostgres(t);
  return bin ? setup(t, bin) : null;
}

const url = (port: number, password: string) => `postgresql://rampart_probe:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

test('live: roles with md5 hashes and an old rolvaliduntil fail pg.password-strength; no secret in facts or reports', async (t) => {
  const s = await server(t);
  if (!s) return;
  const facts = await liveFacts();
  const c = facts.clusters.find((x) => x.dataDir === s.dataDir);
  assert.ok(c);
  assert.equal(c.live.state, 'connected', c.live.detail);
  const roles = new Map(c.live.roles?.list.map((r) => [r.name, r]));
  assert.equal(roles.get('app_scram')?.password, 'scram-sha-256');
  assert.equal(roles.get('legacy_md5')?.password, 'md5');
  assert.equal(roles.get('expired_pw')?.validUntil, '2001-01-01T00:00:00.000Z');
  const v = judge(c)['pg.password-strength']!;
  assert.equal(v.status, 'fail');
  assert.match(v.summary, /role "legacy_md5" has an md5 password hash/);
  assert.match(v.summary, /role "expired_pw" has rolvaliduntil 2001-01-01/);
  assert.doesNotMatch(v.summary, /app_scram/);
  assert.ok(
    v.findings.every((f) => f.command),
    'evidence names the query',
  );

  const snapshot = {
    ...snapshotOf({ postgres: facts }),
    config: { ...DEFAULT_CONFIG, postgres: { url: url(s.server.port, PROBE_PASSWORD), password_file: null } },
  };
  const report = evaluate(snapshot, { checks: pgChecks, profile: 'guide', startedAt: snapshot.collectedAt, durationMs: 1 });
  const outputs = [JSON.stringify(facts), renderJson(report), renderText(report, { color: false })];
  for (const out of outputs) {
    for (const secret of SECRETS.slice(0, 3)) assert.ok(!out.includes(secret), `a password leaked: ${secret}`);
    assert.doesNotMatch(out, /SCRAM-SHA-256\$|md5[0-9a-f]{32}/, 'no password hash');
  }
  assert.ok(!JSON.stringify(facts).includes(PROBE_PASSWORD));
});

test('live: credentials from config postgres.url / password_file; a wrong password is unknown with the reason', async (t) => {
  const s = await server(t);
  if (!s) return;
  const pwFile = join(s.server.socketDir, 'pw');
  writeFileSync(pwFile, `${PROBE_PASSWORD}\n`, { mode: 0o600 });
  const good = await liveFacts({
    postgres: { url: `postgresql://rampart_probe@127.0.0.1:${s.server.port}/postgres`, password_file: pwFile },
  });
  const c = good.clusters.find((x) => x.dataDir === s.dataDir)!;
  assert.equal(c.live.state, 'connected', `${c.live.detail} ${JSON.stringify(good.clusters.map((x) => [x.name, x.live]))}`);
  assert.equal(c.live.via, 'url');
  assert.ok(!JSON.stringify(good).includes(PROBE_PASSWORD));

  const viaEnv = await liveFacts(
    {},
    { PGHOST: '127.0.0.1', PGPORT: String(s.server.port), PGUSER: 'rampart_probe', PGPASSWORD: PROBE_PASSWORD, PGDATABASE: 'postgres' },
  );
  assert.equal(viaEnv.clusters.find((x) => x.dataDir === s.dataDir)?.live.via, 'env');

  const bad = await liveFacts({ postgres: { url: url(s.server.port, 'wrong-password-xyz'), password_file: null } });
  const b = bad.clusters.find((x) => x.dataDir === s.dataDir)!;
  assert.equal(b.live.state, 'failed');
  assert.match(b.live.detail, /password authentication failed for user "rampart_probe"/);
  assert.ok(!JSON.stringify(bad).includes('wrong-password-xyz'));
  for (const v of Object.values(judge(b))) {
    assert.equal(v.status, 'unknown');
    assert.match(v.summary, /password authentication failed/);
  }
});

test('live: nothing listening, and a listener that never answers, give unknown (not a hang)', async (t) => {
  if (!requirePostgres(t)) return;
  const port = await freePort();
  const refused = await liveFacts({ postgres: { url: url(port, 'x-not-used'), password_file: null } });
  const r = refused.clusters.find((x) => x.name.includes(`:${port}`));
  assert.ok(r, refused.clusters.map((x) => x.name).join(', '));
  assert.equal(r.live.state, 'failed');
  assert.match(r.live.detail, /ECONNREFUSED/);
  assert.equal(judge(r)['pg.hba-methods']?.status, 'unknown');

  const sockets: Socket[] = [];
  const silent = createServer((sock) => sockets.push(sock));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const addr = silent.address();
  const sport = typeof addr === 'object' && addr ? addr.port : 0;
  const t0 = Date.now();
  const hung = await liveFacts({ postgres: { url: url(sport, 'x-not-used'), password_file: null } }, {}, 1_500);
  assert.ok(Date.now() - t0 < 10_000, 'bounded by the timeout');
  const h = hung.clusters.find((x) => x.name.includes(`:${sport}`))!;
  assert.equal(h.live.state, 'failed');
  assert.match(h.live.detail, /timeout|no answer/i);
  for (const v of Object.values(judge(h))) assert.equal(v.status, 'unknown');
});

test('live: drift — a file changed without a reload, and ALTER SYSTEM not yet reloaded, are warn findings with both values', async (t) => {
  const s = await server(t);
  if (!s) return;
  appendFileSync(join(s.conf, 'conf.d', '50-monitoring.conf'), "log_line_prefix = '%m '\n");
  s.server.psql("ALTER SYSTEM SET log_connections = 'off'");
  const facts = await liveFacts();
  const c = facts.clusters.find((x) => x.dataDir === s.dataDir)!;
  assert.match(
    c.settings.log_line_prefix?.drift ?? '',
    /the files say "%m " \(.*50-monitoring\.conf:\d+\), the server runs with "%m \[%p\] %q%u@%d %r "/,
  );
  assert.match(c.settings.log_connections?.drift ?? '', /the files say "off" \(.*postgresql\.auto\.conf:\d+\), the server runs with "on"/);
  const v = judge(c)['pg.monitoring']!;
  assert.equal(v.status, 'warn', v.summary);
  assert.ok(
    v.findings.some((f) => f.path?.endsWith('postgresql.auto.conf')),
    'evidence names the file',
  );
  s.server.psql('SELECT pg_reload_conf()');
  await new Promise((r) => setTimeout(r, 500));
  const after = await liveFacts();
  const a = after.clusters.find((x) => x.dataDir === s.dataDir)!;
  assert.equal(a.settings.log_connections?.drift, null);
  assert.equal(judge(a)['pg.monitoring']?.status, 'fail', 'after the reload the server runs the weaker values');
});
