import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/protocol-2.js';
import { ctx } from '../../helpers.js';
import { sshdFacts } from '../../sshd/facts.js';

const line = (msg: string, args: string[] | null = msg.split(':')[0]!.split(' ').slice(1)) => ({
  path: '/etc/ssh/sshd_config.d/10-legacy.conf',
  line: 1,
  severity: 'warning' as const,
  kind: 'obsolete' as const,
  keyword: 'protocol',
  message: msg,
  ...(args ? { args } : {}),
});

const CASES = [
  { name: 'OpenSSH 9.2 without Protocol line', facts: sshdFacts(), status: 'pass', summary: /^OpenSSH 9\.2p1 speaks only protocol 2/ },
  {
    name: 'OpenSSH 9.2 with an obsolete Protocol 2 line (a note)',
    facts: sshdFacts({}, { problems: [line('Protocol 2: obsolete since OpenSSH 7.4')] }),
    status: 'pass',
    summary: /obsolete there and ignored \(\/etc\/ssh\/sshd_config\.d\/10-legacy\.conf:1\)/,
  },
  {
    name: 'OpenSSH 6.6 with Protocol 2,1',
    facts: sshdFacts({}, { version: '6.6p1', problems: [line('Protocol 2,1: obsolete since OpenSSH 7.4')] }),
    status: 'fail',
    summary: /protocol 1 enabled/,
  },
  {
    name: 'OpenSSH 6.6 with Protocol 1 alone',
    facts: sshdFacts({}, { version: '6.6p1', problems: [line('Protocol 1: obsolete since OpenSSH 7.4')] }),
    status: 'fail',
    summary: /protocol 1 enabled/,
  },
  {
    // The value is read from the line's arguments, not from the message ("OpenSSH 7.4" holds no 1).
    name: 'OpenSSH 6.6 with Protocol 2 whose message happens to hold a 1',
    facts: sshdFacts({}, { version: '6.6p1', problems: [line('Protocol 2: obsolete (see sshd_config 1)', ['2'])] }),
    status: 'pass',
    summary: /default is protocol 2/,
  },
  {
    name: 'OpenSSH 6.6 with a Protocol line from an older snapshot (no arguments recorded)',
    facts: sshdFacts({}, { version: '6.6p1', problems: [line('Protocol 2,1: obsolete since OpenSSH 7.4', null)] }),
    status: 'unknown',
    summary: /does not record/,
  },
  {
    name: 'OpenSSH 7.2 without a Protocol line',
    facts: sshdFacts({}, { version: '7.2p2' }),
    status: 'pass',
    summary: /default is protocol 2/,
  },
  { name: 'version unknown', facts: sshdFacts({}, { version: null }), status: 'unknown', summary: /version could not be determined/ },
] as const;

for (const c of CASES) {
  test(`ssh.protocol-2: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: c.facts }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
  });
}
