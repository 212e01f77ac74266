import check from '../../../src/checks/accounts/least-privilege.js';
import type { AccountsFacts } from '../../../src/facts/accounts.js';
import { baseFacts, rule } from '../../accounts/facts.js';
import { runCases } from '../run-cases.js';

const bob = (f: AccountsFacts) =>
  f.users.push({ name: 'bob', uid: 1001, gid: 1001, home: '/home/bob', shell: '/bin/bash', source: { path: '/etc/passwd', line: 3 } });
/** The base facts, changed by a case. */
const edited = (edit?: (f: AccountsFacts) => void): AccountsFacts => {
  const f = baseFacts();
  edit?.(f);
  return f;
};
runCases(
  check,
  {
    pass: [
      { facts: edited(), name: 'admin alice in sudo', config: { admin_users: ['alice'] } },
      { facts: edited(), name: 'admin through admin_groups', config: { admin_groups: ['sudo'] } },
      {
        name: 'NOPASSWD ALL for the admin user',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          f.sudo.rules.push(rule('user', 'alice', true, 60));
        }),
      },
      {
        name: 'NOPASSWD ALL for %#27 when sudo is an admin group',
        config: { admin_groups: ['sudo'] },
        facts: edited((f) => {
          f.sudo.rules.push(rule('gid', '27', true, 60));
        }),
      },
      {
        name: 'NOPASSWD for one command only is not ALL',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          bob(f);
          f.sudo.rules.push(rule('user', 'bob', true, 60, '/usr/bin/systemctl restart nginx'));
        }),
      },
      {
        name: 'ALL with a password for bob is no NOPASSWD finding',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          bob(f);
          f.sudo.rules.push(rule('user', 'bob', false, 60));
        }),
      },
    ],
    fail: [
      { facts: edited(), name: 'alice in sudo but not configured as admin', summary: /alice is in root-equivalent group sudo/ },
      {
        name: 'second UID 0',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          f.users.push({ name: 'toor', uid: 0, gid: 0, home: '/root', shell: '/bin/sh', source: { path: '/etc/passwd', line: 9 } });
        }),
        summary: /toor has UID 0/,
      },
      {
        name: 'NOPASSWD ALL for a non-admin user',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          bob(f);
          f.sudo.rules.push(rule('user', 'bob', true, 60));
        }),
        summary: /NOPASSWD: ALL for bob/,
      },
      {
        name: 'NOPASSWD ALL for a non-admin uid (#1001)',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          bob(f);
          f.sudo.rules.push(rule('uid', '1001', true, 60));
        }),
        summary: /NOPASSWD: ALL for #1001/,
      },
      {
        name: 'NOPASSWD ALL for ALL users',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          f.sudo.rules.push(rule('all', 'ALL', true, 60));
        }),
        summary: /NOPASSWD: ALL for ALL/,
      },
      {
        name: 'docker member not admin',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          bob(f);
          f.groups.push({ name: 'docker', gid: 998, members: ['bob'], source: { path: '/etc/group', line: 4 } });
        }),
        summary: /bob is in root-equivalent group docker/,
      },
      {
        name: 'disk member through the primary group',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          f.users.push({
            name: 'backup',
            uid: 34,
            gid: 6,
            home: '/',
            shell: '/usr/sbin/nologin',
            source: { path: '/etc/passwd', line: 5 },
          });
          f.groups.push({ name: 'disk', gid: 6, members: [], source: { path: '/etc/group', line: 5 } });
        }),
        summary: /backup is in root-equivalent group disk/,
      },
    ],
    unknown: [
      {
        name: 'unparseable passwd line',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          f.problems.push({ message: '/etc/passwd:4: line holds control or non-UTF-8 bytes', source: { path: '/etc/passwd', line: 4 } });
        }),
        summary: /cannot rule out/,
      },
      {
        name: 'NIS entries',
        config: { admin_users: ['alice'] },
        facts: edited((f) => {
          f.nis.push({ path: '/etc/passwd', line: 30, excerpt: '+' });
        }),
        summary: /NIS/,
      },
    ],
  },
  { key: 'accounts' },
);
