import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FsTarget } from '../../src/target/fs-target.js';
import { firstExisting } from '../../src/collect/paths.js';
import { UnitStore } from '../../src/collect/host/units.js';
import { dpkgInstalled, dpkgStatus, upstreamVersion } from '../../src/collect/dpkg.js';
import { makeTree } from '../helpers.js';

test('wantsLinks: named targets in order, every *.wants without, dangling and masked links, wildcards', async (t) => {
  const root = makeTree(
    {
      'lib/systemd/system/a.service': '[Unit]\n',
      'lib/systemd/system/r@.service': '[Unit]\n',
      'etc/systemd/system/sysinit.target.wants/a.service': { symlink: '/lib/systemd/system/a.service' },
      'etc/systemd/system/multi-user.target.wants/a.service': { symlink: '/lib/systemd/system/a.service' },
      'etc/systemd/system/multi-user.target.wants/gone.service': { symlink: '/lib/systemd/system/gone.service' },
      'etc/systemd/system/multi-user.target.wants/r@one.service': { symlink: '/lib/systemd/system/r@.service' },
      'etc/systemd/system/multi-user.target.wants/r@two.service': { symlink: '/lib/systemd/system/r@.service' },
      'lib/systemd/system/timers.target.wants/a.service': { symlink: '../a.service' },
    },
    t,
  );
  const tg = new FsTarget({ root, name: 'img' });
  const units = new UnitStore(tg);
  const wantsLinks = (unit: string, opts?: Parameters<UnitStore['wantsLinks']>[1]) => units.wantsLinks(unit, opts);
  assert.deepEqual(
    (await wantsLinks('a.service', { targets: ['multi-user.target', 'sysinit.target'] })).map((l) => l.path),
    ['/etc/systemd/system/multi-user.target.wants/a.service', '/etc/systemd/system/sysinit.target.wants/a.service'],
    'the order of targets',
  );
  assert.deepEqual(
    await wantsLinks('a.service'),
    [
      { path: '/etc/systemd/system/multi-user.target.wants/a.service', type: 'file' },
      { path: '/etc/systemd/system/sysinit.target.wants/a.service', type: 'file' },
    ],
    'every *.wants, lexical; /etc only by default',
  );
  assert.deepEqual(
    (await wantsLinks('a.service', { dirs: ['/etc/systemd/system', '/lib/systemd/system'] })).map((l) => l.path).at(-1),
    '/lib/systemd/system/timers.target.wants/a.service',
  );
  assert.deepEqual(
    await wantsLinks('gone.service'),
    [{ path: '/etc/systemd/system/multi-user.target.wants/gone.service', type: null }],
    'a dangling link is listed, type null',
  );
  assert.deepEqual(
    (await wantsLinks('r@*.service')).map((l) => l.path.split('/').at(-1)),
    ['r@one.service', 'r@two.service'],
  );
  assert.deepEqual(await wantsLinks('none.service', { targets: ['multi-user.target'] }), []);
  assert.deepEqual(await wantsLinks('a.service', { targets: ['no-such.target'] }), []);
});

test('firstExisting: order, dangling links skipped, type filter', async (t) => {
  const root = makeTree({ 'usr/bin/x': '', 'usr/sbin/x': { dir: true }, 'bin/dangling': { symlink: '/nowhere' }, 'sbin/x': '' }, t);
  const tg = new FsTarget({ root, name: 'img' });
  assert.equal(await firstExisting(tg, ['/bin/dangling', '/usr/sbin/x', '/usr/bin/x']), '/usr/sbin/x');
  assert.equal(await firstExisting(tg, ['/bin/dangling', '/usr/sbin/x', '/usr/bin/x'], 'file'), '/usr/bin/x');
  assert.equal(await firstExisting(tg, ['/bin/dangling', '/nope']), null);
  assert.equal(await firstExisting(tg, []), null);
});

test('dpkgStatus / dpkgInstalled: one read per target, read errors kept, upstream versions', async (t) => {
  const status =
    'Package: a\nStatus: install ok installed\nVersion: 1:2.3-4\n\nPackage: b\nStatus: deinstall ok config-files\nVersion: 1\n\nPackage: c\nStatus: install ok half-installed\nVersion: 1\n';
  const tg = new FsTarget({ root: makeTree({ 'var/lib/dpkg/status': status }, t), name: 'img' });
  const r = await dpkgStatus(tg);
  assert.ok(r.ok);
  assert.equal(r.parsed.installed.length, 1);
  assert.equal(await dpkgStatus(tg), r, 'cached per target');
  assert.deepEqual([...(await dpkgInstalled(tg))!.keys()], ['a']);
  const none = new FsTarget({ root: makeTree({ etc: { dir: true } }, t), name: 'empty' });
  const miss = await dpkgStatus(none);
  assert.equal(!miss.ok && miss.error, 'missing');
  assert.equal(await dpkgInstalled(none), null);
  assert.equal(upstreamVersion('1:9.2p1-2+deb12u3'), '9.2p1');
  assert.equal(upstreamVersion('7.0.15'), '7.0.15');
  assert.equal(upstreamVersion('2.3-a-4'), '2.3-a');
});
