import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/log/security-events.js';
import type { FailedLogins, LoggingFacts, MonitorState } from '../../../src/facts/logging.js';
import { ctx } from '../../helpers.js';
import { logging } from './facts.js';
import { runCases } from '../run-cases.js';

const on = (detail: string, enabledAtBoot: boolean | null = true): MonitorState => ({
  installed: true,
  watchesAuth: true,
  enabledAtBoot,
  evidence: [{ path: '/etc/fail2ban/jail.d/defaults-debian.conf', line: 2 }],
  detail,
});
const off: MonitorState = {
  installed: false,
  watchesAuth: false,
  enabledAtBoot: null,
  evidence: [{ note: 'not installed' }],
  detail: 'not installed',
};
const logins: FailedLogins = {
  state: 'ok',
  from: 'file',
  source: { path: '/var/log/auth.log' },
  detail: '/var/log/auth.log parsed',
  truncated: false,
  buckets: [
    { hour: '2026-11-26T02:00:00.000Z', address: '203.0.113.99', user: 'old', kind: 'failed-auth', count: 50 },
    { hour: '2026-11-28T02:00:00.000Z', address: '203.0.113.5', user: 'admin', kind: 'failed-auth', count: 2 },
    { hour: '2026-11-28T02:00:00.000Z', address: '203.0.113.5', user: 'admin', kind: 'invalid-user', count: 1 },
    { hour: '2026-11-28T03:00:00.000Z', address: '198.51.100.23', user: 'root', kind: 'failed-auth', count: 4 },
  ],
};
const m = (over: Partial<LoggingFacts['monitors']>) => ({ fail2ban: off, wazuh: off, auditd: off, ...over });

runCases(
  check,
  {
    pass: [
      {
        name: 'fail2ban sshd jail, with the 24 h summary',
        facts: logging({ monitors: m({ fail2ban: on('the fail2ban sshd jail is enabled') }), failedLogins: logins }),
        summary:
          /fail2ban sshd jail watch.*7 failed SSH login\(s\) in the last 24 h from 2 address\(es\) \(198\.51\.100\.23 4, 203\.0\.113\.5 3\); users: root 4, admin 3/,
      },
      {
        name: 'auditd login rules',
        facts: logging({ monitors: m({ auditd: on('auditd rules watch 2 login record file(s)') }) }),
        summary: /auditd login rules.*summary unavailable/,
      },
    ],
    fail: [
      { name: 'no monitor', facts: logging({ failedLogins: logins }), summary: /no monitor .* is installed; 7 failed/ },
      {
        name: 'monitor watches but not enabled at boot',
        facts: logging({ monitors: m({ wazuh: on('Wazuh/OSSEC reads the authentication log', false) }) }),
        summary: /not enabled at boot/,
      },
      {
        name: 'fail2ban installed, jail disabled',
        facts: logging({ monitors: m({ fail2ban: { ...on('the fail2ban sshd jail is not enabled'), watchesAuth: false } }) }),
        summary: /sshd jail is not enabled/,
      },
    ],
  },
  { key: 'logging', verify: (r) => assert.ok(r.findings.length > 0, 'every verdict shows its evidence') },
);

test('log.security-events: the 24 h window follows ctx.now, not the clock', () => {
  const v = check.evaluate({ logging: logging({ failedLogins: logins }) }, ctx({ now: new Date('2026-11-26T12:00:00Z') }));
  assert.match(v.summary, /50 failed SSH login\(s\).*203\.0\.113\.99 50/);
});
