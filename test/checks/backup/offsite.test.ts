import check from '../../../src/checks/backup/offsite.js';
import type { BackupDestination } from '../../../src/facts/backups.js';
import { backups } from './facts.js';
import { runCases } from '../run-cases.js';

const dest = (target: string, remote: boolean, reason: string, scheduled = true): BackupDestination => ({
  tool: 'restic',
  target,
  remote,
  reason,
  scheduled,
  source: { path: '/etc/cron.d/backup', line: 3, excerpt: `restic -r ${target} backup /srv` },
});

runCases(
  check,
  {
    pass: [
      {
        name: 'scheduled restic to sftp',
        facts: backups({ destinations: [dest('sftp:backup@b.example.net:/repo', true, 'sftp: on b.example.net')] }),
        summary: /sftp:backup@b\.example\.net/,
      },
      {
        name: 'configured only (no schedule), noted',
        facts: backups({ destinations: [dest('s3:s3.amazonaws.com/bucket', true, 's3: object storage', false)] }),
        summary: /no schedule running it/,
      },
    ],
    fail: [
      {
        name: 'local path only',
        facts: backups({ destinations: [dest('/srv/restic', false, 'a path on this host')] }),
        summary: /on this host: \/srv\/restic/,
      },
      {
        name: 'rest: on loopback is local',
        facts: backups({ destinations: [dest('rest:http://127.0.0.1:8000/', false, '127.0.0.1 is this host (loopback)')] }),
        summary: /loopback/,
      },
    ],
    manual: [{ name: 'nothing configured', facts: backups(), summary: /no backup tool configuration/ }],
  },
  { key: 'backups' },
);
