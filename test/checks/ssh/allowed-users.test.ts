import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/allowed-users.js';
import { ctx } from '../../helpers.js';
import { matchContext, sshdFacts } from '../../sshd/facts.js';
import type { AccountsFacts } from '../../../src/facts/accounts.js';
import { runCases } from '../run-cases.js';

const src = { path: '/etc/group', line: 1 };
// Only the shared contract (users, groups) matters here; the colleague's other fields are not read.
const ACCOUNTS = {
  installed: true,
  users: [
    { name: 'alice', uid: 1000, gid: 1000, home: '/home/alice', shell: '/bin/bash', source: src },
    { name: 'bob', uid: 1001, gid: 1002, home: '/home/bob', shell: '/bin/bash', source: src },
  ],
  groups: [
    { name: 'ssh-users', gid: 1001, members: ['alice'], source: src },
    { name: 'empty', gid: 1003, members: [], source: src },
    { name: 'bob', gid: 1002, members: [], source: src },
  ],
} satisfies Pick<AccountsFacts, 'installed' | 'users' | 'groups'> as AccountsFacts;

runCases(
  check,
  {
    pass: [
      {
        name: 'AllowGroups ssh-users with a member',
        facts: sshdFacts({ allowgroups: 'ssh-users' }),
        summary: /AllowGroups "ssh-users" \(alice\)/,
      },
      { name: 'a group whose only member has it as primary group', facts: sshdFacts({ allowgroups: 'bob' }), summary: /"bob" \(bob\)/ },
      { name: 'AllowUsers', facts: sshdFacts({ allowusers: 'alice bob' }), summary: /AllowUsers "alice bob"/ },
    ],
    fail: [
      { name: 'nothing set', evidence: 'note', facts: sshdFacts({}), summary: /neither AllowUsers nor AllowGroups is set/ },
      { name: 'group does not exist', facts: sshdFacts({ allowgroups: 'admins' }), summary: /"admins", which does not exist/ },
      { name: 'AllowUsers * admits everyone', facts: sshdFacts({ allowusers: 'alice *' }), summary: /admits every account \(\*\)/ },
      {
        name: 'AllowUsers *@10.0.0.0/8 admits everyone from there',
        facts: sshdFacts({ allowusers: '*@10.0.0.0/8' }),
        summary: /admits every account/,
      },
      { name: 'AllowGroups * admits everyone', facts: sshdFacts({ allowgroups: '*' }), summary: /admits every group/ },
      { name: 'empty group locks everyone out', facts: sshdFacts({ allowgroups: 'ssh-users empty' }), summary: /"empty" has no members/ },
    ],
  },
  { key: 'sshd', facts: { accounts: ACCOUNTS } },
);

test('ssh.allowed-users: a Match block naming an empty group → fail', () => {
  const v = check.evaluate(
    { sshd: sshdFacts({ allowgroups: 'ssh-users' }, { contexts: [matchContext('allowgroups', 'empty')] }), accounts: ACCOUNTS },
    ctx(),
  );
  assert.equal(v.status, 'fail');
  assert.match(v.summary, /for user=rampart-nobody/);
});

test('ssh.allowed-users: a Match block that sets AllowUsers * for some connections → fail', () => {
  const v = check.evaluate(
    { sshd: sshdFacts({ allowgroups: 'ssh-users' }, { contexts: [matchContext('allowusers', '*')] }), accounts: ACCOUNTS },
    ctx(),
  );
  assert.equal(v.status, 'fail');
  assert.match(v.summary, /AllowUsers "\*" admits every account .*for user=rampart-nobody/);
});
