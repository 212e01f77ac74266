// The dead-man switch's detached-process variant over real SSH logins: a real sshd on a loopback port
// (a private mount namespace gives it /run/sshd), root logs in by key and runs `rampart fix --apply
// --confirm-within` there, so the switch records sshd's real SSH_CONNECTION. From that same login a
// confirmation is refused; from a new login it disarms the switch and the fix stays. Unconfirmed, the
// detached process outlives the SSH session that armed it and rolls the run back byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { canConnect, freePort, isRoot, requireCommands } from '../helpers.js';
import { picture } from './setup.js';
import { fixtureRoot } from './fixture-root.js';
import { readDeadman } from '../../src/fix/deadman.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = join(import.meta.dirname, 'cli-entry.ts');

interface Lab {
  w: ReturnType<typeof fixtureRoot>;
  port: number;
  ssh: (script: string) => { status: number | null; stdout: string; stderr: string };
}

async function lab(t: TestContext): Promise<Lab> {
  const w = fixtureRoot(t);
  const key = join(w.dir, 'client');
  const hostKey = join(w.dir, 'hostkey');
  for (const k of [key, hostKey]) assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', k]).status, 0);
  writeFileSync(join(w.dir, 'authorized_keys'), readFileSync(`${key}.pub`));
  const port = await freePort();
  const config = join(w.dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(w.dir, 'authorized_keys')}`,
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PidFile none',
      '',
    ].join('\n'),
  );
  // The rampart a login runs: this checkout through tsx; the switch's timer runs the same (RAMPART_SELF).
  const wrapper = join(w.dir, 'rampart.sh');
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      `cd '${ROOT}' || exit 2`,
      `RAMPART_SELF='${JSON.stringify([process.execPath, '--import', 'tsx', ENTRY])}'`,
      `RAMPART_STATE_DIR='${w.state}'`,
      'RAMPART_DEADMAN_DETACHED=1',
      'export RAMPART_SELF RAMPART_STATE_DIR RAMPART_DEADMAN_DETACHED',
      `exec '${process.execPath}' --import tsx '${ENTRY}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(wrapper, 0o755);
  const child: ChildProcess = spawn(
    'unshare',
    [
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount -t tmpfs -o mode=755 rampart-sshd /run && mkdir -m 755 /run/sshd && exec /usr/sbin/sshd -D -e -f "$1"',
      'sh',
      config,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let log = '';
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  t.after(() => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  });
  const deadline = Date.now() + 10_000;
  while (!(log.includes('Server listening') && (await canConnect(port)))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sshd did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const ssh = (script: string) =>
    spawnSync(
      'ssh',
      [
        '-p',
        String(port),
        '-i',
        key,
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'LogLevel=ERROR',
        'root@127.0.0.1',
        script,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
  return { w, port, ssh };
}

const ARM = (l: Lab, window: string) =>
  `${join(l.w.dir, 'rampart.sh')} fix --root ${l.w.root} --apply --only ssh.x11-forwarding-disabled --confirm-within ${window} --now 2026-12-01T00:00:00Z`;

function runIdOf(out: string): string {
  const id = /applied: run (\S+),/.exec(out)?.[1];
  assert.ok(id, out);
  return id;
}

async function settle(pid: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`the dead-man process ${pid} still runs after 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('detached switch over real SSH: the arming login cannot confirm, a new login can; the fix stays', { timeout: 300_000 }, async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'ssh-keygen', 'unshare')) return;
  if (!isRoot()) return t.skip('needs root (mount namespace for /run/sshd, root login)');
  const l = await lab(t);
  const before = picture(l.w.root);
  // One login: arm, then try to confirm from the same session.
  const wrapper = join(l.w.dir, 'rampart.sh');
  const armed = l.ssh(
    `out=$(${ARM(l, '40s')}); echo "$out"; run=$(echo "$out" | sed -n 's/^applied: run \\([^,]*\\),.*/\\1/p'); ${wrapper} fix --confirm "$run"; echo "same-login-confirm=$?"; echo "conn=$SSH_CONNECTION"`,
  );
  assert.equal(armed.status, 0, armed.stdout + armed.stderr);
  const runId = runIdOf(armed.stdout);
  assert.match(armed.stdout, /dead-man switch armed \(detached\)/);
  assert.match(armed.stdout, /same-login-confirm=1/);
  assert.match(armed.stderr, /this is the session that armed the switch \(127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+\)/);
  const conn = /conn=(.*)/.exec(armed.stdout)![1]!;
  const s = readDeadman(l.w.state, runId)!;
  assert.equal(s.armedBy, conn, 'the SSH_CONNECTION sshd gave the arming login');
  assert.equal(s.state, 'armed');
  // A new login confirms.
  const confirm = l.ssh(`${wrapper} fix --confirm ${runId}; echo "conn=$SSH_CONNECTION"`);
  assert.equal(confirm.status, 0, confirm.stderr);
  assert.match(confirm.stdout, new RegExp(`confirmed run ${runId} from 127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${l.port}`));
  const after = readDeadman(l.w.state, runId)!;
  assert.equal(after.state, 'confirmed');
  assert.notEqual(after.confirmedBy, after.armedBy);
  await settle(s.pid!);
  assert.equal(readDeadman(l.w.state, runId)!.state, 'confirmed', 'the timer ran out and left the confirmed run alone');
  assert.notDeepEqual(picture(l.w.root), before);
  assert.match(readFileSync(join(l.w.root, 'etc/ssh/sshd_config.d/00-rampart.conf'), 'utf8'), /^X11Forwarding no$/m);
});

test(
  'detached switch over real SSH, unconfirmed: it outlives the arming session and rolls back byte for byte',
  { timeout: 300_000 },
  async (t) => {
    if (!requireCommands(t, 'sshd', 'ssh', 'ssh-keygen', 'unshare')) return;
    if (!isRoot()) return t.skip('needs root (mount namespace for /run/sshd, root login)');
    const l = await lab(t);
    const before = picture(l.w.root);
    const armed = l.ssh(ARM(l, '5s'));
    assert.equal(armed.status, 0, armed.stdout + armed.stderr);
    const runId = runIdOf(armed.stdout);
    const s = readDeadman(l.w.state, runId)!;
    assert.equal(s.state, 'armed');
    assert.notDeepEqual(picture(l.w.root), before, 'the fix is in place during the window, the arming login has ended');
    await settle(s.pid!);
    const end = readDeadman(l.w.state, runId)!;
    assert.equal(end.state, 'rolled-back', JSON.stringify(end));
    assert.deepEqual(picture(l.w.root), before);
    const late = l.ssh(`${join(l.w.dir, 'rampart.sh')} fix --confirm ${runId}`);
    assert.equal(late.status, 1);
    assert.match(late.stderr, /the dead-man switch is rolled-back, not armed/);
  },
);
