import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/fs/mandatory-access-control.js';
import type { MacBoot, MacFacts, MacKernel } from '../../../src/facts/mac.js';
import { ctx } from '../../helpers.js';

const boot = (over: Partial<MacBoot> = {}): MacBoot => ({
  cmdline: [],
  selinuxConfig: null,
  apparmorPackage: { installed: true, version: '3.0.8-3', source: { path: '/var/lib/dpkg/status', line: 1 } },
  apparmorService: { value: true, source: { path: '/etc/systemd/system/sysinit.target.wants/apparmor.service' } },
  apparmorProfiles: { enforce: 5, complain: 0, other: 0, complainNames: [], files: 5, disabled: 0, source: { path: '/etc/apparmor.d' } },
  ...over,
});
const kernel = (over: Partial<MacKernel> = {}): MacKernel => ({
  lsm: null,
  apparmor: { enabled: null, profiles: null, profilesError: null },
  selinux: { enforcing: null },
  ...over,
});
const aaOn = (enforce: number, complain: number): MacKernel['apparmor'] => ({
  enabled: { value: true, source: { path: '/sys/module/apparmor/parameters/enabled' } },
  profiles: {
    enforce,
    complain,
    other: 0,
    complainNames: complain > 0 ? ['/usr/sbin/nginx'] : [],
    source: { path: '/sys/kernel/security/apparmor/profiles' },
  },
  profilesError: null,
});
const live = (k: MacKernel): MacFacts => ({ live: true, kernel: k, boot: boot() });
const offline = (b: MacBoot): MacFacts => ({ live: false, kernel: null, boot: b });
const param = (name: string, value: string) => ({ name, value, source: { path: '/etc/default/grub', line: 6 } });

const cases: { name: string; mac: MacFacts; status: string; match: RegExp }[] = [
  {
    name: 'live: AppArmor enforcing',
    mac: live(kernel({ apparmor: aaOn(12, 0) })),
    status: 'pass',
    match: /12 profile\(s\) in enforce mode/,
  },
  {
    name: 'live: AppArmor complain-only',
    mac: live(kernel({ apparmor: aaOn(0, 3) })),
    status: 'fail',
    match: /all 3 loaded profile\(s\) are in complain mode/,
  },
  { name: 'live: AppArmor some complain', mac: live(kernel({ apparmor: aaOn(10, 1) })), status: 'warn', match: /1 are in complain mode/ },
  {
    name: 'live: AppArmor enabled, no profile',
    mac: live(kernel({ apparmor: aaOn(0, 0) })),
    status: 'fail',
    match: /no profile is loaded/,
  },
  {
    name: 'live: profiles unreadable',
    mac: live(kernel({ apparmor: { ...aaOn(0, 0), profiles: null, profilesError: 'permission denied' } })),
    status: 'unknown',
    match: /permission denied/,
  },
  {
    name: 'live: SELinux enforcing',
    mac: live(kernel({ selinux: { enforcing: { value: true, source: { path: '/sys/fs/selinux/enforce' } } } })),
    status: 'pass',
    match: /SELinux is enforcing/,
  },
  {
    name: 'live: SELinux permissive',
    mac: live(kernel({ selinux: { enforcing: { value: false, source: { path: '/sys/fs/selinux/enforce' } } } })),
    status: 'fail',
    match: /SELinux is permissive/,
  },
  {
    name: 'live: kernel without AppArmor or SELinux (this VM)',
    mac: live(kernel()),
    status: 'fail',
    match: /offers neither AppArmor nor SELinux/,
  },
  { name: 'offline: Debian default with enforce profiles', mac: offline(boot()), status: 'pass', match: /AppArmor will be on at boot/ },
  {
    name: 'offline: apparmor=0 on the command line',
    mac: offline(boot({ cmdline: [param('apparmor', '0')] })),
    status: 'fail',
    match: /apparmor=0/,
  },
  {
    name: 'offline: complain-only profiles',
    mac: offline(
      boot({
        apparmorProfiles: {
          enforce: 0,
          complain: 2,
          other: 0,
          complainNames: ['a', 'b'],
          files: 2,
          disabled: 0,
          source: { path: '/etc/apparmor.d' },
        },
      }),
    ),
    status: 'fail',
    match: /complain mode/,
  },
  {
    name: 'offline: apparmor not installed',
    mac: offline(boot({ apparmorPackage: { installed: false, version: null, source: { path: '/var/lib/dpkg/status' } } })),
    status: 'fail',
    match: /not installed/,
  },
  {
    name: 'offline: SELinux enforcing',
    mac: offline(
      boot({
        cmdline: [param('security', 'selinux')],
        selinuxConfig: { value: 'enforcing', source: { path: '/etc/selinux/config', line: 6 } },
      }),
    ),
    status: 'pass',
    match: /SELinux will boot enforcing/,
  },
  {
    name: 'offline: SELinux permissive selected on the command line',
    mac: offline(
      boot({
        cmdline: [param('security', 'selinux')],
        selinuxConfig: { value: 'permissive', source: { path: '/etc/selinux/config', line: 6 } },
      }),
    ),
    status: 'fail',
    match: /security=selinux.*SELINUX=permissive/,
  },
];

for (const c of cases) {
  test(`fs.mandatory-access-control: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ mac: c.mac }, ctx({ live: c.mac.live }));
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.match);
    if (v.status === 'fail') assert.ok(v.findings.some((f) => f.path !== null || f.command !== null));
  });
}
