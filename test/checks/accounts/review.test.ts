import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/accounts/review.js';
import type { AccountsFacts } from '../../../src/facts/accounts.js';
import { ctx } from '../../helpers.js';
import { baseFacts } from '../../accounts/facts.js';

const alice = (f: AccountsFacts) => f.details[1]!;
const CASES: { name: string; status: string; edit?: (f: AccountsFacts) => void; match?: RegExp; period?: number }[] = [
  { name: 'active admin, locked root', status: 'pass', match: /2 account\(s\) with a login shell; no empty passwords/ },
  {
    name: 'empty password field',
    status: 'fail',
    edit: (f) => {
      alice(f).password = { kind: 'empty' };
    },
    match: /alice has an empty password field/,
  },
  {
    name: 'empty password on a nologin account still counts',
    status: 'fail',
    edit: (f) => {
      Object.assign(alice(f), { loginShell: false, shell: '/usr/sbin/nologin', password: { kind: 'empty' } });
    },
    match: /alice has an empty password field/,
  },
  {
    name: 'system account with a shell, locked',
    status: 'warn',
    edit: (f) => {
      Object.assign(alice(f), { name: 'sync', uid: 4, shell: '/bin/sync', password: { kind: 'locked', marker: '*', algorithm: null } });
    },
    match: /system account sync \(UID 4\) has login shell \/bin\/sync/,
  },
  {
    name: 'system account with a shell and a password',
    status: 'fail',
    edit: (f) => {
      Object.assign(alice(f), { name: 'postgres', uid: 101 });
    },
    match: /postgres \(UID 101\) has login shell \/bin\/bash and a usable password/,
  },
  {
    name: 'UID_MIN from login.defs decides what is a system account',
    status: 'warn',
    edit: (f) => {
      f.uidMin.value = 2000;
      alice(f).password = { kind: 'locked', marker: '!', algorithm: 'yescrypt' };
    },
    match: /system account alice/,
  },
  {
    name: 'root with a shell is fine',
    status: 'pass',
    edit: (f) => {
      f.details = [f.details[0]!];
    },
  },
  {
    name: 'last login 100 days ago',
    status: 'warn',
    edit: (f) => {
      const l = alice(f).lastLogin;
      if (l.kind === 'at') l.time = '2026-08-20T10:00:00.000Z';
    },
    match: /alice last logged in 100 days ago \(2026-08-20\), over 90 days/,
  },
  {
    name: 'last login 100 days ago with a 120-day period',
    status: 'pass',
    period: 120,
    edit: (f) => {
      const l = alice(f).lastLogin;
      if (l.kind === 'at') l.time = '2026-08-20T10:00:00.000Z';
    },
  },
  {
    name: 'last login exactly 89 days ago',
    status: 'pass',
    edit: (f) => {
      const l = alice(f).lastLogin;
      if (l.kind === 'at') l.time = '2026-08-31T10:00:00.000Z';
    },
  },
  {
    name: 'never logged in, password set long ago',
    status: 'warn',
    edit: (f) => {
      alice(f).lastLogin = { kind: 'never', source: { path: '/var/log/lastlog' } };
      alice(f).aging!.lastChange = 20000;
    },
    match: /alice never logged in; password set 785 days ago/,
  },
  {
    name: 'never logged in, new account',
    status: 'pass',
    edit: (f) => {
      alice(f).lastLogin = { kind: 'never', source: { path: '/var/log/lastlog' } };
    },
  },
  {
    name: 'last login unknown (no lastlog)',
    status: 'unknown',
    edit: (f) => {
      alice(f).lastLogin = { kind: 'unknown', reason: '/var/log/lastlog does not exist' };
    },
    match: /alice: \/var\/log\/lastlog does not exist/,
  },
  {
    name: 'shadow unreadable: a warning seen alongside is no verdict (the password might make it a fail)',
    status: 'unknown',
    edit: (f) => {
      f.problems.push({ message: 'password states unknown: "/etc/shadow" permission denied', source: { path: '/etc/shadow' } });
      const d = f.details.find((x) => x.uid > 0 && x.uid < 1000 && x.loginShell);
      if (d) d.password = { kind: 'unknown', reason: 'shadow unreadable' };
      else {
        const s = f.details[0]!;
        f.details.push({
          ...s,
          name: 'sync',
          uid: 4,
          shell: '/bin/sync',
          loginShell: true,
          password: { kind: 'unknown', reason: 'shadow unreadable' },
        });
      }
    },
    match:
      /cannot judge: password states unknown: "\/etc\/shadow" permission denied.*; seen: system account \w+ \(UID \d+\) has login shell/,
  },
  {
    name: 'shadow unreadable is said',
    status: 'unknown',
    edit: (f) => {
      f.problems.push({ message: 'password states unknown: permission denied', source: { path: '/etc/shadow' } });
    },
    match: /permission denied/,
  },
  {
    name: 'nobody (65534) is no human account',
    status: 'pass',
    edit: (f) => {
      Object.assign(alice(f), { name: 'nobody', uid: 65534, lastLogin: { kind: 'never', source: { path: '/var/log/lastlog' } } });
      alice(f).aging!.lastChange = 10000;
    },
  },
];

for (const c of CASES) {
  test(`accounts.review: ${c.name} → ${c.status}`, () => {
    const f = baseFacts();
    c.edit?.(f);
    const base = ctx();
    const v = check.evaluate(
      { accounts: f },
      ctx({ config: { ...base.config, periods: { ...base.config.periods, inactive_account: c.period ?? 90 } } }),
    );
    assert.equal(v.status, c.status, v.summary);
    if (c.match) assert.match(v.summary, c.match);
    if (v.status === 'fail' || v.status === 'warn')
      assert.ok(
        v.findings.some((x) => x.path ?? x.command),
        'carries evidence',
      );
  });
}

test('accounts.review lists every login-shell account with groups, last login and password age', () => {
  const v = check.evaluate({ accounts: baseFacts() }, ctx());
  assert.ok(
    v.findings.some(
      (x) =>
        x.message ===
          'alice (UID 1000, /bin/bash): groups alice,sudo; last login 2026-11-20 from 198.51.100.7; password hashed, changed 25 days ago' &&
        x.path === '/etc/passwd' &&
        x.line === 2,
    ),
  );
});
