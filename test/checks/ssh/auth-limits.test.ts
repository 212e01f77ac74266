import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/auth-limits.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts } from '../../sshd/facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      {
        name: '3 tries, 30 s, no empty passwords',
        facts: sshdFacts({ maxauthtries: '3', logingracetime: '30' }),
        summary: /MaxAuthTries is "3".*LoginGraceTime is "30"/,
      },
      { name: 'limits exactly 4 and 60', facts: sshdFacts({ maxauthtries: '4', logingracetime: '60' }), summary: /"4"/ },
    ],
    fail: [
      { name: 'defaults 6 tries, 120 s', evidence: 'note', facts: sshdFacts({}), summary: /MaxAuthTries is "6"/ },
      {
        name: 'LoginGraceTime 0 means no limit',
        facts: sshdFacts({ maxauthtries: '3', logingracetime: '0' }),
        summary: /LoginGraceTime is "0"/,
      },
      {
        name: 'empty passwords allowed',
        facts: sshdFacts({ maxauthtries: '3', logingracetime: '30', permitemptypasswords: 'yes' }),
        summary: /PermitEmptyPasswords is "yes"/,
      },
    ],
  },
  { key: 'sshd', profile: 'strict' },
);

test('ssh.auth-limits: MaxAuthTries 10 in a Match block → fail', () => {
  const v = check.evaluate(
    { sshd: sshdFacts({ maxauthtries: '3', logingracetime: '30' }, { contexts: [matchContext('maxauthtries', '10')] }) },
    ctx(),
  );
  assert.equal(v.status, 'fail');
});
