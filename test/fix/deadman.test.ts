// The dead-man switch for real, on its detached-process path (PID 1 is not systemd here; the test
// forces it anyway): a 3 s window, armed by `fix --apply --confirm-within 3s`. Unconfirmed, the
// detached process rolls the run back byte for byte; confirmed from a new SSH login (another
// SSH_CONNECTION), it leaves the fix in place. The arming session and a non-SSH session cannot confirm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers.js';
import { picture } from './setup.js';
import { fixtureRoot } from './fixture-root.js';
import { parseWindow, readDeadman } from '../../src/fix/deadman.js';

const ENTRY = join(import.meta.dirname, 'cli-entry.ts');
const ARMING = '192.0.2.10 50000 192.0.2.1 22';
const NEW_LOGIN = '192.0.2.10 50123 192.0.2.1 22';

function env(state: string, ssh: string | null): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    RAMPART_STATE_DIR: state,
    RAMPART_SELF: JSON.stringify([process.execPath, '--import', 'tsx', ENTRY]),
    RAMPART_DEADMAN_DETACHED: '1',
    ...(ssh ? { SSH_CONNECTION: ssh } : {}),
  };
}

async function armed(t: Parameters<typeof fixtureRoot>[0]) {
  const w = fixtureRoot(t);
  const before = picture(w.root);
  const r = await runCli(
    [
      'fix',
      '--root',
      w.root,
      '--apply',
      '--only',
      'ssh.x11-forwarding-disabled',
      '--confirm-within',
      '3s',
      '--now',
      '2026-12-01T00:00:00Z',
    ],
    { env: env(w.state, ARMING) },
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const runId = /applied: run (\S+),/.exec(r.stdout)![1]!;
  assert.match(r.stdout, /dead-man switch armed \(detached\)/);
  const s = readDeadman(w.state, runId)!;
  assert.equal(s.state, 'armed');
  assert.equal(s.armedBy, ARMING);
  assert.ok(s.pid !== undefined && s.pid > 0);
  return { w, before, runId, pid: s.pid };
}

async function settle(state: string, runId: string, pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) return;
    if (Date.now() > deadline) throw new Error(`the dead-man process of ${runId} still runs after 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('unconfirmed: the detached process rolls the run back when the window ends', async (t) => {
  const { w, before, runId, pid } = await armed(t);
  assert.notDeepEqual(picture(w.root), before, 'the fix is in place during the window');
  await settle(w.state, runId, pid);
  const s = readDeadman(w.state, runId)!;
  assert.equal(s.state, 'rolled-back', JSON.stringify(s));
  assert.deepEqual(picture(w.root), before);
  // Too late to confirm now.
  const c = await runCli(['fix', '--confirm', runId], { env: env(w.state, NEW_LOGIN) });
  assert.equal(c.code, 1);
});

test('confirmed from a new SSH login: the fix stays; the arming session and a console cannot confirm', async (t) => {
  const { w, before, runId, pid } = await armed(t);
  const same = await runCli(['fix', '--confirm', runId], { env: env(w.state, ARMING) });
  assert.equal(same.code, 1);
  assert.match(same.stderr, /the session that armed the switch/);
  const console_ = await runCli(['fix', '--confirm', runId], { env: env(w.state, null) });
  assert.equal(console_.code, 1);
  assert.match(console_.stderr, /not an SSH login/);
  const ok = await runCli(['fix', '--confirm', runId], { env: env(w.state, NEW_LOGIN) });
  assert.equal(ok.code, 0, ok.stderr);
  await settle(w.state, runId, pid);
  assert.equal(readDeadman(w.state, runId)!.state, 'confirmed');
  assert.notDeepEqual(picture(w.root), before);
  assert.match(readFileSync(join(w.root, 'etc/ssh/sshd_config.d/00-rampart.conf'), 'utf8'), /^X11Forwarding no$/m);
});

test('windows: 2m, 90s, 1h; nonsense refused', () => {
  assert.equal(parseWindow('2m'), 120_000);
  assert.equal(parseWindow('90s'), 90_000);
  assert.equal(parseWindow('1h'), 3_600_000);
  for (const bad of ['0s', '2 minutes', '-1m', '25h', '']) assert.equal(parseWindow(bad), null, bad);
});
