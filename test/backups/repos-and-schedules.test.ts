// Repositories laid out as the tools' documentation describes them (the binaries are not installed):
// restic doc/design.rst "Repository Format"; borg docs/internals/data-structures.rst (README, config,
// data/0/N segments); kopia site/content/docs/Advanced/Encryption/_index.md (kopia.repository.f).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectBackups } from '../../src/collect/backups.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { BackupFacts } from '../../src/facts/backups.js';
import { FsTarget } from '../../src/target/fs-target.js';
import encrypted from '../../src/checks/backup/encrypted.js';
import offsite from '../../src/checks/backup/offsite.js';
import integrity from '../../src/checks/backup/integrity.js';
import { ctx, makeTree } from '../helpers.js';

const BORG_README = 'This is a Borg Backup repository.\nSee https://borgbackup.readthedocs.io/\n';
const borgConfig = (key: boolean) =>
  `[repository]\nversion = 1\nsegments_per_dir = 1000\nmax_segment_size = 524288000\nappend_only = 0\nstorage_quota = 0\nadditional_free_space = 0\nid = 57d6c1d52ce76a836b532b0e42e677dec6af9fca3673db511279358828a21ed6\n${key ? 'key = hqlhbGdvcml0aG2mc2hhMjU2pGRhdGHaAZ4=\n' : ''}`;
/** A segment: "BORG_SEG", then crc32, size, tag 0 (PUT), 32-byte id, data whose first byte is the key type. */
function segment(keyType: number): Buffer {
  const data = Buffer.concat([Buffer.from([keyType]), Buffer.alloc(40, 7)]);
  const head = Buffer.alloc(9);
  head.writeUInt32LE(0, 0);
  head.writeUInt32LE(9 + 32 + data.length, 4);
  head[8] = 0;
  return Buffer.concat([Buffer.from('BORG_SEG'), head, Buffer.alloc(32, 1), data]);
}
const KOPIA = JSON.stringify({
  tool: 'https://github.com/kopia/kopia',
  buildVersion: 'v0.3.0',
  buildInfo: 'unknown',
  uniqueID: 'bm90IGEgZ29vZCByYW5kb20gaW5pdGlhbCB2YWx1ZQ==',
  keyAlgo: 'scrypt-65536-8-1',
  version: '1',
  encryption: 'AES256_GCM',
  encryptedBlockFormat: 'ZSxqt/gXwVPS6pNv',
});
const RESTIC_KEY =
  '{"created":"2026-11-01T10:00:00Z","username":"root","hostname":"db1","kdf":"scrypt","N":32768,"r":8,"p":6,"salt":"c2FsdA==","data":"ZW5jcnlwdGVk"}';

async function collect(files: Parameters<typeof makeTree>[0], t: Parameters<typeof makeTree>[1]): Promise<BackupFacts> {
  const root = makeTree(files, t);
  const f = await collectBackups({
    target: new FsTarget({ root, name: 'fixture' }),
    config: { ...DEFAULT_CONFIG, backup_dirs: ['/srv/backups'] },
    commandTimeoutMs: 5000,
  });
  assert.equal(f.state, 'collected');
  return (f as { value: BackupFacts }).value;
}

test('restic, borg (repokey, none) and kopia repositories are judged as wholes; borg none fails', async (t) => {
  const b = await collect(
    {
      'srv/backups/restic/config': Buffer.from([0x9a, 0x31, 0x07, 0xee, 0x10]),
      'srv/backups/restic/keys/4b1f2e': RESTIC_KEY,
      'srv/backups/restic/data/00/00aa': Buffer.from([1, 2, 3]),
      'srv/backups/borg-repokey/README': BORG_README,
      'srv/backups/borg-repokey/config': borgConfig(true),
      'srv/backups/borg-repokey/data/0/1': segment(0x05),
      'srv/backups/borg-none/README': BORG_README,
      'srv/backups/borg-none/config': borgConfig(false),
      'srv/backups/borg-none/data/0/1': segment(0x02),
      'srv/backups/kopia/kopia.repository.f': KOPIA,
    },
    t,
  );
  const repos: Record<string, unknown> = Object.fromEntries(
    b.locations[0]!.repositories.map((r) => [r.path.split('/').pop() ?? '', [r.tool, r.encrypted, r.mode]]),
  );
  assert.deepEqual(repos, {
    restic: ['restic', true, 'restic (always encrypted)'],
    'borg-repokey': ['borg', true, 'repokey-blake2'],
    'borg-none': ['borg', false, 'none'],
    kopia: ['kopia', true, 'AES256_GCM'],
  });
  assert.equal(b.locations[0]!.files.length, 0, 'repository files are not judged one by one');
  const v = encrypted.evaluate({ backups: b }, ctx());
  assert.equal(v.status, 'fail');
  assert.match(v.summary, /borg repository \/srv\/backups\/borg-none: none/);
});

