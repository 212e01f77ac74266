import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan, type ApplyResult } from '../../src/fix/apply.js';
import { readJournal, readManifest } from '../../src/fix/receipt.js';
import { CANDIDATE, type FixPlan } from '../../src/fix/plan.js';
import { isRoot } from '../helpers.js';
import { NEW_DROPIN, makeWork, picture, samplePlan, sha, type Work } from './setup.js';

function assertApplied(w: Work, plan: FixPlan, r: ApplyResult): void {
  assert.equal(r.status, 'applied', JSON.stringify(r));
  for (const c of plan.changes) assert.deepEqual(readFileSync(c.path), Buffer.from(c.content), c.path);
  const defs = statSync(w.loginDefs);
  assert.deepEqual([defs.mode & 0o7777, defs.uid, defs.gid], [0o640, 1234, 4321], 'an edited file keeps its mode and owner');
  const drop = statSync(w.dropIn);
  assert.deepEqual([drop.mode & 0o7777, drop.uid, drop.gid], [0o600, 0, 0], 'a created file gets the planned mode and owner');
  assert.equal(readFileSync(w.dropIn, 'utf8'), NEW_DROPIN);
}

/** Only the planned files changed: no candidate, no stray file beside them. */
function assertNoLeftovers(w: Work, before: Record<string, string>, created: string[] = []): void {
  const now = picture(w.root);
  const rel = (p: string) => p.slice(w.root.length + 1);
  assert.deepEqual(Object.keys(now).sort(), [...Object.keys(before), ...created.map(rel)].sort());
}

test('applies a plan: new bytes in place, modes and owners kept, receipt 0700 with sha256 of every original', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const w = makeWork(t);
  const before = picture(w.root);
  const plan = samplePlan(w);
  const r = await applyPlan(plan, { stateDir: w.state, runId: 'run-1', now: new Date('2026-11-28T10:00:00Z') });
  assertApplied(w, plan, r);
  assertNoLeftovers(w, before, [w.dropIn]);
  assert.equal(readFileSync(w.reloadLog, 'utf8'), 'reload\n', 'reloaded once');
  const runDir = join(w.state, 'runs', 'run-1');
  assert.equal(statSync(runDir).mode & 0o777, 0o700);
  assert.equal(statSync(join(runDir, 'files')).mode & 0o777, 0o700);
  for (const f of readdirSync(join(runDir, 'files'))) assert.equal(statSync(join(runDir, 'files', f)).mode & 0o777, 0o600, f);
  const m = readManifest(runDir)!;
  assert.equal(m.state, 'applied');
  assert.equal(m.startedAt, '2026-11-28T10:00:00.000Z');
  assert.deepEqual(
    m.files.map((f) => [f.path, f.existed, f.original?.sha256 ?? null, f.original?.mode ?? null, f.original?.uid ?? null]),
    [
      [w.sshdConfig, true, sha(readFileSync(join(runDir, 'files', '0.orig'))), 0o644, 0],
      [w.dropIn, false, null, null, null],
      [w.loginDefs, true, sha(readFileSync(join(runDir, 'files', '2.orig'))), 0o640, 1234],
    ],
  );
  assert.match(readFileSync(join(runDir, 'files', '0.orig'), 'utf8'), /^#PasswordAuthentication yes$/m);
  assert.equal(readJournal(runDir).at(-1)?.op, 'committed');
  assert.equal(existsSync(join(w.state, 'fix.lock')), false, 'the lock is released');
});

const FAILURES: { name: string; change: (w: Work, p: FixPlan) => FixPlan; step: RegExp; reloads: string }[] = [
  {
    name: 'a validator refuses the second candidate',
    change: (_w, p) => ({ ...p, changes: p.changes.map((c, i) => (i === 1 ? { ...c, validate: ['false', CANDIDATE] } : c)) }),
    step: /^validated:1$/,
    reloads: '',
  },
  {
    name: 'a validator that cannot be run',
    change: (_w, p) => ({
      ...p,
      changes: p.changes.map((c, i) => (i === 0 ? { ...c, validate: ['/nonexistent/validator', CANDIDATE] } : c)),
    }),
    step: /^validated:0$/,
    reloads: '',
  },
  {
    name: 'the reload fails (files replaced, then put back and reloaded again)',
    change: (w, p) => ({ ...p, reload: [...p.reload, { argv: ['sh', '-c', 'exit 3'] }] }),
    step: /^reloaded:1$/,
    reloads: 'reload\nreload\n',
  },
  {
    name: 'the re-check after the reload fails',
    change: (_w, p) => p,
    step: /^verified$/,
    reloads: 'reload\nreload\n',
  },
];

for (const f of FAILURES) {
  test(`rolls back byte-exact when ${f.name}`, async (t) => {
    if (!isRoot()) return t.skip('needs root (chown)');
    const w = makeWork(t);
    const before = picture(w.root);
    const plan = f.change(w, samplePlan(w));
    const r = await applyPlan(plan, {
      stateDir: w.state,
      runId: 'run-f',
      hooks: f.step.source.includes('verified') ? { verify: () => Promise.resolve('PasswordAuthentication is still "yes"') } : {},
    });
    assert.equal(r.status, 'rolled-back', JSON.stringify(r));
    if (r.status !== 'rolled-back') return;
    assert.match(r.failedStep, f.step);
    assert.deepEqual(picture(w.root), before, 'every original byte, mode, owner and mtime is back; no candidate left');
    assert.equal(existsSync(w.reloadLog) ? readFileSync(w.reloadLog, 'utf8') : '', f.reloads);
    assert.equal(readManifest(r.runDir)!.state, 'rolled-back');
    assert.equal(readJournal(r.runDir).at(-1)?.op, 'rolled-back');
  });
}

