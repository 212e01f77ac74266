// The process killed at each step (SIGKILL in a child: no handler, no finally), then the next
// invocation recovers: every case ends with byte-identical originals or the completed, verified change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { applyPlan } from '../../src/fix/apply.js';
import { rollbackRun } from '../../src/fix/rollback.js';
import { recoverInterrupted } from '../../src/fix/recover.js';
import { readManifest } from '../../src/fix/receipt.js';
import type { FixPlan } from '../../src/fix/plan.js';
import { isRoot } from '../helpers.js';
import { bundledChild, commandPlan, encodePlan, makeWork, picture, samplePlan, type ChildArgs, type Work } from './setup.js';

const child = bundledChild('rampart-fix-child-');

/** Two files: sshd_config edited, a drop-in created; a validator each; one reload. */
function twoFilePlan(w: Work): FixPlan {
  const p = samplePlan(w);
  return { ...p, changes: p.changes.slice(0, 2) };
}

function killedAt(args: ChildArgs): void {
  const r = spawnSync(process.execPath, [child(), JSON.stringify(args)], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, 'SIGKILL', `the child should have been killed at ${args.killAt}: status ${r.status} ${r.stdout} ${r.stderr}`);
}

async function stepsOf(run: (step: (s: string) => void) => Promise<unknown>): Promise<string[]> {
  const steps: string[] = [];
  await run((s) => void steps.push(s));
  return steps;
}

function reloads(w: Work): number {
  return existsSync(w.reloadLog) ? readFileSync(w.reloadLog, 'utf8').split('\n').length - 1 : 0;
}

test('killed at each step of an apply, then recovered: originals byte-identical, or the change complete', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const ref = makeWork(t);
  const steps = await stepsOf((step) => applyPlan(twoFilePlan(ref), { stateDir: ref.state, runId: 'ref', hooks: { step } }));
  assert.equal(steps.length, 19, steps.join(' '));
  let originals = 0;
  let completed = 0;
  for (const at of steps) {
    const w = makeWork(t);
    const before = picture(w.root);
    const plan = twoFilePlan(w);
    killedAt({ op: 'apply', stateDir: w.state, runId: 'r1', killAt: at, plan: encodePlan(plan) });
    const reloadsBefore = reloads(w);
    const rec = await recoverInterrupted(w.state);
    if (at === 'committed') {
      assert.deepEqual(rec, [], 'a committed run is not touched');
      for (const c of plan.changes) assert.deepEqual(readFileSync(c.path), Buffer.from(c.content), `${at}: ${c.path}`);
      assert.equal(readManifest(join(w.state, 'runs', 'r1'))!.state, 'applied');
      completed++;
      continue;
    }
    assert.equal(rec.length, 1, `${at}: ${JSON.stringify(rec)}`);
    assert.deepEqual(rec[0]!.problems, [], at);
    assert.deepEqual(picture(w.root), before, `killed at ${at}: originals byte-identical, no candidate left`);
    const replaced = steps.indexOf(at) >= steps.indexOf('rename-intent:0');
    assert.equal(reloads(w) - reloadsBefore, replaced ? 1 : 0, `${at}: reloaded by the recovery iff a live file had been replaced`);
    assert.equal(readManifest(join(w.state, 'runs', 'r1'))?.state ?? 'rolled-back', 'rolled-back');
    assert.deepEqual(await recoverInterrupted(w.state), [], `${at}: a second recovery has nothing to do`);
    originals++;
  }
  assert.deepEqual([originals, completed], [18, 1]);
});

test('killed at each step of the automatic rollback (a reload failed), then recovered: originals byte-identical', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const failing = (w: Work): FixPlan => {
    const p = twoFilePlan(w);
    return { ...p, reload: [...p.reload, { argv: ['false'] }] };
  };
  const ref = makeWork(t);
  const all = await stepsOf((step) => applyPlan(failing(ref), { stateDir: ref.state, runId: 'ref', hooks: { step } }));
  const steps = all.slice(all.indexOf('rollback'));
  assert.deepEqual(steps, ['rollback', 'restored:0', 'restored:1', 'rollback-reloaded', 'rolled-back']);
  for (const at of steps) {
    const w = makeWork(t);
    const before = picture(w.root);
    killedAt({ op: 'apply', stateDir: w.state, runId: 'r1', killAt: at, plan: encodePlan(failing(w)) });
    const rec = await recoverInterrupted(w.state);
    assert.equal(rec.length, at === 'rolled-back' ? 0 : 1, `${at}: ${JSON.stringify(rec)}`);
    assert.deepEqual(rec[0]?.problems ?? [], [], at);
    assert.deepEqual(picture(w.root), before, `killed at ${at}`);
  }
});

