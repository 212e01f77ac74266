import check from '../../../src/checks/pg/monitoring.js';
import { cluster, facts, setting } from './facts.js';
import { runCases } from '../run-cases.js';

const drifted = {
  ...setting('on'),
  from: 'live' as const,
  drift:
    'log_connections: the files say "off" (postgresql.auto.conf:3), the server runs with "on" (pg_settings, source configuration file)',
};

runCases(
  check,
  {
    pass: [
      { name: 'connections, ddl and a full prefix', facts: facts(cluster()), summary: /log_statement ddl/ },
      {
        name: 'pgaudit instead of log_statement',
        facts: facts(cluster({ set: { log_statement: setting('none'), shared_preload_libraries: setting('pg_stat_statements,pgaudit') } })),
        summary: /pgaudit loaded/,
      },
    ],
    fail: [
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
        summary: /log_connections is "off"/,
      },
      {
        name: 'prefix without client host',
        facts: facts(cluster({ set: { log_line_prefix: setting('%m %u@%d ') } })),
        summary: /lacks %h or %r/,
      },
    ],
    warn: [
      {
        name: 'drift: on disk off, running on',
        facts: facts(cluster({ set: { log_connections: drifted } })),
        summary: /running and on-disk values differ.*files say "off"/,
      },
    ],
    unknown: [
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
        summary: /syntax error/,
      },
    ],
  },
  { key: 'postgres', live: false },
);