test('schedules: restic to sftp from cron with restic check, borg to a local path, rclone remote types, credentials redacted', async (t) => {
  const b = await collect(
    {
      'etc/cron.d/restic':
        'RESTIC_PASSWORD_FILE=/etc/restic/pw\n30 2 * * * root restic -r sftp:backup@vault.example.net:/lms backup /srv/backups\n0 4 * * 0 root restic --repo=sftp:backup@vault.example.net:/lms check\n',
      'etc/systemd/system/borg.service': '[Service]\nType=oneshot\nExecStart=/usr/local/bin/borg-backup.sh\n',
      'etc/systemd/system/borg.timer': '[Timer]\nOnCalendar=daily\n',
      'usr/local/bin/borg-backup.sh': '#!/bin/sh\nborg create --stats /var/backups/borg::{now} /srv\n',
      'etc/restic/env': 'RESTIC_REPOSITORY=rest:https://lms:s3cr3t@backup.example.net:8000/lms\n',
      'root/.config/rclone/rclone.conf': '[offsite]\ntype = b2\naccount = x\nkey = SECRETKEY\n\n[usb]\ntype = local\n',
      'var/spool/cron/crontabs/root':
        '15 3 * * * rclone sync /srv/backups offsite:lms-backups\n45 3 * * * rclone sync /srv/backups usb:/mnt/usb\n',
      'srv/backups/.keep': '',
    },
    t,
  );
  const d = b.destinations.map((x) => [x.tool, x.target, x.remote, x.scheduled]);
  assert.deepEqual(d, [
    ['restic', 'sftp:backup@vault.example.net:/lms', true, true],
    ['restic', 'sftp:backup@vault.example.net:/lms', true, true],
    ['rclone', 'offsite:lms-backups', true, true],
    ['rclone', 'usb:/mnt/usb', false, true],
    ['borg', '/var/backups/borg', false, true],
    ['restic', 'rest:https://lms:***@backup.example.net:8000/lms', true, false],
  ]);
  assert.ok(!JSON.stringify(b).includes('s3cr3t') && !JSON.stringify(b).includes('SECRETKEY'), 'no secret in facts');
  assert.deepEqual(
    b.repositoryChecks.map((c) => [c.tool, c.scheduled, c.source.line]),
    [['restic', true, 3]],
  );
  assert.equal(offsite.evaluate({ backups: b }, ctx()).status, 'pass');
  const localOnly = { ...b, destinations: b.destinations.filter((x) => !x.remote) };
  const v = offsite.evaluate({ backups: localOnly }, ctx());
  assert.equal(v.status, 'fail');
  assert.match(v.summary, /\/var\/backups\/borg \(a path on this host\)/);
});

test('bad input: a missing location and a symlinked directory never pass', async (t) => {
  const b = await collect(
    {
      'etc/hostname': 'x\n',
      'srv/backups/sub': { symlink: '/etc' },
      'srv/backups/db.sql.gz.age': 'age-encryption.org/v1\n-> X25519 abc\nxyz\n',
    },
    t,
  );
  const l = b.locations[0]!;
  assert.equal(l.files.length, 1);
  assert.deepEqual(
    l.skipped.map((s) => s.reason),
    ['symbolic link to a directory: not followed'],
  );
  assert.equal(integrity.evaluate({ backups: b }, ctx()).status, 'fail', 'no manifest lists the file');
  const missing = await collect({ 'etc/hostname': 'x\n' }, t);
  assert.equal(missing.locations[0]!.state, 'missing');
  assert.equal(encrypted.evaluate({ backups: missing }, ctx()).status, 'warn');
});
