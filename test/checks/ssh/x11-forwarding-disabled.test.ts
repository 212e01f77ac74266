import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/x11-forwarding-disabled.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';

const CASES = [
  {
    name: 'X11Forwarding no',
    facts: sshdFacts({ x11forwarding: 'no' }),
    status: 'pass',
    summary: /X11Forwarding is "no" \(\/etc\/ssh\/sshd_config\.d\/10-test\.conf:1\)/,
  },
  { name: 'X11Forwarding yes', facts: sshdFacts({ x11forwarding: 'yes' }), status: 'fail', summary: /X11Forwarding is "yes"/ },
  {
    name: 'a Match block sets yes',
    facts: sshdFacts({ x11forwarding: 'no' }, { contexts: [matchContext('x11forwarding', 'yes')] }),
    status: 'fail',
    summary: /"yes" for user=rampart-nobody/,
  },
  {
    name: 'value unknown: a file could not be read',
    facts: sshdFacts({ x11forwarding: 'no' }, { method: 'files', problems: [UNREADABLE] }),
    status: 'unknown',
    summary: /permission denied/,
  },
] as const;

for (const c of CASES) {
  test(`ssh.x11-forwarding-disabled: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: c.facts }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
    assert.ok(v.findings.length > 0);
  });
}
