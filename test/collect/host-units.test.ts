// bootState (collect/host/units.ts): one answer to "does systemd start this unit at boot?", on Debian 12's real
// unit files (test/fixtures/systemd-units/debian12, see SOURCE.md) with the links `systemctl enable`/`mask` write.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { UnitStore, bootStateOfAny } from '../../src/collect/host/units.js';
import { makeTree, type TreeEntry } from '../helpers.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'systemd-units', 'debian12');
const LIB = '/lib/systemd/system';
const ETC = 'etc/systemd/system';

/** Debian 12's unit files plus `extra` (relative paths), read through a fresh store. */
function unitsWith(t: TestContext, extra: Record<string, TreeEntry>, remove: string[] = []): { store: UnitStore; root: string } {
  const root = makeTree(extra, t);
  cpSync(FIXTURE, root, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith('SOURCE.md') });
  for (const p of remove) rmSync(join(root, p), { force: true });
  return { store: new UnitStore(new FsTarget({ root, name: 'img' })), root };
}
const enable = (unit: string, target = 'multi-user.target'): Record<string, TreeEntry> => ({
  [`${ETC}/${target}.wants/${unit}`]: { symlink: `${LIB}/${unit}` },
});

test('bootState: `systemctl enable fail2ban` (a multi-user.target.wants link) → enabled, the link is the evidence', async (t) => {
  const { store } = unitsWith(t, enable('fail2ban.service'));
  const b = await store.bootState('fail2ban.service');
  assert.equal(b.enabled, true);
  assert.equal(b.unitFile, `${LIB}/fail2ban.service`);
  assert.deepEqual(b.evidence, [{ path: `/${ETC}/multi-user.target.wants/fail2ban.service`, note: 'enablement symlink' }]);
});

test('bootState: a unit file without a link → not enabled; a dangling link (unit removed) → not enabled', async (t) => {
  const bare = await unitsWith(t, {}).store.bootState('fail2ban.service');
  assert.deepEqual([bare.enabled, bare.unitFile, bare.links], [false, `${LIB}/fail2ban.service`, []]);
  const { store } = unitsWith(t, enable('fail2ban.service'), [`lib/systemd/system/fail2ban.service`]);
  const gone = await store.bootState('fail2ban.service');
  assert.equal(gone.enabled, false);
  assert.equal(gone.unitFile, null);
  assert.equal(gone.evidence[0]?.note, 'dangling enablement symlink');
});

test('bootState: a masked unit is not enabled, whatever its links say (symlink to /dev/null, or an empty file)', async (t) => {
  for (const mask of [{ symlink: '/dev/null' }, ''] as TreeEntry[]) {
    const { store } = unitsWith(t, { ...enable('fail2ban.service'), [`${ETC}/fail2ban.service`]: mask });
    const b = await store.bootState('fail2ban.service');
    assert.equal(b.enabled, false, JSON.stringify(mask));
    assert.equal(b.mask?.path, `/${ETC}/fail2ban.service`);
    assert.match(b.evidence[0]?.note ?? '', /masked/);
  }
  // A runtime mask in /run shadows /lib too.
  const { store } = unitsWith(t, { ...enable('fail2ban.service'), 'run/systemd/system/fail2ban.service': { symlink: '/dev/null' } });
  assert.equal((await store.bootState('fail2ban.service')).enabled, false);
});

test('bootState: an alias (`Alias=sshd.service` of ssh.service) answers for the unit it names', async (t) => {
  // What `systemctl enable ssh` writes on Debian 12: the WantedBy link and the Alias link.
  const { store } = unitsWith(t, { ...enable('ssh.service'), [`${ETC}/sshd.service`]: { symlink: `${LIB}/ssh.service` } });
  const b = await store.bootState('sshd.service');
  assert.equal(b.aliasOf, 'ssh.service');
  assert.equal(b.enabled, true);
  assert.deepEqual(
    b.links.map((l) => l.path),
    [`/${ETC}/multi-user.target.wants/ssh.service`],
  );
  // Without the enable link the alias alone starts nothing.
  const alone = unitsWith(t, { [`${ETC}/sshd.service`]: { symlink: `${LIB}/ssh.service` } }).store;
  assert.equal((await alone.bootState('sshd.service')).enabled, false);
});

test('bootState: /etc over /lib — a local copy of the unit is the unit file; a mask in /etc hides /lib', async (t) => {
  const { store } = unitsWith(t, {
    ...enable('rsyslog.service'),
    [`${ETC}/rsyslog.service`]: '[Unit]\nDescription=local\n[Service]\nExecStart=/bin/true\n',
  });
  const b = await store.bootState('rsyslog.service');
  assert.deepEqual([b.unitFile, b.enabled], [`/${ETC}/rsyslog.service`, true]);
});

