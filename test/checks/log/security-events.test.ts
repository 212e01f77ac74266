import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/log/security-events.js';
import type { FailedLogins, LoggingFacts, MonitorState } from '../../../src/facts/logging.js';
import { ctx } from '../../helpers.js';
import { authFile, logging, shipper } from './facts.js';
import { absent, collected, failed, type Fact } from '../../../src/facts/fact.js';
import type { Fail2banFacts } from '../../../src/facts/fail2ban.js';
import { f2b, jail, opt } from '../f2b/facts.js';

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
const m = (over: Partial<LoggingFacts['monitors']>) => ({ wazuh: off, auditd: off, ...over });
const noF2b = absent<Fail2banFacts>('fail2ban is not installed');
/** The guide's jail on a journal backend (journald present in the logging facts): a real log source. */
const f2bOn = collected(f2b());
/** A jail reading /var/log/auth.log that exists and rsyslog writes auth messages to. */
const f2bFile = (sshdLines: number) =>
  collected(
    f2b({
      sshdJail: jail({
        backend: opt('auto', 'auto', 8),
        logpath: opt(['/var/log/auth.log'], '/var/log/auth.log', 9),
        logFiles: [{ pattern: '/var/log/auth.log', matches: [{ path: '/var/log/auth.log', size: 10, sshdLines, error: null }] }],
      }),
    }),
  );

const cases: { name: string; facts: LoggingFacts; fail2ban?: Fact<Fail2banFacts>; status: string; summary: RegExp }[] = [
  {
    name: 'fail2ban sshd jail, with the 24 h summary',
    facts: logging({ failedLogins: logins }),
    fail2ban: f2bOn,
    status: 'pass',
    summary:
      /fail2ban sshd jail watch.*7 failed SSH login\(s\) in the last 24 h from 2 address\(es\) \(198\.51\.100\.23 4, 203\.0\.113\.5 3\); users: root 4, admin 3/,
  },
  {
    name: 'auditd login rules',
    facts: logging({ monitors: m({ auditd: on('auditd rules watch 2 login record file(s)') }) }),
    status: 'pass',
    summary: /auditd login rules.*summary unavailable/,
  },
  { name: 'no monitor', facts: logging({ failedLogins: logins }), status: 'fail', summary: /no monitor .* is installed; 7 failed/ },
  {
    name: 'monitor watches but not enabled at boot',
    facts: logging({ monitors: m({ wazuh: on('Wazuh/OSSEC reads the authentication log', false) }) }),
    status: 'fail',
    summary: /not enabled at boot/,
  },
  {
    name: 'fail2ban installed, jail disabled',
    facts: logging(),
    fail2ban: collected(f2b({ sshdJail: jail({ enabled: opt(false, 'false', 2) }) })),
    status: 'fail',
    summary: /sshd jail is not enabled/,
  },
  {
    name: 'fail2ban jail on a file rsyslog writes, no sshd line yet: a real source (the logging facts route it)',
    facts: logging({ shippers: [shipper()], logFiles: [authFile(null)] }),
    fail2ban: f2bFile(0),
    status: 'pass',
    summary: /fail2ban sshd jail watches/,
  },
  {
    name: 'fail2ban jail on a file nothing writes: not a monitor',
    facts: logging(),
    fail2ban: f2bFile(0),
    status: 'fail',
    summary: /log source is not real/,
  },
  {
    name: 'fail2ban facts failed: not a monitor, the others still count',
    facts: logging({ monitors: m({ auditd: on('auditd rules watch 2 login record file(s)') }) }),
    fail2ban: failed('permission denied'),
    status: 'pass',
    summary: /^auditd login rules watches/,
  },
];

for (const c of cases) {
  test(`log.security-events ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ logging: c.facts, fail2ban: c.fail2ban ?? noF2b }, ctx());
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    assert.ok(v.findings.length > 0);
  });
}

test('log.security-events: the 24 h window follows ctx.now, not the clock', () => {
  const v = check.evaluate({ logging: logging({ failedLogins: logins }), fail2ban: noF2b }, ctx({ now: new Date('2026-11-26T12:00:00Z') }));
  assert.match(v.summary, /50 failed SSH login\(s\).*203\.0\.113\.99 50/);
});
