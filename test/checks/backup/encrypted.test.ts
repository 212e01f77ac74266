import check from '../../../src/checks/backup/encrypted.js';
import { backups, file, loc } from './facts.js';
import { runCases } from '../run-cases.js';

const restic = {
  tool: 'restic' as const,
  path: '/srv/backups/restic',
  encrypted: true,
  mode: 'restic (always encrypted)',
  evidence: [{ path: '/srv/backups/restic/config' }],
};

runCases(
  check,
  {
    pass: [
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
        summary: /all 2 backup\(s\) are encrypted/,
      },
      { name: 'restic repository', facts: backups({ locations: [loc({ repositories: [restic] })] }), summary: /encrypted/ },
    ],
    fail: [
      {
        name: 'a plain gzip SQL dump beside encrypted ones',
        facts: backups({
          locations: [
            loc({
              files: [
                file('/srv/backups/a.age', 'encrypted', 'age'),
                file('/srv/backups/db.sql.gz', 'plain', 'gzip > PostgreSQL SQL dump'),
              ],
            }),
          ],
        }),
        summary: /1 backup\(s\) are not encrypted: \/srv\/backups\/db\.sql\.gz \(plain: gzip > PostgreSQL SQL dump\)/,
      },
      {
        name: 'borg repository with encryption none',
        facts: backups({ locations: [loc({ repositories: [{ ...restic, tool: 'borg', encrypted: false, mode: 'none' }] })] }),
        summary: /borg repository .*none/,
      },
    ],
    warn: [
      {
        name: 'unknown binary content',
        facts: backups({ locations: [loc({ files: [file('/srv/backups/x.bin', 'unknown', 'binary data')] })] }),
        summary: /cannot tell/,
      },
      {
        name: 'location missing',
        facts: backups({ locations: [loc({ state: 'missing', detail: '"/srv/backups" does not exist' })] }),
        summary: /cannot tell/,
      },
    ],
    unknown: [{ name: 'empty location', facts: backups({ locations: [loc()] }), summary: /no backup found/ }],
    manual: [{ name: 'no backup_dirs configured', facts: backups(), summary: /no backup location is configured/ }],
  },
  { key: 'backups' },
);
