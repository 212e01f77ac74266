import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/pubkey-auth-enabled.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';

const CASES = [
  {
    name: 'PubkeyAuthentication yes',
    facts: sshdFacts({ pubkeyauthentication: 'yes' }),
    status: 'pass',
    summary: /PubkeyAuthentication is "yes" \(\/etc\/ssh\/sshd_config\.d\/10-test\.conf:1\)/,
  },
  {
    name: 'PubkeyAuthentication no',
    facts: sshdFacts({ pubkeyauthentication: 'no' }),
    status: 'fail',
    summary: /PubkeyAuthentication is "no"/,
  },
  {
    name: 'a Match block sets no',
    facts: sshdFacts({ pubkeyauthentication: 'yes' }, { contexts: [matchContext('pubkeyauthentication', 'no')] }),
    status: 'fail',
    summary: /"no" for user=rampart-nobody/,
  },
  {
    name: 'value unknown: a file could not be read',
    facts: sshdFacts({ pubkeyauthentication: 'yes' }, { method: 'files', problems: [UNREADABLE] }),
    status: 'unknown',
    summary: /permission denied/,
  },
] as const;

for (const c of CASES) {
  test(`ssh.pubkey-auth-enabled: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: c.facts }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
    assert.ok(v.findings.length > 0);
  });
}