test('a failure injected at every step of the apply ends with the originals (in-process matrix)', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const steps: string[] = [];
  const ref = makeWork(t);
  assert.equal(
    (await applyPlan(samplePlan(ref), { stateDir: ref.state, runId: 'ref', hooks: { step: (s) => void steps.push(s) } })).status,
    'applied',
  );
  assert.equal(steps.length, 25, steps.join(' '));
  for (const at of steps) {
    const w = makeWork(t);
    const before = picture(w.root);
    let fired = false;
    const r = await applyPlan(samplePlan(w), {
      stateDir: w.state,
      runId: 'run-x',
      hooks: {
        step: (s) => {
          if (s === at && !fired) {
            fired = true;
            throw new Error(`injected at ${s}`);
          }
        },
      },
    });
    assert.equal(r.status, 'rolled-back', `${at}: ${JSON.stringify(r)}`);
    assert.deepEqual(picture(w.root), before, `failure at ${at}`);
  }
});

test('refuses a symlink, a directory path through a symlink, a missing file without mode, a reused run id, a held lock', async (t) => {
  const w = makeWork(t);
  const before = picture(w.root);
  const outside = join(w.dir, 'outside.conf');
  writeFileSync(outside, 'keep\n');
  symlinkSync(outside, join(w.root, 'etc', 'ssh', 'sshd_config.d', 'link.conf'));
  mkdirSync(join(w.dir, 'real-dir'));
  symlinkSync(join(w.dir, 'real-dir'), join(w.root, 'etc', 'linked'));
  const cases: [FixPlan['changes'][number], RegExp][] = [
    [{ path: join(w.root, 'etc', 'ssh', 'sshd_config.d', 'link.conf'), content: Buffer.from('x\n') }, /not a regular file \(a symlink\)/],
    [
      { path: join(w.root, 'etc', 'linked', 'new.conf'), content: Buffer.from('x\n'), create: { mode: 0o644, uid: 0, gid: 0 } },
      /passes through a symlink/,
    ],
    [{ path: join(w.root, 'etc', 'absent.conf'), content: Buffer.from('x\n') }, /does not exist and the plan gives no mode/],
    [{ path: 'relative/path', content: Buffer.from('x\n') }, /not an absolute file path/],
  ];
  for (const [i, [change, why]] of cases.entries()) {
    const r = await applyPlan({ host: 'h', changes: [change], reload: [] }, { stateDir: w.state, runId: `bad-${i}` });
    assert.notEqual(r.status, 'applied');
    const reason = r.status === 'refused' ? r.reason : r.status === 'rolled-back' ? r.reason : '';
    assert.match(reason, why);
  }
  assert.equal(readFileSync(outside, 'utf8'), 'keep\n');
  assert.deepEqual(readdirSync(join(w.dir, 'real-dir')), []);
  assert.equal((await applyPlan(samplePlan(w), { stateDir: w.state, runId: '../escape' })).status, 'refused');
  const dup = await applyPlan(samplePlan(w), { stateDir: w.state, runId: 'bad-0' });
  assert.equal(dup.status, 'refused');
  // A lock held by a live process (this one's parent) is respected; one left by a dead process is taken over.
  writeFileSync(join(w.state, 'fix.lock'), `${process.ppid}\n`);
  const held = await applyPlan(samplePlan(w), { stateDir: w.state, runId: 'locked' });
  assert.equal(held.status, 'refused');
  assert.match(held.status === 'refused' ? held.reason : '', /holds .*fix\.lock/);
  delete before['etc/linked'];
  const now = picture(w.root);
  delete now['etc/linked'];
  delete now['etc/ssh/sshd_config.d/link.conf'];
  assert.deepEqual(now, before);
  renameSync(join(w.state, 'fix.lock'), join(w.dir, 'old.lock'));
  writeFileSync(join(w.state, 'fix.lock'), '999999999\n');
  if (isRoot()) assert.equal((await applyPlan(samplePlan(w), { stateDir: w.state, runId: 'after-stale' })).status, 'applied');
  assert.equal(lstatSync(join(w.root, 'etc', 'linked')).isSymbolicLink(), true);
});

test('a file changed by someone else during the run is not replaced, and not reverted: the others are put back', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const w = makeWork(t);
  const before = picture(w.root);
  const r = await applyPlan(samplePlan(w), {
    stateDir: w.state,
    runId: 'race',
    hooks: { step: (s) => void (s === 'dir-synced:1' && writeFileSync(w.loginDefs, 'edited meanwhile\n')) },
  });
  assert.equal(r.status, 'rolled-back', JSON.stringify(r));
  if (r.status !== 'rolled-back') return;
  assert.match(r.reason, /login\.defs changed while the fix was running: not replaced/);
  assert.equal(readFileSync(w.loginDefs, 'utf8'), 'edited meanwhile\n', 'the other writer keeps its change');
  const now = picture(w.root);
  delete now['etc/login.defs'];
  delete before['etc/login.defs'];
  assert.deepEqual(now, before);
});
