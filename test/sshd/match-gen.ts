// A seeded generator of sshd configurations full of Match blocks, built on Debian 12's real
// sshd_config (test/fixtures/sshd/debian12-default, from openssh-server 1:9.2p1-2+deb12u*): global
// settings, Match User/Group/Address/Host/LocalAddress/LocalPort/all with negations, wildcards and
// several criteria, drop-ins under sshd_config.d (Include at the top of Debian's file), an Include
// inside a Match block whose file holds Match blocks of its own, duplicate keywords (first wins),
// keywords in any case and `Match all` holding keywords that may not stand in other blocks.
// Shared by test/sshd/real-sshd.test.ts (the suite) and bench/agree-sshd.ts; the truth is the real
// `sshd -T -C`. Account and group names are ones every Debian system has (root, daemon, nobody,
// sudo, users) plus one that never exists (ghost).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../rng.js';

const DEBIAN = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'sshd', 'debian12-default', 'etc', 'ssh', 'sshd_config'), 'utf8');

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Keywords the guide judges that a Match block may set, with values weak and strong. */
const MATCH_SETTINGS: [string, readonly string[]][] = [
  ['PasswordAuthentication', ['yes', 'no', 'YES', 'No']],
  ['PermitRootLogin', ['yes', 'no', 'prohibit-password', 'without-password', 'forced-commands-only']],
  ['KbdInteractiveAuthentication', ['yes', 'no']],
  ['ChallengeResponseAuthentication', ['yes', 'no']],
  ['PubkeyAuthentication', ['yes', 'no']],
  ['X11Forwarding', ['yes', 'no']],
  ['MaxAuthTries', ['2', '3', '6', '10']],
  ['ClientAliveInterval', ['0', '300', '5m', '1h']],
  ['ClientAliveCountMax', ['0', '2', '3']],
  ['PermitEmptyPasswords', ['yes', 'no']],
  ['AllowUsers', ['root', 'daemon nobody', 'ci@192.0.2.0/24']],
  ['AllowGroups', ['sudo', 'users root']],
  ['AllowTcpForwarding', ['yes', 'no', 'local']],
];
/** Keywords only the global section (or Match all) may set. */
const GLOBAL_ONLY: [string, readonly string[]][] = [
  ['UseDNS', ['yes', 'no']],
  ['TCPKeepAlive', ['yes', 'no']],
  ['Ciphers', ['aes128-ctr,aes256-gcm@openssh.com', '+aes128-cbc', '-chacha20-poly1305@openssh.com']],
  ['LoginGraceTime', ['30', '2m', '1m30s']],
];

const USERS = ['root', 'daemon', 'nobody', 'ghost', 'r*', '*', 'd?emon', '*,!root', 'ghost,daemon', '!nobody,*'];
const GROUPS = ['root', 'daemon', 'sudo', 'users', 'nogroup', '*,!root', 'ghost-group'];
const ADDRESSES = [
  '192.0.2.0/24',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '10.0.0.0/8',
  '192.0.2.*',
  '*,!10.0.0.0/8',
  '127.0.0.1',
  '2001:db8::/32',
  '!203.0.113.7,203.0.113.0/24',
];
const HOSTS = ['*.example.com', 'client.example.org', '192.0.2.*', '*'];
const LADDRS = ['127.0.0.1', '10.0.0.0/8', '0.0.0.0', '192.0.2.1'];

export interface SshdCase {
  /** Relative path under the root → content. */
  files: Record<string, string>;
  label: string;
}

function caseOf(r: () => number, s: string): string {
  const k = r();
  return k < 0.15 ? s.toLowerCase() : k < 0.25 ? s.toUpperCase() : s;
}

function criteria(r: () => number): string {
  const kinds: (() => string)[] = [
    () => `${caseOf(r, 'User')} ${pick(r, USERS)}`,
    () => `${caseOf(r, 'Group')} ${pick(r, GROUPS)}`,
    () => `${caseOf(r, 'Address')} ${pick(r, ADDRESSES)}`,
    () => `Host ${pick(r, HOSTS)}`,
    () => `LocalPort ${pick(r, ['22', '2222'])}`,
    () => `LocalAddress ${pick(r, LADDRS)}`,
  ];
  if (r() < 0.08) return caseOf(r, 'all');
  const n = 1 + Math.floor(r() * 2.2);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(pick(r, kinds)());
  return parts.join(' ');
}

function settingLines(r: () => number, n: number, table: [string, readonly string[]][]): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const [k, vs] = pick(r, table);
    out.push(`${r() < 0.5 ? '\t' : ''}${caseOf(r, k)} ${pick(r, vs)}`);
  }
  return out;
}

export function generateSshd(seed: number): SshdCase {
  const r = rng(seed);
  const files: Record<string, string> = {};
  const labels: string[] = [];
  const main: string[] = [];
  main.push(...settingLines(r, Math.floor(r() * 4), MATCH_SETTINGS));
  if (r() < 0.3) {
    main.push('Port 22', 'Port 2222');
    labels.push('two ports');
  }
  if (r() < 0.4) {
    files['etc/ssh/sshd_config.d/50-cloud.conf'] =
      [
        ...settingLines(r, 1 + Math.floor(r() * 2), MATCH_SETTINGS),
        ...(r() < 0.5 ? [`Match ${criteria(r)}`, ...settingLines(r, 2, MATCH_SETTINGS)] : []),
      ].join('\n') + '\n';
    labels.push('drop-in');
  }
  const blocks = 1 + Math.floor(r() * 4);
  for (let b = 0; b < blocks; b++) {
    const c = criteria(r);
    main.push(`${caseOf(r, 'Match')} ${c}`);
    main.push(...settingLines(r, 1 + Math.floor(r() * 3), MATCH_SETTINGS));
    if (/^all$/i.test(c) && r() < 0.6) {
      main.push(...settingLines(r, 1, GLOBAL_ONLY));
      labels.push('Match all + global keyword');
    }
    if (r() < 0.2) {
      main.push('\tInclude /etc/ssh/inner.d/*.conf');
      files['etc/ssh/inner.d/10-inner.conf'] =
        [...settingLines(r, 1, MATCH_SETTINGS), `Match ${criteria(r)}`, ...settingLines(r, 2, MATCH_SETTINGS)].join('\n') + '\n';
      labels.push('Include inside Match');
    }
  }
  labels.push(`${blocks} block(s)`);
  files['etc/ssh/sshd_config'] = `${DEBIAN}\n${main.join('\n')}\n`;
  if (!files['etc/ssh/sshd_config.d/50-cloud.conf']) files['etc/ssh/sshd_config.d/.keep'] = '';
  return { files, label: labels.join(', ') };
}
