import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FsTarget } from '../../src/target/fs-target.js';
import { collectAccounts } from '../../src/collect/accounts.js';
import { accountsChecks } from '../../src/checks/accounts/index.js';
import type { AccountsFacts } from '../../src/facts/accounts.js';
import type { Verdict } from '../../src/checks/verdict.js';
import { ctx } from '../helpers.js';
import { loadScenario } from './fixture.js';

type Id = 'accounts.sudo-for-admin' | 'accounts.least-privilege' | 'accounts.review' | 'accounts.password-policy';
interface Expect {
  status: Verdict['status'];
  match?: RegExp;
  notMatch?: RegExp;
  evidence?: RegExp;
  needsRootOwner?: boolean;
}

async function audit(root: string): Promise<{ facts: AccountsFacts; verdicts: Record<Id, Verdict> }> {
  const fact = await collectAccounts({ target: new FsTarget({ root, name: 'fixture' }), config: ctx().config, commandTimeoutMs: 5000 });
  assert.equal(fact.state, 'collected', fact.state === 'collected' ? '' : fact.reason);
  if (fact.state !== 'collected') throw new Error('unreachable');
  const c = ctx({ live: false, config: { ...ctx().config, admin_users: ['alice'] } });
  const verdicts = Object.fromEntries(accountsChecks.map((k) => [k.id, k.evaluate({ accounts: fact.value }, c)])) as Record<Id, Verdict>;
  return { facts: fact.value, verdicts };
}

const text = (v: Verdict) => [v.summary, ...v.findings.map((f) => `${f.message} @${f.path ?? f.command ?? ''}:${f.line ?? ''}`)].join('\n');

