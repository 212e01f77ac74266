import type {
  JournaldFacts,
  LoggingFacts,
  LogrotateEffective,
  MonitorState,
  RetainedLogFile,
  Shipper,
} from '../../../src/facts/logging.js';

const none: MonitorState = {
  installed: false,
  watchesAuth: false,
  enabledAtBoot: null,
  evidence: [{ note: 'not installed' }],
  detail: 'not installed',
};

export function journald(over: Partial<JournaldFacts> = {}): JournaldFacts {
  return {
    present: true,
    evidence: { path: '/lib/systemd/system/systemd-journald.service' },
    files: ['/etc/systemd/journald.conf'],
    storage: { value: 'auto', source: { note: 'default' } },
    persistentDir: true,
    maxRetentionSec: { value: null, source: { note: 'default' } },
    systemMaxUse: { value: null, source: { note: 'default' } },
    systemKeepFree: { value: null, source: { note: 'default' } },
    errors: [],
    ...over,
  };
}

export function rotation(
  criterion: LogrotateEffective['criterion']['value'],
  rotate: number,
  maxage: number | null = null,
  over: Partial<LogrotateEffective> = {},
): LogrotateEffective {
  const at = (line: number) => ({ path: '/etc/logrotate.d/rsyslog', line });
  return {
    block: at(1),
    pattern: '/var/log/auth.log',
    criterion: { value: criterion, source: at(9) },
    rotate: { value: rotate, source: at(8) },
    maxage: { value: maxage, source: at(10) },
    size: { value: criterion === 'size' ? 104857600 : null, source: at(9) },
    maxsize: { value: null, source: { note: 'default' } },
    ...over,
  };
}

export const authFile = (lr: LogrotateEffective | null, path = '/var/log/auth.log'): RetainedLogFile => ({
  path,
  kind: 'auth',
  writtenBy: { path: '/etc/rsyslog.conf', line: 60 },
  logrotate: lr,
});

export function shipper(over: Partial<Shipper> = {}): Shipper {
  return {
    kind: 'rsyslog',
    installed: true,
    installedEvidence: { path: '/usr/sbin/rsyslogd' },
    enabledAtBoot: true,
    enabledEvidence: [{ path: '/etc/systemd/system/multi-user.target.wants/rsyslog.service' }],
    running: null,
    configFiles: ['/etc/rsyslog.conf'],
    destinations: [],
    errors: [],
    validation: null,
    ...over,
  };
}

export function logging(over: Partial<LoggingFacts> = {}): LoggingFacts {
  return {
    installed: true,
    shippers: [],
    logrotate: { installed: true, evidence: { path: '/usr/sbin/logrotate' }, files: ['/etc/logrotate.conf'], skipped: [], errors: [] },
    logFiles: [],
    journald: journald(),
    monitors: { wazuh: none, auditd: none },
    alerts: [],
    failedLogins: {
      state: 'unavailable',
      from: null,
      source: { note: 'no auth log' },
      detail: 'no authentication log file',
      buckets: [],
      truncated: false,
    },
    ...over,
  };
}
