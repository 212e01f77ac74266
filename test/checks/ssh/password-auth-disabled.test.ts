import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/password-auth-disabled.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      {
        name: 'both off',
        facts: sshdFacts({ passwordauthentication: 'no', kbdinteractiveauthentication: 'no' }),
        summary: /PasswordAuthentication is "no".*KbdInteractiveAuthentication is "no"/,
      },
    ],
    fail: [
      {
        name: 'cloud-init drop-in wins',
        facts: sshdFacts(
          {},
          {
            effective: {
              ...sshdFacts({ kbdinteractiveauthentication: 'no' }).effective,
              passwordauthentication: { value: 'yes', source: { path: '/etc/ssh/sshd_config.d/50-cloud-init.conf', line: 1 } },
            },
          },
        ),
        summary: /"yes" \(\/etc\/ssh\/sshd_config\.d\/50-cloud-init\.conf:1\)/,
      },
      {
        name: 'keyboard-interactive still on (default)',
        evidence: 'note',
        facts: sshdFacts({ passwordauthentication: 'no' }),
        summary: /KbdInteractiveAuthentication is "yes"/,
      },
      {
        name: 'Match block re-enables passwords',
        facts: sshdFacts(
          { passwordauthentication: 'no', kbdinteractiveauthentication: 'no' },
          { contexts: [matchContext('passwordauthentication', 'yes')] },
        ),
        summary: /for user=rampart-nobody addr=203\.0\.113\.7/,
      },
    ],
    unknown: [
      {
        name: 'unreadable drop-in',
        facts: sshdFacts({ passwordauthentication: 'no', kbdinteractiveauthentication: 'no' }, { method: 'files', problems: [UNREADABLE] }),
        summary: /may differ/,
      },
    ],
  },
  { key: 'sshd' },
);

test('the Match finding names the block', () => {
  const v = check.evaluate(
    {
      sshd: sshdFacts(
        { passwordauthentication: 'no', kbdinteractiveauthentication: 'no' },
        { contexts: [matchContext('passwordauthentication', 'yes')] },
      ),
    },
    ctx(),
  );
  assert.equal(v.findings[0]?.path, '/etc/ssh/sshd_config');
  assert.equal(v.findings[0]?.line, 120);
});
