import type { F2bOption, F2bSshdJail, Fail2banFacts } from '../../../src/facts/fail2ban.js';
import type { SshdFacts } from '../../../src/facts/sshd.js';

const o = <T>(value: T | null, text: string, line: number): F2bOption<T> => ({
  value,
  text,
  source: { path: '/etc/fail2ban/jail.local', line },
  refs: [],
  error: null,
});

/** The guide's jail (enabled, 3 / 1h / 10m, port ssh) on a journal backend; override what a case needs. */
export function jail(over: Partial<F2bSshdJail> = {}): F2bSshdJail {
  return {
    section: { path: '/etc/fail2ban/jail.local', line: 1 },
    enabled: o(true, 'true', 2),
    maxretry: o(3, '3', 3),
    bantime: o(3600, '1h', 4),
    findtime: o(600, '10m', 5),
    port: o({ all: false, ranges: [[22, 22]], unresolved: [] }, 'ssh', 6),
    actions: o(['iptables-multiport'], 'iptables-multiport[port="ssh"]', 7),
    backend: o('systemd', 'systemd', 8),
    logpath: o([], '', 9),
    logFiles: [],
    disagreements: [],
    ...over,
  };
}
export { o as opt };

export function f2b(over: Partial<Fail2banFacts> = {}): Fail2banFacts {
  return {
    installed: true,
    installedEvidence: { path: '/usr/bin/fail2ban-client' },
    confDir: '/etc/fail2ban',
    files: ['/etc/fail2ban/jail.conf', '/etc/fail2ban/jail.local'],
    skipped: [],
    config: { status: 'ok' },
    startBlockers: [],
    effectiveFrom: 'files',
    dump: { state: 'ok', detail: '1 jail(s) enabled', source: { command: 'fail2ban-client -d' } },
    service: {
      unitFile: '/lib/systemd/system/fail2ban.service',
      enabledAtBoot: true,
      masked: false,
      evidence: [{ path: '/etc/systemd/system/multi-user.target.wants/fail2ban.service' }],
    },
    server: {
      state: 'running',
      detail: 'the server answers ping',
      socket: '/var/run/fail2ban/fail2ban.sock',
      socketSource: { note: 'default' },
      source: { command: 'fail2ban-client ping' },
    },
    sshdStatus: null,
    sshdJail: jail(),
    sshdAlerts: [],
    pythonSystemd: { present: true, source: { path: '/usr/lib/python3/dist-packages/systemd/journal.py' } },
    ...over,
  };
}

/** The fail2ban checks read only the shared contract fields of the sshd facts (installed, ports). */
export const sshdOn = (ports: number[]): SshdFacts => ({ installed: true, ports }) as Pick<SshdFacts, 'installed' | 'ports'> as SshdFacts;
