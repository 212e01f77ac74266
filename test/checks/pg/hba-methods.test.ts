import check from '../../../src/checks/pg/hba-methods.js';
import { cluster, facts, rule } from './facts.js';
import { runCases } from '../run-cases.js';

const hba = (...rules: ReturnType<typeof rule>[]) =>
  cluster({ hba: { state: 'ok', from: 'files', path: '/etc/postgresql/15/main/pg_hba.conf', detail: null, rules, errors: [] } });

runCases(
  check,
  {
    pass: [{ name: 'peer locally, scram over TCP', facts: facts(cluster()), summary: /methods: peer, scram-sha-256/ }],
    fail: [
      { name: 'trust line', facts: facts(hba(rule('host', '127.0.0.1/32', 'trust'))), summary: /uses trust/ },
      {
        name: 'clear-text password',
        facts: facts(hba(rule('host', '10.0.1.0/24', 'password'))),
        summary: /password \(clear text\)/,
      },
      { name: 'md5 is a finding', facts: facts(hba(rule('hostssl', '10.0.1.0/24', 'md5'))), summary: /md5/ },
      { name: 'local ident', facts: facts(hba(rule('local', null, 'ident'))), summary: /local line uses ident/ },
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
        summary: /rejects .*invalid connection type "include"/,
      },
      {
        name: 'second cluster fails, named',
        facts: facts(cluster(), { ...hba(rule('host', '127.0.0.1/32', 'trust')), name: '16/reports' }),
        summary: /cluster 16\/reports: .*trust/,
      },
    ],
    na: [{ name: 'no cluster', facts: facts(), summary: /no cluster/ }],
    unknown: [
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
        summary: /could not be queried: cannot connect: timeout/,
      },
    ],
  },
  { key: 'postgres', live: false },
);
