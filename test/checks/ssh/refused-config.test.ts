// A configuration sshd refuses (sshd -t, or the file model's errors offline) is not what runs: no ssh.*
// item may pass on it. Each check answers unknown naming the refusal; ssh.config-valid fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sshChecks } from '../../../src/checks/ssh/index.js';
import type { AccountsFacts } from '../../../src/facts/accounts.js';
import { ctx } from '../../helpers.js';
import { HARDENED, sshdFacts } from '../../sshd/facts.js';

const src = { path: '/etc/group', line: 1 };
const ACCOUNTS = {
  installed: true,
  users: [{ name: 'alice', uid: 1000, gid: 1000, home: '/home/alice', shell: '/bin/bash', source: src }],
  groups: [{ name: 'ssh-users', gid: 1001, members: ['alice'], source: src }],
} satisfies Pick<AccountsFacts, 'installed' | 'users' | 'groups'> as AccountsFacts;

const hardened = { ...HARDENED, allowgroups: 'ssh-users', usedns: 'no', tcpkeepalive: 'yes', pubkeyauthentication: 'yes' };
const offlineBad = sshdFacts(hardened, {
  method: 'files',
  methodReason: 'offline root: sshd -T cannot run',
  validation: { method: 'files', ok: false, output: null, command: null },
  problems: [
    {
      path: '/etc/ssh/sshd_config',
      line: 1,
      severity: 'error',
      kind: 'keyword',
      keyword: '\\357\\273\\277include',
      message: 'Bad configuration option: \\357\\273\\277Include',
    },
  ],
});
const liveBad = sshdFacts(hardened, {
  method: 'files',
  methodReason: '/usr/sbin/sshd -T exited 255: /etc/ssh/sshd_config line 9: Bad SSH2 cipher spec',
  validation: {
    method: 'sshd -t',
    ok: false,
    output: "/etc/ssh/sshd_config line 9: Bad SSH2 cipher spec 'aes256-CTR'.",
    command: '/usr/sbin/sshd -t',
  },
});

for (const [name, facts] of [
  ['offline, a byte-order mark', offlineBad],
  ['live, sshd -t refuses', liveBad],
] as const) {
  test(`refused configuration (${name}): no ssh.* item passes, each names the refusal`, () => {
    // The same values without the refusal pass: the refusal alone makes the difference.
    const clean = {
      ...facts,
      problems: [],
      validation: { method: 'sshd -t' as const, ok: true, output: null, command: '/usr/sbin/sshd -t' },
    };
    const passing = sshChecks.filter((c) => c.evaluate({ sshd: clean, accounts: ACCOUNTS }, ctx()).status === 'pass').map((c) => c.id);
    assert.ok(passing.length >= 8, passing.join(' '));
    for (const c of sshChecks) {
      const v = c.evaluate({ sshd: facts, accounts: ACCOUNTS }, ctx());
      if (c.id === 'ssh.config-valid') {
        assert.equal(v.status, 'fail', v.summary);
        continue;
      }
      assert.notEqual(v.status, 'pass', `${c.id}: ${v.summary}`);
      if (passing.includes(c.id)) {
        assert.equal(v.status, 'unknown', `${c.id}: ${v.summary}`);
        assert.match(v.summary, /sshd refuses this configuration \(.*(Bad configuration option|Bad SSH2 cipher spec)/, c.id);
      }
    }
  });
}

test('a host key problem is the config-valid verdict only: the values are still judged', () => {
  const facts = sshdFacts(hardened, {
    method: 'files',
    validation: { method: 'files', ok: false, output: null, command: null },
    problems: [
      {
        path: '/etc/ssh/ssh_host_ed25519_key',
        line: null,
        severity: 'error',
        kind: 'hostkey',
        keyword: 'hostkey',
        message: 'no hostkeys available -- exiting',
      },
    ],
  });
  const root = sshChecks.find((c) => c.id === 'ssh.root-login-disabled')!;
  assert.equal(root.evaluate({ sshd: facts }, ctx()).status, 'pass');
  assert.equal(sshChecks.find((c) => c.id === 'ssh.config-valid')!.evaluate({ sshd: facts }, ctx()).status, 'fail');
});
