import check from '../../../src/checks/backup/integrity.js';
import type { ChecksumManifest, ManifestEntry } from '../../../src/facts/backups.js';
import { backups, file, loc } from './facts.js';
import { runCases } from '../run-cases.js';

const H = 'a'.repeat(64);
const entry = (name: string, status: ManifestEntry['status'], line = 1): ManifestEntry => ({
  name,
  path: `/srv/backups/${name}`,
  line,
  expected: H,
  status,
  actual: status === 'mismatch' ? 'b'.repeat(64) : status === 'ok' ? H : null,
  detail: null,
});
const manifest = (...entries: ManifestEntry[]): ChecksumManifest => ({ path: '/srv/backups/SHA256SUMS', entries, errors: [] });
const f1 = file('/srv/backups/db1.age', 'encrypted', 'age');
const f2 = file('/srv/backups/db2.age', 'encrypted', 'age');
const repo = { tool: 'restic' as const, path: '/srv/backups/restic', encrypted: true, mode: 'restic', evidence: [] };
const resticCheck = {
  tool: 'restic' as const,
  scheduled: true,
  source: { path: '/etc/cron.d/restic', line: 2, excerpt: 'restic -r /srv/backups/restic check' },
};

runCases(
  check,
  {
    pass: [
      {
        name: 'manifest verifies every file',
        facts: backups({ locations: [loc({ files: [f1, f2], manifests: [manifest(entry('db1.age', 'ok'), entry('db2.age', 'ok', 2))] })] }),
        summary: /2 backup\(s\) verify now/,
      },
      {
        name: 'repository with a scheduled restic check',
        facts: backups({ locations: [loc({ repositories: [repo] })], repositoryChecks: [resticCheck] }),
        summary: /verify now/,
      },
      { name: 'no locations, restic check scheduled', facts: backups({ repositoryChecks: [resticCheck] }), summary: /restic/ },
    ],
    fail: [
      {
        name: 'repository whose restic check is not scheduled',
        facts: backups({ locations: [loc({ repositories: [repo] })], repositoryChecks: [{ ...resticCheck, scheduled: false }] }),
        summary: /no checksum manifest or repository check/,
      },
      {
        name: 'checksum mismatch names the file',
        facts: backups({
          locations: [loc({ files: [f1, f2], manifests: [manifest(entry('db1.age', 'ok'), entry('db2.age', 'mismatch', 2))] })],
        }),
        summary: /\/srv\/backups\/db2\.age: SHA-256 is b+/,
      },
      {
        name: 'listed file missing',
        facts: backups({
          locations: [loc({ files: [f1], manifests: [manifest(entry('db1.age', 'ok'), entry('db2.age', 'missing', 2))] })],
        }),
        summary: /db2\.age is listed in the manifest but missing/,
      },
      {
        name: 'file in no manifest',
        facts: backups({ locations: [loc({ files: [f1, f2], manifests: [manifest(entry('db1.age', 'ok'))] })] }),
        summary: /1 backup\(s\) have no checksum manifest.*db2\.age/,
      },
      {
        name: 'repository without a check',
        facts: backups({ locations: [loc({ repositories: [repo] })] }),
        summary: /no checksum manifest or repository check/,
      },
    ],
    warn: [
      {
        name: 'no locations, restic check written but not scheduled',
        facts: backups({ repositoryChecks: [{ ...resticCheck, scheduled: false }] }),
        summary: /configured but not scheduled \(restic\): nothing runs it/,
      },
      { name: 'empty location', facts: backups({ locations: [loc()] }), summary: /no backup found/ },
    ],
    manual: [{ name: 'nothing configured', facts: backups(), summary: /no backup location/ }],
  },
  { key: 'backups' },
);
