// A glob whose wildcard must list a directory the running user cannot read: what it holds is not
// known, so the glob throws PermissionDenied (the collector's fact fails, the checks are unknown)
// instead of answering "no match" (issue 9: an unprivileged run used to see an empty sshd_config.d).
// Real EACCES: the built FsTarget runs as the unprivileged user nobody (root bypasses modes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRoot, requireCommands } from '../helpers.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'target', 'fs-target.js');

test('FsTarget.glob as nobody: a denied directory under a wildcard throws PermissionDenied naming it; a readable one still globs', (t) => {
  if (!requireCommands(t, 'runuser')) return;
  if (!isRoot()) return t.skip('needs root to switch to nobody');
  const root = mkdtempSync(join(tmpdir(), 'rampart-glob-denied-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
  writeFileSync(join(root, 'etc/ssh/sshd_config.d/50-cloud-init.conf'), 'PasswordAuthentication yes\n');
  mkdirSync(join(root, 'etc/open.d'));
  writeFileSync(join(root, 'etc/open.d/a.conf'), '');
  for (const d of ['etc', 'etc/ssh', 'etc/open.d']) chmodSync(join(root, d), 0o755);
  chmodSync(join(root, 'etc/ssh/sshd_config.d'), 0o700);
  const script = `
    const { FsTarget } = await import(${JSON.stringify(DIST)});
    const t = new FsTarget({ root: ${JSON.stringify(root)}, name: 'x' });
    const out = {};
    for (const p of ['/etc/ssh/sshd_config.d/*.conf', '/etc/ssh/sshd_config.d/50-cloud-init.conf', '/etc/open.d/*.conf', '/etc/none.d/*.conf']) {
      try { out[p] = { ok: await t.glob(p) }; } catch (e) { out[p] = { error: e.name, message: e.message }; }
    }
    console.log(JSON.stringify(out));`;
  const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, { ok?: string[]; error?: string; message?: string }>;
  assert.equal(out['/etc/ssh/sshd_config.d/*.conf']?.error, 'PermissionDenied');
  assert.match(out['/etc/ssh/sshd_config.d/*.conf']?.message ?? '', /sshd_config\.d.*permission denied/);
  assert.equal(out['/etc/ssh/sshd_config.d/50-cloud-init.conf']?.error, 'PermissionDenied', 'a literal path below it: existence unknown');
  assert.deepEqual(out['/etc/open.d/*.conf']?.ok, ['/etc/open.d/a.conf']);
  assert.deepEqual(out['/etc/none.d/*.conf']?.ok, [], 'a missing directory is simply no match');
});
