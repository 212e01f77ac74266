import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/auth-limits.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts } from '../../sshd/facts.js';

const CASES = [
  {
    name: '3 tries, 30 s, no empty passwords',
    set: { maxauthtries: '3', logingracetime: '30' },
    status: 'pass',
    summary: /MaxAuthTries is "3".*LoginGraceTime is "30"/,
  },
  { name: 'limits exactly 4 and 60', set: { maxauthtries: '4', logingracetime: '60' }, status: 'pass', summary: /"4"/ },
  { name: 'defaults 6 tries, 120 s', set: {}, status: 'fail', summary: /MaxAuthTries is "6"/ },
  {
    name: 'LoginGraceTime 0 means no limit',
    set: { maxauthtries: '3', logingracetime: '0' },
    status: 'fail',
    summary: /LoginGraceTime is "0"/,
  },
  {
    name: 'empty passwords allowed',
    set: { maxauthtries: '3', logingracetime: '30', permitemptypasswords: 'yes' },
    status: 'fail',
    summary: /PermitEmptyPasswords is "yes"/,
  },
] as const;

for (const c of CASES) {
  test(`ssh.auth-limits: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: sshdFacts(c.set) }, ctx({ profile: 'strict' }));
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
  });
}

test('ssh.auth-limits: MaxAuthTries 10 in a Match block → fail', () => {
  const v = check.evaluate(
    { sshd: sshdFacts({ maxauthtries: '3', logingracetime: '30' }, { contexts: [matchContext('maxauthtries', '10')] }) },
    ctx(),
  );
  assert.equal(v.status, 'fail');
});
