import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/idle-timeout.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts } from '../../sshd/facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      {
        name: '300 s × 3',
        facts: sshdFacts({ clientaliveinterval: '300', clientalivecountmax: '3' }),
        summary: /ClientAliveInterval is "300".*ClientAliveCountMax is "3"/,
      },
      {
        name: 'stricter 60 s × 2 passes with a note',
        facts: sshdFacts({ clientaliveinterval: '60', clientalivecountmax: '2' }),
        summary: /stricter than required: idle sessions end after 120 s/,
      },
    ],
    fail: [
      {
        name: 'default interval 0 (never)',
        evidence: 'note',
        facts: sshdFacts({}),
        summary: /ClientAliveInterval is "0" \(OpenSSH 9\.2p1 built-in default/,
      },
      { name: 'interval 301', facts: sshdFacts({ clientaliveinterval: '301', clientalivecountmax: '3' }), summary: /"301"/ },
      {
        name: 'count 0 disables the check',
        facts: sshdFacts({ clientaliveinterval: '300', clientalivecountmax: '0' }),
        summary: /ClientAliveCountMax is "0"/,
      },
      {
        name: 'count 4',
        facts: sshdFacts({ clientaliveinterval: '300', clientalivecountmax: '4' }),
        summary: /ClientAliveCountMax is "4"/,
      },
    ],
  },
  { key: 'sshd' },
);

test('ssh.idle-timeout: a Match block with ClientAliveInterval 0 → fail', () => {
  const v = check.evaluate(
    { sshd: sshdFacts({ clientaliveinterval: '300', clientalivecountmax: '3' }, { contexts: [matchContext('clientaliveinterval', '0')] }) },
    ctx(),
  );
  assert.equal(v.status, 'fail');
  assert.match(v.summary, /"0" for user=rampart-nobody/);
});
