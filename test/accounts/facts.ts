import type { AccountDetail, AccountsFacts, SudoRule } from '../../src/facts/accounts.js';

/** A small, valid AccountsFacts (hardened: sudo, root locked, alice admin, pwquality 14/3, yescrypt). */
export function baseFacts(): AccountsFacts {
  const detail = (name: string, uid: number, over: Partial<AccountDetail> = {}): AccountDetail => ({
    name,
    uid,
    shell: '/bin/bash',
    loginShell: true,
    password: { kind: 'hashed', algorithm: 'yescrypt' },
    passwordSource: { path: '/etc/shadow', line: uid === 0 ? 1 : 2 },
    aging: { lastChange: 20760, minDays: 0, maxDays: 99999, warnDays: 7, inactiveDays: null, expireDate: null },
    groups: [name],
    lastLogin: { kind: 'at', time: '2026-11-20T08:00:00.000Z', line: 'pts/0', host: '198.51.100.7', source: { path: '/var/log/lastlog' } },
    ...over,
  });
  return {
    installed: true,
    users: [
      { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/bash', source: { path: '/etc/passwd', line: 1 } },
      { name: 'alice', uid: 1000, gid: 1000, home: '/home/alice', shell: '/bin/bash', source: { path: '/etc/passwd', line: 2 } },
    ],
    groups: [
      { name: 'root', gid: 0, members: [], source: { path: '/etc/group', line: 1 } },
      { name: 'sudo', gid: 27, members: ['alice'], source: { path: '/etc/group', line: 2 } },
      { name: 'alice', gid: 1000, members: [], source: { path: '/etc/group', line: 3 } },
    ],
    uidMin: { value: 1000, source: { note: 'default' } },
    details: [
      detail('root', 0, { password: { kind: 'locked', marker: '*', algorithm: null }, groups: ['root'] }),
      detail('alice', 1000, { groups: ['alice', 'sudo'] }),
    ],
    nis: [],
    problems: [],
    sudo: {
      installed: true,
      installedSource: { path: '/usr/bin/sudo' },
      validatedBy: 'visudo',
      files: [
        {
          meta: { path: '/etc/sudoers', uid: 0, gid: 0, mode: 0o440 },
          source: { path: '/etc/sudoers', command: 'visudo -c -f /etc/sudoers' },
          parsesOk: true,
          errors: [],
        },
      ],
      rules: [rule('group', 'sudo', false, 50)],
      problems: [],
    },
    passwordPolicy: {
      stackEntry: 'passwd',
      stack: [
        {
          module: 'pam_pwquality.so',
          control: 'requisite',
          args: ['retry=3'],
          optional: false,
          source: { path: '/etc/pam.d/common-password', line: 25 },
          skippableBy: null,
        },
        {
          module: 'pam_unix.so',
          control: '[success=1 default=ignore]',
          args: ['yescrypt'],
          optional: false,
          source: { path: '/etc/pam.d/common-password', line: 26 },
          skippableBy: null,
        },
      ],
      pwquality: {
        minlen: { value: 14, source: { path: '/etc/security/pwquality.conf', line: 11 } },
        minclass: { value: 3, source: { path: '/etc/security/pwquality.conf', line: 34 } },
        dcredit: { value: 0, source: { note: 'default' } },
        ucredit: { value: 0, source: { note: 'default' } },
        lcredit: { value: 0, source: { note: 'default' } },
        ocredit: { value: 0, source: { note: 'default' } },
        enforcing: { value: 1, source: { note: 'default' } },
      },
      passwdqc: null,
      hashMethod: { value: 'yescrypt', source: { path: '/etc/pam.d/common-password', line: 26 } },
      problems: [],
    },
  };
}

export function rule(kind: SudoRule['principal']['kind'], name: string, nopasswd: boolean, line: number, command = 'ALL'): SudoRule {
  return {
    principal: { kind, name },
    hosts: ['ALL'],
    commands: [{ command, negated: false, nopasswd, runas: 'ALL' }],
    source: { path: '/etc/sudoers', line },
  };
}
