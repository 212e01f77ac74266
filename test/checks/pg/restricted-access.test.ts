import check from '../../../src/checks/pg/restricted-access.js';
import { cluster, facts, rule, setting } from './facts.js';
import { runCases } from '../run-cases.js';

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

runCases(
  check,
  {
    pass: [
      { name: 'localhost only', facts: facts(cluster()), summary: /remote sources none/ },
      {
        name: "listen '*' narrowed by pg_hba to an app server",
        facts: facts(withRules('*', rule('hostssl', '10.0.1.10/32', 'scram-sha-256'))),
        config: { pg_app_servers: APPS },
        summary: /10\.0\.1\.10\/32.*narrowed by pg_hba/,
      },
      {
        name: 'app network inside the configured range',
        facts: facts(withRules('10.0.1.5', rule('hostssl', '10.0.1.0/25', 'scram-sha-256'))),
        config: { pg_app_servers: APPS },
        summary: /10\.0\.1\.0\/25/,
      },
      {
        name: 'reject lines allow nothing',
        facts: facts(withRules('*', rule('host', '0.0.0.0/0', 'reject'))),
        config: { pg_app_servers: APPS },
        summary: /remote sources none/,
      },
    ],
    fail: [
      {
        name: "listen '*' and 0.0.0.0/0 in pg_hba",
        facts: facts(withRules('*', rule('host', '0.0.0.0/0', 'scram-sha-256'))),
        config: { pg_app_servers: APPS },
        summary: /listen_addresses is "\*".*any address/,
      },
      {
        name: 'address all',
        facts: facts(withRules('localhost', rule('hostssl', 'all', 'scram-sha-256'))),
        config: { pg_app_servers: APPS },
        summary: /any address \(all\)/,
      },
      {
        name: '::/0',
        facts: facts(withRules('localhost', rule('hostssl', '::/0', 'scram-sha-256'))),
        config: { pg_app_servers: APPS },
        summary: /any address/,
      },
      {
        name: 'a wider range than the app servers',
        facts: facts(withRules('*', rule('hostssl', '10.0.0.0/16', 'scram-sha-256'))),
        config: { pg_app_servers: APPS },
        summary: /10\.0\.0\.0\/16, outside pg_app_servers/,
      },
    ],
    warn: [
      {
        name: 'samenet cannot be matched',
        facts: facts(withRules('*', rule('hostssl', 'samenet', 'scram-sha-256'))),
        config: { pg_app_servers: APPS },
        summary: /samenet/,
      },
    ],
  },
  { key: 'postgres', live: false, config: { pg_app_servers: [] } },
);
