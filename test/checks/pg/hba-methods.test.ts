import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/pg/hba-methods.js';
import type { PostgresFacts } from '../../../src/facts/postgres.js';
import { ctx } from '../../helpers.js';
import { cluster, facts, rule } from './facts.js';

const hba = (...rules: ReturnType<typeof rule>[]) =>
  cluster({ hba: { state: 'ok', from: 'files', path: '/etc/postgresql/15/main/pg_hba.conf', detail: null, rules, errors: [] } });

const cases: { name: string; facts: PostgresFacts; status: string; summary: RegExp }[] = [
  { name: 'peer locally, scram over TCP', facts: facts(cluster()), status: 'pass', summary: /methods: peer, scram-sha-256/ },
  { name: 'trust line', facts: facts(hba(rule('host', '127.0.0.1/32', 'trust'))), status: 'fail', summary: /uses trust/ },
  {
    name: 'clear-text password',
    facts: facts(hba(rule('host', '10.0.1.0/24', 'password'))),
    status: 'fail',
    summary: /password \(clear text\)/,
  },
  { name: 'md5 is a finding', facts: facts(hba(rule('hostssl', '10.0.1.0/24', 'md5'))), status: 'fail', summary: /md5/ },
  { name: 'local ident', facts: facts(hba(rule('local', null, 'ident'))), status: 'fail', summary: /local line uses ident/ },
  {
    name: 'a record PostgreSQL rejects',
    facts: facts(
      cluster({
        hba: {
          state: 'invalid',
          from: 'files',
          path: '/etc/postgresql/15/main/pg_hba.conf',
          detail: null,
          rules: [],
          errors: [{ message: 'invalid connection type "include"', source: { path: '/etc/postgresql/15/main/pg_hba.conf', line: 4 } }],
        },
      }),
    ),
    status: 'fail',
    summary: /rejects .*invalid connection type "include"/,
  },
  {
    name: 'second cluster fails, named',
    facts: facts(cluster(), { ...hba(rule('host', '127.0.0.1/32', 'trust')), name: '16/reports' }),
    status: 'fail',
    summary: /cluster 16\/reports: .*trust/,
  },
  {
    name: 'unreadable pg_hba.conf',
    facts: facts(
      cluster({
        hba: {
          state: 'unreadable',
          from: 'files',
          path: '/etc/postgresql/15/main/pg_hba.conf',
          detail: 'permission denied',
          rules: [],
          errors: [],
        },
      }),
    ),
    status: 'unknown',
    summary: /permission denied/,
  },
  {
    name: 'running server could not be queried',
    facts: facts(
      cluster({
        live: {
          state: 'failed',
          detail: 'cannot connect: timeout',
          via: 'url',
          source: { note: 'pg client' },
          serverVersion: null,
          roles: null,
        },
      }),
    ),
    status: 'unknown',
    summary: /could not be queried: cannot connect: timeout/,
  },
  { name: 'no cluster', facts: facts(), status: 'na', summary: /no cluster/ },
];

for (const c of cases) {
  test(`pg.hba-methods ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ postgres: c.facts }, ctx({ live: false }));
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail')
      assert.ok(
        v.findings.some((f) => f.path && f.line),
        'a fail carries file:line',
      );
  });
}
