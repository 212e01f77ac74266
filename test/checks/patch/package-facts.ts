import type { PackageFacts } from '../../../src/facts/packages.js';

/** Small inline packages facts for check tests: a healthy Debian 12 host; cases override parts. */
export function packageFacts(over: Partial<PackageFacts> = {}): PackageFacts {
  const src = (path: string, line: number, excerpt: string) => ({ path, line, excerpt });
  return {
    installed: true,
    manager: 'apt',
    distro: { id: 'debian', codename: 'bookworm', distroId: 'Debian', source: { path: '/etc/os-release' } },
    unattendedUpgrades: { installed: true, version: '2.9.1+nmu3', source: { path: '/var/lib/dpkg/status', line: 10 } },
    aptConf: {
      files: ['/etc/apt/apt.conf.d/20auto-upgrades', '/etc/apt/apt.conf.d/50unattended-upgrades'],
      errors: [],
      includes: [],
      enable: { key: 'APT::Periodic::Enable', value: null, source: { note: 'default 1' }, writes: [] },
      updatePackageLists: {
        key: 'APT::Periodic::Update-Package-Lists',
        value: '1',
        source: src('/etc/apt/apt.conf.d/20auto-upgrades', 1, 'APT::Periodic::Update-Package-Lists "1"'),
        writes: [],
      },
      unattendedUpgrade: {
        key: 'APT::Periodic::Unattended-Upgrade',
        value: '1',
        source: src('/etc/apt/apt.conf.d/20auto-upgrades', 2, 'APT::Periodic::Unattended-Upgrade "1"'),
        writes: [],
      },
      originsPattern: [
        {
          value: 'origin=Debian,codename=${distro_codename}-security,label=Debian-Security',
          expanded: 'origin=Debian,codename=bookworm-security,label=Debian-Security',
          matchesSecurity: true,
          source: src(
            '/etc/apt/apt.conf.d/50unattended-upgrades',
            33,
            '"origin=Debian,codename=${distro_codename}-security,label=Debian-Security"',
          ),
        },
      ],
      allowedOrigins: [],
      securityOrigins: [
        {
          origin: 'Debian',
          label: 'Debian-Security',
          suite: 'stable-security',
          codename: 'bookworm-security',
          component: 'main',
          site: 'deb.debian.org',
        },
      ],
    },
    timers: [
      {
        name: 'apt-daily.timer',
        unitExists: true,
        enabled: true,
        masked: false,
        source: { path: '/etc/systemd/system/timers.target.wants/apt-daily.timer' },
      },
    ],
    lists: {
      state: 'ok',
      files: [],
      updatedAt: '2026-11-27T10:00:00.000Z',
      updatedSource: { path: '/var/lib/apt/periodic/update-success-stamp' },
      pins: [],
      problems: [],
    },
    inventory: { count: 2, byOrigin: { 'Debian bookworm (deb.debian.org)': 2 }, packages: [], source: { path: '/var/lib/dpkg/status' } },
    updates: { pending: [], reason: null, method: { note: 'computed' } },
    history: {
      apt: [
        { path: '/var/log/apt/history.log', entries: 3, first: '2026-06-01T00:00:00.000Z', last: '2026-11-20T00:00:00.000Z', error: null },
      ],
      dpkg: [{ path: '/var/log/dpkg.log', entries: 30, first: '2026-06-01T00:00:00.000Z', last: '2026-11-20T00:00:00.000Z', error: null }],
    },
    ...over,
  };
}
