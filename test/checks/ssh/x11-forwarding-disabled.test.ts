import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/x11-forwarding-disabled.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      {
        name: 'X11Forwarding no',
        facts: sshdFacts({ x11forwarding: 'no' }),
        summary: /X11Forwarding is "no" \(\/etc\/ssh\/sshd_config\.d\/10-test\.conf:1\)/,
      },
    ],
    fail: [
      { name: 'X11Forwarding yes', facts: sshdFacts({ x11forwarding: 'yes' }), summary: /X11Forwarding is "yes"/ },
      {
        name: 'a Match block sets yes',
        facts: sshdFacts({ x11forwarding: 'no' }, { contexts: [matchContext('x11forwarding', 'yes')] }),
        summary: /"yes" for user=rampart-nobody/,
      },
    ],
    unknown: [
      {
        name: 'value unknown: a file could not be read',
        facts: sshdFacts({ x11forwarding: 'no' }, { method: 'files', problems: [UNREADABLE] }),
        summary: /permission denied/,
      },
    ],
  },
  { key: 'sshd', verify: (r) => assert.ok(r.findings.length > 0, 'every verdict shows its evidence') },
);
