import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/idle-timeout.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts } from '../../sshd/facts.js';

const CASES = [
  {
    name: '300 s × 3',
    set: { clientaliveinterval: '300', clientalivecountmax: '3' },
    status: 'pass',
    summary: /ClientAliveInterval is "300".*ClientAliveCountMax is "3"/,
  },
  {
    name: 'stricter 60 s × 2 passes with a note',
    set: { clientaliveinterval: '60', clientalivecountmax: '2' },
    status: 'pass',
    summary: /stricter than required: idle sessions end after 120 s/,
  },
  { name: 'default interval 0 (never)', set: {}, status: 'fail', summary: /ClientAliveInterval is "0" \(OpenSSH 9\.2p1 built-in default/ },
  { name: 'interval 301', set: { clientaliveinterval: '301', clientalivecountmax: '3' }, status: 'fail', summary: /"301"/ },
  {
    name: 'count 0 disables the check',
    set: { clientaliveinterval: '300', clientalivecountmax: '0' },
    status: 'fail',
    summary: /ClientAliveCountMax is "0"/,
  },
  { name: 'count 4', set: { clientaliveinterval: '300', clientalivecountmax: '4' }, status: 'fail', summary: /ClientAliveCountMax is "4"/ },
] as const;

for (const c of CASES) {
  test(`ssh.idle-timeout: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: sshdFacts(c.set) }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
  });
}

test('ssh.idle-timeout: a Match block with ClientAliveInterval 0 → fail', () => {
  const v = check.evaluate(
    { sshd: sshdFacts({ clientaliveinterval: '300', clientalivecountmax: '3' }, { contexts: [matchContext('clientaliveinterval', '0')] }) },
    ctx(),
  );
  assert.equal(v.status, 'fail');
  assert.match(v.summary, /"0" for user=rampart-nobody/);
});
