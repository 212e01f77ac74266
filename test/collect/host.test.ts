import { test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { hostCollector } from '../../src/collect/host.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { parseOsRelease } from '../../src/collect/parse/os-release.js';
import { makeTree } from '../helpers.js';

// /etc/os-release as shipped by Debian 12's base-files 12.4+deb12u*
const DEBIAN12 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

test('parseOsRelease reads quoted and bare values, ignores comments', () => {
  const kv = parseOsRelease(`# c\n${DEBIAN12}ID_LIKE="ubuntu debian"\nBAD LINE\n`);
  assert.equal(kv.ID, 'debian');
  assert.equal(kv.VERSION_ID, '12');
  assert.equal(kv.PRETTY_NAME, 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(kv.ID_LIKE, 'ubuntu debian');
});

async function collectHost(root?: string) {
  const target = new FsTarget(root ? { root, name: 'img' } : { name: 'live' });
  const f = await hostCollector.collect({ target, config: DEFAULT_CONFIG, commandTimeoutMs: 5000 });
  assert.equal(f.state, 'collected');
  return f.state === 'collected' ? f.value : undefined!;
}

test('offline root: os-release, hostname; /.dockerenv alone is not a container', async (t) => {
  const root = makeTree({ 'etc/os-release': DEBIAN12, 'etc/hostname': 'web-1\n', '.dockerenv': '' }, t);
  const h = await collectHost(root);
  assert.equal(h.os?.id, 'debian');
  assert.equal(h.os?.versionCodename, 'bookworm');
  assert.equal(h.hostname, 'web-1');
  assert.equal(h.container.detected, false);
  assert.equal(h.container.ignored[0]?.path, '/.dockerenv');
});

test('offline root: podman marker is a container', async (t) => {
  const root = makeTree({ 'etc/os-release': DEBIAN12, 'run/.containerenv': '' }, t);
  const h = await collectHost(root);
  assert.equal(h.container.detected, true);
  assert.equal(h.container.kind, 'podman');
});

test('live: /.dockerenv without a corroborating sign is not a container (this VM carries one)', async () => {
  const h = await collectHost();
  assert.ok(h.os !== null);
  // Independent reading of the corroborating signs.
  let environ = false;
  try {
    environ = readFileSync('/proc/1/environ')
      .toString('utf8')
      .split('\0')
      .some((v) => v.startsWith('container='));
  } catch {
    // Unreadable here (EACCES even for root on this sandbox): the collector must cope the same way.
  }
  const cgroup = /\/(docker|kubepods|lxc|libpod|containerd)[/-]/.test(readFileSync('/proc/1/cgroup', 'utf8'));
  const overlayRoot = readFileSync('/proc/1/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[1] === '/' && l.split(' ')[2] === 'overlay');
  const expected = environ || cgroup || (overlayRoot && existsSync('/.dockerenv')) || existsSync('/run/.containerenv');
  assert.equal(h.container.detected, expected);
  if (existsSync('/.dockerenv') && !expected)
    assert.deepEqual(
      h.container.ignored.map((s) => s.path),
      ['/.dockerenv'],
    );
});
