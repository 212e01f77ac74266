import check from '../../../src/checks/f2b/sshd-jail.js';
import { f2b, jail, opt, sshdOn } from './facts.js';
import { runCases } from '../run-cases.js';

const sshd22 = sshdOn([22]);
runCases(
  check,
  {
    pass: [
      { name: 'the guide values', facts: f2b(), summary: /maxretry 3, bantime 1h, findtime 10m, port ssh/ },
      {
        name: 'permanent ban (-1) and stricter values',
        facts: f2b({ sshdJail: jail({ bantime: opt(-1, '-1', 4), maxretry: opt(2, '2', 3) }) }),
        summary: /stricter/,
      },
      {
        name: 'port list covers sshd on 2222',
        facts: f2b({
          sshdJail: jail({
            port: opt(
              {
                all: false,
                ranges: [
                  [22, 22],
                  [2222, 2222],
                ],
                unresolved: [],
              },
              'ssh,2222',
              6,
            ),
          }),
        }),
        also: { sshd: sshdOn([2222]) },
        summary: /port ssh,2222/,
      },
      {
        name: 'range covers',
        facts: f2b({ sshdJail: jail({ port: opt({ all: false, ranges: [[1000, 3000]], unresolved: [] }, '1000:3000', 6) }) }),
        also: { sshd: sshdOn([2222]) },
        summary: /1000:3000/,
      },
      {
        name: 'allports ban action',
        facts: f2b({ sshdJail: jail({ actions: opt(['iptables-allports'], 'iptables-allports', 7) }) }),
        also: { sshd: sshdOn([2222]) },
        summary: /blocks every port/,
      },
      {
        name: 'a file fail2ban skips (not UTF-8) is named, the verdict still follows fail2ban',
        facts: f2b({ skipped: [{ path: '/etc/fail2ban/jail.d/zz.local', reason: 'not valid UTF-8' }] }),
        summary: /1 configuration file\(s\) skipped/,
      },
    ],
    fail: [
      {
        name: 'Debian default: maxretry 5, bantime 10m',
        facts: f2b({ sshdJail: jail({ maxretry: opt(5, '5', 3), bantime: opt(600, '10m', 4) }) }),
        summary: /maxretry is 5.*bantime is 10m/,
        line: 3,
      },
      {
        name: 'findtime 5m',
        facts: f2b({ sshdJail: jail({ findtime: opt(300, '5m', 5) }) }),
        summary: /findtime is 5m/,
        line: 5,
      },
      {
        name: 'port mismatch: sshd on 2222, jail port ssh',
        facts: f2b(),
        also: { sshd: sshdOn([2222]) },
        summary: /port = ssh does not cover sshd's port 2222/,
        line: 6,
      },
      {
        name: 'disabled jail',
        facts: f2b({ sshdJail: jail({ enabled: opt(false, 'true # on', 2) }) }),
        summary: /not enabled \(enabled = "true # on"\)/,
        line: 2,
      },
      { name: 'no sshd section', facts: f2b({ sshdJail: null }), summary: /no \[sshd\] jail/ },
      {
        name: 'invalid configuration',
        facts: f2b({
          config: {
            status: 'invalid',
            reason: 'option "maxretry" in section "sshd" already exists',
            source: { path: '/etc/fail2ban/jail.local', line: 5 },
          },
        }),
        summary: /rejects its configuration/,
        line: 5,
      },
      {
        name: 'bad bantime text',
        facts: f2b({
          sshdJail: jail({
            bantime: { ...opt<number>(null, '1 fortnight', 4), error: 'bantime "1 fortnight" is not a fail2ban time value' },
          }),
        }),
        summary: /fortnight/,
      },
      {
        name: 'server runs without the jail',
        facts: f2b({
          sshdStatus: {
            active: false,
            fileList: [],
            journalMatches: null,
            totalFailed: null,
            totalBanned: null,
            source: { command: 'fail2ban-client status sshd' },
          },
        }),
        summary: /running server has no sshd jail/,
      },
    ],
    unknown: [
      {
        name: 'unreadable configuration',
        facts: f2b({
          config: {
            status: 'unreadable',
            reason: '"/etc/fail2ban/jail.local" permission denied',
            source: { path: '/etc/fail2ban/jail.local' },
          },
        }),
        summary: /permission denied/,
      },
      { name: 'sshd ports unknown', facts: f2b(), also: { sshd: sshdOn([]) }, summary: /ports sshd listens on are not known/ },
    ],
  },
  { key: 'fail2ban', facts: { sshd: sshd22 } },
);
