import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/tcp-keepalive.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      {
        name: 'TCPKeepAlive yes',
        facts: sshdFacts({ tcpkeepalive: 'yes' }),
        summary: /TCPKeepAlive is "yes" \(\/etc\/ssh\/sshd_config\.d\/10-test\.conf:1\)/,
      },
    ],
    fail: [
      { name: 'TCPKeepAlive no', facts: sshdFacts({ tcpkeepalive: 'no' }), summary: /TCPKeepAlive is "no"/ },
      {
        name: 'a Match block sets no',
        facts: sshdFacts({ tcpkeepalive: 'yes' }, { contexts: [matchContext('tcpkeepalive', 'no')] }),
        summary: /"no" for user=rampart-nobody/,
      },
    ],
    unknown: [
      {
        name: 'value unknown: a file could not be read',
        facts: sshdFacts({ tcpkeepalive: 'yes' }, { method: 'files', problems: [UNREADABLE] }),
        summary: /permission denied/,
      },
    ],
  },
  { key: 'sshd', verify: (r) => assert.ok(r.findings.length > 0, 'every verdict shows its evidence') },
);
