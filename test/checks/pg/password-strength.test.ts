import check from '../../../src/checks/pg/password-strength.js';
import type { PgRole } from '../../../src/facts/postgres.js';
import { cluster, connected, facts, rule, setting } from './facts.js';
import { runCases } from '../run-cases.js';

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
runCases(
  check,
  {
    pass: [
      {
        name: 'live: SCRAM roles, expiry within the period',
        facts: facts(withRoles(role('app', 'scram-sha-256', '2026-09-01T00:00:00.000Z'), role('postgres', 'none'))),
        summary: /2 login role\(s\) checked/,
      },
      {
        name: 'live: NOLOGIN md5 role is not a finding',
        facts: facts(withRoles(role('group_role', 'md5', null, false))),
        summary: /0 login role/,
      },
    ],
    fail: [
      {
        name: 'offline: md5 is a fail without the roles',
        facts: facts(cluster({ set: { password_encryption: setting('md5') } })),
        summary: /password_encryption is "md5".*roles not inspected: offline root/,
      },
      {
        name: 'password_encryption md5 (postgresql.auto.conf)',
        facts: facts(cluster({ set: { password_encryption: setting('md5') } })),
        summary: /password_encryption is "md5"/,
      },
      {
        name: 'live: a role with an md5 hash',
        facts: facts(withRoles(role('legacy', 'md5'))),
        summary: /role "legacy" has an md5 password hash/,
      },
      {
        name: 'live: rolvaliduntil older than the rotation period',
        facts: facts(withRoles(role('old', 'scram-sha-256', '2026-01-01T00:00:00.000Z'))),
        summary: /role "old" has rolvaliduntil 2026-01-01, more than 180 days/,
      },
      {
        name: 'live: an empty password with a password method in pg_hba',
        facts: facts({
          ...withRoles(role('blank', 'empty')),
          hba: { ...cluster().hba, rules: [rule('host', '127.0.0.1/32', 'scram-sha-256')] },
        }),
        summary: /"blank" can log in with an empty password/,
      },
    ],
    unknown: [
      {
        name: 'offline: scram, roles not inspected',
        facts: facts(cluster()),
        summary:
          /^password_encryption is "scram-sha-256" \(judged\); the login roles' password hashes, empty passwords and VALID UNTIL were not seen \(offline root/,
      },
      { name: 'live: pg_authid not readable', facts: facts(withRoles(role('app', 'hidden'))), summary: /cannot be read/ },
    ],
  },
  { key: 'postgres' },
);