const CASES: { scenario: string; expect: Partial<Record<Id, Expect>> }[] = [
  {
    scenario: 'debian12-default',
    expect: {
      'accounts.sudo-for-admin': { status: 'fail', match: /sudo is not installed.*\/etc\/sudoers does not exist.*root's password is set/s },
      'accounts.least-privilege': { status: 'pass' },
      'accounts.review': {
        status: 'warn',
        match: /system account sync \(UID 4\) has login shell \/bin\/sync/,
        evidence: /@\/etc\/passwd:5/,
      },
      'accounts.password-policy': { status: 'fail', match: /neither pam_pwquality nor pam_passwdqc/ },
    },
  },
  {
    scenario: 'hardened.pass',
    expect: {
      'accounts.sudo-for-admin': { status: 'pass', match: /2 sudoers file\(s\) valid \(parser\)/, needsRootOwner: true },
      'accounts.least-privilege': { status: 'pass', match: /limited to admins/, evidence: /sudo: alice/ },
      'accounts.review': {
        status: 'pass',
        evidence:
          /alice \(UID 1000, \/bin\/bash\): groups alice,sudo; last login 2026-11-20 from 198\.51\.100\.7; password hashed, changed 25 days ago/,
      },
      'accounts.password-policy': {
        status: 'pass',
        match: /minlen=14, minclass=3; hash yescrypt/,
        evidence: /@\/etc\/security\/pwquality.conf:11/,
      },
    },
  },
  {
    scenario: 'uid0-duplicate.fail',
    expect: { 'accounts.least-privilege': { status: 'fail', match: /toor has UID 0/, evidence: /@\/etc\/passwd:20/ } },
  },
  {
    scenario: 'nopasswd-all-for-nonadmin.fail',
    expect: {
      'accounts.least-privilege': { status: 'fail', match: /NOPASSWD: ALL for bob, not in admin_users/, evidence: /@\/etc\/sudoers:53/ },
    },
  },
  {
    scenario: 'includedir-dropin.fail',
    expect: {
      'accounts.least-privilege': {
        status: 'fail',
        match: /NOPASSWD: ALL for deploy/,
        notMatch: /mallory/,
        evidence: /@\/etc\/sudoers.d\/90-deploy:2/,
      },
      'accounts.sudo-for-admin': { status: 'pass', match: /3 sudoers file/, needsRootOwner: true },
    },
  },
  {
    scenario: 'alias-expansion.fail',
    expect: {
      'accounts.least-privilege': {
        status: 'fail',
        match: /NOPASSWD: ALL for carol.*NOPASSWD: ALL for %ops.*NOPASSWD: ALL for dave/s,
        evidence: /@\/etc\/sudoers.d\/50-aliases:10/,
        notMatch: /50-aliases:9/,
      },
    },
  },
  {
    scenario: 'pwquality-minlen8.fail',
    expect: {
      'accounts.password-policy': { status: 'fail', match: /minlen is 8 \(< 12\)/, evidence: /@\/etc\/security\/pwquality.conf:11/ },
    },
  },
  {
    scenario: 'pwquality-conf-d-override',
    expect: {
      'accounts.password-policy': {
        status: 'pass',
        match: /minlen=14, minclass=3/,
        evidence: /@\/etc\/security\/pwquality.conf.d\/50-site.conf:2/,
      },
    },
  },
  {
    scenario: 'pwquality-main-overrides-conf-d.fail',
    expect: {
      'accounts.password-policy': { status: 'fail', match: /minlen is 10/, evidence: /minlen is 10.*@\/etc\/security\/pwquality.conf:11/ },
    },
  },
  {
    scenario: 'pam-line-overrides-conf.fail',
    expect: {
      'accounts.password-policy': { status: 'fail', match: /minlen is 8/, evidence: /minlen is 8.*@\/etc\/pam.d\/common-password:25/ },
    },
  },
  {
    scenario: 'md5-hash-method.fail',
    expect: {
      'accounts.password-policy': {
        status: 'fail',
        match: /hashed with md5, not yescrypt or SHA-512/,
        evidence: /@\/etc\/pam.d\/common-password:26/,
      },
    },
  },
  {
    scenario: 'empty-password.fail',
    expect: { 'accounts.review': { status: 'fail', match: /alice has an empty password field/, evidence: /@\/etc\/shadow:19/ } },
  },
  {
    scenario: 'docker-group-member-not-admin.fail',
    expect: {
      'accounts.least-privilege': {
        status: 'fail',
        match: /bob is in root-equivalent group docker/,
        notMatch: /alice is in/,
        evidence: /docker: bob/,
      },
    },
  },
  {
    scenario: 'world-writable-sudoers.fail',
    expect: { 'accounts.sudo-for-admin': { status: 'fail', match: /\/etc\/sudoers.d\/10-ops is mode 0666: group\/world-writable/ } },
  },
  {
    scenario: 'malformed-sudoers.fail',
    expect: {
      'accounts.sudo-for-admin': {
        status: 'fail',
        match: /does not parse \(parser\): \/etc\/sudoers.d\/20-broken:2: unknown tag "NOPASWD:"/,
      },
      'accounts.least-privilege': { status: 'unknown', match: /does not parse/ },
    },
  },
  {
    scenario: 'binary-garbage-passwd',
    expect: {
      'accounts.least-privilege': { status: 'unknown', match: /\/etc\/passwd:\d+: line holds control or non-UTF-8 bytes/ },
      'accounts.review': { status: 'unknown', match: /control or non-UTF-8/ },
    },
  },
  {
    scenario: 'inactive-account.warn',
    expect: { 'accounts.review': { status: 'warn', match: /alice last logged in 327 days ago \(2026-01-05\), over 90 days/ } },
  },
];

for (const { scenario, expect } of CASES) {
  test(`accounts scenario ${scenario}`, async (t) => {
    const { root, rootOwned } = loadScenario(t, scenario);
    const { verdicts } = await audit(root);
    for (const [id, e] of Object.entries(expect) as [Id, Expect][]) {
      if (e.needsRootOwner && !rootOwned) continue;
      const v = verdicts[id];
      assert.equal(v.status, e.status, `${id}: ${text(v)}`);
      if (e.match) assert.match(text(v), e.match, id);
      if (e.notMatch) assert.doesNotMatch(text(v), e.notMatch, id);
      if (e.evidence) assert.match(text(v), e.evidence, id);
      if (v.status === 'fail' || v.status === 'warn')
        assert.ok(
          v.findings.some((f) => f.path ?? f.command),
          `${id}: a ${v.status} carries file or command evidence`,
        );
    }
  });
}

test('no password hash from the fixtures reaches the facts', async (t) => {
  for (const s of ['debian12-default', 'hardened.pass', 'binary-garbage-passwd']) {
    const { root } = loadScenario(t, s);
    const { facts, verdicts } = await audit(root);
    const json = JSON.stringify({ facts, verdicts });
    assert.doesNotMatch(json, /notarealhash|FAKEFAKE/, s);
    assert.deepEqual(JSON.parse(json), { facts, verdicts }, 'facts are plain JSON');
  }
});
