import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/accounts/sudo-for-admin.js';
import type { AccountsFacts } from '../../../src/facts/accounts.js';
import { ctx } from '../../helpers.js';
import { baseFacts } from '../../accounts/facts.js';

const CASES: { name: string; status: string; edit?: (f: AccountsFacts) => void; match?: RegExp }[] = [
  { name: 'hardened host', status: 'pass', match: /sudo installed; 1 sudoers file\(s\) valid \(visudo\); root's password is locked/ },
  {
    name: 'sudo absent',
    status: 'fail',
    edit: (f) => {
      f.sudo.installed = false;
    },
    match: /sudo is not installed/,
  },
  {
    name: 'no /etc/sudoers',
    status: 'fail',
    edit: (f) => {
      f.sudo.files = [];
    },
    match: /\/etc\/sudoers does not exist/,
  },
  {
    name: 'visudo rejects a drop-in',
    status: 'fail',
    match: /does not parse \(visudo\): x:2:29: syntax error/,
    edit: (f) => {
      f.sudo.files.push({
        meta: { path: '/etc/sudoers.d/x', uid: 0, gid: 0, mode: 0o440 },
        source: { path: '/etc/sudoers.d/x' },
        parsesOk: false,
        errors: [{ message: 'x:2:29: syntax error', source: { command: 'visudo -c -f /etc/sudoers.d/x' } }],
      });
    },
  },
  {
    name: 'owned by a user',
    status: 'fail',
    edit: (f) => {
      f.sudo.files[0]!.meta!.uid = 1000;
    },
    match: /owned by UID 1000, not root/,
  },
  {
    name: 'group-writable (0460)',
    status: 'fail',
    edit: (f) => {
      f.sudo.files[0]!.meta!.mode = 0o460;
    },
    match: /mode 0460: group\/world-writable/,
  },
  {
    name: 'world-writable (0666)',
    status: 'fail',
    edit: (f) => {
      f.sudo.files[0]!.meta!.mode = 0o666;
    },
    match: /mode 0666/,
  },
  {
    name: 'mode 0640 is not writable by others',
    status: 'pass',
    edit: (f) => {
      f.sudo.files[0]!.meta!.mode = 0o640;
    },
  },
  {
    name: 'root has a password',
    status: 'fail',
    edit: (f) => {
      f.details[0]!.password = { kind: 'hashed', algorithm: 'yescrypt' };
    },
    match: /root's password is set/,
  },
  {
    name: 'root has an empty password',
    status: 'fail',
    edit: (f) => {
      f.details[0]!.password = { kind: 'empty' };
    },
    match: /root's password is empty/,
  },
  {
    name: 'root locked with ! in front of a hash',
    status: 'pass',
    edit: (f) => {
      f.details[0]!.password = { kind: 'locked', marker: '!', algorithm: 'sha512' };
    },
  },
  {
    name: 'shadow unreadable',
    status: 'unknown',
    edit: (f) => {
      f.details[0]!.password = { kind: 'unknown', reason: 'shadow unreadable' };
    },
    match: /root's password state unknown/,
  },
  {
    name: 'an include that cannot be followed',
    status: 'unknown',
    edit: (f) => {
      f.sudo.problems.push({ message: '/etc/sudoers.d/x: permission denied', source: { path: '/etc/sudoers', line: 56 } });
    },
    match: /permission denied/,
  },
  // An unprivileged run: /etc/sudoers is 0440 root:root, so it is unread, not absent (issue 9 §5).
  {
    name: '/etc/sudoers unreadable (EACCES) is no "does not exist"',
    status: 'unknown',
    edit: (f) => {
      f.sudo.files = [];
      f.sudo.problems.push({ message: '"/etc/sudoers" permission denied', source: { path: '/etc/sudoers' } });
    },
    match: /^cannot judge: "\/etc\/sudoers" permission denied$/,
  },
  {
    name: 'sudoers and shadow unreadable, sudo absent: unknown naming both, the absence kept',
    status: 'unknown',
    edit: (f) => {
      f.sudo.installed = false;
      f.sudo.files = [];
      f.sudo.problems.push({ message: '"/etc/sudoers" permission denied', source: { path: '/etc/sudoers' } });
      f.details[0]!.password = { kind: 'unknown', reason: 'shadow unreadable' };
    },
    match: /cannot judge: .*\/etc\/sudoers" permission denied.*root's password state unknown.*; seen: sudo is not installed$/,
  },
  {
    name: 'owner unknown',
    status: 'unknown',
    edit: (f) => {
      f.sudo.files[0]!.meta = null;
    },
    match: /owner and mode/,
  },
];

for (const c of CASES) {
  test(`accounts.sudo-for-admin: ${c.name} → ${c.status}`, () => {
    const f = baseFacts();
    c.edit?.(f);
    const v = check.evaluate({ accounts: f }, ctx());
    assert.equal(v.status, c.status, v.summary);
    if (c.match) assert.match(v.summary, c.match);
    if (v.status === 'fail')
      assert.ok(
        v.findings.some((x) => x.path ?? x.command),
        'fail carries evidence',
      );
  });
}
