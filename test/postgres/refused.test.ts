// Configurations PostgreSQL 15 refuses to start (each seen refused by the real postgres 15 in
// test/postgres/agree.test.ts's generator, or checked by hand with `postgres -C` / a real start): every
// pg.* item is unknown, naming the refusal and its file:line. Built on Debian's postgresql.conf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPostgres } from '../../src/collect/postgres.js';
import { pgChecks } from '../../src/checks/pg/index.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { PgCluster, PostgresFacts } from '../../src/facts/postgres.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { ctx } from '../helpers.js';
import { CONF_DIR, DATA_DIR, caseRoot } from './fixture.js';

const CONF = join(CONF_DIR, 'postgresql.conf');
const LAST = 815;

async function cluster(root: string): Promise<PgCluster> {
  const f = await collectPostgres(
    { target: new FsTarget({ root, name: 'x' }), config: DEFAULT_CONFIG, commandTimeoutMs: 5000 },
    { env: {} },
  );
  assert.equal(f.state, 'collected');
  return (f as { value: PostgresFacts }).value.clusters.find((c) => c.name === '15/main')!;
}

interface Case {
  name: string;
  conf?: string;
  hba?: string;
  prepare?: (root: string) => void;
  reason: RegExp | null;
  line?: number;
}

const CASES: Case[] = [
  { name: 'bad boolean', conf: 'ssl = maybe\n', reason: /parameter "ssl" requires a Boolean value/, line: LAST + 1 },
  { name: 'unknown parameter', conf: 'wrok_mem = 4MB\n', reason: /unrecognized configuration parameter "wrok_mem"/, line: LAST + 1 },
  {
    name: 'unit in the wrong case',
    conf: 'work_mem = 4mb\n',
    reason: /Valid units for this parameter are "B", "kB", "MB", "GB", and "TB"/,
    line: LAST + 1,
  },
  {
    name: 'octal integer out of range',
    conf: 'work_mem = 010\n',
    reason: /8 kB is outside the valid range for parameter "work_mem" \(64 \.\. 2147483647\)/,
    line: LAST + 1,
  },
  { name: 'internal parameter', conf: 'block_size = 8192\n', reason: /parameter "block_size" cannot be changed/, line: LAST + 1 },
  { name: 'bad enum', conf: 'password_encryption = on\n', reason: /invalid value for parameter "password_encryption"/, line: LAST + 1 },
  {
    name: 'wal_level minimal with WAL senders',
    conf: 'wal_level = minimal\n',
    reason: /WAL streaming \(max_wal_senders > 0\) requires wal_level/,
    line: LAST + 1,
  },
  {
    name: 'missing preload library',
    conf: "shared_preload_libraries = 'nosuchlib'\n",
    reason: /could not access file "nosuchlib"/,
    line: LAST + 1,
  },
  { name: 'pg_hba.conf error', hba: 'host all all 10.0.0.0/33 scram-sha-256\n', reason: /could not load pg_hba.conf/ },
  {
    name: 'ssl on, key readable by others',
    conf: `ssl = on\nssl_cert_file = '${DATA_DIR}/server.crt'\nssl_key_file = '${DATA_DIR}/server.key'\n`,
    prepare: (root) => chmodSync(join(root, DATA_DIR, 'server.key'), 0o644),
    reason: /private key file .* has group or world access \(mode 0644\)/,
  },
  {
    name: 'ssl on, no certificate',
    conf: `ssl = on\nssl_cert_file = '${DATA_DIR}/none.crt'\nssl_key_file = '${DATA_DIR}/server.key'\n`,
    reason: /could not load server certificate file/,
  },
  {
    name: 'byte-order mark',
    prepare: (root) => writeFileSync(join(root, CONF), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(join(root, CONF))])),
    reason: /syntax error in file .* line 1/,
    line: 1,
  },
  // Not refused: only the last value of a parameter is applied and checked (postgres 15 starts).
  { name: 'bad value then a good one', conf: "log_statement = wrong\nlog_statement = 'ddl'\n", reason: null },
  { name: 'hidden enum spelling', conf: 'wal_level = hot_standby\nsynchronous_commit = yes\n', reason: null },
];

for (const c of CASES) {
  test(`postgres refused: ${c.name}`, async (t) => {
    const root = caseRoot(t, 'debian15-default');
    for (const f of ['server.crt', 'server.key']) {
      const p = join(root, DATA_DIR, f);
      writeFileSync(p, 'test stand-in\n', { mode: 0o600 });
      if (process.getuid?.() === 0) chownSync(p, 101, 101);
    }
    if (c.conf) appendFileSync(join(root, CONF), c.conf);
    if (c.hba) appendFileSync(join(root, CONF_DIR, 'pg_hba.conf'), c.hba);
    c.prepare?.(root);
    const cl = await cluster(root);
    const errs = cl.problems.filter((p) => p.level === 'error');
    if (c.reason === null) {
      assert.deepEqual(errs, []);
      return;
    }
    assert.match(errs[0]?.message ?? '(none)', c.reason);
    if (c.line !== undefined) assert.equal(errs[0]?.source.line, c.line);
    for (const check of pgChecks) {
      const v = check.evaluate({ postgres: { installed: true, installedEvidence: [], clusters: [cl] } }, ctx({ live: false }));
      assert.equal(v.status, 'unknown', `${check.id}: ${v.summary}`);
      assert.match(v.summary, /PostgreSQL refuses/);
    }
  });
}
