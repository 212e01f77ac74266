import check from '../../../src/checks/pg/ssl.js';
import type { PgCluster } from '../../../src/facts/postgres.js';
import { cluster, facts, rule, setting } from './facts.js';
import { runCases } from '../run-cases.js';

const withKey = (k: Partial<NonNullable<PgCluster['sslFiles']>['key']>) => {
  const c = cluster();
  return cluster({ sslFiles: { cert: c.sslFiles!.cert, key: { ...c.sslFiles!.key, ...k } } });
};
const withRules = (...rules: ReturnType<typeof rule>[]) =>
  cluster({ hba: { state: 'ok', from: 'files', path: '/etc/postgresql/15/main/pg_hba.conf', detail: null, rules, errors: [] } });

runCases(
  check,
  {
    pass: [
      {
        name: 'ssl on, key 0600 postgres, remote hostssl',
        facts: facts(withRules(rule('hostssl', '10.0.1.0/24', 'scram-sha-256'))),
        summary: /ssl on, minimum TLSv1.2, 1 remote/,
      },
      {
        name: 'key 0640 root-owned (Debian snakeoil)',
        facts: facts(withKey({ mode: 0o640, uid: 0, gid: 103 })),
        summary: /ssl on/,
      },
      {
        name: 'TLSv1.3 minimum is stricter',
        facts: facts(cluster({ set: { ssl_min_protocol_version: setting('TLSv1.3') } })),
        summary: /stricter than the guide/,
      },
    ],
    fail: [
      { name: 'ssl off', facts: facts(cluster({ set: { ssl: setting('off') } })), summary: /ssl is "off"/ },
      { name: 'key 0644', facts: facts(withKey({ mode: 0o644 })), summary: /mode 0644/ },
      {
        name: 'key missing',
        facts: facts(withKey({ state: 'missing', detail: 'does not exist', mode: null })),
        summary: /cannot be read: does not exist/,
      },
      {
        name: 'remote host line without TLS',
        facts: facts(withRules(rule('host', '10.0.1.0/24', 'scram-sha-256'))),
        summary: /remote line is host, not hostssl/,
      },
      {
        name: 'TLSv1.1 allowed',
        facts: facts(cluster({ set: { ssl_min_protocol_version: setting('TLSv1.1') } })),
        summary: /ssl_min_protocol_version is "TLSv1.1"/,
      },
    ],
  },
  { key: 'postgres', live: false },
);
