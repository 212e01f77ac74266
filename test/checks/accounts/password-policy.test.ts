import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/accounts/password-policy.js';
import type { AccountsFacts } from '../../../src/facts/accounts.js';
import { ctx } from '../../helpers.js';
import { baseFacts } from '../../accounts/facts.js';

const pwq = (f: AccountsFacts) => f.passwordPolicy.pwquality!;
const line = { path: '/etc/security/pwquality.conf', line: 5 };
const CASES: { name: string; status: string; edit?: (f: AccountsFacts) => void; match?: RegExp }[] = [
  { name: 'pwquality minlen 14, minclass 3, yescrypt', status: 'pass', match: /minlen=14, minclass=3; hash yescrypt/ },
  {
    name: 'minlen 12 is enough',
    status: 'pass',
    edit: (f) => {
      pwq(f).minlen = { value: 12, source: line };
    },
  },
  {
    name: 'minlen 11',
    status: 'fail',
    edit: (f) => {
      pwq(f).minlen = { value: 11, source: line };
    },
    match: /minlen is 11 \(< 12\)/,
  },
  {
    name: 'minclass 2 and no credits',
    status: 'fail',
    edit: (f) => {
      pwq(f).minclass = { value: 2, source: line };
    },
    match: /minclass is 2/,
  },
  {
    name: 'credits -1 each instead of minclass',
    status: 'pass',
    edit: (f) => {
      const q = pwq(f);
      q.minclass.value = 0;
      for (const k of ['dcredit', 'ucredit', 'lcredit', 'ocredit'] as const) q[k] = { value: -1, source: line };
    },
  },
  {
    name: 'three credits only',
    status: 'fail',
    edit: (f) => {
      const q = pwq(f);
      q.minclass.value = 0;
      for (const k of ['dcredit', 'ucredit', 'lcredit'] as const) q[k] = { value: -1, source: line };
    },
    match: /-1\/-1\/-1\/0/,
  },
  {
    name: 'enforcing = 0',
    status: 'fail',
    edit: (f) => {
      pwq(f).enforcing = { value: 0, source: line };
    },
    match: /enforcing = 0/,
  },
  {
    name: 'sha512 is accepted',
    status: 'pass',
    edit: (f) => {
      f.passwordPolicy.hashMethod = { value: 'sha512', source: { path: '/etc/login.defs', line: 294 } };
    },
  },
  {
    name: 'md5 hashing',
    status: 'fail',
    edit: (f) => {
      f.passwordPolicy.hashMethod = { value: 'md5', source: { path: '/etc/pam.d/common-password', line: 26 } };
    },
    match: /hashed with md5/,
  },
  {
    name: 'DES default',
    status: 'fail',
    edit: (f) => {
      f.passwordPolicy.hashMethod = { value: 'des', source: { note: 'default' } };
    },
    match: /hashed with des/,
  },
  {
    name: 'no quality module',
    status: 'fail',
    edit: (f) => {
      f.passwordPolicy.stack.shift();
      f.passwordPolicy.pwquality = null;
    },
    match: /neither pam_pwquality nor pam_passwdqc/,
  },
  {
    name: 'no readable stack',
    status: 'unknown',
    edit: (f) => {
      Object.assign(f.passwordPolicy, {
        stackEntry: null,
        stack: [],
        pwquality: null,
        problems: [{ message: 'no PAM password stack found', source: { path: '/etc/pam.d' } }],
      });
    },
    match: /no PAM password stack/,
  },
  {
    name: 'a conf error stops libpwquality',
    status: 'unknown',
    edit: (f) => {
      f.passwordPolicy.problems.push({ message: 'pwquality.conf:3: unknown setting "minlenn"', source: line });
    },
    match: /minlenn/,
  },
  {
    name: 'a jump can skip pwquality',
    status: 'warn',
    edit: (f) => {
      f.passwordPolicy.stack[0]!.skippableBy = { path: '/etc/pam.d/common-password', line: 24 };
    },
    match: /can jump over pam_pwquality.so/,
  },
  {
    name: 'an old md5 hash still stored',
    status: 'warn',
    edit: (f) => {
      f.details[1]!.password = { kind: 'hashed', algorithm: 'md5' };
    },
    match: /alice's stored hash uses md5/,
  },
  {
    name: 'passwdqc with 3+ classes at 12+',
    status: 'pass',
    edit: (f) => {
      f.passwordPolicy.stack[0]!.module = 'pam_passwdqc.so';
      f.passwordPolicy.pwquality = null;
      f.passwordPolicy.passwdqc = { min: [null, null, null, 12, 12], source: { path: '/etc/pam.d/common-password', line: 25 } };
    },
  },
  {
    name: 'passwdqc default',
    status: 'fail',
    edit: (f) => {
      f.passwordPolicy.stack[0]!.module = 'pam_passwdqc.so';
      f.passwordPolicy.pwquality = null;
      f.passwordPolicy.passwdqc = { min: [null, 24, 11, 8, 7], source: { path: '/etc/pam.d/common-password', line: 25 } };
    },
    match: /min=disabled,24,11,8,7/,
  },
];

for (const c of CASES) {
  test(`accounts.password-policy: ${c.name} → ${c.status}`, () => {
    const f = baseFacts();
    c.edit?.(f);
    const v = check.evaluate({ accounts: f }, ctx());
    assert.equal(v.status, c.status, v.summary);
    if (c.match) assert.match(v.summary, c.match);
    if (v.status === 'fail' || v.status === 'warn')
      assert.ok(
        v.findings.some((x) => x.path ?? x.command),
        'carries evidence',
      );
  });
}
