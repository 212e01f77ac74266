import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { macCollector } from '../../src/collect/mac.js';
import { storageCollector } from '../../src/collect/storage.js';
import { appPermissionsCollector } from '../../src/collect/app-permissions.js';
import macCheck from '../../src/checks/fs/mandatory-access-control.js';
import encCheck from '../../src/checks/fs/encryption-at-rest.js';
import appCheck from '../../src/checks/fs/app-permissions.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/schema.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { ctx, makeTree, requireCommands } from '../helpers.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'fs');
const cc = (root: string, config: Partial<Config> = {}) => ({
  target: new FsTarget({ root, name: 't' }),
  config: { ...DEFAULT_CONFIG, ...config },
  commandTimeoutMs: 15_000,
});

const macCases: [string, string, RegExp][] = [
  ['apparmor-enforce.pass', 'pass', /2 profile\(s\) in enforce mode/],
  ['apparmor-complain-only.fail', 'fail', /All 2 AppArmor profile\(s\).*complain/],
  ['apparmor-disabled-cmdline.fail', 'fail', /apparmor=0/],
  ['selinux-enforcing.pass', 'pass', /SELinux will boot enforcing/],
  ['selinux-permissive.fail', 'fail', /security=selinux.*SELINUX=permissive/],
];
for (const [dir, status, match] of macCases) {
  test(`mac collector + check offline: ${dir}`, async () => {
    const fact = await macCollector.collect(cc(join(FIX, 'mac', dir)));
    assert.equal(fact.state, 'collected');
    if (fact.state !== 'collected') return;
    const v = macCheck.evaluate({ mac: fact.value }, ctx({ live: false }));
    assert.equal(v.status, status, v.summary);
    assert.match(v.summary, match);
  });
}

test('mac: grub.d drop-in that appends apparmor=0 names its file and line', async () => {
  const fact = await macCollector.collect(cc(join(FIX, 'mac', 'apparmor-disabled-cmdline.fail')));
  assert.ok(fact.state === 'collected');
  assert.deepEqual(
    fact.value.boot.cmdline.map((c) => [c.name, c.value, c.source.path, c.source.line]),
    [['apparmor', '0', '/etc/default/grub.d/50-no-apparmor.cfg', 1]],
  );
});

const storageCases: [string, string, RegExp][] = [
  ['luks-offline.pass', 'pass', /\/var\/lib\/postgresql is on encrypted storage \(luks\)/],
  ['lvm-on-luks-offline.pass', 'pass', /encrypted storage \(luks\)/],
  ['plain-ext4.fail', 'fail', /\/var\/lib\/postgresql is on unencrypted storage: UUID=7e2d3b45/],
];
for (const [dir, status, match] of storageCases) {
  test(`storage collector + check offline (fstab + crypttab): ${dir}`, async () => {
    const fact = await storageCollector.collect(cc(join(FIX, 'storage', dir)));
    assert.ok(fact.state === 'collected');
    const v = encCheck.evaluate({ storage: fact.value }, ctx({ live: false }));
    assert.equal(v.status, status, v.summary);
    assert.match(v.summary, match);
    assert.match(v.summary, /skipped, not present: \/var\/lib\/redis \(redis\), \/app \(app\)/);
  });
}

test('storage: redis dir comes from redis.conf with its line; no data dir → na', async (t) => {
  const root = makeTree({ 'etc/redis/redis.conf': 'dir /srv/redis-data\n' }, t);
  const fact = await storageCollector.collect(cc(root));
  assert.ok(fact.state === 'collected');
  assert.deepEqual(fact.value.dirs.find((d) => d.role === 'redis')?.source, {
    path: '/etc/redis/redis.conf',
    line: 1,
    excerpt: 'dir /srv/redis-data',
  });
  assert.equal(encCheck.evaluate({ storage: fact.value }, ctx()).status, 'na');
});

test('storage live on this host: the root file system is judged from mountinfo and /sys, not a crash', async () => {
  const fact = await storageCollector.collect({
    target: new FsTarget({ name: 'live' }),
    config: { ...DEFAULT_CONFIG, app_dirs: ['/'] },
    commandTimeoutMs: 15_000,
  });
  assert.ok(fact.state === 'collected');
  const root = fact.value.dirs.find((d) => d.role === 'app')!;
  assert.equal(root.mount?.mountPoint, '/');
  assert.notEqual(root.stackEncrypted === null && root.problem === null, true, 'either decided or a reason');
});

test('storage live: one lsattr -d for all data dirs on plain ext4/f2fs gives each its own E flag, as lsattr says', async (t) => {
  if (!requireCommands(t, 'lsattr')) return;
  const paths = ['/', '/etc', '/var/tmp'];
  const fact = await storageCollector.collect({
    target: new FsTarget({ name: 'live' }),
    config: { ...DEFAULT_CONFIG, app_dirs: paths },
    commandTimeoutMs: 15_000,
  });
  if (fact.state !== 'collected') return assert.fail(`not collected: ${JSON.stringify(fact)}`);
  const dirs = fact.value.dirs;
  for (const path of paths) {
    const d = dirs.find((x) => x.role === 'app' && x.path === path);
    if (!d) return assert.fail(`no result for ${path}`);
    if (!d.mount || !/^(ext4|f2fs)$/.test(d.mount.fstype) || d.stackEncrypted !== false) continue;
    const flags = execFileSync('lsattr', ['-d', path], { encoding: 'utf8' }).split(' ')[0]!;
    assert.equal(d.fscrypt, flags.includes('E'), `${path}: ${flags}`);
  }
});

test('app-permissions collector: 600/777/755 files, allow-listed executable, 777 dir, symlink out, FIFO', async (t) => {
  if (!requireCommands(t, 'mkfifo')) return;
  const root = mkdtempSync(join(tmpdir(), 'rampart-app-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(FIX, 'app', 'tree'), join(root, 'app'), { recursive: true });
  const modes: [string, number][] = [
    ['app', 0o755],
    ['app/src', 0o755],
    ['app/src/main.py', 0o644],
    ['app/.env', 0o600],
    ['app/run.sh', 0o777],
    ['app/tool.py', 0o755],
    ['app/bin', 0o755],
    ['app/bin/entrypoint.sh', 0o755],
    ['app/uploads', 0o777],
  ];
  for (const [p, m] of modes) chmodSync(join(root, p), m);
  execFileSync('ln', ['-s', '/etc/passwd', join(root, 'app/passwd-link')]);
  execFileSync('ln', ['-s', 'src/main.py', join(root, 'app/inner-link')]);
  execFileSync('mkfifo', ['-m', '0644', join(root, 'app/pipe')]);
  const fact = await appPermissionsCollector.collect(
    cc(root, { app_dirs: ['/app', '/nope'], app_executables: ['/app/bin/entrypoint.sh'] }),
  );
  assert.ok(fact.state === 'collected');
  const app = fact.value.dirs[0]!;
  assert.deepEqual(app.deviations.map((d) => [d.path, d.type, d.mode]).sort(), [
    ['/app/.env', 'file', '0600'],
    ['/app/passwd-link', 'symlink', '0777'],
    ['/app/pipe', 'other', '0644'],
    ['/app/run.sh', 'file', '0777'],
    ['/app/tool.py', 'file', '0755'],
    ['/app/uploads', 'dir', '0777'],
  ]);
  assert.equal(fact.value.dirs[1]!.exists, false);
  const v = appCheck.evaluate({ appPermissions: fact.value }, ctx());
  assert.equal(v.status, 'fail');
  assert.match(v.summary, /4 path\(s\) with a looser mode/);
});
