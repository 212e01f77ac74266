import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/accounts/least-privilege.js';
import type { AccountsFacts } from '../../../src/facts/accounts.js';
import type { Config } from '../../../src/config/schema.js';
import { ctx } from '../../helpers.js';
import { baseFacts, rule } from '../../accounts/facts.js';

const bob = (f: AccountsFacts) =>
  f.users.push({ name: 'bob', uid: 1001, gid: 1001, home: '/home/bob', shell: '/bin/bash', source: { path: '/etc/passwd', line: 3 } });
const CASES: {
  name: string;
  status: string;
  edit?: (f: AccountsFacts) => void;
  config?: Partial<Config>;
  match?: RegExp;
  notMatch?: RegExp;
}[] = [
  { name: 'admin alice in sudo', status: 'pass', config: { admin_users: ['alice'] } },
  { name: 'alice in sudo but not configured as admin', status: 'fail', match: /alice is in root-equivalent group sudo/ },
  { name: 'admin through admin_groups', status: 'pass', config: { admin_groups: ['sudo'] } },
  {
    name: 'second UID 0',
    status: 'fail',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      f.users.push({ name: 'toor', uid: 0, gid: 0, home: '/root', shell: '/bin/sh', source: { path: '/etc/passwd', line: 9 } });
    },
    match: /toor has UID 0/,
  },
  {
    name: 'NOPASSWD ALL for a non-admin user',
    status: 'fail',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      bob(f);
      f.sudo.rules.push(rule('user', 'bob', true, 60));
    },
    match: /NOPASSWD: ALL for bob/,
  },
  {
    name: 'NOPASSWD ALL for a non-admin uid (#1001)',
    status: 'fail',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      bob(f);
      f.sudo.rules.push(rule('uid', '1001', true, 60));
    },
    match: /NOPASSWD: ALL for #1001/,
  },
  {
    name: 'NOPASSWD ALL for the admin user',
    status: 'pass',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      f.sudo.rules.push(rule('user', 'alice', true, 60));
    },
  },
  {
    name: 'NOPASSWD ALL for %#27 when sudo is an admin group',
    status: 'pass',
    config: { admin_groups: ['sudo'] },
    edit: (f) => {
      f.sudo.rules.push(rule('gid', '27', true, 60));
    },
  },
  {
    name: 'NOPASSWD ALL for ALL users',
    status: 'fail',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      f.sudo.rules.push(rule('all', 'ALL', true, 60));
    },
    match: /NOPASSWD: ALL for ALL/,
  },
  {
    name: 'NOPASSWD for one command only is not ALL',
    status: 'pass',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      bob(f);
      f.sudo.rules.push(rule('user', 'bob', true, 60, '/usr/bin/systemctl restart nginx'));
    },
  },
  {
    name: 'ALL with a password for bob is no NOPASSWD finding',
    status: 'pass',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      bob(f);
      f.sudo.rules.push(rule('user', 'bob', false, 60));
    },
  },
  {
    name: 'docker member not admin',
    status: 'fail',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      bob(f);
      f.groups.push({ name: 'docker', gid: 998, members: ['bob'], source: { path: '/etc/group', line: 4 } });
    },
    match: /bob is in root-equivalent group docker/,
  },
  {
    name: 'disk member through the primary group',
    status: 'fail',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      f.users.push({ name: 'backup', uid: 34, gid: 6, home: '/', shell: '/usr/sbin/nologin', source: { path: '/etc/passwd', line: 5 } });
      f.groups.push({ name: 'disk', gid: 6, members: [], source: { path: '/etc/group', line: 5 } });
    },
    match: /backup is in root-equivalent group disk/,
  },
  {
    name: 'unparseable passwd line',
    status: 'unknown',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      f.problems.push({ message: '/etc/passwd:4: line holds control or non-UTF-8 bytes', source: { path: '/etc/passwd', line: 4 } });
    },
    match: /cannot rule out/,
  },
  {
    name: 'NIS entries',
    status: 'unknown',
    config: { admin_users: ['alice'] },
    edit: (f) => {
      f.nis.push({ path: '/etc/passwd', line: 30, excerpt: '+' });
    },
    match: /NIS/,
  },
];

for (const c of CASES) {
  test(`accounts.least-privilege: ${c.name} → ${c.status}`, () => {
    const f = baseFacts();
    c.edit?.(f);
    const v = check.evaluate({ accounts: f }, ctx({ config: { ...ctx().config, ...c.config } }));
    assert.equal(v.status, c.status, v.summary);
    if (c.match) assert.match(v.summary, c.match);
    if (v.status === 'fail')
      assert.ok(
        v.findings.some((x) => x.path ?? x.command),
        'fail carries evidence',
      );
  });
}
