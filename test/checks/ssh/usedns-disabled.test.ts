import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/usedns-disabled.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';

const CASES = [
  {
    name: 'UseDNS no',
    facts: sshdFacts({ usedns: 'no' }),
    status: 'pass',
    summary: /UseDNS is "no" \(\/etc\/ssh\/sshd_config\.d\/10-test\.conf:1\)/,
  },
  { name: 'UseDNS yes', facts: sshdFacts({ usedns: 'yes' }), status: 'fail', summary: /UseDNS is "yes"/ },
  {
    name: 'a Match block sets yes',
    facts: sshdFacts({ usedns: 'no' }, { contexts: [matchContext('usedns', 'yes')] }),
    status: 'fail',
    summary: /"yes" for user=rampart-nobody/,
  },
  {
    name: 'value unknown: a file could not be read',
    facts: sshdFacts({ usedns: 'no' }, { method: 'files', problems: [UNREADABLE] }),
    status: 'unknown',
    summary: /permission denied/,
  },
] as const;

for (const c of CASES) {
  test(`ssh.usedns-disabled: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: c.facts }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
    assert.ok(v.findings.length > 0);
  });
}
