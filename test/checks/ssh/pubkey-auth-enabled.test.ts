import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/pubkey-auth-enabled.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      {
        name: 'PubkeyAuthentication yes',
        facts: sshdFacts({ pubkeyauthentication: 'yes' }),
        summary: /PubkeyAuthentication is "yes" \(\/etc\/ssh\/sshd_config\.d\/10-test\.conf:1\)/,
      },
    ],
    fail: [
      {
        name: 'PubkeyAuthentication no',
        facts: sshdFacts({ pubkeyauthentication: 'no' }),
        summary: /PubkeyAuthentication is "no"/,
      },
      {
        name: 'a Match block sets no',
        facts: sshdFacts({ pubkeyauthentication: 'yes' }, { contexts: [matchContext('pubkeyauthentication', 'no')] }),
        summary: /"no" for user=rampart-nobody/,
      },
    ],
    unknown: [
      {
        name: 'value unknown: a file could not be read',
        facts: sshdFacts({ pubkeyauthentication: 'yes' }, { method: 'files', problems: [UNREADABLE] }),
        summary: /permission denied/,
      },
    ],
  },
  { key: 'sshd', verify: (r) => assert.ok(r.findings.length > 0, 'every verdict shows its evidence') },
);
