// Every fixture case, judged twice: offline (the files, through an offline root) and live (a real
// PostgreSQL 15 started on the same files, queried by the collector through peer authentication).
// PostgreSQL itself decides: the live pg_settings must equal the offline model of the files (no drift),
// and pg_hba_file_rules must equal the offline pg_hba parse.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectPostgres } from '../../src/collect/postgres.js';
import { pgChecks } from '../../src/checks/pg/index.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { PgCluster, PostgresFacts } from '../../src/facts/postgres.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { ctx } from '../helpers.js';
import { CASES, CONF_DIR, DATA_DIR, caseRoot, expectations, FIXTURES } from './fixture.js';
import { chownTree, initdb, makeCert, pgBinDir, requirePostgres, startServer } from './pg-server.js';

/** test/fixtures/postgres/debian15-default/etc/passwd */
const POSTGRES_UID_IN_FIXTURE = 101;
const CONFIG = { ...DEFAULT_CONFIG, pg_app_servers: ['10.0.1.0/24'] };

async function collect(target: FsTarget): Promise<PostgresFacts> {
  const f = await collectPostgres({ target, config: CONFIG, commandTimeoutMs: 20_000 }, { env: {}, timeoutMs: 10_000 });
  assert.equal(f.state, 'collected', JSON.stringify(f));
  return (f as { value: PostgresFacts }).value;
}

function verdicts(cluster: PgCluster, live: boolean) {
  const out: Record<string, { status: string; summary: string }> = {};
  for (const c of pgChecks)
    out[c.id] = c.evaluate({ postgres: { installed: true, installedEvidence: [], clusters: [cluster] } }, ctx({ live, config: CONFIG }));
  return out;
}

function assertVerdicts(name: string, got: Record<string, { status: string; summary: string }>, mode: 'offline' | 'live') {
  for (const [id, want] of Object.entries(expectations(name))) {
    const status = typeof want === 'string' ? want : want[mode];
    assert.equal(got[id]?.status, status, `${mode} ${name} ${id}: ${got[id]?.summary ?? ''}`);
  }
}

let template: string | null = null;
before(() => {
  const bin = pgBinDir();
  if (!bin || process.getuid?.() !== 0) return;
  template = mkdtempSync(join(tmpdir(), 'rampart-pgtpl-'));
  chmodSync(template, 0o755);
  chownTree(template);
  initdb(bin, join(template, 'data'));
});
after(() => {
  if (template) rmSync(template, { recursive: true, force: true });
});

for (const name of CASES) {
  test(`offline: ${name}`, async (t) => {
    const root = caseRoot(t, name);
    // Stand-ins for the certificate and key the live test generates (only their mode and owner count offline).
    for (const f of ['server.crt', 'server.key']) {
      const p = join(root, DATA_DIR, f);
      writeFileSync(p, 'test stand-in, not a certificate or key\n', { mode: 0o600 });
      if (process.getuid?.() === 0) chownSync(p, POSTGRES_UID_IN_FIXTURE, POSTGRES_UID_IN_FIXTURE);
    }
    const facts = await collect(new FsTarget({ root, name }));
    const c = facts.clusters.find((x) => x.name === '15/main');
    assert.ok(c, 'the Debian cluster 15/main is discovered from /etc/postgresql');
    assert.equal(c.live.state, 'offline');
    assertVerdicts(name, verdicts(c, false), 'offline');
  });

  test(`real PostgreSQL agrees: ${name}`, async (t) => {
    const bin = requirePostgres(t);
    if (!bin || !template) return;
    const root = caseRoot(t, name);
    chmodSync(root, 0o755);
    const dataDir = join(root, DATA_DIR);
    const auto = join(FIXTURES, name, 'root', DATA_DIR, 'postgresql.auto.conf');
    rmSync(dataDir, { recursive: true, force: true });
    cpSync(join(template, 'data'), dataDir, { recursive: true });
    if (existsSync(auto)) cpSync(auto, join(dataDir, 'postgresql.auto.conf'));
    makeCert(dataDir);
    chownTree(root);
    chmodSync(dataDir, 0o700);
    const offline = await collect(new FsTarget({ root, name }));
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
    const facts = await collect(new FsTarget({ name: 'live' }));
    const c = facts.clusters.find((x) => x.dataDir === dataDir);
    assert.ok(c, `the running test server is discovered from /proc: ${facts.clusters.map((x) => x.name).join(', ')}`);
    assert.equal(c.live.state, 'connected', c.live.detail);
    assert.equal(c.live.via, 'peer');
    assert.equal(c.running?.pid !== undefined, true);
    assert.equal(c.settings.port?.value, String(server.port));
    for (const [k, s] of Object.entries(c.settings))
      assert.equal(s.drift, null, `${k}: the offline model of the files differs from pg_settings: ${s.drift ?? ''}`);
    const off = offline.clusters.find((x) => x.name === '15/main')!;
    for (const k of [
      'ssl',
      'ssl_min_protocol_version',
      'password_encryption',
      'log_connections',
      'log_disconnections',
      'log_statement',
      'log_line_prefix',
      'shared_preload_libraries',
    ]) {
      assert.equal(
        off.settings[k]?.value,
        c.settings[k]?.value,
        `${k}: offline ${JSON.stringify(off.settings[k])} / live ${JSON.stringify(c.settings[k]?.live)}`,
      );
      if (c.settings[k]?.live?.pgSource === 'configuration file')
        assert.equal(c.settings[k]?.source.line, off.settings[k]?.source.line, `${k}: same line`);
    }
    assert.equal(c.hba.from, 'live');
    assert.deepEqual(c.hba.errors, [], 'pg_hba_file_rules reports no error');
    const shape = (cl: PgCluster) =>
      cl.hba.rules.map((r) => ({
        line: r.source.line,
        type: r.type,
        db: r.databases,
        users: r.users,
        address: r.address?.kind === 'cidr' ? r.address.cidr : (r.address?.kind ?? null),
        method: r.method,
      }));
    assert.deepEqual(shape(off), shape(c), 'the offline pg_hba parse equals pg_hba_file_rules');
    assertVerdicts(name, verdicts(c, true), 'live');
  });
}
