import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/f2b/sshd-jail.js';
import type { Fail2banFacts } from '../../../src/facts/fail2ban.js';
import type { SshdFacts } from '../../../src/facts/sshd.js';
import { ctx } from '../../helpers.js';
import { f2b, jail, opt, sshdOn } from './facts.js';
import { logging } from '../log/facts.js';

const sshd22 = sshdOn([22]);
const cases: { name: string; facts: Fail2banFacts; sshd?: SshdFacts; status: string; summary: RegExp; line?: number }[] = [
  { name: 'the guide values', facts: f2b(), status: 'pass', summary: /maxretry 3, bantime 1h, findtime 10m, port ssh/ },
  {
    name: 'permanent ban (-1) and stricter values',
    facts: f2b({ sshdJail: jail({ bantime: opt(-1, '-1', 4), maxretry: opt(2, '2', 3) }) }),
    status: 'pass',
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
    sshd: sshdOn([2222]),
    status: 'pass',
    summary: /port ssh,2222/,
  },
  {
    name: 'range covers',
    facts: f2b({ sshdJail: jail({ port: opt({ all: false, ranges: [[1000, 3000]], unresolved: [] }, '1000:3000', 6) }) }),
    sshd: sshdOn([2222]),
    status: 'pass',
    summary: /1000:3000/,
  },
  {
    name: 'allports ban action',
    facts: f2b({ sshdJail: jail({ actions: opt(['iptables-allports'], 'iptables-allports', 7) }) }),
    sshd: sshdOn([2222]),
    status: 'pass',
    summary: /blocks every port/,
  },
  {
    name: 'Debian default: maxretry 5, bantime 10m',
    facts: f2b({ sshdJail: jail({ maxretry: opt(5, '5', 3), bantime: opt(600, '10m', 4) }) }),
    status: 'fail',
    summary: /maxretry is 5.*bantime is 10m/,
    line: 3,
  },
  {
    name: 'findtime 5m',
    facts: f2b({ sshdJail: jail({ findtime: opt(300, '5m', 5) }) }),
    status: 'fail',
    summary: /findtime is 5m/,
    line: 5,
  },
  {
    name: 'port mismatch: sshd on 2222, jail port ssh',
    facts: f2b(),
    sshd: sshdOn([2222]),
    status: 'fail',
    summary: /port = ssh does not cover sshd's port 2222/,
    line: 6,
  },
  {
    name: 'disabled jail',
    facts: f2b({ sshdJail: jail({ enabled: opt(false, 'true # on', 2) }) }),
    status: 'fail',
    summary: /not enabled \(enabled = "true # on"\)/,
    line: 2,
  },
  { name: 'no sshd section', facts: f2b({ sshdJail: null }), status: 'fail', summary: /no \[sshd\] jail/ },
  {
    name: 'invalid configuration',
    facts: f2b({
      config: {
        status: 'invalid',
        reason: 'option "maxretry" in section "sshd" already exists',
        source: { path: '/etc/fail2ban/jail.local', line: 5 },
      },
    }),
    status: 'fail',
    summary: /rejects its configuration/,
    line: 5,
  },
  {
    name: 'bad bantime text',
    facts: f2b({
      sshdJail: jail({ bantime: { ...opt<number>(null, '1 fortnight', 4), error: 'bantime "1 fortnight" is not a fail2ban time value' } }),
    }),
    status: 'fail',
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
    status: 'fail',
    summary: /running server has no sshd jail/,
  },
  {
    name: 'unreadable configuration',
    facts: f2b({
      config: {
        status: 'unreadable',
        reason: '"/etc/fail2ban/jail.local" permission denied',
        source: { path: '/etc/fail2ban/jail.local' },
      },
    }),
    status: 'unknown',
    summary: /permission denied/,
  },
  {
    name: 'a file fail2ban skips (not UTF-8) is named, the verdict still follows fail2ban',
    facts: f2b({ skipped: [{ path: '/etc/fail2ban/jail.d/zz.local', reason: 'not valid UTF-8' }] }),
    status: 'pass',
    summary: /1 configuration file\(s\) skipped/,
  },
  { name: 'sshd ports unknown', facts: f2b(), sshd: sshdOn([]), status: 'unknown', summary: /ports sshd listens on are not known/ },
];

for (const c of cases) {
  test(`f2b.sshd-jail ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ fail2ban: c.facts, sshd: c.sshd ?? sshd22, logging: logging() }, ctx());
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (c.line !== undefined)
      assert.ok(
        v.findings.some((f) => f.line === c.line),
        `evidence at line ${c.line}: ${JSON.stringify(v.findings)}`,
      );
  });
}
