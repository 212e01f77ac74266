// A fix never writes through a symlink out of the audited root (issue 13, "remote and fix paths"):
// the file a recipe rewrites is a link to a canary outside `--root` (absolute, and `..`-relative);
// `fix --apply --root` must leave the canary byte-identical; the apply engine refuses the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { runCli } from '../helpers.js';
import { hostRoot } from '../e2e/hosts.js';

const CONF = 'bind 0.0.0.0\nport 6379\n';

for (const kind of ['absolute', 'relative'] as const) {
  test(`fix --apply --root: a ${kind} symlink from redis.conf to a file outside the root is never written through`, async (t) => {
    const root = hostRoot('debian12-default', t);
    const work = mkdtempSync(join(tmpdir(), 'rampart-fix-escape-'));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    const canary = join(work, 'canary.conf');
    writeFileSync(canary, CONF);
    mkdirSync(join(root, 'etc/redis'), { recursive: true });
    const target = kind === 'absolute' ? canary : relative(join(root, 'etc/redis'), canary);
    symlinkSync(target, join(root, 'etc/redis/redis.conf'));
    // the same bytes inside the root where the link lands when resolved inside it (`..` stops at the root),
    // so that the recipe has a file to plan for
    const inside = join(root, posix.resolve('/etc/redis', target));
    mkdirSync(dirname(inside), { recursive: true });
    writeFileSync(inside, CONF);
    const dpkg = join(root, 'var/lib/dpkg/status');
    writeFileSync(
      dpkg,
      `${readFileSync(dpkg, 'utf8').trimEnd()}\n\nPackage: redis-server\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5:7.0.15-1~deb12u10\n\n`,
    );
    const state = join(work, 'state');
    const r = await runCli([
      'fix',
      '--root',
      root,
      '--state-dir',
      state,
      '--apply',
      '--allow-disruptive',
      '--only',
      'redis.bind-local',
      '--now',
      '2026-12-01T00:00:00Z',
    ]);
    assert.equal(readFileSync(canary, 'utf8'), CONF, `the canary outside the root was written: ${r.stdout}${r.stderr}`);
    // the apply engine refuses to replace a symlink (O_NOFOLLOW), and says so; nothing in the root changed either
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /redis\.conf is not a regular file \(a symlink\): refused/);
    assert.equal(readFileSync(inside, 'utf8'), CONF);
  });
}
