import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/config-valid.js';
import { ctx } from '../../helpers.js';
import { sshdFacts, UNREADABLE } from '../../sshd/facts.js';

const files = { method: 'files' as const, ok: true, output: null, command: null };
const bad = {
  path: '/etc/ssh/sshd_config',
  line: 4,
  severity: 'error' as const,
  kind: 'keyword' as const,
  keyword: 'foobar',
  message: 'Bad configuration option: FooBar',
};
const dep = {
  path: '/etc/ssh/sshd_config',
  line: 2,
  severity: 'warning' as const,
  kind: 'obsolete' as const,
  keyword: 'useprivilegeseparation',
  message: 'Deprecated option UsePrivilegeSeparation (ignored by sshd)',
};

const CASES = [
  { name: 'live sshd -t exits 0', facts: sshdFacts(), status: 'pass', summary: /sshd -t exits 0/ },
  {
    name: 'live sshd -t fails',
    facts: sshdFacts(
      {},
      {
        validation: {
          method: 'sshd -t',
          ok: false,
          output: '/etc/ssh/sshd_config line 4: Bad configuration option: FooBar',
          command: '/usr/sbin/sshd -t',
        },
      },
    ),
    status: 'fail',
    summary: /rejects the configuration: .*FooBar/,
  },
  {
    name: 'offline: every file parses, a deprecated keyword noted',
    facts: sshdFacts({}, { method: 'files', validation: files, problems: [dep] }),
    status: 'pass',
    summary: /1 file\(s\) parse and every keyword is known to OpenSSH 9\.2p1/,
  },
  {
    name: 'offline: unknown keyword',
    facts: sshdFacts({}, { method: 'files', validation: { ...files, ok: false }, problems: [bad] }),
    status: 'fail',
    summary: /\/etc\/ssh\/sshd_config:4: Bad configuration option: FooBar/,
  },
  {
    name: 'offline: a file could not be read',
    facts: sshdFacts({}, { method: 'files', validation: { ...files, ok: false }, problems: [UNREADABLE] }),
    status: 'unknown',
    summary: /permission denied/,
  },
  {
    name: 'fallback: sshd -t could not judge (no /run/sshd)',
    facts: sshdFacts(
      {},
      {
        method: 'files',
        validation: { ...files, output: '/usr/sbin/sshd -t could not judge: Missing privilege separation directory: /run/sshd' },
      },
    ),
    status: 'pass',
    summary: /could not judge: Missing privilege separation/,
  },
] as const;

for (const c of CASES) {
  test(`ssh.config-valid: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: c.facts }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail') assert.ok(v.findings.every((f) => f.path || f.command));
  });
}
