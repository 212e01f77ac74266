import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/pg/monitoring.js';
import type { PostgresFacts } from '../../../src/facts/postgres.js';
import { ctx } from '../../helpers.js';
import { cluster, facts, setting } from './facts.js';

const drifted = {
  ...setting('on'),
  from: 'live' as const,
  drift:
    'log_connections: the files say "off" (postgresql.auto.conf:3), the server runs with "on" (pg_settings, source configuration file)',
};

const cases: { name: string; facts: PostgresFacts; status: string; summary: RegExp }[] = [
  { name: 'connections, ddl and a full prefix', facts: facts(cluster()), status: 'pass', summary: /log_statement ddl/ },
  {
    name: 'pgaudit instead of log_statement',
    facts: facts(cluster({ set: { log_statement: setting('none'), shared_preload_libraries: setting('pg_stat_statements,pgaudit') } })),
    status: 'pass',
    summary: /pgaudit loaded/,
  },
  {
    name: 'Debian default: nothing logged',
    facts: facts(
      cluster({
        set: {
          log_connections: setting('off'),
          log_disconnections: setting('off'),
          log_statement: setting('none'),
          log_line_prefix: setting('%m [%p] %q%u@%d '),
        },
      }),
    ),
    status: 'fail',
    summary: /log_connections is "off"/,
  },
  {
    name: 'prefix without client host',
    facts: facts(cluster({ set: { log_line_prefix: setting('%m %u@%d ') } })),
    status: 'fail',
    summary: /lacks %h or %r/,
  },
  {
    name: 'drift: on disk off, running on',
    facts: facts(cluster({ set: { log_connections: drifted } })),
    status: 'warn',
    summary: /running and on-disk values differ.*files say "off"/,
  },
  {
    name: 'offline config with errors PostgreSQL refuses',
    facts: facts(
      cluster({
        problems: [
          {
            message: 'syntax error in file "x.conf" line 3, near token "*"',
            source: { path: '/etc/postgresql/15/main/conf.d/x.conf', line: 3 },
            level: 'error',
          },
        ],
      }),
    ),
    status: 'unknown',
    summary: /syntax error/,
  },
];

for (const c of cases) {
  test(`pg.monitoring ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ postgres: c.facts }, ctx({ live: false }));
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail' || v.status === 'warn')
      assert.ok(
        v.findings.some((f) => f.path && f.line),
        'evidence with file:line',
      );
  });
}
