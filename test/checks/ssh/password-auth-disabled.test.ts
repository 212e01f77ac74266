import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/password-auth-disabled.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';

const CASES = [
  {
    name: 'both off',
    facts: sshdFacts({ passwordauthentication: 'no', kbdinteractiveauthentication: 'no' }),
    status: 'pass',
    summary: /PasswordAuthentication is "no".*KbdInteractiveAuthentication is "no"/,
  },
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
    status: 'fail',
    summary: /"yes" \(\/etc\/ssh\/sshd_config\.d\/50-cloud-init\.conf:1\)/,
  },
  {
    name: 'keyboard-interactive still on (default)',
    facts: sshdFacts({ passwordauthentication: 'no' }),
    status: 'fail',
    summary: /KbdInteractiveAuthentication is "yes"/,
  },
  {
    name: 'Match block re-enables passwords',
    facts: sshdFacts(
      { passwordauthentication: 'no', kbdinteractiveauthentication: 'no' },
      { contexts: [matchContext('passwordauthentication', 'yes')] },
    ),
    status: 'fail',
    summary: /for user=rampart-nobody addr=203\.0\.113\.7/,
  },
  {
    name: 'unreadable drop-in',
    facts: sshdFacts({ passwordauthentication: 'no', kbdinteractiveauthentication: 'no' }, { method: 'files', problems: [UNREADABLE] }),
    status: 'unknown',
    summary: /may differ/,
  },
] as const;

for (const c of CASES) {
  test(`ssh.password-auth-disabled: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: c.facts }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
  });
}

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
