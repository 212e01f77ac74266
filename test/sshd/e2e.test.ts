import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sshd');

test('rampart audit --only ssh --root: the cloud-init drop-in fails password auth, naming the drop-in', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(FIXTURES, 'dropin-overrides-main.fail'), root, { recursive: true });
  // A host has its private host key (the fixture keeps none; without one sshd -t refuses).
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(root, 'etc', 'ssh', 'ssh_host_ed25519_key')]);
  mkdirSync(join(root, 'var', 'lib', 'dpkg'), { recursive: true });
  writeFileSync(
    join(root, 'var', 'lib', 'dpkg', 'status'),
    'Package: openssh-server\nStatus: install ok installed\nVersion: 1:9.2p1-2+deb12u10\n\n',
  );
  const r = await runCli(['audit', '--only', 'ssh', '--root', root, '--format', 'json']);
  const report = JSON.parse(r.stdout) as {
    results: { id: string; status: string; summary: string; findings: { path: string | null; line: number | null }[] }[];
  };
  const by = new Map(report.results.map((x) => [x.id, x]));
  const pw = by.get('ssh.password-auth-disabled');
  assert.equal(pw?.status, 'fail');
  assert.deepEqual([pw?.findings[0]?.path, pw?.findings[0]?.line], ['/etc/ssh/sshd_config.d/50-cloud-init.conf', 1]);
  assert.match(pw?.summary ?? '', /offline root/);
  assert.equal(by.get('ssh.root-login-disabled')?.status, 'pass');
  assert.equal(by.get('ssh.protocol-2')?.status, 'pass');
  assert.equal(by.get('ssh.config-valid')?.status, 'pass');
  assert.equal(r.code, 1);
});

test('rampart audit --only ssh --root without OpenSSH: na', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const r = await runCli(['audit', '--only', 'ssh', '--root', root, '--format', 'json']);
  const report = JSON.parse(r.stdout) as { results: { id: string; status: string }[] };
  assert.ok(report.results.length > 0);
  for (const x of report.results.filter((y) => y.id !== 'ssh.allowed-users')) assert.equal(x.status, 'na', x.id);
});
