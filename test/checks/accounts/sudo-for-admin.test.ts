import check from '../../../src/checks/accounts/sudo-for-admin.js';
import type { AccountsFacts } from '../../../src/facts/accounts.js';
import { baseFacts } from '../../accounts/facts.js';
import { runCases } from '../run-cases.js';

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
      {
        facts: edited(),
        name: 'hardened host',
        summary: /sudo installed; 1 sudoers file\(s\) valid \(visudo\); root's password is locked/,
      },
      {
        name: 'mode 0640 is not writable by others',
        facts: edited((f) => {
          f.sudo.files[0]!.meta!.mode = 0o640;
        }),
      },
      {
        name: 'root locked with ! in front of a hash',
        facts: edited((f) => {
          f.details[0]!.password = { kind: 'locked', marker: '!', algorithm: 'sha512' };
        }),
      },
    ],
    fail: [
      {
        name: 'sudo absent',
        facts: edited((f) => {
          f.sudo.installed = false;
        }),
        summary: /sudo is not installed/,
      },
      {
        name: 'no /etc/sudoers',
        facts: edited((f) => {
          f.sudo.files = [];
        }),
        summary: /\/etc\/sudoers does not exist/,
      },
      {
        name: 'visudo rejects a drop-in',
        summary: /does not parse \(visudo\): x:2:29: syntax error/,
        facts: edited((f) => {
          f.sudo.files.push({
            meta: { path: '/etc/sudoers.d/x', uid: 0, gid: 0, mode: 0o440 },
            source: { path: '/etc/sudoers.d/x' },
            parsesOk: false,
            errors: [{ message: 'x:2:29: syntax error', source: { command: 'visudo -c -f /etc/sudoers.d/x' } }],
          });
        }),
      },
      {
        name: 'owned by a user',
        facts: edited((f) => {
          f.sudo.files[0]!.meta!.uid = 1000;
        }),
        summary: /owned by UID 1000, not root/,
      },
      {
        name: 'group-writable (0460)',
        facts: edited((f) => {
          f.sudo.files[0]!.meta!.mode = 0o460;
        }),
        summary: /mode 0460: group\/world-writable/,
      },
      {
        name: 'world-writable (0666)',
        facts: edited((f) => {
          f.sudo.files[0]!.meta!.mode = 0o666;
        }),
        summary: /mode 0666/,
      },
      {
        name: 'root has a password',
        facts: edited((f) => {
          f.details[0]!.password = { kind: 'hashed', algorithm: 'yescrypt' };
        }),
        summary: /root's password is set/,
      },
      {
        name: 'root has an empty password',
        facts: edited((f) => {
          f.details[0]!.password = { kind: 'empty' };
        }),
        summary: /root's password is empty/,
      },
    ],
    unknown: [
      {
        name: 'shadow unreadable',
        facts: edited((f) => {
          f.details[0]!.password = { kind: 'unknown', reason: 'shadow unreadable' };
        }),
        summary: /root's password state unknown/,
      },
      {
        name: 'an include that cannot be followed',
        facts: edited((f) => {
          f.sudo.problems.push({ message: '/etc/sudoers.d/x: permission denied', source: { path: '/etc/sudoers', line: 56 } });
        }),
        summary: /permission denied/,
      },
      {
        name: '/etc/sudoers unreadable (EACCES) is no "does not exist"',
        facts: edited((f) => {
          f.sudo.files = [];
          f.sudo.problems.push({ message: '"/etc/sudoers" permission denied', source: { path: '/etc/sudoers' } });
        }),
        summary: /^cannot judge: "\/etc\/sudoers" permission denied$/,
      },
      {
        name: 'sudoers and shadow unreadable, sudo absent: unknown naming both, the absence kept',
        facts: edited((f) => {
          f.sudo.installed = false;
          f.sudo.files = [];
          f.sudo.problems.push({ message: '"/etc/sudoers" permission denied', source: { path: '/etc/sudoers' } });
          f.details[0]!.password = { kind: 'unknown', reason: 'shadow unreadable' };
        }),
        summary: /cannot judge: .*\/etc\/sudoers" permission denied.*root's password state unknown.*; seen: sudo is not installed$/,
      },
      {
        name: 'owner unknown',
        facts: edited((f) => {
          f.sudo.files[0]!.meta = null;
        }),
        summary: /owner and mode/,
      },
    ],
  },
  { key: 'accounts' },
);
