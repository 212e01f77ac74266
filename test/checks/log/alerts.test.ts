import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/log/alerts.js';
import type { AlertDestination } from '../../../src/facts/logging.js';
import { evaluate } from '../../../src/evaluate/engine.js';
import { applyAttestations } from '../../../src/evaluate/attestations.js';
import { snapshotOf } from '../../helpers.js';
import { attestation, attestationFacts } from '../../attest/fixtures.js';
import { logging } from './facts.js';
import { runCases } from '../run-cases.js';

const a = (over: Partial<AlertDestination>): AlertDestination => ({
  via: 'fail2ban-mail',
  target: 'sendmail-whois-lines → security@example.net',
  local: false,
  source: { path: '/etc/fail2ban/jail.local', line: 4 },
  ...over,
});

runCases(
  check,
  {
    pass: [
      { name: 'fail2ban mail to a team address', facts: logging({ alerts: [a({})] }), summary: /security@example\.net/ },
      {
        name: 'Alertmanager receiver',
        facts: logging({ alerts: [a({ via: 'alertmanager', target: 'security-team: email → security@example.net' })] }),
        summary: /alertmanager security-team/,
      },
    ],
    warn: [
      {
        name: 'mail to root@localhost only',
        facts: logging({ alerts: [a({ target: 'sendmail-whois → root@localhost', local: true })] }),
        summary: /this host only/,
      },
    ],
    manual: [{ name: 'nothing configured: attestation', facts: logging(), summary: /attestation names where alerts go/ }],
  },
  { key: 'logging' },
);

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
