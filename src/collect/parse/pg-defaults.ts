/**
 * Built-in defaults of PostgreSQL 15 for the settings Rampart judges, with their source
 * (src/backend/utils/misc/guc.c of REL_15_STABLE and the documentation, "Server Configuration").
 */
export interface PgDefault {
  value: string;
  note: string;
}

const GUC = 'PostgreSQL 15 built-in default (guc.c)';

export const PG15_DEFAULTS: Record<string, PgDefault> = {
  listen_addresses: { value: 'localhost', note: `${GUC}: listen_addresses = 'localhost'` },
  port: { value: '5432', note: `${GUC}: port = 5432` },
  // Debian builds with DEFAULT_PGSOCKET_DIR=/var/run/postgresql (upstream: /tmp).
  unix_socket_directories: {
    value: '/var/run/postgresql',
    note: "Debian's PostgreSQL 15 build default: unix_socket_directories = '/var/run/postgresql'",
  },
  ssl: { value: 'off', note: `${GUC}: ssl = off` },
  ssl_cert_file: { value: 'server.crt', note: `${GUC}: ssl_cert_file = 'server.crt' (in the data directory)` },
  ssl_key_file: { value: 'server.key', note: `${GUC}: ssl_key_file = 'server.key' (in the data directory)` },
  ssl_min_protocol_version: { value: 'TLSv1.2', note: `${GUC}: ssl_min_protocol_version = 'TLSv1.2' (since PostgreSQL 13)` },
  password_encryption: { value: 'scram-sha-256', note: `${GUC}: password_encryption = 'scram-sha-256' (since PostgreSQL 14)` },
  log_connections: { value: 'off', note: `${GUC}: log_connections = off` },
  log_disconnections: { value: 'off', note: `${GUC}: log_disconnections = off` },
  log_statement: { value: 'none', note: `${GUC}: log_statement = 'none'` },
  log_line_prefix: { value: '%m [%p] ', note: `${GUC}: log_line_prefix = '%m [%p] ' (since PostgreSQL 10)` },
  shared_preload_libraries: { value: '', note: `${GUC}: shared_preload_libraries = ''` },
};

/** The settings Rampart reads (the judged ones, and those that locate files and sockets). */
export const PG_WATCHED = [...Object.keys(PG15_DEFAULTS), 'data_directory', 'hba_file', 'config_file'] as const;

export const PG_BOOL_SETTINGS = new Set(['ssl', 'log_connections', 'log_disconnections']);
/** Enum settings: PostgreSQL matches them case-insensitively and shows the canonical spelling. */
export const PG_ENUM_SETTINGS: Record<string, string[]> = {
  ssl_min_protocol_version: ['', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
  password_encryption: ['md5', 'scram-sha-256'],
  log_statement: ['none', 'ddl', 'mod', 'all'],
};
