import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/patch/auto-security-updates.js';
import { ctx } from '../../helpers.js';
import { packageFacts } from './package-facts.js';
import type { PackageFacts } from '../../../src/facts/packages.js';

const base = packageFacts();
const conf = (over: Partial<PackageFacts['aptConf']>): Partial<PackageFacts> => ({ aptConf: { ...base.aptConf, ...over } });
const setting = (key: string, value: string | null) => ({
  key,
  value,
  source: value === null ? { note: 'not set' } : { path: '/etc/apt/apt.conf.d/99-override', line: 1 },
  writes: [],
});

const CASES: { name: string; facts: Partial<PackageFacts>; status: string; match?: RegExp }[] = [
  { name: 'enabled with the security origin', facts: {}, status: 'pass', match: /Update-Package-Lists is "1"/ },
  {
    name: '"always" is accepted',
    facts: conf({ unattendedUpgrade: setting('APT::Periodic::Unattended-Upgrade', 'always') }),
    status: 'pass',
  },
  {
    name: 'not installed',
    facts: { unattendedUpgrades: { installed: false, version: null, source: { path: '/var/lib/dpkg/status' } } },
    status: 'fail',
    match: /not installed/,
  },
  {
    name: 'Unattended-Upgrade "0" from a later file',
    facts: conf({ unattendedUpgrade: setting('APT::Periodic::Unattended-Upgrade', '0') }),
    status: 'fail',
    match: /Unattended-Upgrade is "0"/,
  },
  {
    name: 'Update-Package-Lists unset (default 0)',
    facts: conf({ updatePackageLists: setting('APT::Periodic::Update-Package-Lists', null) }),
    status: 'fail',
    match: /not set/,
  },
  {
    name: 'every 7 days is partial',
    facts: conf({ updatePackageLists: setting('APT::Periodic::Update-Package-Lists', '7') }),
    status: 'warn',
    match: /every 7 days/,
  },
  { name: 'APT::Periodic::Enable "0"', facts: conf({ enable: setting('APT::Periodic::Enable', '0') }), status: 'fail', match: /Enable/ },
  {
    name: 'no security origin',
    facts: conf({ originsPattern: [{ ...base.aptConf.originsPattern[0]!, matchesSecurity: false }] }),
    status: 'fail',
    match: /does not match the security suite/,
  },
  { name: 'no origins at all', facts: conf({ originsPattern: [] }), status: 'fail', match: /no allowed origin/ },
  {
    name: 'syntax error in apt.conf.d',
    facts: conf({ errors: [{ path: '/etc/apt/apt.conf.d/80broken', line: 2, message: 'extra junk after value' }] }),
    status: 'fail',
    match: /apt cannot read/,
  },
  {
    name: 'timer masked',
    facts: {
      timers: [
        {
          name: 'apt-daily-upgrade.timer',
          unitExists: false,
          enabled: false,
          masked: true,
          source: { path: '/etc/systemd/system/apt-daily-upgrade.timer' },
        },
      ],
    },
    status: 'fail',
    match: /masked/,
  },
  {
    name: 'timer not enabled',
    facts: {
      timers: [
        {
          name: 'apt-daily.timer',
          unitExists: true,
          enabled: false,
          masked: false,
          source: { path: '/lib/systemd/system/apt-daily.timer' },
        },
      ],
    },
    status: 'warn',
    match: /not enabled/,
  },
];

test('patch.auto-security-updates', () => {
  for (const c of CASES) {
    const v = check.evaluate({ packages: packageFacts(c.facts) }, ctx());
    assert.equal(v.status, c.status, `${c.name}: ${v.summary}`);
    if (c.match) assert.match(v.summary, c.match, c.name);
    if (v.status === 'fail' || v.status === 'warn')
      assert.ok(
        v.findings.some((f) => f.path !== null || f.excerpt !== null),
        c.name,
      );
  }
});
