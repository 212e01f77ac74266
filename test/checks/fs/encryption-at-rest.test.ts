import check from '../../../src/checks/fs/encryption-at-rest.js';
import type { DataDir, StorageFacts } from '../../../src/facts/storage.js';
import { runCases } from '../run-cases.js';

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

runCases(
  check,
  {
    pass: [
      { name: 'on LUKS', facts: f([dir({ layers: [luks, disk], stackEncrypted: true })]), summary: /encrypted storage \(luks\)/ },
      {
        name: 'fscrypt directory on plain ext4',
        facts: f([dir({ layers: [disk], stackEncrypted: false, fscrypt: true })]),
        summary: /fscrypt/,
      },
      {
        name: 'missing dirs are named when others pass',
        facts: f([
          dir({ layers: [luks], stackEncrypted: true }),
          dir({ path: '/var/lib/redis', role: 'redis', exists: false, mount: null }),
        ]),
        summary: /skipped, not present: \/var\/lib\/redis/,
      },
    ],
    fail: [
      {
        name: 'plain ext4 (mount and device in the evidence)',
        facts: f([dir({ layers: [disk], stackEncrypted: false })]),
        summary: /\/dev\/vda mounted on \/ \(ext4\)/,
      },
      {
        name: 'one of two unencrypted',
        facts: f([
          dir({ layers: [luks], stackEncrypted: true }),
          dir({ path: '/srv/backups', role: 'backup', layers: [disk], stackEncrypted: false }),
        ]),
        summary: /\/srv\/backups is on unencrypted/,
      },
    ],
    na: [
      {
        name: 'nothing exists',
        facts: f([dir({ exists: false, mount: null }), dir({ path: '/var/lib/redis', role: 'redis', exists: false, mount: null })]),
        summary: /\/var\/lib\/postgresql \(postgresql\), \/var\/lib\/redis \(redis\)/,
      },
    ],
    unknown: [{ name: 'network share', facts: f([dir({ problem: 'on an nfs4 network share' })]), summary: /nfs4/ }],
  },
  { key: 'storage' },
);
