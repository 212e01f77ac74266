import type { PgCluster, PgHbaRule, PgSetting, PostgresFacts } from '../../../src/facts/postgres.js';
import { parseHbaAddress } from '../../../src/collect/parse/pg-hba.js';

/** A setting read from conf.d/50-test.conf:LINE (offline). */
export function setting(value: string | null, text = value ?? '', line = 1): PgSetting {
  const v = { value, text, source: { path: '/etc/postgresql/15/main/conf.d/50-test.conf', line, excerpt: `x = '${text}'` } };
  return { ...v, from: 'files', file: v, live: null, drift: null };
}

export function rule(type: string, address: string | null, method: string, line = 10): PgHbaRule {
  const a = address === null ? null : parseHbaAddress(address, null);
  if (a && 'error' in a) throw new Error(a.error);
  return {
    source: { path: '/etc/postgresql/15/main/pg_hba.conf', line, excerpt: `${type} all all ${address ?? ''} ${method}` },
    type,
    databases: ['all'],
    users: ['all'],
    address: a,
    method,
    options: [],
  };
}

const DEBIAN_HBA = [
  rule('local', null, 'peer', 1),
  rule('host', '127.0.0.1/32', 'scram-sha-256', 2),
  rule('host', '::1/128', 'scram-sha-256', 3),
];

/** A cluster passing every pg check, offline; `over` replaces parts. */
export function cluster(over: Partial<PgCluster> & { set?: Record<string, PgSetting> } = {}): PgCluster {
  const { set, ...rest } = over;
  const base: PgCluster = {
    name: '15/main',
    version: '15',
    configFile: '/etc/postgresql/15/main/postgresql.conf',
    dataDir: '/var/lib/postgresql/15/main',
    discoveredBy: [{ path: '/etc/postgresql/15/main/postgresql.conf' }],
    running: null,
    enabledAtBoot: null,
    files: ['/etc/postgresql/15/main/postgresql.conf'],
    problems: [],
    settings: {
      listen_addresses: setting('localhost'),
      ssl: setting('on'),
      ssl_cert_file: setting('server.crt'),
      ssl_key_file: setting('server.key'),
      ssl_min_protocol_version: setting('TLSv1.2'),
      password_encryption: setting('scram-sha-256'),
      log_connections: setting('on'),
      log_disconnections: setting('on'),
      log_statement: setting('ddl'),
      log_line_prefix: setting('%m [%p] %q%u@%d %r '),
      shared_preload_libraries: setting(''),
    },
    hba: { state: 'ok', from: 'files', path: '/etc/postgresql/15/main/pg_hba.conf', detail: null, rules: DEBIAN_HBA, errors: [] },
    sslFiles: {
      cert: {
        path: '/var/lib/postgresql/15/main/server.crt',
        source: { note: 'default' },
        state: 'ok',
        detail: null,
        type: 'file',
        mode: 0o644,
        uid: 101,
        gid: 104,
      },
      key: {
        path: '/var/lib/postgresql/15/main/server.key',
        source: { note: 'default' },
        state: 'ok',
        detail: null,
        type: 'file',
        mode: 0o600,
        uid: 101,
        gid: 104,
      },
    },
    serviceUser: { name: 'postgres', uid: 101, gid: 104 },
    live: { state: 'offline', detail: 'offline root', via: null, source: { note: 'offline' }, serverVersion: null, roles: null },
  };
  return { ...base, ...rest, settings: { ...base.settings, ...set } };
}

export const facts = (...clusters: PgCluster[]): PostgresFacts => ({
  installed: true,
  installedEvidence: [{ path: '/usr/lib/postgresql/15/bin/postgres' }],
  clusters,
});

export const connected = (roles: PgCluster['live']['roles']): PgCluster['live'] => ({
  state: 'connected',
  detail: 'connected',
  via: 'peer',
  source: { command: 'runuser -u postgres -- psql' },
  serverVersion: '150020',
  roles,
});
