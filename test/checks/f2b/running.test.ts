import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/f2b/running.js';
import type { Fail2banFacts } from '../../../src/facts/fail2ban.js';
import { ctx } from '../../helpers.js';
import { f2b } from './facts.js';
import { logging } from '../log/facts.js';

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

const cases: { name: string; facts: Fail2banFacts; live?: boolean; status: string; summary: RegExp }[] = [
  { name: 'live: answers ping, enabled at boot', facts: f2b(), status: 'pass', summary: /answers ping and is enabled at boot/ },
  { name: 'live: running but not enabled at boot', facts: f2b(notEnabled), status: 'fail', summary: /not enabled at boot/ },
  { name: 'live: server does not answer', facts: f2b(down), status: 'fail', summary: /does not answer.*Is fail2ban running/ },
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
    status: 'fail',
    summary: /masked/,
  },
  {
    name: 'live: ping timed out',
    facts: f2b({ server: { ...f2b().server, state: 'error', detail: 'timed out after 10000 ms' } }),
    status: 'unknown',
    summary: /timed out/,
  },
  {
    name: 'offline: enabled at boot, liveness noted',
    facts: f2b(offline),
    live: false,
    status: 'pass',
    summary: /offline: whether it runs cannot be checked/,
  },
  { name: 'offline: not enabled', facts: f2b({ ...offline, ...notEnabled }), live: false, status: 'fail', summary: /not enabled at boot/ },
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
    status: 'fail',
    summary: /configuration is invalid/,
  },
];

for (const c of cases) {
  test(`f2b.running ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ fail2ban: c.facts, logging: logging() }, ctx({ live: c.live ?? true }));
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail')
      assert.ok(
        v.findings.some((f) => f.path || f.command),
        'a fail carries evidence',
      );
  });
}
