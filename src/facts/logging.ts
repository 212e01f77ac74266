import type { Source, Sourced } from './evidence.js';

export type ShipperKind =
  | 'rsyslog'
  | 'syslog-ng'
  | 'journal-upload'
  | 'promtail'
  | 'grafana-alloy'
  | 'grafana-agent'
  | 'filebeat'
  | 'elastic-agent'
  | 'fluent-bit'
  | 'vector'
  | 'google-cloud-ops-agent'
  | 'amazon-cloudwatch-agent'
  | 'azure-monitor-agent';

/** Where a shipper sends logs: host and port only (never credentials, URL paths or tokens). */
export interface LogDestination {
  host: string;
  port: number | null;
  protocol: string | null;
  /** Not a loopback address or name. A cloud agent's service counts as remote. */
  remote: boolean;
  /** The option that names it ("@@ (TCP)", `action(type="omfwd")`, `clients.0.url`, …). */
  via: string;
  /** Why it does not count although written (e.g. in a ruleset no local input uses, a destination no log path uses); null when it counts. */
  inactive: string | null;
  source: Source;
}

export interface Shipper {
  kind: ShipperKind;
  installed: boolean;
  installedEvidence: Source;
  /** From unit enablement symlinks (PID 1 may not be systemd). null: no unit file found. */
  enabledAtBoot: boolean | null;
  enabledEvidence: Source[];
  /** Live: a process of the shipper runs; offline: null. */
  running: boolean | null;
  configFiles: string[];
  destinations: LogDestination[];
  /** unreadable: the file could not be read at all (its content may decide); else a parse problem the service itself tolerates. */
  errors: { message: string; source: Source; unreadable?: boolean }[];
  /** The shipper's own config check where one was run (`rsyslogd -N1`). */
  validation: { ok: boolean; detail: string; source: Source } | null;
}

export type RotationCriterion = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'size';

/** logrotate's effective settings for one log file (first definition wins; duplicates are ignored by logrotate). */
export interface LogrotateEffective {
  /** The block that defines the file. */
  block: Source;
  pattern: string;
  criterion: Sourced<RotationCriterion>;
  rotate: Sourced<number>;
  maxage: Sourced<number | null>;
  size: Sourced<number | null>;
  maxsize: Sourced<number | null>;
}

export interface RetainedLogFile {
  path: string;
  kind: 'auth' | 'syslog';
  /** The syslog rule that writes it. */
  writtenBy: Source;
  /** null: no logrotate definition covers the file (it is never rotated). */
  logrotate: LogrotateEffective | null;
}

export interface JournaldFacts {
  present: boolean;
  evidence: Source;
  /** journald.conf and drop-ins in the order systemd applies them (later wins). */
  files: string[];
  storage: Sourced<string>;
  /** /var/log/journal exists (Storage=auto then persists). */
  persistentDir: boolean;
  /** Seconds; null = unset or 0 (no time limit). */
  maxRetentionSec: Sourced<number | null>;
  /** Raw values as written; null = not set (journald's default: 10% of the file system, at most 4 GiB / 15% free). */
  systemMaxUse: Sourced<string | null>;
  systemKeepFree: Sourced<string | null>;
  /** unreadable: the file could not be read at all (its content may decide); else a parse problem the service itself tolerates. */
  errors: { message: string; source: Source; unreadable?: boolean }[];
}

export interface FailedLoginBucket {
  hour: string;
  address: string | null;
  user: string;
  kind: 'failed-auth' | 'invalid-user';
  count: number;
}

export interface FailedLogins {
  /** `ok`: read from `source`; `unavailable`: no auth log source could be read (see detail). */
  state: 'ok' | 'unavailable';
  from: 'journal' | 'file' | null;
  source: Source;
  detail: string;
  buckets: FailedLoginBucket[];
  /** Older buckets dropped to keep the fact small. */
  truncated: boolean;
}

export interface MonitorState {
  installed: boolean;
  /** It watches the authentication log source. */
  watchesAuth: boolean;
  enabledAtBoot: boolean | null;
  evidence: Source[];
  detail: string;
}

export interface AlertDestination {
  via: 'fail2ban-mail' | 'fail2ban-webhook' | 'wazuh-email' | 'wazuh-integration' | 'alertmanager';
  /** An e-mail address, a receiver name or a host; never a token or hook URL path. */
  target: string;
  /** Delivered on this host only (root@localhost). */
  local: boolean;
  source: Source;
}

export interface LoggingFacts {
  installed: boolean;
  shippers: Shipper[];
  logrotate: {
    installed: boolean;
    evidence: Source;
    /** Config files in the order logrotate reads them. */
    files: string[];
    /** Files of an included directory logrotate ignores (tabooext). */
    skipped: { path: string; reason: string }[];
    /** unreadable: the file could not be read at all (its content may decide); else a parse problem the service itself tolerates. */
    errors: { message: string; source: Source; unreadable?: boolean }[];
  };
  /** auth/secure and syslog/messages files a syslog daemon writes, with their rotation. */
  logFiles: RetainedLogFile[];
  journald: JournaldFacts;
  /** The fail2ban sshd jail is the fail2ban facts' (log.security-events needs both). */
  monitors: { wazuh: MonitorState; auditd: MonitorState };
  /** Wazuh and Alertmanager; the fail2ban jail's actions are Fail2banFacts.sshdAlerts. */
  alerts: AlertDestination[];
  failedLogins: FailedLogins;
}
