import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyMount, mountOf, parseMountinfo } from '../../src/collect/parse/mountinfo.js';
import { planScan } from '../../src/collect/scan/world-writable.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'fs', 'mountinfo');
const text = readFileSync(join(FIX, 'tmpfs-proc-nfs.mountinfo'), 'utf8');

test('mountinfo: fields, octal escapes and line numbers', () => {
  const r = parseMountinfo(text);
  assert.equal(r.errors.length, 0);
  const nfs = r.mounts.find((m) => m.fstype === 'nfs4');
  assert.equal(nfs?.mountPoint, '/mnt/nfs share');
  assert.equal(nfs?.line, 12);
  assert.equal(mountOf('/var/lib/postgresql', r.mounts)?.source, '/dev/mapper/debian--vg-root');
  assert.equal(mountOf('/tmp/x', r.mounts)?.fstype, 'tmpfs');
});

test('mountinfo: a garbage line is an error value, not a crash', () => {
  const r = parseMountinfo('not a mount\n\u0000\u0001binary\n' + text);
  assert.equal(r.errors.length, 2);
  assert.equal(r.mounts.length, 15);
});

test('classifyMount: pseudo, network, runtime tmpfs and overlay views are left out; /tmp tmpfs and fuseblk are scanned', () => {
  assert.deepEqual(classifyMount({ fstype: 'tmpfs', mountPoint: '/tmp' }), { scan: true });
  assert.equal(classifyMount({ fstype: 'tmpfs', mountPoint: '/dev/shm' }).scan, false);
  assert.equal(classifyMount({ fstype: 'tmpfs', mountPoint: '/run/user/1000' }).scan, false);
  assert.equal(classifyMount({ fstype: 'fuse.sshfs', mountPoint: '/home/u/r' }).scan, false);
  assert.equal(classifyMount({ fstype: 'fuseblk', mountPoint: '/media/usb' }).scan, true);
  assert.equal(classifyMount({ fstype: 'overlay', mountPoint: '/var/lib/docker/overlay2/x/merged' }).scan, false);
  assert.equal(classifyMount({ fstype: 'overlay', mountPoint: '/' }).scan, true);
});

test('planScan (live): prunes excluded mounts reachable from /, walks a local mount below an excluded one as its own root', () => {
  const plan = planScan(true, parseMountinfo(text).mounts);
  assert.deepEqual(plan.roots, ['/', '/run/data']);
  for (const p of ['/proc', '/sys', '/dev', '/run', '/mnt/nfs share', '/var/lib/docker/overlay2/abc/merged', '/home/u/remote'])
    assert.ok(plan.prune.includes(p), p);
  assert.ok(!plan.prune.includes('/tmp'));
  assert.ok(!plan.prune.includes('/dev/shm'), 'inside a pruned mount: no need to prune again');
  assert.ok(plan.excluded.some((e) => e.path === '/mnt/nfs share' && e.fstype === 'nfs4'));
});