test('killed at each step of rampart rollback, then recovered: the rollback is finished', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const ref = makeWork(t);
  assert.equal((await applyPlan(twoFilePlan(ref), { stateDir: ref.state, runId: 'ref' })).status, 'applied');
  const steps = await stepsOf((step) => rollbackRun(ref.state, 'ref', { hooks: { step } }));
  assert.deepEqual(steps, ['rollback', 'restored:0', 'restored:1', 'rollback-reloaded', 'rolled-back']);
  for (const at of steps) {
    const w = makeWork(t);
    const before = picture(w.root);
    assert.equal((await applyPlan(twoFilePlan(w), { stateDir: w.state, runId: 'r1' })).status, 'applied');
    killedAt({ op: 'rollback', stateDir: w.state, runId: 'r1', killAt: at });
    const rec = await recoverInterrupted(w.state);
    assert.deepEqual(rec[0]?.problems ?? [], [], at);
    assert.deepEqual(picture(w.root), before, `killed at ${at}`);
    assert.equal(readManifest(join(w.state, 'runs', 'r1'))!.state, 'rolled-back', at);
  }
});

test('killed during the recovery itself: the next recovery finishes it', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const w = makeWork(t);
  const before = picture(w.root);
  killedAt({ op: 'apply', stateDir: w.state, runId: 'r1', killAt: 'renamed:1', plan: encodePlan(twoFilePlan(w)) });
  killedAt({ op: 'recover', stateDir: w.state, runId: 'r1', killAt: 'restored:0' });
  assert.notDeepEqual(picture(w.root), before, 'half-recovered: the drop-in is still there');
  const rec = await recoverInterrupted(w.state);
  assert.equal(rec.length, 1);
  assert.deepEqual(rec[0]!.problems, []);
  assert.deepEqual(picture(w.root), before);
  // And a new apply after a recovery works.
  assert.equal((await applyPlan(twoFilePlan(w), { stateDir: w.state, runId: 'r2' })).status, 'applied');
});

// Command steps in the matrix: two real commands (sed edits a file, cp creates one), each with an exact
// undo, before the two file changes. Killed before, while and after each command, then recovered.
test('commands in the transaction: killed at each step, then recovered: byte-identical, or the change complete', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const ref = makeWork(t);
  const steps = await stepsOf((step) => applyPlan(commandPlan(ref), { stateDir: ref.state, runId: 'ref', hooks: { step } }));
  assert.deepEqual(
    steps.filter((s) => s.startsWith('cmd-')),
    ['cmd-saved:0', 'cmd-intent:0', 'cmd-done:0', 'cmd-saved:1', 'cmd-intent:1', 'cmd-done:1'],
  );
  assert.equal(steps.length, 25, steps.join(' '));
  let originals = 0;
  let completed = 0;
  let undoneBoth = 0;
  for (const at of steps) {
    const w = makeWork(t);
    const plan = commandPlan(w);
    const before = picture(w.root);
    killedAt({ op: 'apply', stateDir: w.state, runId: 'r1', killAt: at, plan: encodePlan(plan) });
    const rec = await recoverInterrupted(w.state);
    if (at === 'committed') {
      assert.deepEqual(rec, []);
      assert.match(readFileSync(join(w.root, 'etc/ufw/added.rules'), 'utf8'), /--dport 22 -j ACCEPT/);
      completed++;
      continue;
    }
    assert.equal(rec.length, 1, `${at}: ${JSON.stringify(rec)}`);
    assert.deepEqual(rec[0]!.problems, [], at);
    assert.deepEqual(picture(w.root), before, `killed at ${at}: byte-identical (the commands' files too)`);
    if (rec[0]!.undone.length === 2) undoneBoth++;
    assert.deepEqual(await recoverInterrupted(w.state), [], `${at}: a second recovery has nothing to do`);
    originals++;
  }
  assert.deepEqual([originals, completed], [24, 1]);
  assert.equal(undoneBoth, steps.length - 1 - steps.indexOf('cmd-intent:1'), 'both commands undone once the second had started');
});

