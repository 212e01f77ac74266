// Packaging (issue 14): npm pack → a tarball that installs globally into a temp prefix, and the
// installed `rampart` runs from / (requirements, --version, the man page in share/man). Slow (npm
// fetches the runtime dependencies: minutes on a loaded machine): runs when RAMPART_SLOW_TESTS=1.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');

test('npm pack → npm i -g --prefix TMP → rampart requirements from /', { timeout: 20 * 60_000 }, (t) => {
  if (process.env.RAMPART_SLOW_TESTS !== '1') {
    t.skip('slow: set RAMPART_SLOW_TESTS=1');
    return;
  }
  const d = mkdtempSync(join(tmpdir(), 'rampart-pack-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  execFileSync('npm', ['pack', '--pack-destination', d], { cwd: ROOT, stdio: 'pipe' });
  const tgz = readdirSync(d).find((f) => f.endsWith('.tgz'))!;
  const listing = execFileSync('tar', ['-tzf', join(d, tgz)], { encoding: 'utf8' });
  for (const f of ['package/bin/rampart.js', 'package/dist/rampart.cjs', 'package/man/rampart.1']) assert.ok(listing.includes(f), f);
  assert.doesNotMatch(listing, /package\/(src|test|bench)\//, 'sources, tests and bench stay out');
  const prefix = join(d, 'prefix');
  execFileSync('npm', ['i', '-g', '--prefix', prefix, join(d, tgz)], { cwd: d, stdio: 'pipe' });
  const bin = join(prefix, 'bin', 'rampart');
  const out = execFileSync(bin, ['requirements'], { cwd: '/', encoding: 'utf8' });
  assert.match(out, /ssh\.root-login-disabled/);
  assert.equal(
    execFileSync(bin, ['--version'], { cwd: '/', encoding: 'utf8' }).trim(),
    (JSON.parse(listingPkg(d, tgz)) as { version: string }).version,
  );
  assert.ok(existsSync(join(prefix, 'share', 'man', 'man1', 'rampart.1')), 'man page installed');
  assert.ok(
    !existsSync(join(prefix, 'lib', 'node_modules', 'rampart', 'node_modules', 'playwright-core')),
    'playwright-core is not a runtime dependency',
  );
});

function listingPkg(d: string, tgz: string): string {
  return execFileSync('tar', ['-xzOf', join(d, tgz), 'package/package.json'], { encoding: 'utf8' });
}
