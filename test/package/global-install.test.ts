// Packaging (issue 14): npm pack → a tarball that installs globally into a temp prefix, and the
// installed `rampart` runs from / (requirements, --version, the man page in share/man).
//
// Runs in every suite run. What made it slow was better-sqlite3's install script compiling SQLite
// from source (prebuild-install cannot download a prebuilt binary without network access, then
// node-gyp rebuilds: minutes on 2 cores). The test hands prebuild-install the binary `npm ci` already
// built for this checkout as a *local prebuild* (prebuild-install's own mechanism:
// npm_config_<pkg>_local_prebuilds=DIR holding `<name>-v<version>-<runtime>-v<abi>-<platform>-<arch>.tar.gz`,
// prebuild-install/util.js localPrebuild()), and npm resolves the other runtime dependencies from its
// cache, warm after `npm ci` (--offline: no network needed, so CI cannot flake on the registry). The
// install itself is the real `npm i -g` of the tarball: npm's dependency resolution, the bin link, the
// man page link, every install script. 18 s to 125 s measured on the loaded 2-core dev host.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const SQLITE = join(ROOT, 'node_modules', 'better-sqlite3');

/** prebuild-install's asset name for this Node (util.js getDownloadUrl: `{name}-v{version}-{runtime}-v{abi}-{platform}{libc}-{arch}.tar.gz`). */
function prebuildName(): string {
  const { version } = JSON.parse(readFileSync(join(SQLITE, 'package.json'), 'utf8')) as { version: string };
  return `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
}

test('npm pack → npm i -g --prefix TMP → rampart requirements from /', { timeout: 10 * 60_000 }, (t) => {
  const d = mkdtempSync(join(tmpdir(), 'rampart-pack-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  execFileSync('npm', ['pack', '--pack-destination', d], { cwd: ROOT, stdio: 'pipe' });
  const tgz = readdirSync(d).find((f) => f.endsWith('.tgz'))!;
  const listing = execFileSync('tar', ['-tzf', join(d, tgz)], { encoding: 'utf8' });
  for (const f of ['package/bin/rampart.js', 'package/dist/rampart.cjs', 'package/man/rampart.1']) assert.ok(listing.includes(f), f);
  assert.doesNotMatch(listing, /package\/(src|test|bench)\//, 'sources, tests and bench stay out');

  const prebuilds = join(d, 'prebuilds');
  mkdirSync(prebuilds);
  assert.ok(existsSync(join(SQLITE, 'build', 'Release', 'better_sqlite3.node')), 'npm ci built better-sqlite3 in this checkout');
  execFileSync('tar', ['-czf', join(prebuilds, prebuildName()), '-C', SQLITE, 'build/Release/better_sqlite3.node']);

  const prefix = join(d, 'prefix');
  const env = {
    ...process.env,
    npm_config_better_sqlite3_local_prebuilds: prebuilds,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  execFileSync('npm', ['i', '-g', '--prefix', prefix, '--foreground-scripts', join(d, tgz)], { cwd: d, env, stdio: 'pipe' });

  const bin = join(prefix, 'bin', 'rampart');
  const out = execFileSync(bin, ['requirements'], { cwd: '/', encoding: 'utf8' });
  assert.match(out, /ssh\.root-login-disabled/);
  assert.equal(
    execFileSync(bin, ['--version'], { cwd: '/', encoding: 'utf8' }).trim(),
    (JSON.parse(listingPkg(d, tgz)) as { version: string }).version,
  );
  // The native addon loads in the installed tree (history store): an audit of an empty root that
  // stores its run, then `history` lists it.
  const state = join(d, 'state');
  const empty = join(d, 'root');
  mkdirSync(empty);
  const audit = spawnCode(bin, ['audit', '--root', empty, '--state-dir', state, '--format', 'json', '-o', join(d, 'r.json')]);
  assert.ok(audit === 0 || audit === 1, `audit exit ${audit}`);
  const runs = JSON.parse(
    execFileSync(bin, ['history', '--state-dir', state, '--format', 'json'], { cwd: '/', encoding: 'utf8' }),
  ) as unknown[];
  assert.equal(runs.length, 1, 'the run was stored (better-sqlite3 loads)');
  const installed = join(prefix, 'lib', 'node_modules', 'rampart', 'node_modules');
  assert.deepEqual(
    readdirSync(join(installed, 'better-sqlite3', 'build', 'Release')),
    ['better_sqlite3.node'],
    'better-sqlite3 installed with the prebuilt addon (a node-gyp build would leave obj/ and sqlite3.a)',
  );
  assert.ok(existsSync(join(prefix, 'share', 'man', 'man1', 'rampart.1')), 'man page installed');
  assert.ok(!existsSync(join(installed, 'playwright-core')), 'playwright-core is not a runtime dependency');
});

function spawnCode(bin: string, args: string[]): number {
  try {
    execFileSync(bin, args, { cwd: '/', stdio: 'pipe' });
    return 0;
  } catch (e) {
    return (e as { status: number }).status;
  }
}

function listingPkg(d: string, tgz: string): string {
  return execFileSync('tar', ['-xzOf', join(d, tgz), 'package/package.json'], { encoding: 'utf8' });
}