test('a command fails half way: the whole transaction is undone; killed at each step of that rollback, then recovered', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const ref = makeWork(t);
  const plan = commandPlan(ref, { failing: true });
  const before = picture(ref.root);
  const all: string[] = [];
  const r = await applyPlan(plan, { stateDir: ref.state, runId: 'ref', hooks: { step: (s) => void all.push(s) } });
  assert.equal(r.status, 'rolled-back', JSON.stringify(r));
  if (r.status !== 'rolled-back') return;
  assert.equal(r.failedStep, 'cmd-done:1');
  assert.match(r.reason, /exit 3/);
  assert.equal(r.undone.length, 2);
  assert.deepEqual(picture(ref.root), before);
  const steps = all.slice(all.indexOf('rollback'));
  assert.deepEqual(steps, ['rollback', 'undone:1', 'undone:0', 'rolled-back']);
  for (const at of steps) {
    const w = makeWork(t);
    const p = commandPlan(w, { failing: true });
    const b = picture(w.root);
    killedAt({ op: 'apply', stateDir: w.state, runId: 'r1', killAt: at, plan: encodePlan(p) });
    const rec = await recoverInterrupted(w.state);
    assert.equal(rec.length, at === 'rolled-back' ? 0 : 1, `${at}: ${JSON.stringify(rec)}`);
    assert.deepEqual(rec[0]?.problems ?? [], [], at);
    assert.deepEqual(picture(w.root), b, `killed at ${at}`);
  }
});

test('rampart rollback of a run with commands, killed at each step, then recovered: files and commands undone', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const ref = makeWork(t);
  assert.equal((await applyPlan(commandPlan(ref), { stateDir: ref.state, runId: 'ref' })).status, 'applied');
  const steps = await stepsOf((step) => rollbackRun(ref.state, 'ref', { hooks: { step } }));
  assert.deepEqual(steps, ['rollback', 'restored:0', 'restored:1', 'undone:1', 'undone:0', 'rollback-reloaded', 'rolled-back']);
  for (const at of steps) {
    const w = makeWork(t);
    const plan = commandPlan(w);
    const before = picture(w.root);
    assert.equal((await applyPlan(plan, { stateDir: w.state, runId: 'r1' })).status, 'applied');
    killedAt({ op: 'rollback', stateDir: w.state, runId: 'r1', killAt: at });
    const rec = await recoverInterrupted(w.state);
    assert.deepEqual(rec[0]?.problems ?? [], [], at);
    assert.deepEqual(picture(w.root), before, `killed at ${at}`);
    assert.equal(readManifest(join(w.state, 'runs', 'r1'))!.state, 'rolled-back', at);
  }
});

test('rampart rollback refuses to undo commands whose result changed since (unless --force)', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const w = makeWork(t);
  const plan = commandPlan(w);
  const before = picture(w.root);
  assert.equal((await applyPlan(plan, { stateDir: w.state, runId: 'r1' })).status, 'applied');
  appendFileSync(join(w.root, 'etc/ufw/added.rules'), '# edited by hand\n');
  const r = await rollbackRun(w.state, 'r1');
  assert.equal(r.status, 'partial', JSON.stringify(r));
  if (r.status !== 'partial') return;
  assert.deepEqual(r.undone, []);
  assert.match(r.refused[0]!.reason, /added\.rules changed after command 1: undoing the commands would overwrite that/);
  assert.match(readFileSync(join(w.root, 'etc/ufw/added.rules'), 'utf8'), /edited by hand/, 'the later change is kept');
  assert.equal(readManifest(join(w.state, 'runs', 'r1'))!.state, 'partially-rolled-back');
  const forced = await rollbackRun(w.state, 'r1', { force: true });
  assert.equal(forced.status, 'rolled-back', JSON.stringify(forced));
  if (forced.status !== 'rolled-back') return;
  assert.equal(forced.undone.length, 2);
  assert.deepEqual(picture(w.root), before, '--force: the hand edit is lost, everything as before the run');
  assert.equal(readManifest(join(w.state, 'runs', 'r1'))!.state, 'rolled-back');
});
