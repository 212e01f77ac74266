import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/backup/integrity.js';
import type { BackupFacts, ChecksumManifest, ManifestEntry } from '../../../src/facts/backups.js';
import { ctx } from '../../helpers.js';
import { backups, file, loc } from './facts.js';

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

const cases: { name: string; facts: BackupFacts; status: string; summary: RegExp }[] = [
  {
    name: 'manifest verifies every file',
    facts: backups({ locations: [loc({ files: [f1, f2], manifests: [manifest(entry('db1.age', 'ok'), entry('db2.age', 'ok', 2))] })] }),
    status: 'pass',
    summary: /2 backup\(s\) verify now/,
  },
  {
    name: 'repository with a scheduled restic check',
    facts: backups({ locations: [loc({ repositories: [repo] })], repositoryChecks: [resticCheck] }),
    status: 'pass',
    summary: /verify now/,
  },
  { name: 'no locations, restic check scheduled', facts: backups({ repositoryChecks: [resticCheck] }), status: 'pass', summary: /restic/ },
  // Configured is not working (issue 9 §3 sweep): a check no schedule runs verifies nothing.
  {
    name: 'no locations, restic check written but not scheduled',
    facts: backups({ repositoryChecks: [{ ...resticCheck, scheduled: false }] }),
    status: 'warn',
    summary: /configured but not scheduled \(restic\): nothing runs it/,
  },
  {
    name: 'repository whose restic check is not scheduled',
    facts: backups({ locations: [loc({ repositories: [repo] })], repositoryChecks: [{ ...resticCheck, scheduled: false }] }),
    status: 'fail',
    summary: /no checksum manifest or repository check/,
  },
  {
    name: 'checksum mismatch names the file',
    facts: backups({
      locations: [loc({ files: [f1, f2], manifests: [manifest(entry('db1.age', 'ok'), entry('db2.age', 'mismatch', 2))] })],
    }),
    status: 'fail',
    summary: /\/srv\/backups\/db2\.age: SHA-256 is b+/,
  },
  {
    name: 'listed file missing',
    facts: backups({ locations: [loc({ files: [f1], manifests: [manifest(entry('db1.age', 'ok'), entry('db2.age', 'missing', 2))] })] }),
    status: 'fail',
    summary: /db2\.age is listed in the manifest but missing/,
  },
  {
    name: 'file in no manifest',
    facts: backups({ locations: [loc({ files: [f1, f2], manifests: [manifest(entry('db1.age', 'ok'))] })] }),
    status: 'fail',
    summary: /1 backup\(s\) have no checksum manifest.*db2\.age/,
  },
  {
    name: 'repository without a check',
    facts: backups({ locations: [loc({ repositories: [repo] })] }),
    status: 'fail',
    summary: /no checksum manifest or repository check/,
  },
  { name: 'empty location', facts: backups({ locations: [loc()] }), status: 'warn', summary: /no backup found/ },
  { name: 'nothing configured', facts: backups(), status: 'manual', summary: /no backup location/ },
];

for (const c of cases) {
  test(`backup.integrity ${c.status}: ${c.name}`, () => {
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
