import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { compareDebVersions } from '../../src/collect/parse/deb-version.js';
import {
  decodeLz4Frame,
  decompressList,
  parsePreferences,
  parseRelease,
  pickCandidate,
  pinMatchesFile,
  scanPackages,
} from '../../src/collect/parse/apt-lists.js';
import { requireCommands } from '../helpers.js';

test('lz4 frames decode byte-for-byte like the lz4 tool (real lz4)', (t) => {
  if (!requireCommands(t, 'lz4')) return;
  const text = Buffer.from(
    Array.from({ length: 3000 }, (_, i) => `Package: p${i % 97}\nVersion: 1.${i}\nDescription: ${'x'.repeat(i % 50)}\n`).join('\n'),
  );
  for (const input of [text, randomBytes(300_000), Buffer.alloc(0), Buffer.concat([text, randomBytes(5000), text])]) {
    for (const level of ['-1', '-9']) {
      const packed = execFileSync('lz4', [level, '-c', '--content-size'], { input });
      const d = decodeLz4Frame(packed);
      assert.ok(d.ok, d.ok ? '' : d.message);
      assert.ok(d.bytes.equals(input));
    }
  }
  const bad = decodeLz4Frame(Buffer.from('not lz4 at all'));
  assert.equal(bad.ok, false);
  const packed = execFileSync('lz4', ['-c'], { input: text });
  const truncated = decodeLz4Frame(packed.subarray(0, packed.length - 40));
  assert.equal(truncated.ok, false);
  assert.equal(decompressList('x_Packages.xz', Buffer.alloc(1)).ok, false);
  assert.equal(decompressList('x_Packages.gz', Buffer.from('garbage')).ok, false);
});

test('scanPackages parses only wanted stanzas', () => {
  const buf = Buffer.from(
    'Package: a\nVersion: 1\nArchitecture: amd64\n\nPackage: b\nArchitecture: all\nVersion: 2\nDescription: x\n Package: c\n\nPackage: c\nVersion: 3\nArchitecture: amd64\n',
  );
  assert.deepEqual(scanPackages(buf, new Set(['b', 'c'])), [
    { name: 'b', version: '2', arch: 'all' },
    { name: 'c', version: '3', arch: 'amd64' },
  ]);
  assert.deepEqual(scanPackages(Buffer.from('\u0000\u0001garbage'), new Set(['a'])), []);
});

test('Release and clear-signed InRelease headers', () => {
  const r = parseRelease(
    '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: Debian\nLabel: Debian-Security\nSuite: stable-security\nCodename: bookworm-security\nNotAutomatic: yes\nButAutomaticUpgrades: yes\nSHA256:\n abc 1 main/x\n-----BEGIN PGP SIGNATURE-----\nxyz\n',
  );
  assert.deepEqual(r, {
    origin: 'Debian',
    label: 'Debian-Security',
    suite: 'stable-security',
    codename: 'bookworm-security',
    version: '',
    notAutomatic: true,
    butAutomaticUpgrades: true,
  });
  assert.equal(parseRelease(''), null);
});

test('apt candidate selection (apt_preferences(5))', () => {
  const cases: { name: string; installed: string; prio: Record<string, number>; want: string }[] = [
    { name: 'higher version at 500 wins', installed: '1.0', prio: { '1.0': 100, '1.1': 500 }, want: '1.1' },
    { name: 'NotAutomatic (1) never upgrades', installed: '1.0', prio: { '1.0': 100, '2.0': 1 }, want: '1.0' },
    { name: 'ButAutomaticUpgrades (100) upgrades an installed package', installed: '1.0', prio: { '1.0': 100, '2.0': 100 }, want: '2.0' },
    { name: 'installed also in a 500 list beats a 100 upgrade', installed: '1.0', prio: { '1.0': 500, '2.0': 100 }, want: '1.0' },
    { name: 'no downgrade below 1000', installed: '2.0', prio: { '2.0': 100, '1.0': 990 }, want: '2.0' },
    { name: 'downgrade at 1000', installed: '2.0', prio: { '2.0': 100, '1.0': 1001 }, want: '1.0' },
    { name: 'highest priority beats highest version', installed: '1.0', prio: { '1.0': 100, '1.5': 600, '2.0': 500 }, want: '1.5' },
    { name: 'negative pin blocks', installed: '1.0', prio: { '1.0': 100, '2.0': -1 }, want: '1.0' },
  ];
  for (const c of cases) {
    const got = pickCandidate(c.installed, Object.keys(c.prio), (v) => c.prio[v] ?? 0, compareDebVersions);
    assert.equal(got, c.want, c.name);
  }
});

test('preferences: parse and match pins; errors as values', () => {
  const p = parsePreferences(
    'Package: nodejs\nPin: origin deb.nodesource.com\nPin-Priority: 600\n\n# c\nPackage: *\nPin: release n=bookworm-backports,o=Debian\nPin-Priority: 200\n\nPackage: x\nPin: release a=stable\n',
    '/p',
  );
  assert.equal(p.pins.length, 2);
  assert.equal(p.errors.length, 1);
  assert.equal(p.errors[0]!.line, 10);
  const file = {
    origin: 'Debian',
    label: 'Debian',
    suite: 'stable-backports',
    codename: 'bookworm-backports',
    component: 'main',
    version: '',
    arch: 'amd64',
    site: 'deb.debian.org',
  };
  assert.equal(pinMatchesFile(p.pins[1]!.pin, file), true);
  assert.equal(pinMatchesFile(p.pins[0]!.pin, file), false);
  assert.equal(pinMatchesFile(p.pins[0]!.pin, { ...file, site: 'deb.nodesource.com' }), true);
});
