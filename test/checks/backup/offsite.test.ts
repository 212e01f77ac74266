import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/backup/offsite.js';
import type { BackupDestination, BackupFacts } from '../../../src/facts/backups.js';
import { ctx } from '../../helpers.js';
import { backups } from './facts.js';

const dest = (target: string, remote: boolean, reason: string, scheduled = true): BackupDestination => ({
  tool: 'restic',
  target,
  remote,
  reason,
  scheduled,
  source: { path: '/etc/cron.d/backup', line: 3, excerpt: `restic -r ${target} backup /srv` },
});

const cases: { name: string; facts: BackupFacts; status: string; summary: RegExp }[] = [
  {
    name: 'scheduled restic to sftp',
    facts: backups({ destinations: [dest('sftp:backup@b.example.net:/repo', true, 'sftp: on b.example.net')] }),
    status: 'pass',
    summary: /sftp:backup@b\.example\.net/,
  },
  {
    name: 'configured only (no schedule), noted',
    facts: backups({ destinations: [dest('s3:s3.amazonaws.com/bucket', true, 's3: object storage', false)] }),
    status: 'pass',
    summary: /no schedule running it/,
  },
  {
    name: 'local path only',
    facts: backups({ destinations: [dest('/srv/restic', false, 'a path on this host')] }),
    status: 'fail',
    summary: /on this host: \/srv\/restic/,
  },
  {
    name: 'rest: on loopback is local',
    facts: backups({ destinations: [dest('rest:http://127.0.0.1:8000/', false, '127.0.0.1 is this host (loopback)')] }),
    status: 'fail',
    summary: /loopback/,
  },
  { name: 'nothing configured', facts: backups(), status: 'manual', summary: /no backup tool configuration/ },
];

for (const c of cases) {
  test(`backup.offsite ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ backups: c.facts }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail')
      assert.ok(
        v.findings.some((f) => f.path),
        'evidence',
      );
  });
}
