import check from '../../../src/checks/accounts/password-policy.js';
import type { AccountsFacts } from '../../../src/facts/accounts.js';
import { baseFacts } from '../../accounts/facts.js';
import { runCases } from '../run-cases.js';

const pwq = (f: AccountsFacts) => f.passwordPolicy.pwquality!;
const line = { path: '/etc/security/pwquality.conf', line: 5 };
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
      { facts: edited(), name: 'pwquality minlen 14, minclass 3, yescrypt', summary: /minlen=14, minclass=3; hash yescrypt/ },
      {
        name: 'minlen 12 is enough',
        facts: edited((f) => {
          pwq(f).minlen = { value: 12, source: line };
        }),
      },
      {
        name: 'credits -1 each instead of minclass',
        facts: edited((f) => {
          const q = pwq(f);
          q.minclass.value = 0;
          for (const k of ['dcredit', 'ucredit', 'lcredit', 'ocredit'] as const) q[k] = { value: -1, source: line };
        }),
      },
      {
        name: 'sha512 is accepted',
        facts: edited((f) => {
          f.passwordPolicy.hashMethod = { value: 'sha512', source: { path: '/etc/login.defs', line: 294 } };
        }),
      },
      {
        name: 'passwdqc with 3+ classes at 12+',
        facts: edited((f) => {
          f.passwordPolicy.stack[0]!.module = 'pam_passwdqc.so';
          f.passwordPolicy.pwquality = null;
          f.passwordPolicy.passwdqc = { min: [null, null, null, 12, 12], source: { path: '/etc/pam.d/common-password', line: 25 } };
        }),
      },
    ],
    fail: [
      {
        name: 'minlen 11',
        facts: edited((f) => {
          pwq(f).minlen = { value: 11, source: line };
        }),
        summary: /minlen is 11 \(< 12\)/,
      },
      {
        name: 'minclass 2 and no credits',
        facts: edited((f) => {
          pwq(f).minclass = { value: 2, source: line };
        }),
        summary: /minclass is 2/,
      },
      {
        name: 'three credits only',
        facts: edited((f) => {
          const q = pwq(f);
          q.minclass.value = 0;
          for (const k of ['dcredit', 'ucredit', 'lcredit'] as const) q[k] = { value: -1, source: line };
        }),
        summary: /-1\/-1\/-1\/0/,
      },
      {
        name: 'enforcing = 0',
        facts: edited((f) => {
          pwq(f).enforcing = { value: 0, source: line };
        }),
        summary: /enforcing = 0/,
      },
      {
        name: 'md5 hashing',
        facts: edited((f) => {
          f.passwordPolicy.hashMethod = { value: 'md5', source: { path: '/etc/pam.d/common-password', line: 26 } };
        }),
        summary: /hashed with md5/,
      },
      {
        name: 'DES default',
        facts: edited((f) => {
          f.passwordPolicy.hashMethod = { value: 'des', source: { note: 'default' } };
        }),
        summary: /hashed with des/,
      },
      {
        name: 'no quality module',
        facts: edited((f) => {
          f.passwordPolicy.stack.shift();
          f.passwordPolicy.pwquality = null;
        }),
        summary: /neither pam_pwquality nor pam_passwdqc/,
      },
      {
        name: 'passwdqc default',
        facts: edited((f) => {
          f.passwordPolicy.stack[0]!.module = 'pam_passwdqc.so';
          f.passwordPolicy.pwquality = null;
          f.passwordPolicy.passwdqc = { min: [null, 24, 11, 8, 7], source: { path: '/etc/pam.d/common-password', line: 25 } };
        }),
        summary: /min=disabled,24,11,8,7/,
      },
    ],
    warn: [
      {
        name: 'a jump can skip pwquality',
        facts: edited((f) => {
          f.passwordPolicy.stack[0]!.skippableBy = { path: '/etc/pam.d/common-password', line: 24 };
        }),
        summary: /can jump over pam_pwquality.so/,
      },
      {
        name: 'an old md5 hash still stored',
        facts: edited((f) => {
          f.details[1]!.password = { kind: 'hashed', algorithm: 'md5' };
        }),
        summary: /alice's stored hash uses md5/,
      },
    ],
    unknown: [
      {
        name: 'no readable stack',
        facts: edited((f) => {
          Object.assign(f.passwordPolicy, {
            stackEntry: null,
            stack: [],
            pwquality: null,
            problems: [{ message: 'no PAM password stack found', source: { path: '/etc/pam.d' } }],
          });
        }),
        summary: /no PAM password stack/,
      },
      {
        name: 'a conf error stops libpwquality',
        facts: edited((f) => {
          f.passwordPolicy.problems.push({ message: 'pwquality.conf:3: unknown setting "minlenn"', source: line });
        }),
        summary: /minlenn/,
      },
    ],
  },
  { key: 'accounts' },
);
