import type { Source } from './evidence.js';

/** A setting as PostgreSQL would use it, with where that value came from. */
export interface PgValue {
  /** Normalised: booleans "on"/"off", enums in canonical spelling; null when the text is invalid. */
  value: string | null;
  /** As written (or as pg_settings shows it). */
  text: string;
  source: Source;
}

export interface PgSetting extends PgValue {
  /** Where the effective value comes from. */
  from: 'live' | 'files' | 'command-line' | 'default';
  /** What the files (and the postmaster's command line) say, offline semantics. */
  file: PgValue;
  /** The running server's pg_settings row, when connected. */
  live: (PgValue & { pgSource: string; pendingRestart: boolean }) | null;
  /** Running one way, on disk another (not reloaded, pending restart, ALTER SYSTEM not reloaded). */
  drift: string | null;
}

export type PgHbaAddress =
  | { kind: 'cidr'; text: string; cidr: string; family: 'ipv4' | 'ipv6'; prefix: number; any: boolean; loopback: boolean }
  | { kind: 'all' | 'samehost' | 'samenet' | 'hostname'; text: string };

export interface PgHbaRule {
  /** File and line (the record's first line), excerpt = the record as written. */
  source: Source;
  type: string;
  databases: string[];
  users: string[];
  address: PgHbaAddress | null;
  method: string;
  options: string[];
}

export interface PgFileStat {
  path: string;
  /** Where the path was configured. */
  source: Source;
  state: 'ok' | 'missing' | 'error';
  detail: string | null;
  type: string | null;
  mode: number | null;
  uid: number | null;
  gid: number | null;
}

export type PgPasswordKind = 'none' | 'empty' | 'md5' | 'scram-sha-256' | 'other' | 'hidden';

/** A role: never its password or hash, only the kind of hash (from its prefix). */
export interface PgRole {
  name: string;
  canLogin: boolean;
  /** rolvaliduntil as ISO text; null = no expiry. */
  validUntil: string | null;
  password: PgPasswordKind;
}

export interface PgProblem {
  message: string;
  source: Source;
  /** error: PostgreSQL refuses the file (startup fails, a reload keeps the old values); note: informational. */
  level: 'error' | 'note';
}

export interface PgLive {
  state: 'connected' | 'failed' | 'not-running' | 'offline';
  detail: string;
  via: 'url' | 'env' | 'peer' | null;
  /** How the server was asked (never with a password). */
  source: Source;
  serverVersion: string | null;
  roles: { state: 'ok' | 'error'; detail: string; list: PgRole[]; source: Source } | null;
}

export interface PgCluster {
  /** "15/main" for Debian clusters, else the data directory. */
  name: string;
  version: string | null;
  configFile: string | null;
  dataDir: string | null;
  discoveredBy: Source[];
  running: { pid: number; source: Source } | null;
  enabledAtBoot: { value: boolean; source: Source } | null;
  /** Configuration files in the order PostgreSQL reads them. */
  files: string[];
  problems: PgProblem[];
  settings: Record<string, PgSetting>;
  hba: {
    state: 'ok' | 'unreadable' | 'invalid';
    from: 'files' | 'live';
    path: string | null;
    detail: string | null;
    rules: PgHbaRule[];
    /** Records PostgreSQL rejects (the server then refuses the whole file). */
    errors: { message: string; source: Source }[];
  };
  sslFiles: { cert: PgFileStat; key: PgFileStat } | null;
  /** The postgres OS account (owner the key file may have). */
  serviceUser: { name: string; uid: number | null; gid: number | null };
  live: PgLive;
}

export interface PostgresFacts {
  installed: boolean;
  installedEvidence: Source[];
  clusters: PgCluster[];
}
