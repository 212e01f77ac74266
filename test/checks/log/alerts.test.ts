import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/log/alerts.js';
import type { AlertDestination, LoggingFacts } from '../../../src/facts/logging.js';
import { evaluate } from '../../../src/evaluate/engine.js';
import { applyAttestations } from '../../../src/evaluate/attestations.js';
import { ctx, snapshotOf } from '../../helpers.js';
import { attestation, attestationFacts } from '../../attest/fixtures.js';
import { logging } from './facts.js';
import { absent, collected, type Fact } from '../../../src/facts/fact.js';
import type { Fail2banFacts } from '../../../src/facts/fail2ban.js';
import { f2b, jail, opt } from '../f2b/facts.js';

const noF2b = absent<Fail2banFacts>('fail2ban is not installed');

const a = (over: Partial<AlertDestination>): AlertDestination => ({
  via: 'fail2ban-mail',
  target: 'sendmail-whois-lines → security@example.net',
  local: false,
  source: { path: '/etc/fail2ban/jail.local', line: 4 },
  ...over,
});

const cases: { name: string; facts: LoggingFacts; fail2ban?: Fact<Fail2banFacts>; status: string; summary: RegExp }[] = [
  {
    name: 'fail2ban mail to a team address (the sshd jail is on)',
    facts: logging(),
    fail2ban: collected(f2b({ sshdAlerts: [a({})] })),
    status: 'pass',
    summary: /security@example\.net/,
  },
  {
    name: 'the mail action of a disabled sshd jail sends nothing: attestation',
    facts: logging(),
    fail2ban: collected(f2b({ sshdAlerts: [a({})], sshdJail: jail({ enabled: opt(false, 'false', 2) }) })),
    status: 'manual',
    summary: /attestation names where alerts go/,
  },
  {
    name: 'Alertmanager receiver',
    facts: logging({ alerts: [a({ via: 'alertmanager', target: 'security-team: email → security@example.net' })] }),
    status: 'pass',
    summary: /alertmanager security-team/,
  },
  {
    name: 'mail to root@localhost only',
    facts: logging(),
    fail2ban: collected(f2b({ sshdAlerts: [a({ target: 'sendmail-whois → root@localhost', local: true })] })),
    status: 'warn',
    summary: /this host only/,
  },
  { name: 'nothing configured: attestation', facts: logging(), status: 'manual', summary: /attestation names where alerts go/ },
];

for (const c of cases) {
  test(`log.alerts ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ logging: c.facts, fail2ban: c.fail2ban ?? noF2b }, ctx());
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
  });
}

test('log.alerts fail: an expired attestation of where alerts go (no destination on the host)', () => {
  const report = evaluate(snapshotOf({ logging: logging() }, false), {
    checks: [check],
    profile: 'guide',
    startedAt: '2026-11-28T10:00:00Z',
    durationMs: 0,
  });
  const attested = applyAttestations(
    report,
    attestationFacts(attestation({ id: 'log.alerts', date: '2026-08-01', expires: '2026-11-27', note: 'PagerDuty service "web"' })),
    new Date('2026-11-28T10:00:00Z'),
  );
  const r = attested.results.find((x) => x.id === 'log.alerts');
  assert.equal(r?.status, 'fail' as const, r?.summary);
  assert.match(r.summary, /expired on 2026-11-27/);
  const kept = applyAttestations(
    evaluate(snapshotOf({ logging: logging({ alerts: [a({})] }) }, false), {
      checks: [check],
      profile: 'guide',
      startedAt: '2026-11-28T10:00:00Z',
      durationMs: 0,
    }),
    attestationFacts(attestation({ id: 'log.alerts', status: 'fail' })),
    new Date('2026-11-28T10:00:00Z'),
  );
  assert.equal(kept.results[0]?.status, 'pass', 'host evidence wins over an attestation');
});
