import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/usedns-disabled.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      {
        name: 'UseDNS no',
        facts: sshdFacts({ usedns: 'no' }),
        summary: /UseDNS is "no" \(\/etc\/ssh\/sshd_config\.d\/10-test\.conf:1\)/,
      },
    ],
    fail: [
      { name: 'UseDNS yes', facts: sshdFacts({ usedns: 'yes' }), summary: /UseDNS is "yes"/ },
      {
        name: 'a Match block sets yes',
        facts: sshdFacts({ usedns: 'no' }, { contexts: [matchContext('usedns', 'yes')] }),
        summary: /"yes" for user=rampart-nobody/,
      },
    ],
    unknown: [
      {
        name: 'value unknown: a file could not be read',
        facts: sshdFacts({ usedns: 'no' }, { method: 'files', problems: [UNREADABLE] }),
        summary: /permission denied/,
      },
    ],
  },
  { key: 'sshd', verify: (r) => assert.ok(r.findings.length > 0, 'every verdict shows its evidence') },
);
