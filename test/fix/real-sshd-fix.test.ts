// `rampart fix` against a real sshd: the Debian 12 default configuration (PasswordAuthentication left
// at its default, yes) in a copy of the fixture root R, served by a real sshd on a loopback port in a
// private mount namespace where R/etc/ssh is mounted on /etc/ssh and R/root on /root (so sshd reads
// exactly the files rampart fixes; the host's /etc/ssh and /root are untouched), with a fresh /run
// holding the privsep directory. After `fix --root R --apply --allow-disruptive` and an sshd restart,
// a real key login works and password authentication is no longer offered; without a key, the lockout
// proof refuses and nothing is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, freePort, isRoot, requireCommands, runCli } from '../helpers.js';
import { picture } from './setup.js';
import { fixtureRoot, giveRootKey } from './fixture-root.js';

const NOW = ['--now', '2026-12-01T00:00:00Z'];

function keygen(path: string): string {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'fix-real', '-f', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return spawnSync('cat', [`${path}.pub`], { encoding: 'utf8' }).stdout;
}

async function startSshd(root: string, port: number): Promise<{ child: ChildProcess; log: () => string }> {
  const script = [
    'mount -t tmpfs -o mode=755 rampart-sshd /run',
    'mkdir -m 755 /run/sshd',
    'mount --bind "$1/etc/ssh" /etc/ssh',
    'mount --bind "$1/root" /root',
    'exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config -o "Port=$2" -o ListenAddress=127.0.0.1 -o PidFile=none',
  ].join(' && ');
  const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', root, String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited ${child.exitCode}: ${log}`);
    if (log.includes('Server listening') && (await canConnect(port))) return { child, log: () => log };
    if (Date.now() > deadline) throw new Error(`sshd did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}

function ssh(port: number, ...args: string[]) {
  return spawnSync(
    'ssh',
    [
      '-p',
      String(port),
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'ConnectTimeout=10',
      ...args,
    ],
    { encoding: 'utf8', timeout: 20_000 },
  );
}

test('real sshd: after fix --apply a key login works and password authentication is refused', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'ssh-keygen', 'unshare')) return;
  if (!isRoot()) return t.skip('needs root (mount namespace)');
  const w = fixtureRoot(t);
  keygen(join(w.root, 'etc/ssh/ssh_host_ed25519_key'));
  const clientKey = join(w.dir, 'client');
  giveRootKey(w.root, keygen(clientKey));
  const port = await freePort();

  let sshd = await startSshd(w.root, port);
  t.after(() => stop(sshd.child));
  const pw0 = ssh(port, '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', 'root@127.0.0.1', 'true');
  assert.notEqual(pw0.status, 0);
  assert.match(pw0.stderr, /Permission denied \([^)]*password[^)]*\)/, `before the fix password is offered: ${pw0.stderr}`);

  const r = await runCli([
    'fix',
    '--root',
    w.root,
    '--state-dir',
    w.state,
    '--apply',
    '--allow-disruptive',
    '--only',
    'ssh.password-auth-disabled',
    ...NOW,
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  await stop(sshd.child);
  sshd = await startSshd(w.root, port);

  const key = ssh(port, '-i', clientKey, '-o', 'PreferredAuthentications=publickey', 'root@127.0.0.1', 'echo key-login-ok');
  assert.equal(key.status, 0, `${key.stderr}\n${sshd.log()}`);
  assert.equal(key.stdout.trim(), 'key-login-ok');
  const pw1 = ssh(
    port,
    '-o',
    'PreferredAuthentications=password,keyboard-interactive',
    '-o',
    'PubkeyAuthentication=no',
    'root@127.0.0.1',
    'true',
  );
  assert.notEqual(pw1.status, 0);
  assert.match(pw1.stderr, /Permission denied \(publickey\)/, pw1.stderr);
});

test('real sshd config: the lockout proof refuses when root has no key, and nothing is written', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh-keygen')) return;
  const w = fixtureRoot(t);
  const before = picture(w.root);
  const r = await runCli([
    'fix',
    '--root',
    w.root,
    '--state-dir',
    w.state,
    '--apply',
    '--allow-disruptive',
    '--only',
    'ssh.password-auth-disabled',
    ...NOW,
  ]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not applied: lockout proof: .*root: \/root\/\.ssh\/authorized_keys: does not exist/);
  assert.deepEqual(picture(w.root), before);
});
