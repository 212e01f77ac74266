import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/log/retention.js';
import type { LoggingFacts } from '../../../src/facts/logging.js';
import { ctx } from '../../helpers.js';
import { authFile, journald, logging, rotation } from './facts.js';

const cases: { name: string; facts: LoggingFacts; status: string; summary: RegExp; line?: number }[] = [
  {
    name: 'rotate 13 weekly = 91 days',
    facts: logging({ logFiles: [authFile(rotation('weekly', 13))] }),
    status: 'pass',
    summary: /rotate 13 × weekly = 91 days/,
  },
  { name: 'daily, rotate 90', facts: logging({ logFiles: [authFile(rotation('daily', 90))] }), status: 'pass', summary: /= 90 days/ },
  {
    name: 'rotate -1 keeps everything',
    facts: logging({ logFiles: [authFile(rotation('monthly', -1))] }),
    status: 'pass',
    summary: /unlimited/,
  },
  { name: 'not rotated at all', facts: logging({ logFiles: [authFile(null)] }), status: 'pass', summary: /never rotated/ },
  {
    name: 'Debian default rotate 4 weekly = 28 days',
    facts: logging({ logFiles: [authFile(rotation('weekly', 4))] }),
    status: 'fail',
    summary: /rotate 4 × weekly = 28 days/,
    line: 8,
  },
  {
    name: 'maxage 30 below rotate × period',
    facts: logging({ logFiles: [authFile(rotation('weekly', 13, 30))] }),
    status: 'fail',
    summary: /maxage 30 = 30 days/,
    line: 10,
  },
  { name: 'size-only rotation', facts: logging({ logFiles: [authFile(rotation('size', 4))] }), status: 'warn', summary: /size only/ },
  {
    name: 'size-only with maxage 7',
    facts: logging({ logFiles: [authFile(rotation('size', 4, 7))] }),
    status: 'fail',
    summary: /maxage 7/,
  },
  {
    name: 'maxsize can rotate earlier',
    facts: logging({
      logFiles: [
        authFile(rotation('weekly', 13, null, { maxsize: { value: 1048576, source: { path: '/etc/logrotate.d/rsyslog', line: 11 } } })),
      ],
    }),
    status: 'warn',
    summary: /maxsize/,
  },
  {
    name: 'one file fails, one passes: the failure decides',
    facts: logging({ logFiles: [authFile(rotation('weekly', 13)), authFile(rotation('weekly', 4), '/var/log/syslog')] }),
    status: 'fail',
    summary: /syslog: rotate 4/,
  },
  {
    name: 'journal only: persistent, unset',
    facts: logging({ journald: journald({ storage: { value: 'persistent', source: { path: '/etc/systemd/journald.conf', line: 3 } } }) }),
    status: 'pass',
    summary: /no time limit/,
  },
  {
    name: 'journal only: auto without /var/log/journal',
    facts: logging({ journald: journald({ persistentDir: false }) }),
    status: 'fail',
    summary: /kept in \/run only/,
  },
  {
    name: 'journal only: volatile',
    facts: logging({
      journald: journald({ storage: { value: 'volatile', source: { path: '/etc/systemd/journald.conf.d/10.conf', line: 2 } } }),
    }),
    status: 'fail',
    summary: /Storage=volatile/,
    line: 2,
  },
  {
    name: 'journal only: MaxRetentionSec 30d',
    facts: logging({
      journald: journald({
        maxRetentionSec: { value: 30 * 86400, source: { path: '/etc/systemd/journald.conf.d/60-site.conf', line: 3 } },
      }),
    }),
    status: 'fail',
    summary: /30 days/,
    line: 3,
  },
  {
    name: 'journal only: SystemMaxUse cap',
    facts: logging({
      journald: journald({ systemMaxUse: { value: '500M', source: { path: '/etc/systemd/journald.conf.d/50.conf', line: 3 } } }),
    }),
    status: 'warn',
    summary: /SystemMaxUse=500M/,
    line: 3,
  },
  {
    name: 'an unreadable logrotate file may hold the deciding setting: unknown, not a pass',
    facts: logging({
      logFiles: [authFile(null)],
      logrotate: {
        installed: true,
        evidence: { path: '/usr/sbin/logrotate' },
        files: ['/etc/logrotate.conf'],
        skipped: [],
        errors: [
          { message: '"/etc/logrotate.d/rsyslog" permission denied', source: { path: '/etc/logrotate.d/rsyslog' }, unreadable: true },
        ],
      },
    }),
    status: 'unknown',
    summary: /cannot decide: .*permission denied/,
  },
  {
    name: 'no syslog files and no journald',
    facts: logging({ journald: journald({ present: false, evidence: { note: 'no systemd-journald.service unit file' } }) }),
    status: 'fail',
    summary: /no systemd-journald/,
  },
];

for (const c of cases) {
  test(`log.retention ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ logging: c.facts }, ctx());
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status !== 'pass') assert.ok(v.findings.length > 0);
    if (c.line !== undefined)
      assert.ok(
        v.findings.some((f) => f.line === c.line),
        JSON.stringify(v.findings),
      );
  });
}
