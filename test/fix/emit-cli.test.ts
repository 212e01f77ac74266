// `rampart fix --emit sh|ansible` from the CLI: the plan of a Debian 12 default root as a script that,
// run by dash in a private mount namespace where the root's /etc/ssh is /etc/ssh, writes exactly the
// bytes `fix --apply` plans (sshd -t validating), and changes nothing the second time; as a playbook
// that ansible-playbook accepts. Option errors are usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { runCli, requireCommands } from '../helpers.js';
import { fixtureRoot } from './fixture-root.js';
import type { PlannedFix } from '../../src/fix/planned.js';

const NOW = ['--now', '2026-12-01T00:00:00Z'];

test('fix --emit sh: dash applies the planned bytes with sshd -t, then changed=0', async (t) => {
  if (!requireCommands(t, 'sshd', 'unshare', 'dash', 'ssh-keygen', 'sha256sum')) return;
  const w = fixtureRoot(t);
  execFileSync('ssh-keygen', ['-A', '-f', w.root]);
  const plan = await runCli(['fix', '--root', w.root, '--state-dir', w.state, '--format', 'json', ...NOW]);
  assert.equal(plan.code, 0, plan.stderr);
  const p = JSON.parse(plan.stdout) as PlannedFix;
  const dropIn = p.files.find((f) => f.path === '/etc/ssh/sshd_config.d/00-rampart.conf');
  assert.ok(dropIn, 'the plan creates the sshd drop-in');
  const r = await runCli(['fix', '--root', w.root, '--state-dir', w.state, '--emit', 'sh', ...NOW]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^#!\/bin\/sh/);
  const script = join(w.dir, 'harden.sh');
  writeFileSync(script, r.stdout);
  // The script runs in a private mount namespace where each directory the plan writes in (/etc/ssh,
  // /etc/fail2ban, ...) is the root's: this machine's own files must stay untouched (checked after).
  const dirs = [...new Set(p.files.map((f) => f.path.split('/').slice(0, 3).join('/')))];
  const hostState = () =>
    p.files.map((f) => (existsSync(f.path) ? createHash('sha256').update(readFileSync(f.path)).digest('hex') : 'absent'));
  const hostBefore = hostState();
  const binds = dirs.map((_, i) => `mount --bind "$1${'$'}{${i + 3}}" "${'$'}{${i + 3}}"`).join(' && ');
  const runIt = () =>
    spawnSync(
      'unshare',
      [
        '-m',
        'sh',
        '-c',
        `mount --make-rprivate / && ${binds} && mount -t tmpfs tmpfs /run && mkdir -p /run/sshd && dash "$2"`,
        'x',
        w.root,
        script,
        ...dirs,
      ],
      { encoding: 'utf8', env: { ...process.env, RAMPART_RUN: 'emit-test' } },
    );
  const first = runIt();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout + first.stderr, /changed=[1-9]/);
  assert.equal(readFileSync(join(w.root, 'etc/ssh/sshd_config.d/00-rampart.conf'), 'utf8'), dropIn.contentRedacted);
  const second = runIt();
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout + second.stderr, /changed=0/);
  assert.deepEqual(hostState(), hostBefore, `this machine's ${p.files.map((f) => f.path).join(', ')} are untouched`);
  // And the audit of the result agrees: the planned requirements pass.
  const audit = await runCli([
    'audit',
    '--root',
    w.root,
    '--format',
    'json',
    '--no-store',
    '--only',
    'ssh.x11-forwarding-disabled',
    ...NOW,
  ]);
  const rep = JSON.parse(audit.stdout) as { results: { id: string; status: string }[] };
  assert.equal(rep.results.find((x) => x.id === 'ssh.x11-forwarding-disabled')?.status, 'pass');
});

test('fix --emit ansible: a playbook ansible-playbook accepts', async (t) => {
  if (!requireCommands(t, 'ansible-playbook')) return;
  const w = fixtureRoot(t);
  const r = await runCli(['fix', '--root', w.root, '--state-dir', w.state, '--emit', 'ansible', ...NOW]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ansible\.builtin\.copy/);
  assert.match(r.stdout, /\/etc\/ssh\/sshd_config\.d\/00-rampart\.conf/);
  const file = join(w.dir, 'harden.yml');
  writeFileSync(file, r.stdout);
  const s = spawnSync('ansible-playbook', ['--syntax-check', '-i', 'localhost,', file], { encoding: 'utf8' });
  assert.equal(s.status, 0, s.stdout + s.stderr);
});

test('fix --emit: a bad format or --apply with it is a usage error', async (t) => {
  const w = fixtureRoot(t);
  const bad = await runCli(['fix', '--root', w.root, '--state-dir', w.state, '--emit', 'puppet', ...NOW]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--emit takes ansible or sh/);
  const both = await runCli(['fix', '--root', w.root, '--state-dir', w.state, '--emit', 'sh', '--apply', ...NOW]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /does not go with --apply/);
});
