import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import autoSecurity from '../../src/checks/patch/auto-security-updates.js';
import pending from '../../src/checks/patch/pending-security-updates.js';
import inventory from '../../src/checks/patch/inventory.js';
import { ctx } from '../helpers.js';
import { collectPackages, fixtureRoot, touchAll } from './fixture-root.js';
import { packagesCollector } from '../../src/collect/packages.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';

const NOW = new Date('2026-11-28T10:00:00Z');

const AUTO: { scenario: string; status: string; match: RegExp }[] = [
  { scenario: 'debian12-default.pass', status: 'pass', match: /codename=bookworm-security,label=Debian-Security/ },
  { scenario: 'auto-upgrades-enabled.pass', status: 'pass', match: /Unattended-Upgrade is "always"/ },
  { scenario: 'ignored-extension.pass', status: 'pass', match: /Unattended-Upgrade is "1"/ },
  { scenario: 'periodic-disabled-by-later-file.fail', status: 'fail', match: /Unattended-Upgrade is "0"/ },
  { scenario: 'commented-out.fail', status: 'fail', match: /Unattended-Upgrade is not set/ },
  { scenario: 'security-origin-missing.fail', status: 'fail', match: /does not match the security suite/ },
  { scenario: 'origins-cleared.fail', status: 'fail', match: /does not match the security suite/ },
  { scenario: 'malformed.fail', status: 'fail', match: /apt cannot read its configuration/ },
  { scenario: 'not-installed.fail', status: 'fail', match: /not installed/ },
];

for (const c of AUTO) {
  test(`patch.auto-security-updates on ${c.scenario}`, async (t) => {
    const root = fixtureRoot(t, c.scenario);
    if (c.scenario === 'not-installed.fail') {
      const p = join(root, 'var/lib/dpkg/status');
      writeFileSync(
        p,
        readFileSync(p, 'utf8')
          .split('\n\n')
          .filter((s) => !s.startsWith('Package: unattended-upgrades'))
          .join('\n\n'),
      );
    }
    const facts = await collectPackages(root);
    const v = autoSecurity.evaluate({ packages: facts }, ctx({ now: NOW }));
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.match);
    assert.ok(v.findings.every((f) => f.path !== null || f.excerpt !== null || f.command !== null));
  });
}

test('the override is traced to its file and line (for remediation)', async (t) => {
  const facts = await collectPackages(fixtureRoot(t, 'periodic-disabled-by-later-file.fail'));
  const s = facts.aptConf.unattendedUpgrade;
  assert.deepEqual(s.source, { path: '/etc/apt/apt.conf.d/99-override', line: 2, excerpt: 'APT::Periodic::Unattended-Upgrade "0"' });
  assert.deepEqual(
    s.writes.map((w) => `${w.path}:${w.line}`),
    ['/etc/apt/apt.conf.d/20auto-upgrades:2', '/etc/apt/apt.conf.d/99-override:2'],
  );
});

test('stale lists warn (mtimes, ctx.now, periods.package_lists_stale); fresh lists decide', async (t) => {
  const root = fixtureRoot(t, null, { 'var/lib/dpkg/status': filterStatus(['libexpat1', 'libgcrypt20']) });
  touchAll(join(root, 'var/lib/apt/lists'), new Date('2026-11-01T00:00:00Z'));
  const facts = await collectPackages(root);
  const v = pending.evaluate({ packages: facts }, ctx({ now: NOW }));
  assert.equal(v.status, 'warn', v.summary);
  assert.match(v.findings[0]!.message, /27 days old/);
  touchAll(join(root, 'var/lib/apt/lists'), new Date('2026-11-27T00:00:00Z'));
  assert.equal(pending.evaluate({ packages: await collectPackages(root) }, ctx({ now: NOW })).status, 'pass');
});

/** The offline status without the given packages (so nothing has a security update). */
function filterStatus(drop: string[]): string {
  const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'packages', 'offline-root', 'var/lib/dpkg/status'), 'utf8');
  return text
    .split('\n\n')
    .filter((s) => !drop.some((d) => s.startsWith(`Package: ${d}\n`)))
    .join('\n\n');
}

