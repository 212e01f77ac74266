import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPackages, fixtureRoot, FIXTURES } from './fixture-root.js';
import { requireCommands } from '../helpers.js';
import { packagesCollector } from '../../src/collect/packages.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';

interface AptPlan {
  inst: Map<string, { candidate: string; security: boolean }>;
  keptBack: Set<string>;
}

/** Parses `apt-get -s upgrade`: Inst lines (name [old] (new origins [arch])) and the kept-back list. */
function parseAptSim(out: string): AptPlan {
  const inst = new Map<string, { candidate: string; security: boolean }>();
  for (const m of out.matchAll(/^Inst (\S+) \[[^\]]*\] \((\S+) (.*?) \[[^\]]+\]\)/gm)) {
    const origins = m[3]!.split(', ');
    inst.set(m[1]!.replace(/:.*$/, ''), { candidate: m[2]!, security: origins.some((o) => /-security$|^Debian-Security:/.test(o)) });
  }
  const kept = /The following packages have been kept back:\n((?: .*\n)+)/.exec(out);
  return { inst, keptBack: new Set((kept?.[1] ?? '').split(/\s+/).filter(Boolean)) };
}

function aptOnRoot(root: string): AptPlan {
  for (const d of ['var/cache/apt/archives/partial', 'var/lib/apt/lists/partial', 'etc/apt/apt.conf.d', 'etc/apt/preferences.d'])
    mkdirSync(join(root, d), { recursive: true });
  const conf = join(root, 'apt-test.conf');
  writeFileSync(
    conf,
    `Dir "${root}/";\nDir::State::status "${root}/var/lib/dpkg/status";\nDebug::NoLocking "1";\nAPT::Architecture "amd64";\n`,
  );
  const r = spawnSync('apt-get', ['-s', 'upgrade'], { env: { ...process.env, APT_CONFIG: conf, LC_ALL: 'C' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return parseAptSim(r.stdout);
}

const SEC_RELEASE = 'var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_Release';
const secRelease = (): string => readFileSync(join(FIXTURES, 'offline-root', SEC_RELEASE), 'utf8');

const SCENARIOS: { name: string; files: Record<string, string>; security: string[] }[] = [
  { name: 'security update from the security suite', files: {}, security: ['libexpat1', 'libgcrypt20'] },
  {
    name: 'a pin below the installed priority holds libexpat1 back',
    files: { 'etc/apt/preferences.d/hold-expat': 'Package: libexpat1\nPin: release l=Debian-Security\nPin-Priority: 50\n' },
    security: ['libgcrypt20'],
  },
  {
    name: 'NotAutomatic security suite (priority 1) does not upgrade',
    files: { [SEC_RELEASE]: secRelease() + 'NotAutomatic: yes\n' },
    security: ['libgcrypt20'],
  },
  {
    // libexpat1: the security version at 100 loses to bookworm's 2.5.0-1+deb12u2 at 500 (priority first).
    name: 'NotAutomatic + ButAutomaticUpgrades (100) loses to a 500 point release',
    files: { [SEC_RELEASE]: secRelease() + 'NotAutomatic: yes\nButAutomaticUpgrades: yes\n' },
    security: ['libgcrypt20'],
  },
  {
    name: 'generic pin raises the security suite',
    files: { 'etc/apt/preferences': 'Package: *\nPin: release n=bookworm-security\nPin-Priority: 990\n' },
    security: ['libexpat1', 'libgcrypt20'],
  },
];

for (const s of SCENARIOS) {
  test(`offline root: ${s.name} — apt-get -s upgrade agrees (real apt)`, async (t) => {
    if (!requireCommands(t, 'apt-get')) return;
    const root = fixtureRoot(t, null, s.files);
    const facts = await collectPackages(root);
    const apt = aptOnRoot(root);
    const ours = facts.updates.pending ?? [];
    assert.deepEqual(
      ours
        .filter((p) => p.security)
        .map((p) => p.name)
        .sort(),
      s.security,
    );
    assert.deepEqual(new Map(ours.map((p) => [p.name, { candidate: p.candidate, security: p.security }])), apt.inst);
  });
}

test('this machine: computed security updates equal apt-get -s upgrade (real lists, real apt)', async (t) => {
  if (!requireCommands(t, 'apt-get')) return;
  const t0 = Date.now();
  const f = await packagesCollector.collect({ target: new FsTarget({ name: 'live' }), config: DEFAULT_CONFIG, commandTimeoutMs: 15_000 });
  const oursMs = Date.now() - t0;
  if (f.state === 'absent') return t.skip('not a dpkg system');
  assert.equal(f.state, 'collected');
  if (f.state !== 'collected' || f.value.updates.pending === null) return t.skip('no apt lists on this machine');
  const t1 = Date.now();
  const r = spawnSync('apt-get', ['-s', '-o', 'Debug::NoLocking=1', 'upgrade'], {
    env: { ...process.env, LC_ALL: 'C' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const aptMs = Date.now() - t1;
  assert.equal(r.status, 0, r.stderr);
  const apt = parseAptSim(r.stdout);
  t.diagnostic(`ours ${oursMs} ms, apt-get -s upgrade ${aptMs} ms, ${apt.inst.size} Inst lines, ${apt.keptBack.size} kept back`);
  // Kept-back packages (upgrade would need new dependencies) are still pending: the fix is not applied.
  const ours = f.value.updates.pending.filter((p) => p.security && !apt.keptBack.has(p.name));
  const aptSec = [...apt.inst]
    .filter(([, v]) => v.security)
    .map(([k, v]) => `${k} ${v.candidate}`)
    .sort();
  assert.deepEqual(ours.map((p) => `${p.name} ${p.candidate}`).sort(), aptSec);
  // Every upgrade apt plans is one we computed, with the same candidate.
  for (const [name, v] of apt.inst) assert.equal(f.value.updates.pending.find((p) => p.name === name)?.candidate, v.candidate, name);
});
