import type { Source } from './evidence.js';
import type { AlertDestination } from './logging.js';

/** An effective jail option: the interpolated value, the file:line that set it, what it was built from. */
export interface F2bOption<T> {
  /** Decoded value; null when the text cannot be decoded (see `error`). */
  value: T | null;
  /** The interpolated text fail2ban uses. */
  text: string;
  /** Where it was set (jail section or [DEFAULT]), or a built-in default ({ note }). */
  source: Source;
  /** Values it was interpolated from (paths-*.conf, [DEFAULT]). */
  refs: Source[];
  error: string | null;
}

export interface F2bPortSpec {
  all: boolean;
  ranges: [number, number][];
  unresolved: string[];
}

export interface F2bLogFile {
  /** One logpath entry (a glob); `matches` the files it names now. */
  pattern: string;
  matches: { path: string; size: number; sshdLines: number | null; error: string | null }[];
}

export interface F2bSshdJail {
  /** Where [sshd] is first defined. */
  section: Source;
  enabled: F2bOption<boolean>;
  maxretry: F2bOption<number>;
  /** Seconds; -1 (any negative) = permanent. */
  bantime: F2bOption<number>;
  findtime: F2bOption<number>;
  /** The port the ban action protects (its port= parameter, else the jail's port). */
  port: F2bOption<F2bPortSpec>;
  /** Ban action names of the jail's `action` (an *-allports action bans every port). */
  actions: F2bOption<string[]>;
  backend: F2bOption<string>;
  logpath: F2bOption<string[]>;
  logFiles: F2bLogFile[];
  /**
   * fail2ban skips the jail although it is enabled ("Jail 'sshd' skipped, because of wrong
   * configuration": a filter or action that cannot be read, a malformed filter/action definition).
   */
  configError?: { reason: string; source: Source } | null;
  /** Offline parser vs fail2ban-client -d, where both exist and differ (option: "files" / "dump"). */
  disagreements: { option: string; files: string; dump: string }[];
}

export type F2bConfigState =
  | { status: 'ok' }
  /** fail2ban refuses the configuration (it would not start): syntax error, bad interpolation. */
  | { status: 'invalid'; reason: string; source: Source }
  /** A file it reads cannot be read by us (permission, size, loop): the result is not known. */
  | { status: 'unreadable'; reason: string; source: Source };

export interface Fail2banFacts {
  installed: boolean;
  installedEvidence: Source;
  confDir: string;
  /** Files in the order fail2ban reads them (jail configuration, includes expanded). */
  files: string[];
  /** Files fail2ban skips with an error (not UTF-8) but still starts. */
  skipped: { path: string; reason: string }[];
  config: F2bConfigState;
  /** Enabled jails besides sshd whose state stops fail2ban from starting at all (offline and live). */
  startBlockers: { jail: string; reason: string; source: Source }[];
  /** Where the effective jail values come from. */
  effectiveFrom: 'files' | 'files+dump';
  dump: { state: 'ok' | 'offline' | 'error'; detail: string; source: Source };
  service: {
    unitFile: string | null;
    enabledAtBoot: boolean;
    masked: boolean;
    evidence: Source[];
  };
  server: {
    state: 'running' | 'not-running' | 'offline' | 'error';
    detail: string;
    socket: string;
    socketSource: Source;
    source: Source;
  };
  /** `fail2ban-client status sshd` when the server runs. */
  sshdStatus: {
    active: boolean;
    fileList: string[];
    journalMatches: string | null;
    totalFailed: number | null;
    totalBanned: number | null;
    source: Source;
  } | null;
  /** null: no [sshd] section. */
  sshdJail: F2bSshdJail | null;
  /** Where the sshd jail's actions send alerts (mail and webhook actions); empty when the configuration is not ok or there is no [sshd]. */
  sshdAlerts: AlertDestination[];
  /** fail2ban's systemd backend needs python3-systemd. Journald and rsyslog are the logging facts' (checks that need both declare both). */
  pythonSystemd: { present: boolean; source: Source };
}
