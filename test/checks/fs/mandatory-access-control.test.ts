import check from '../../../src/checks/fs/mandatory-access-control.js';
import type { MacBoot, MacFacts, MacKernel } from '../../../src/facts/mac.js';
import { runCases } from '../run-cases.js';

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
/** A case's facts and the snapshot's live flag, which the facts record. */
const macCase = (mac: MacFacts) => ({ facts: mac, live: mac.live });
const param = (name: string, value: string) => ({ name, value, source: { path: '/etc/default/grub', line: 6 } });

runCases(
  check,
  {
    pass: [
      {
        name: 'live: AppArmor enforcing',
        ...macCase(live(kernel({ apparmor: aaOn(12, 0) }))),
        summary: /12 profile\(s\) in enforce mode/,
      },
      {
        name: 'live: SELinux enforcing',
        ...macCase(live(kernel({ selinux: { enforcing: { value: true, source: { path: '/sys/fs/selinux/enforce' } } } }))),
        summary: /SELinux is enforcing/,
      },
      { name: 'offline: Debian default with enforce profiles', ...macCase(offline(boot())), summary: /AppArmor will be on at boot/ },
      {
        name: 'offline: SELinux enforcing',
        ...macCase(
          offline(
            boot({
              cmdline: [param('security', 'selinux')],
              selinuxConfig: { value: 'enforcing', source: { path: '/etc/selinux/config', line: 6 } },
            }),
          ),
        ),
        summary: /SELinux will boot enforcing/,
      },
    ],
    fail: [
      {
        name: 'live: AppArmor complain-only',
        ...macCase(live(kernel({ apparmor: aaOn(0, 3) }))),
        summary: /all 3 loaded profile\(s\) are in complain mode/,
      },
      {
        name: 'live: AppArmor enabled, no profile',
        ...macCase(live(kernel({ apparmor: aaOn(0, 0) }))),
        summary: /no profile is loaded/,
      },
      {
        name: 'live: SELinux permissive',
        ...macCase(live(kernel({ selinux: { enforcing: { value: false, source: { path: '/sys/fs/selinux/enforce' } } } }))),
        summary: /SELinux is permissive/,
      },
      {
        name: 'live: kernel without AppArmor or SELinux (this VM)',
        ...macCase(live(kernel())),
        summary: /offers neither AppArmor nor SELinux/,
      },
      {
        name: 'offline: apparmor=0 on the command line',
        ...macCase(offline(boot({ cmdline: [param('apparmor', '0')] }))),
        summary: /apparmor=0/,
      },
      {
        name: 'offline: complain-only profiles',
        ...macCase(
          offline(
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
        ),
        summary: /complain mode/,
      },
      {
        name: 'offline: apparmor not installed',
        ...macCase(offline(boot({ apparmorPackage: { installed: false, version: null, source: { path: '/var/lib/dpkg/status' } } }))),
        summary: /not installed/,
      },
      {
        name: 'offline: SELinux permissive selected on the command line',
        ...macCase(
          offline(
            boot({
              cmdline: [param('security', 'selinux')],
              selinuxConfig: { value: 'permissive', source: { path: '/etc/selinux/config', line: 6 } },
            }),
          ),
        ),
        summary: /security=selinux.*SELINUX=permissive/,
      },
    ],
    warn: [
      { name: 'live: AppArmor some complain', ...macCase(live(kernel({ apparmor: aaOn(10, 1) }))), summary: /1 are in complain mode/ },
    ],
    unknown: [
      {
        name: 'live: profiles unreadable',
        ...macCase(live(kernel({ apparmor: { ...aaOn(0, 0), profiles: null, profilesError: 'permission denied' } }))),
        summary: /permission denied/,
      },
    ],
  },
  { key: 'mac' },
);
