import check from '../../../src/checks/log/retention.js';
import { authFile, journald, logging, rotation } from './facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      {
        name: 'rotate 13 weekly = 91 days',
        facts: logging({ logFiles: [authFile(rotation('weekly', 13))] }),
        summary: /rotate 13 × weekly = 91 days/,
      },
      { name: 'daily, rotate 90', facts: logging({ logFiles: [authFile(rotation('daily', 90))] }), summary: /= 90 days/ },
      {
        name: 'rotate -1 keeps everything',
        facts: logging({ logFiles: [authFile(rotation('monthly', -1))] }),
        summary: /unlimited/,
      },
      { name: 'not rotated at all', facts: logging({ logFiles: [authFile(null)] }), summary: /never rotated/ },
      {
        name: 'journal only: persistent, unset',
        facts: logging({
          journald: journald({ storage: { value: 'persistent', source: { path: '/etc/systemd/journald.conf', line: 3 } } }),
        }),
        summary: /no time limit/,
      },
    ],
    fail: [
      {
        name: 'Debian default rotate 4 weekly = 28 days',
        facts: logging({ logFiles: [authFile(rotation('weekly', 4))] }),
        summary: /rotate 4 × weekly = 28 days/,
        line: 8,
      },
      {
        name: 'maxage 30 below rotate × period',
        facts: logging({ logFiles: [authFile(rotation('weekly', 13, 30))] }),
        summary: /maxage 30 = 30 days/,
        line: 10,
      },
      {
        name: 'size-only with maxage 7',
        facts: logging({ logFiles: [authFile(rotation('size', 4, 7))] }),
        summary: /maxage 7/,
      },
      {
        name: 'one file fails, one passes: the failure decides',
        facts: logging({ logFiles: [authFile(rotation('weekly', 13)), authFile(rotation('weekly', 4), '/var/log/syslog')] }),
        summary: /syslog: rotate 4/,
      },
      {
        name: 'journal only: auto without /var/log/journal',
        facts: logging({ journald: journald({ persistentDir: false }) }),
        summary: /kept in \/run only/,
      },
      {
        name: 'journal only: volatile',
        facts: logging({
          journald: journald({ storage: { value: 'volatile', source: { path: '/etc/systemd/journald.conf.d/10.conf', line: 2 } } }),
        }),
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
        summary: /30 days/,
        line: 3,
      },
      {
        name: 'no syslog files and no journald',
        evidence: 'note',
        facts: logging({ journald: journald({ present: false, evidence: { note: 'no systemd-journald.service unit file' } }) }),
        summary: /no systemd-journald/,
      },
    ],
    warn: [
      { name: 'size-only rotation', facts: logging({ logFiles: [authFile(rotation('size', 4))] }), summary: /size only/ },
      {
        name: 'maxsize can rotate earlier',
        facts: logging({
          logFiles: [
            authFile(rotation('weekly', 13, null, { maxsize: { value: 1048576, source: { path: '/etc/logrotate.d/rsyslog', line: 11 } } })),
          ],
        }),
        summary: /maxsize/,
      },
      {
        name: 'journal only: SystemMaxUse cap',
        facts: logging({
          journald: journald({ systemMaxUse: { value: '500M', source: { path: '/etc/systemd/journald.conf.d/50.conf', line: 3 } } }),
        }),
        summary: /SystemMaxUse=500M/,
        line: 3,
      },
    ],
    unknown: [
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
        summary: /cannot decide: .*permission denied/,
      },
    ],
  },
  { key: 'logging' },
);
