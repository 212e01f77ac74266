// The confirm/fire race of the dead-man switch: the timer's end and a confirmation from a new login,
// two processes started together at the deadline. Whoever takes the state directory's lock first
// wins: either the confirmation is accepted and the fix stays, or the rollback completes and the
// confirmation is refused — never a confirmed switch with rolled-back files, or the reverse. Then the
// same with the confirmation arriving while the rollback holds the lock (deterministic).
// Also: the systemd-timer variant, which cannot run here (PID 1 is not systemd), against the exact
// systemd-run argv it would use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../../src/fix/apply.js';
import { armDeadman, readDeadman, systemdRunArgv } from '../../src/fix/deadman.js';
import { isRoot } from '../helpers.js';
import { bundledChild, makeWork, picture, samplePlan, type ChildArgs } from './setup.js';

const ROUNDS = 14;
const ARMING = '192.0.2.10 50000 192.0.2.1 22';
const NEW_LOGIN = '192.0.2.10 50123 192.0.2.1 22';

const child = bundledChild('rampart-fix-race-');

function runChild(args: Partial<ChildArgs> & Pick<ChildArgs, 'op' | 'stateDir' | 'runId'>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [child(), JSON.stringify({ killAt: '', ...args })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    c.stderr.on('data', (b: Buffer) => (out += b.toString()));
    c.on('close', (code) => resolve({ code, out }));
  });
}

/** An applied run with an armed switch whose timer does nothing (`true`): the test plays the timer's end itself. */
async function armedRun(t: Parameters<typeof makeWork>[0], windowMs: number) {
  const w = makeWork(t);
  const original = picture(w.root);
  const r = await applyPlan(samplePlan(w), { stateDir: w.state, runId: 'r1' });
  assert.equal(r.status, 'applied');
  const fixed = picture(w.root);
  const s = armDeadman({
    stateDir: w.state,
    runId: 'r1',
    windowMs,
    now: new Date(),
    env: { SSH_CONNECTION: ARMING },
    self: ['true'],
    forceDetached: true,
  });
  return { w, original, fixed, deadline: new Date(s.deadline).getTime() };
}

test(
  'confirm and fire started together at the deadline: the confirmation wins or the rollback completes, never half',
  { timeout: 300_000 },
  async (t) => {
    if (!isRoot()) return t.skip('needs root (chown)');
    const outcomes = { confirmed: 0, rolledBack: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      const { w, original, fixed, deadline } = await armedRun(t, 4000);
      // Start both a little before or after the deadline (−60 … +60 ms): startup takes ~100 ms more.
      const offset = ((i % 5) - 2) * 30;
      await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() - 100 + offset)));
      const [fire, confirm] = await Promise.all([
        runChild({ op: 'fire', stateDir: w.state, runId: 'r1' }),
        runChild({ op: 'confirm', stateDir: w.state, runId: 'r1', ssh: NEW_LOGIN }),
      ]);
      assert.equal(fire.code, 0, fire.out);
      const state = readDeadman(w.state, 'r1')!.state;
      if (confirm.code === 0) {
        assert.equal(state, 'confirmed', `${i}: ${confirm.out} / ${fire.out}`);
        assert.deepEqual(picture(w.root), fixed, `${i}: confirmed, so the fix stays whole`);
        assert.match(fire.out, /"action":"none"/);
        outcomes.confirmed++;
      } else {
        assert.equal(state, 'rolled-back', `${i}: ${confirm.out} / ${fire.out}`);
        assert.deepEqual(picture(w.root), original, `${i}: refused confirmation, so the rollback is complete`);
        assert.match(confirm.out, /too late|rolled-back, not armed|firing, not armed/);
        outcomes.rolledBack++;
      }
    }
    t.diagnostic(`outcomes: ${JSON.stringify(outcomes)}`);
    assert.equal(outcomes.confirmed + outcomes.rolledBack, ROUNDS);
  },
);

test("a confirmation before the deadline wins: the timer's end then leaves the fix alone", { timeout: 120_000 }, async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const { w, fixed, deadline } = await armedRun(t, 8000);
  const [fire, confirm] = await Promise.all([
    runChild({ op: 'fire', stateDir: w.state, runId: 'r1', startAt: deadline }),
    runChild({ op: 'confirm', stateDir: w.state, runId: 'r1', ssh: NEW_LOGIN, startAt: deadline - 3000 }),
  ]);
  assert.equal(confirm.code, 0, confirm.out);
  assert.match(fire.out, /"action":"none"/);
  assert.equal(readDeadman(w.state, 'r1')!.state, 'confirmed');
  assert.deepEqual(picture(w.root), fixed);
});

test(
  'a confirmation arriving while the rollback holds the lock waits, then is refused; the rollback completes',
  { timeout: 120_000 },
  async (t) => {
    if (!isRoot()) return t.skip('needs root (chown)');
    const { w, original } = await armedRun(t, 60_000);
    const firing = runChild({ op: 'fire', stateDir: w.state, runId: 'r1', holdMs: 1500 });
    for (let i = 0; i < 200 && readDeadman(w.state, 'r1')?.state !== 'firing'; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(readDeadman(w.state, 'r1')!.state, 'firing', 'the timer has taken the lock');
    const confirm = await runChild({ op: 'confirm', stateDir: w.state, runId: 'r1', ssh: NEW_LOGIN });
    const fire = await firing;
    assert.equal(fire.code, 0, fire.out);
    assert.equal(confirm.code, 1, confirm.out);
    assert.match(confirm.out, /the dead-man switch is rolled-back, not armed/, 'it waited for the lock and saw the outcome');
    assert.equal(readDeadman(w.state, 'r1')!.state, 'rolled-back');
    assert.deepEqual(picture(w.root), original);
  },
);

test('systemd-timer variant (not run: PID 1 is not systemd here): the exact systemd-run argv, recorded', (t) => {
  const state = mkdtempSync(join(tmpdir(), 'rampart-deadman-systemd-'));
  t.after(() => rmSync(state, { recursive: true, force: true }));
  const self = ['/usr/bin/node', '/usr/lib/node_modules/rampart/bin/rampart.js'];
  const fire = [...self, 'fix', '--deadman-fire', 'RUN1', '--state-dir', state];
  const expected = [
    'systemd-run',
    '--unit',
    'rampart-deadman-RUN1',
    '--on-active=120s',
    '--timer-property=AccuracySec=1s',
    '/usr/bin/node',
    '/usr/lib/node_modules/rampart/bin/rampart.js',
    'fix',
    '--deadman-fire',
    'RUN1',
    '--state-dir',
    state,
  ];
  assert.deepEqual(systemdRunArgv('RUN1', 120_000, fire), expected);
  assert.equal(systemdRunArgv('RUN1', 90_500, fire)[3], '--on-active=91s', 'rounded up: never earlier than the window');
  // armDeadman under systemd: the recorded call, and the switch says it is a systemd timer.
  mkdirSync(join(state, 'runs', 'RUN1'), { recursive: true });
  const calls: (readonly string[])[] = [];
  const s = armDeadman({
    stateDir: state,
    runId: 'RUN1',
    windowMs: 120_000,
    now: new Date('2026-12-01T00:00:00Z'),
    env: { SSH_CONNECTION: ARMING },
    self,
    systemd: { isPid1: true, run: (argv) => (calls.push(argv), { status: 0 }) },
  });
  assert.deepEqual(calls, [expected]);
  assert.equal(s.how, 'systemd');
  assert.equal(s.deadline, '2026-12-01T00:02:00.000Z');
  assert.equal(readDeadman(state, 'RUN1')!.how, 'systemd');
});
