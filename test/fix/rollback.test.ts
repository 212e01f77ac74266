import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, chownSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/fix/apply.js';
import { rollbackRun } from '../../src/fix/rollback.js';
import { readManifest } from '../../src/fix/receipt.js';
import { isRoot } from '../helpers.js';
import { makeWork, picture, samplePlan } from './setup.js';

test('rollback restores every file to its exact bytes, mode, owner, group and mtime, removes the created one, reloads', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const w = makeWork(t);
  const before = picture(w.root);
  assert.equal((await applyPlan(samplePlan(w), { stateDir: w.state, runId: 'r1' })).status, 'applied');
  assert.notDeepEqual(picture(w.root), before);
  const r = await rollbackRun(w.state, 'r1');
  assert.equal(r.status, 'rolled-back', JSON.stringify(r));
  if (r.status !== 'rolled-back') return;
  assert.deepEqual(r.restored, [w.sshdConfig, w.loginDefs]);
  assert.deepEqual(r.removed, [w.dropIn]);
  assert.deepEqual(picture(w.root), before);
  assert.equal(readFileSync(w.reloadLog, 'utf8'), 'reload\nreload\n', 'reloaded by the apply and by the rollback');
  assert.equal(readManifest(join(w.state, 'runs', 'r1'))!.state, 'rolled-back');
  const again = await rollbackRun(w.state, 'r1');
  assert.equal(again.status, 'refused');
  assert.match(again.status === 'refused' ? again.reason : '', /already rolled back/);
  const none = await rollbackRun(w.state, 'no-such-run');
  assert.match(none.status === 'refused' ? none.reason : '', /no receipt for run no-such-run/);
});

test('set-id bits and odd owners survive apply and rollback', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const w = makeWork(t);
  const tool = join(w.root, 'etc', 'tool.conf');
  writeFileSync(tool, 'a=1\n');
  chownSync(tool, 4242, 4343);
  chmodSync(tool, 0o6751);
  const before = picture(w.root);
  const r = await applyPlan(
    { host: 'h', changes: [{ path: tool, content: Buffer.from('a=2\n') }], reload: [] },
    { stateDir: w.state, runId: 'suid' },
  );
  assert.equal(r.status, 'applied');
  const s = statSync(tool);
  assert.deepEqual([s.mode & 0o7777, s.uid, s.gid], [0o6751, 4242, 4343]);
  assert.equal((await rollbackRun(w.state, 'suid')).status, 'rolled-back');
  assert.deepEqual(picture(w.root), before);
});

test('a file changed after the fix is refused with the three-way difference; --force restores it', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const w = makeWork(t);
  const before = picture(w.root);
  assert.equal((await applyPlan(samplePlan(w), { stateDir: w.state, runId: 'r1' })).status, 'applied');
  appendFileSync(w.sshdConfig, 'X11Forwarding no\n');
  chmodSync(w.loginDefs, 0o644);
  const r = await rollbackRun(w.state, 'r1');
  assert.equal(r.status, 'partial', JSON.stringify(r));
  if (r.status !== 'partial') return;
  assert.deepEqual(r.removed, [w.dropIn], 'the untouched created file is removed');
  assert.deepEqual(
    r.refused.map((f) => f.path),
    [w.sshdConfig, w.loginDefs],
  );
  const [sshd, defs] = r.refused;
  assert.match(sshd!.reason, /changed after the fix \(content changed\).*--force/);
  const diff = sshd!.diff;
  assert.ok(diff.includes(`--- ${w.sshdConfig}\toriginal\n+++ ${w.sshdConfig}\tas fixed\n`), diff);
  assert.match(diff, /^-#PasswordAuthentication yes$/m);
  assert.match(diff, /^\+PasswordAuthentication no$/m);
  assert.ok(diff.includes(`--- ${w.sshdConfig}\tas fixed\n+++ ${w.sshdConfig}\tnow\n`), diff);
  assert.match(diff, /^\+X11Forwarding no$/m);
  assert.match(defs!.reason, /mode or owner changed/);
  assert.ok(defs!.diff.includes(`${w.loginDefs}: as fixed mode 0640 owner 1234:4321, now mode 0644 owner 1234:4321`), defs!.diff);
  assert.match(defs!.diff, /^-PASS_MAX_DAYS\t99999$/m, 'original → as fixed');
  assert.equal(readManifest(join(w.state, 'runs', 'r1'))!.state, 'partially-rolled-back');
  assert.match(readFileSync(w.sshdConfig, 'utf8'), /X11Forwarding no\n$/, 'the refused file is left as it is');

  const refusedAgain = await rollbackRun(w.state, 'r1');
  assert.equal(refusedAgain.status, 'refused', 'nothing left that may be restored without --force');
  const forced = await rollbackRun(w.state, 'r1', { force: true });
  assert.equal(forced.status, 'rolled-back', JSON.stringify(forced));
  assert.deepEqual(picture(w.root), before);
  assert.equal(readManifest(join(w.state, 'runs', 'r1'))!.state, 'rolled-back');
});

test('an edited file deleted after the fix is refused (as fixed → now: /dev/null); force brings it back', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const w = makeWork(t);
  const before = picture(w.root);
  assert.equal((await applyPlan(samplePlan(w), { stateDir: w.state, runId: 'r1' })).status, 'applied');
  unlinkSync(w.loginDefs);
  const r = await rollbackRun(w.state, 'r1');
  assert.equal(r.status, 'partial');
  if (r.status !== 'partial') return;
  assert.match(r.refused[0]!.reason, /was removed/);
  assert.ok(r.refused[0]!.diff.includes(`--- ${w.loginDefs}\tas fixed\n+++ /dev/null\tnow\n`), r.refused[0]!.diff);
  assert.equal((await rollbackRun(w.state, 'r1', { force: true })).status, 'rolled-back');
  assert.deepEqual(picture(w.root), before);
});

test('binary content is named, not shown, in the three-way difference', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const w = makeWork(t);
  const bin = join(w.root, 'etc', 'blob.db');
  writeFileSync(bin, Buffer.from([0, 1, 2, 3]));
  assert.equal(
    (
      await applyPlan(
        { host: 'h', changes: [{ path: bin, content: Buffer.from([0, 1, 2, 4]) }], reload: [] },
        { stateDir: w.state, runId: 'b' },
      )
    ).status,
    'applied',
  );
  writeFileSync(bin, Buffer.from([0, 9]));
  const r = await rollbackRun(w.state, 'b');
  assert.equal(r.status, 'refused');
  if (r.status !== 'refused') return;
  assert.equal(r.refused[0]!.diff, `Binary ${bin} differs (original → as fixed)\nBinary ${bin} differs (as fixed → now)\n`);
});
