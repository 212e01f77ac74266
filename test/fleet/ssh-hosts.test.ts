// The SSH test hosts themselves: a working host answers over one ControlMaster connection; the
// refusing, hanging and re-keyed hosts fail the way the fleet transport must report them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isRoot, requireCommands } from '../helpers.js';
import { startSshLab, type SshLab } from './ssh-hosts.js';

let lab: SshLab | null = null;
before(async () => {
  if (isRoot() && existsSync('/usr/sbin/sshd')) lab = await startSshLab({ ok: 2, refuseAuth: true, hang: true, changedKey: true });
});
after(async () => {
  await lab?.stop();
});

function ssh(l: SshLab, kind: Parameters<SshLab['host']>[0], cmd: string, index = 0) {
  const [bin, ...args] = [...l.sshArgv(l.host(kind, index)), cmd];
  return spawnSync(bin, args, { encoding: 'utf8', timeout: 20_000 });
}

test('working hosts: own address, own host key, a command runs, and /run/sshd is not created here', (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare') || !lab) return;
  const a = ssh(lab, 'ok', 'echo "$SSH_CONNECTION"');
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, new RegExp(` ${lab.host('ok').address.replace(/\./g, '\\.')} 22\n$`));
  const b = ssh(lab, 'ok', 'echo "$SSH_CONNECTION"', 1);
  assert.equal(b.status, 0, b.stderr);
  assert.notEqual(lab.host('ok', 0).address, lab.host('ok', 1).address);
  assert.equal(existsSync('/run/sshd'), false);
});

test('one ControlMaster connection per host: the second command reuses it', (t) => {
  if (!requireCommands(t, 'sshd', 'ssh') || !lab) return;
  assert.equal(ssh(lab, 'ok', 'true').status, 0);
  const [bin, ...args] = lab.sshArgv(lab.host('ok'), '-O', 'check');
  const check = spawnSync(bin as string, args, { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stderr, /Master running/);
});

test('a host that refuses auth: exit 255, permission denied', (t) => {
  if (!requireCommands(t, 'sshd', 'ssh') || !lab) return;
  const r = ssh(lab, 'refuse-auth', 'true');
  assert.equal(r.status, 255);
  assert.match(r.stderr, /Permission denied/);
});

test('a host that hangs: accepts TCP, never answers; ConnectTimeout ends it', (t) => {
  if (!requireCommands(t, 'ssh') || !lab) return;
  const start = Date.now();
  const r = ssh(lab, 'hang', 'true');
  assert.equal(r.status, 255);
  assert.match(r.stderr, /timed out/i);
  assert.ok(Date.now() - start < 15_000);
});

test('a host whose key changed: the client refuses it', (t) => {
  if (!requireCommands(t, 'sshd', 'ssh') || !lab) return;
  const r = ssh(lab, 'changed-key', 'touch /tmp/rampart-should-not-run');
  assert.equal(r.status, 255);
  assert.match(r.stderr, /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/);
  assert.equal(existsSync('/tmp/rampart-should-not-run'), false);
});