test('pending security updates on the offline root fail with each package', async (t) => {
  const facts = await collectPackages(fixtureRoot(t, null));
  const v = pending.evaluate({ packages: facts }, ctx({ now: new Date(facts.lists.updatedAt ?? NOW) }));
  assert.equal(v.status, 'fail');
  assert.deepEqual(
    v.findings.map((f) => f.message.split(' (')[0]),
    ['libexpat1:amd64 2.5.0-1+deb12u1 → 2.5.0-1+deb12u5', 'libgcrypt20:amd64 1.10.1-3 → 1.10.1-3+deb12u1'],
  );
});

test('no lists → unknown with the reason; unreadable list → unknown', async (t) => {
  const none = await collectPackages(fixtureRoot(t, null, { 'var/lib/apt/lists': null }));
  const v = pending.evaluate({ packages: none }, ctx({ now: NOW }));
  assert.equal(v.status, 'unknown');
  assert.match(v.summary, /no package lists/);
  const xz = fixtureRoot(t, null, {
    'var/lib/dpkg/status': filterStatus(['libexpat1', 'libgcrypt20']),
    'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.xz': Buffer.from([0xfd, 0x37, 0x7a]),
    'var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.gz': Buffer.from('broken gzip'),
  });
  const u = pending.evaluate({ packages: await collectPackages(xz) }, ctx({ now: NOW }));
  assert.equal(u.status, 'unknown', u.summary);
  assert.match(u.summary, /offline audit does not run/);
  assert.match(u.summary, /corrupt/);
});

test('bad input: binary status fails the fact, a symlink loop in lists does not crash', async (t) => {
  const bin = fixtureRoot(t, null, { 'var/lib/dpkg/status': Buffer.from([0, 1, 2, 3, 0, 0]) });
  const f = await packagesCollector.collect({
    target: new FsTarget({ root: bin, name: 'x' }),
    config: DEFAULT_CONFIG,
    commandTimeoutMs: 1000,
  });
  assert.equal(f.state, 'failed');
  assert.match(f.state === 'failed' ? f.reason : '', /binary/);
  const loop = fixtureRoot(t, null);
  mkdirSync(join(loop, 'etc/apt/apt.conf.d'), { recursive: true });
  symlinkSync('loop-b', join(loop, 'etc/apt/apt.conf.d/loop-a'));
  symlinkSync('loop-a', join(loop, 'etc/apt/apt.conf.d/loop-b'));
  symlinkSync('x_Packages', join(loop, 'var/lib/apt/lists/x_Packages'));
  const facts = await collectPackages(loop);
  assert.ok(facts.aptConf.errors.some((e) => /loop/.test(e.message)));
  const gone = absentRoot(t);
  const a = await packagesCollector.collect({
    target: new FsTarget({ root: gone, name: 'x' }),
    config: DEFAULT_CONFIG,
    commandTimeoutMs: 1000,
  });
  assert.equal(a.state, 'absent');
});

function absentRoot(t: Parameters<typeof fixtureRoot>[0]): string {
  return fixtureRoot(t, null, { 'var/lib/dpkg': null });
}

const HISTORY: { scenario: string; status: string; match: RegExp }[] = [
  { scenario: 'history-90d.pass', status: 'pass', match: /covers 136 days \(since 2026-07-15/ },
  { scenario: 'history-short.fail', status: 'fail', match: /covers 20 days/ },
];
for (const c of HISTORY) {
  test(`patch.inventory on ${c.scenario}`, async (t) => {
    const facts = await collectPackages(fixtureRoot(t, c.scenario));
    const v = inventory.evaluate({ packages: facts }, ctx({ now: NOW }));
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.match);
    assert.ok(v.findings.some((f) => /5 installed packages: .*from Debian/.test(f.message)));
  });
}

test('corrupt rotated log is reported, not fatal', async (t) => {
  const facts = await collectPackages(fixtureRoot(t, 'history-90d.pass'));
  const bad = facts.history.apt.find((l) => l.path.endsWith('.4.gz'));
  assert.match(bad?.error ?? '', /not valid gzip/);
  assert.equal(facts.history.dpkg.find((l) => l.path.endsWith('dpkg.log.2.gz'))?.first, '2026-07-15T06:40:12.000Z');
});

test('missing history log fails', async (t) => {
  const facts = await collectPackages(fixtureRoot(t, null));
  assert.equal(inventory.evaluate({ packages: facts }, ctx({ now: NOW })).status, 'fail');
});
