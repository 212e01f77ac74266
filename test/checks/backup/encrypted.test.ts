import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/backup/encrypted.js';
import type { BackupFacts } from '../../../src/facts/backups.js';
import { ctx } from '../../helpers.js';
import { backups, file, loc } from './facts.js';

const restic = {
  tool: 'restic' as const,
  path: '/srv/backups/restic',
  encrypted: true,
  mode: 'restic (always encrypted)',
  evidence: [{ path: '/srv/backups/restic/config' }],
};

const cases: { name: string; facts: BackupFacts; status: string; summary: RegExp }[] = [
  {
    name: 'age and gpg files',
    facts: backups({
      locations: [
        loc({
          files: [
            file('/srv/backups/a.age', 'encrypted', 'age (X25519 recipient stanza)'),
            file('/srv/backups/b.gpg', 'encrypted', 'OpenPGP (SKESK)'),
          ],
        }),
      ],
    }),
    status: 'pass',
    summary: /all 2 backup\(s\) are encrypted/,
  },
  { name: 'restic repository', facts: backups({ locations: [loc({ repositories: [restic] })] }), status: 'pass', summary: /encrypted/ },
  {
    name: 'a plain gzip SQL dump beside encrypted ones',
    facts: backups({
      locations: [
        loc({
          files: [file('/srv/backups/a.age', 'encrypted', 'age'), file('/srv/backups/db.sql.gz', 'plain', 'gzip > PostgreSQL SQL dump')],
        }),
      ],
    }),
    status: 'fail',
    summary: /1 backup\(s\) are not encrypted: \/srv\/backups\/db\.sql\.gz \(plain: gzip > PostgreSQL SQL dump\)/,
  },
  {
    name: 'borg repository with encryption none',
    facts: backups({ locations: [loc({ repositories: [{ ...restic, tool: 'borg', encrypted: false, mode: 'none' }] })] }),
    status: 'fail',
    summary: /borg repository .*none/,
  },
  {
    name: 'unknown binary content',
    facts: backups({ locations: [loc({ files: [file('/srv/backups/x.bin', 'unknown', 'binary data')] })] }),
    status: 'warn',
    summary: /cannot tell/,
  },
  {
    name: 'location missing',
    facts: backups({ locations: [loc({ state: 'missing', detail: '"/srv/backups" does not exist' })] }),
    status: 'warn',
    summary: /cannot tell/,
  },
  { name: 'empty location', facts: backups({ locations: [loc()] }), status: 'unknown', summary: /no backup found/ },
  { name: 'no backup_dirs configured', facts: backups(), status: 'manual', summary: /no backup location is configured/ },
];

for (const c of cases) {
  test(`backup.encrypted ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ backups: c.facts }, ctx());
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail' || v.status === 'warn')
      assert.ok(
        v.findings.some((f) => f.path || f.command),
        'evidence',
      );
  });
}
