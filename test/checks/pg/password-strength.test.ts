import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/pg/password-strength.js';
import type { PgRole, PostgresFacts } from '../../../src/facts/postgres.js';
import { ctx } from '../../helpers.js';
import { cluster, connected, facts, rule, setting } from './facts.js';

const src = { command: "runuser -u postgres -- psql -c 'SELECT … FROM pg_authid'" };
const withRoles = (...list: PgRole[]) =>
  cluster({ live: connected({ state: 'ok', detail: `${list.length} role(s) from pg_authid`, list, source: src }) });
const role = (name: string, password: PgRole['password'], validUntil: string | null = null, canLogin = true): PgRole => ({
  name,
  canLogin,
  validUntil,
  password,
});

// ctx().now is 2026-11-28; the rotation period defaults to 180 days (cut-off 2026-06-01).
const cases: { name: string; facts: PostgresFacts; status: string; summary: RegExp }[] = [
  // issue 9 §5: the roles were not seen, so a good password_encryption alone is no pass.
  {
    name: 'offline: scram, roles not inspected',
    facts: facts(cluster()),
    status: 'unknown',
    summary:
      /^password_encryption is "scram-sha-256" \(judged\); the login roles' password hashes, empty passwords and VALID UNTIL were not seen \(offline root/,
  },
  {
    name: 'offline: md5 is a fail without the roles',
    facts: facts(cluster({ set: { password_encryption: setting('md5') } })),
    status: 'fail',
    summary: /password_encryption is "md5".*roles not inspected: offline root/,
  },
  {
    name: 'live: SCRAM roles, expiry within the period',
    facts: facts(withRoles(role('app', 'scram-sha-256', '2026-09-01T00:00:00.000Z'), role('postgres', 'none'))),
    status: 'pass',
    summary: /2 login role\(s\) checked/,
  },
  {
    name: 'password_encryption md5 (postgresql.auto.conf)',
    facts: facts(cluster({ set: { password_encryption: setting('md5') } })),
    status: 'fail',
    summary: /password_encryption is "md5"/,
  },
  {
    name: 'live: a role with an md5 hash',
    facts: facts(withRoles(role('legacy', 'md5'))),
    status: 'fail',
    summary: /role "legacy" has an md5 password hash/,
  },
  {
    name: 'live: rolvaliduntil older than the rotation period',
    facts: facts(withRoles(role('old', 'scram-sha-256', '2026-01-01T00:00:00.000Z'))),
    status: 'fail',
    summary: /role "old" has rolvaliduntil 2026-01-01, more than 180 days/,
  },
  {
    name: 'live: an empty password with a password method in pg_hba',
    facts: facts({
      ...withRoles(role('blank', 'empty')),
      hba: { ...cluster().hba, rules: [rule('host', '127.0.0.1/32', 'scram-sha-256')] },
    }),
    status: 'fail',
    summary: /"blank" can log in with an empty password/,
  },
  {
    name: 'live: NOLOGIN md5 role is not a finding',
    facts: facts(withRoles(role('group_role', 'md5', null, false))),
    status: 'pass',
    summary: /0 login role/,
  },
  { name: 'live: pg_authid not readable', facts: facts(withRoles(role('app', 'hidden'))), status: 'unknown', summary: /cannot be read/ },
];

for (const c of cases) {
  test(`pg.password-strength ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ postgres: c.facts }, ctx());
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail')
      assert.ok(
        v.findings.some((f) => f.path || f.command),
        'a fail carries evidence',
      );
  });
}