test('bootState: only targets a boot reaches count (multi-user, default.target chain, a custom target wanted at boot)', async (t) => {
  // rescue-ssh.target (openssh-server) is never reached at boot.
  const rescue = unitsWith(t, enable('ssh.service', 'rescue-ssh.target')).store;
  const r = await rescue.bootState('ssh.service');
  assert.equal(r.enabled, false);
  assert.match(r.evidence[0]?.note ?? '', /rescue-ssh\.target, which is not reached at boot/);
  // graphical.target is reached while default.target → graphical.target (Debian's default) …
  const gfx = unitsWith(t, enable('fail2ban.service', 'graphical.target')).store;
  assert.equal((await gfx.bootState('fail2ban.service')).enabled, true);
  // … and not when the admin set multi-user.target as the default (`systemctl set-default multi-user.target`).
  const multi = unitsWith(t, {
    ...enable('fail2ban.service', 'graphical.target'),
    [`${ETC}/default.target`]: { symlink: `${LIB}/multi-user.target` },
  }).store;
  assert.equal(await multi.defaultTarget(), 'multi-user.target');
  assert.equal((await multi.bootState('fail2ban.service')).enabled, false);
  // A custom target wanted by multi-user.target brings its units along.
  const app = unitsWith(t, {
    [`${ETC}/app.target`]: '[Unit]\nDescription=app\n[Install]\nWantedBy=multi-user.target\n',
    [`${ETC}/multi-user.target.wants/app.target`]: { symlink: `/${ETC}/app.target` },
    [`${ETC}/app.target.wants/fail2ban.service`]: { symlink: `${LIB}/fail2ban.service` },
  }).store;
  assert.equal((await app.bootState('fail2ban.service')).enabled, true);
  // Static wants shipped in /lib count like the ones in /etc.
  const lib = unitsWith(t, { 'lib/systemd/system/sysinit.target.wants/rsyslog.service': { symlink: '../rsyslog.service' } }).store;
  assert.equal((await lib.bootState('rsyslog.service')).enabled, true);
});

test('bootState: a SysV start link counts only without a unit file (systemd-sysv-generator)', async (t) => {
  const sysv = { 'etc/rc2.d/S01fail2ban': { symlink: '../init.d/fail2ban' }, 'etc/init.d/fail2ban': '#!/bin/sh\n' };
  const withUnit = await unitsWith(t, sysv).store.bootState('fail2ban.service', { sysv: ['fail2ban'] });
  assert.deepEqual([withUnit.enabled, withUnit.sysvLink], [false, null]);
  const { store } = unitsWith(t, sysv, ['lib/systemd/system/fail2ban.service']);
  const b = await store.bootState('fail2ban.service', { sysv: ['fail2ban'] });
  assert.deepEqual([b.enabled, b.sysvLink], [true, '/etc/rc2.d/S01fail2ban']);
  // Several units as one service: SysV only when none of them has a unit file.
  const any = await bootStateOfAny(store, ['fail2ban.service', 'rsyslog.service'], { sysv: ['fail2ban'] });
  assert.deepEqual([any.unitFile, any.sysvLink, any.enabled], [`${LIB}/rsyslog.service`, null, false]);
});

test('UnitStore: the links of every unit directory are listed once per store, whoever asks', async (t) => {
  const { root } = unitsWith(t, { ...enable('fail2ban.service'), ...enable('rsyslog.service') });
  const target = new FsTarget({ root, name: 'img' });
  let globs = 0;
  const glob = target.glob.bind(target);
  target.glob = (p: string) => {
    if (p.includes('.wants/') || p.includes('.requires/')) globs++;
    return glob(p);
  };
  const store = new UnitStore(target);
  await Promise.all([store.bootState('fail2ban.service'), store.bootState('rsyslog.service'), store.wantsLinks('ssh.service')]);
  await store.bootState('fail2ban.service');
  assert.equal(globs, 8, 'one *.wants/* and one *.requires/* glob per unit directory (4)');
  unlinkSync(join(root, ETC, 'multi-user.target.wants/fail2ban.service'));
  assert.equal((await store.bootState('fail2ban.service')).enabled, true, 'memoised for the run');
  assert.equal((await new UnitStore(target).bootState('fail2ban.service')).enabled, false, 'a new run reads again');
});
