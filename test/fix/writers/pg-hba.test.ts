// The pg_hba writer: weak methods replaced in place (table of records), the fixed trust/md5 cases
// audited again by the real CLI, and a real PostgreSQL reading the result (pg_hba_file_rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsTarget } from '../../../src/target/fs-target.js';
import { replaceHbaMethods, WEAK_HBA_METHODS, writer } from '../../../src/fix/writers/pg-hba.js';
import { CHECKS } from '../../../src/checks/index.js';
import { runCli } from '../../helpers.js';
import { caseRoot, CONF_DIR } from '../../postgres/fixture.js';
import { chownTree, initdb, postgresDir, requirePostgres, startServer } from '../../postgres/pg-server.js';

const S = 'scram-sha-256';
const NOW = '2026-12-01T00:00:00Z';

const CASES: { name: string; in: string; out: string }[] = [
  { name: 'trust host line', in: 'host all all 127.0.0.1/32 trust', out: `host all all 127.0.0.1/32 ${S}` },
  {
    name: 'columns after the method kept',
    in: 'host all all 10.0.0.0/8        md5       clientcert=verify-ca',
    out: `host all all 10.0.0.0/8        ${S} clientcert=verify-ca`,
  },
  { name: 'local password', in: 'local all all password   # old', out: `local all all ${S} # old` },
  { name: 'address + netmask', in: 'host all all 10.0.0.1 255.255.255.255 md5', out: `host all all 10.0.0.1 255.255.255.255 ${S}` },
  { name: 'a user named md5 is not a method', in: 'host all md5 127.0.0.1/32 peer', out: 'host all md5 127.0.0.1/32 peer' },
  { name: 'a database named "trust"', in: 'host "trust" all ::1/128 scram-sha-256', out: 'host "trust" all ::1/128 scram-sha-256' },
  { name: 'commented record left alone', in: '# host all all 0.0.0.0/0 trust', out: '# host all all 0.0.0.0/0 trust' },
  { name: 'continued record', in: 'host all all \\\n  192.168.0.0/16 \\\n  trust', out: `host all all \\\n  192.168.0.0/16 \\\n  ${S}` },
  { name: 'tabs kept', in: 'host\tall\tall\t::1/128\tmd5\n', out: `host\tall\tall\t::1/128\t${S}\n` },
];

for (const c of CASES)
  test(`replaceHbaMethods: ${c.name}`, () => {
    assert.equal(replaceHbaMethods(c.in, WEAK_HBA_METHODS, S).text, c.out);
  });

test('pg.hba-methods has a pg_hba recipe (disruptive: md5-hashed roles and password-less clients)', () => {
  const fix = CHECKS.find((c) => c.id === 'pg.hba-methods')?.fix;
  assert.equal(fix?.risk, 'disruptive');
  assert.deepEqual(fix?.steps, [{ kind: 'set-directive', service: 'pg_hba', directive: 'method', value: S }]);
});

async function status(root: string, id: string): Promise<{ status: string; summary: string }> {
  const r = await runCli(['audit', '--root', root, '--format', 'json', '--now', NOW, '--no-store', '--only', id]);
  const j = JSON.parse(r.stdout) as { results: { id: string; status: string; summary: string }[] };
  return j.results.find((x) => x.id === id)!;
}

for (const name of ['trust-line.fail', 'md5.fail'])
  test(`${name}: the writer's result passes pg.hba-methods; only the method changed`, { timeout: 120_000 }, async (t) => {
    const root = caseRoot(t, name);
    const file = join(root, CONF_DIR, 'pg_hba.conf');
    const before = readFileSync(file, 'utf8');
    assert.equal((await status(root, 'pg.hba-methods')).status, 'fail');
    const out = await writer.write({
      target: new FsTarget({ root, name: 'pg' }),
      mode: 'root',
      step: { kind: 'set-directive', service: 'pg_hba', directive: 'method', value: S },
      pending: new Map(),
    });
    assert.ok(out.ok, out.ok ? '' : out.refused);
    const [change] = out.result.changes;
    assert.equal(change?.path, `${CONF_DIR}/pg_hba.conf`);
    writeFileSync(file, change.content);
    const after = readFileSync(file, 'utf8');
    const diff = before.split('\n').flatMap((l, i) => (l === after.split('\n')[i] ? [] : [i + 1]));
    assert.deepEqual(diff, [out.result.decidedBy.line]);
    assert.match(after.split('\n')[diff[0]! - 1]!, /^host\s+all\s+all\s+127\.0\.0\.1\/32\s+scram-sha-256$/);
    const s = await status(root, 'pg.hba-methods');
    assert.equal(s.status, 'pass', s.summary);
  });

test(
  'a real PostgreSQL 15 loads the rewritten pg_hba.conf: pg_hba_file_rules has no error and no weak method',
  { timeout: 180_000 },
  async (t) => {
    const bin = requirePostgres(t);
    if (!bin) return;
    const root = caseRoot(t, 'trust-line.fail');
    const hbaText = readFileSync(join(root, CONF_DIR, 'pg_hba.conf'), 'utf8');
    // Weak records of every kind, each followed by options or comments, on top of the Debian file.
    const candidate = `${hbaText}host all all 10.0.0.0/8 md5 # app\nhostnossl all all 10.1.0.0/16   password\n`;
    const fixed = replaceHbaMethods(candidate, WEAK_HBA_METHODS, S);
    assert.equal(fixed.changed.length, 3);
    const dir = postgresDir(t, 'rampart-pghba-');
    initdb(bin, join(dir, 'data'));
    const hba = join(dir, 'pg_hba.conf');
    writeFileSync(hba, fixed.text);
    chownTree(dir);
    const server = await startServer(t, bin, join(dir, 'data'), ['-c', `hba_file=${hba}`]);
    const q =
      "SELECT count(*) FILTER (WHERE error IS NOT NULL) || ' ' || count(*) FILTER (WHERE auth_method IN ('trust','md5','password')) || ' ' || count(*) FROM pg_hba_file_rules";
    assert.equal(server.psql(q).trim(), '0 0 6');
    // The view reads the file as it is now: a record PostgreSQL rejects shows as an error row (the probe can fail).
    writeFileSync(hba, `${fixed.text}host all all 10.2.0.0/16 scram-sha-257\n`);
    assert.equal(server.psql(q).trim(), '1 0 7');
    copyFileSync(join(root, CONF_DIR, 'pg_hba.conf'), hba);
    assert.match(server.psql(q).trim(), /^0 1 \d+$/);
  },
);
