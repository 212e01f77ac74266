import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/fs/encryption-at-rest.js';
import type { DataDir, StorageFacts } from '../../../src/facts/storage.js';
import { ctx } from '../../helpers.js';

const mount = { mountPoint: '/', fstype: 'ext4', device: '/dev/vda', source: { path: '/proc/self/mountinfo', line: 6 } };
const dir = (over: Partial<DataDir>): DataDir => ({
  path: '/var/lib/postgresql',
  role: 'postgresql',
  source: { note: 'default' },
  exists: true,
  mount,
  layers: [],
  stackEncrypted: null,
  fscrypt: null,
  problem: null,
  ...over,
});
const luks = {
  name: 'dm-0',
  kind: 'luks' as const,
  encrypted: true,
  detail: 'CRYPT-LUKS2-…',
  source: { path: '/sys/class/block/dm-0/dm/uuid' },
};
const disk = { name: '254:0', kind: 'disk' as const, encrypted: false, detail: 'block device', source: { path: '/sys/dev/block/254:0' } };
const f = (dirs: DataDir[]): StorageFacts => ({ live: true, dirs });

const cases: { name: string; facts: StorageFacts; status: string; match: RegExp }[] = [
  { name: 'on LUKS', facts: f([dir({ layers: [luks, disk], stackEncrypted: true })]), status: 'pass', match: /encrypted storage \(luks\)/ },
  {
    name: 'plain ext4 (mount and device in the evidence)',
    facts: f([dir({ layers: [disk], stackEncrypted: false })]),
    status: 'fail',
    match: /\/dev\/vda mounted on \/ \(ext4\)/,
  },
  {
    name: 'fscrypt directory on plain ext4',
    facts: f([dir({ layers: [disk], stackEncrypted: false, fscrypt: true })]),
    status: 'pass',
    match: /fscrypt/,
  },
  {
    name: 'one of two unencrypted',
    facts: f([
      dir({ layers: [luks], stackEncrypted: true }),
      dir({ path: '/srv/backups', role: 'backup', layers: [disk], stackEncrypted: false }),
    ]),
    status: 'fail',
    match: /\/srv\/backups is on unencrypted/,
  },
  { name: 'network share', facts: f([dir({ problem: 'on an nfs4 network share' })]), status: 'unknown', match: /nfs4/ },
  {
    name: 'nothing exists',
    facts: f([dir({ exists: false, mount: null }), dir({ path: '/var/lib/redis', role: 'redis', exists: false, mount: null })]),
    status: 'na',
    match: /\/var\/lib\/postgresql \(postgresql\), \/var\/lib\/redis \(redis\)/,
  },
  {
    name: 'missing dirs are named when others pass',
    facts: f([dir({ layers: [luks], stackEncrypted: true }), dir({ path: '/var/lib/redis', role: 'redis', exists: false, mount: null })]),
    status: 'pass',
    match: /skipped, not present: \/var\/lib\/redis/,
  },
];

for (const c of cases) {
  test(`fs.encryption-at-rest: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ storage: c.facts }, ctx());
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.match);
    if (v.status === 'fail') assert.ok(v.findings.every((x) => x.path !== null));
  });
}
