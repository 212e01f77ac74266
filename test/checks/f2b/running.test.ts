import check from '../../../src/checks/f2b/running.js';
import type { Fail2banFacts } from '../../../src/facts/fail2ban.js';
import { f2b } from './facts.js';
import { runCases } from '../run-cases.js';

const notEnabled: Partial<Fail2banFacts> = {
  service: {
    unitFile: '/lib/systemd/system/fail2ban.service',
    enabledAtBoot: false,
    masked: false,
    evidence: [{ path: '/lib/systemd/system/fail2ban.service' }],
  },
};
const down: Partial<Fail2banFacts> = {
  server: {
    state: 'not-running',
    detail: 'Failed to access socket path: /var/run/fail2ban/fail2ban.sock. Is fail2ban running?',
    socket: '/var/run/fail2ban/fail2ban.sock',
    socketSource: { note: 'default' },
    source: { command: 'fail2ban-client -s /var/run/fail2ban/fail2ban.sock ping' },
  },
};
const offline: Partial<Fail2banFacts> = {
  server: {
    state: 'offline',
    detail: 'offline',
    socket: '/var/run/fail2ban/fail2ban.sock',
    socketSource: { note: 'default' },
    source: { note: 'offline' },
  },
};

runCases(
  check,
  {
    pass: [
      { name: 'live: answers ping, enabled at boot', facts: f2b(), summary: /answers ping and is enabled at boot/ },
      {
        name: 'offline: enabled at boot, liveness noted',
        facts: f2b(offline),
        live: false,
        summary: /offline: whether it runs cannot be checked/,
      },
    ],
    fail: [
      { name: 'live: running but not enabled at boot', facts: f2b(notEnabled), summary: /not enabled at boot/ },
      { name: 'live: server does not answer', facts: f2b(down), summary: /does not answer.*Is fail2ban running/ },
      {
        name: 'live: masked unit',
        facts: f2b({
          ...down,
          service: {
            unitFile: '/lib/systemd/system/fail2ban.service',
            enabledAtBoot: false,
            masked: true,
            evidence: [{ path: '/etc/systemd/system/fail2ban.service' }],
          },
        }),
        summary: /masked/,
      },
      { name: 'offline: not enabled', facts: f2b({ ...offline, ...notEnabled }), live: false, summary: /not enabled at boot/ },
      {
        name: 'offline: invalid configuration cannot start',
        facts: f2b({
          ...offline,
          config: {
            status: 'invalid',
            reason: 'option "maxretry" in section "sshd" already exists',
            source: { path: '/etc/fail2ban/jail.local', line: 5 },
          },
        }),
        live: false,
        summary: /configuration is invalid/,
      },
    ],
    unknown: [
      {
        name: 'live: ping timed out',
        facts: f2b({ server: { ...f2b().server, state: 'error', detail: 'timed out after 10000 ms' } }),
        summary: /timed out/,
      },
    ],
  },
  { key: 'fail2ban' },
);
