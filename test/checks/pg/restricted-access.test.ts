import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/pg/restricted-access.js';
import type { PostgresFacts } from '../../../src/facts/postgres.js';
import { ctx } from '../../helpers.js';
import { cluster, facts, rule, setting } from './facts.js';

const withRules = (listen: string, ...rules: ReturnType<typeof rule>[]) =>
  cluster({
    set: { listen_addresses: setting(listen) },
    hba: {
      state: 'ok',
      from: 'files',
      path: '/etc/postgresql/15/main/pg_hba.conf',
      detail: null,
      rules: [rule('local', null, 'peer', 1), ...rules],
      errors: [],
    },
  });
const APPS = ['10.0.1.0/24'];

const cases: { name: string; facts: PostgresFacts; apps?: string[]; status: string; summary: RegExp }[] = [
  { name: 'localhost only', facts: facts(cluster()), status: 'pass', summary: /remote sources none/ },
  {
    name: "listen '*' narrowed by pg_hba to an app server",
    facts: facts(withRules('*', rule('hostssl', '10.0.1.10/32', 'scram-sha-256'))),
    apps: APPS,
    status: 'pass',
    summary: /10\.0\.1\.10\/32.*narrowed by pg_hba/,
  },
  {
    name: 'app network inside the configured range',
    facts: facts(withRules('10.0.1.5', rule('hostssl', '10.0.1.0/25', 'scram-sha-256'))),
    apps: APPS,
    status: 'pass',
    summary: /10\.0\.1\.0\/25/,
  },
  {
    name: "listen '*' and 0.0.0.0/0 in pg_hba",
    facts: facts(withRules('*', rule('host', '0.0.0.0/0', 'scram-sha-256'))),
    apps: APPS,
    status: 'fail',
    summary: /listen_addresses is "\*".*any address/,
  },
  {
    name: 'address all',
    facts: facts(withRules('localhost', rule('hostssl', 'all', 'scram-sha-256'))),
    apps: APPS,
    status: 'fail',
    summary: /any address \(all\)/,
  },
  {
    name: '::/0',
    facts: facts(withRules('localhost', rule('hostssl', '::/0', 'scram-sha-256'))),
    apps: APPS,
    status: 'fail',
    summary: /any address/,
  },
  {
    name: 'a wider range than the app servers',
    facts: facts(withRules('*', rule('hostssl', '10.0.0.0/16', 'scram-sha-256'))),
    apps: APPS,
    status: 'fail',
    summary: /10\.0\.0\.0\/16, outside pg_app_servers/,
  },
  {
    name: 'reject lines allow nothing',
    facts: facts(withRules('*', rule('host', '0.0.0.0/0', 'reject'))),
    apps: APPS,
    status: 'pass',
    summary: /remote sources none/,
  },
  {
    name: 'samenet cannot be matched',
    facts: facts(withRules('*', rule('hostssl', 'samenet', 'scram-sha-256'))),
    apps: APPS,
    status: 'warn',
    summary: /samenet/,
  },
];

for (const c of cases) {
  test(`pg.restricted-access ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ postgres: c.facts }, ctx({ live: false, config: { pg_app_servers: c.apps ?? [] } }));
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail')
      assert.ok(
        v.findings.some((f) => f.path && f.line),
        'a fail carries file:line',
      );
  });
}
