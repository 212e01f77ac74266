import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/root-login-disabled.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';

const CASES = [
  {
    name: 'PermitRootLogin no',
    facts: sshdFacts({ permitrootlogin: 'no' }),
    status: 'pass',
    summary: /"no" \(\/etc\/ssh\/sshd_config\.d\/10-test\.conf:1\)/,
  },
  {
    name: 'default without-password',
    facts: sshdFacts(),
    status: 'fail',
    summary: /PermitRootLogin is "without-password" \(OpenSSH 9\.2p1 built-in default/,
  },
  { name: 'yes', facts: sshdFacts({ permitrootlogin: 'yes' }), status: 'fail', summary: /"yes"/ },
  {
    name: 'a Match block allows root for one context',
    facts: sshdFacts({ permitrootlogin: 'no' }, { contexts: [matchContext('permitrootlogin', 'yes', 'user=root addr=198.51.100.1')] }),
    status: 'fail',
    summary: /"yes" for user=root addr=198\.51\.100\.1 \(\/etc\/ssh\/sshd_config:120\)/,
  },
  {
    name: 'file fallback is said',
    facts: sshdFacts(
      { permitrootlogin: 'yes' },
      { method: 'files', methodReason: 'sshd -T exited 255: Missing privilege separation directory: /run/sshd' },
    ),
    status: 'fail',
    summary: /Missing privilege separation/,
  },
  {
    name: 'a drop-in could not be read',
    facts: sshdFacts({ permitrootlogin: 'no' }, { method: 'files', methodReason: 'offline root', problems: [UNREADABLE] }),
    status: 'unknown',
    summary: /permission denied/,
  },
] as const;

for (const c of CASES) {
  test(`ssh.root-login-disabled: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: c.facts }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail') assert.ok(v.findings.every((f) => f.path || f.command || f.excerpt));
  });
}
