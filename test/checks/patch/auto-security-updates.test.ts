import check from '../../../src/checks/patch/auto-security-updates.js';
import { packageFacts } from './package-facts.js';
import type { PackageFacts } from '../../../src/facts/packages.js';
import { runCases } from '../run-cases.js';

const base = packageFacts();
const conf = (over: Partial<PackageFacts['aptConf']>): Partial<PackageFacts> => ({ aptConf: { ...base.aptConf, ...over } });
const setting = (key: string, value: string | null) => ({
  key,
  value,
  source: value === null ? { note: 'not set' } : { path: '/etc/apt/apt.conf.d/99-override', line: 1 },
  writes: [],
});

runCases(
  check,
  {
    pass: [
      { name: 'enabled with the security origin', facts: packageFacts({}), summary: /Update-Package-Lists is "1"/ },
      {
        name: '"always" is accepted',
        facts: packageFacts(conf({ unattendedUpgrade: setting('APT::Periodic::Unattended-Upgrade', 'always') })),
      },
    ],
    fail: [
      {
        name: 'not installed',
        facts: packageFacts({ unattendedUpgrades: { installed: false, version: null, source: { path: '/var/lib/dpkg/status' } } }),
        summary: /not installed/,
      },
      {
        name: 'Unattended-Upgrade "0" from a later file',
        facts: packageFacts(conf({ unattendedUpgrade: setting('APT::Periodic::Unattended-Upgrade', '0') })),
        summary: /Unattended-Upgrade is "0"/,
      },
      {
        name: 'Update-Package-Lists unset (default 0)',
        evidence: 'note',
        facts: packageFacts(conf({ updatePackageLists: setting('APT::Periodic::Update-Package-Lists', null) })),
        summary: /not set/,
      },
      {
        name: 'APT::Periodic::Enable "0"',
        facts: packageFacts(conf({ enable: setting('APT::Periodic::Enable', '0') })),
        summary: /Enable/,
      },
      {
        name: 'no security origin',
        facts: packageFacts(conf({ originsPattern: [{ ...base.aptConf.originsPattern[0]!, matchesSecurity: false }] })),
        summary: /does not match the security suite/,
      },
      { name: 'no origins at all', evidence: 'note', facts: packageFacts(conf({ originsPattern: [] })), summary: /no allowed origin/ },
      {
        name: 'syntax error in apt.conf.d',
        facts: packageFacts(conf({ errors: [{ path: '/etc/apt/apt.conf.d/80broken', line: 2, message: 'extra junk after value' }] })),
        summary: /apt cannot read/,
      },
      {
        name: 'timer masked',
        facts: packageFacts({
          timers: [
            {
              name: 'apt-daily-upgrade.timer',
              unitExists: false,
              enabled: false,
              masked: true,
              source: { path: '/etc/systemd/system/apt-daily-upgrade.timer' },
            },
          ],
        }),
        summary: /masked/,
      },
    ],
    warn: [
      {
        name: 'every 7 days is partial',
        facts: packageFacts(conf({ updatePackageLists: setting('APT::Periodic::Update-Package-Lists', '7') })),
        summary: /every 7 days/,
      },
      {
        name: 'timer not enabled',
        facts: packageFacts({
          timers: [
            {
              name: 'apt-daily.timer',
              unitExists: true,
              enabled: false,
              masked: false,
              source: { path: '/lib/systemd/system/apt-daily.timer' },
            },
          ],
        }),
        summary: /not enabled/,
      },
    ],
  },
  { key: 'packages' },
);
