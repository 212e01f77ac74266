import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/tcp-keepalive.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';

const CASES = [
  {
    name: 'TCPKeepAlive yes',
    facts: sshdFacts({ tcpkeepalive: 'yes' }),
    status: 'pass',
    summary: /TCPKeepAlive is "yes" \(\/etc\/ssh\/sshd_config\.d\/10-test\.conf:1\)/,
  },
  { name: 'TCPKeepAlive no', facts: sshdFacts({ tcpkeepalive: 'no' }), status: 'fail', summary: /TCPKeepAlive is "no"/ },
  {
    name: 'a Match block sets no',
    facts: sshdFacts({ tcpkeepalive: 'yes' }, { contexts: [matchContext('tcpkeepalive', 'no')] }),
    status: 'fail',
    summary: /"no" for user=rampart-nobody/,
  },
  {
    name: 'value unknown: a file could not be read',
    facts: sshdFacts({ tcpkeepalive: 'yes' }, { method: 'files', problems: [UNREADABLE] }),
    status: 'unknown',
    summary: /permission denied/,
  },
] as const;

for (const c of CASES) {
  test(`ssh.tcp-keepalive: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: c.facts }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
    assert.ok(v.findings.length > 0);
  });
}
