import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffReports, hasRegression } from '../../src/store/diff.js';
import { finding, report, result } from './fixture.js';

const run = (runId: string, results: Parameters<typeof report>[0]) => ({ ...report(results), runId });

test('diff sorts every status change into one list', () => {
  const a = run('A', [
    result('r.pass-warn', 'pass'),
    result('r.warn-fail', 'warn'),
    result('r.pass-fail', 'pass'),
    result('r.fail-pass', 'fail'),
    result('r.fail-warn', 'fail'),
    result('r.na-fail', 'na'),
    result('r.fail-waived', 'fail'),
    result('r.pass-unknown', 'pass'),
    result('r.gone', 'pass'),
    result('r.same', 'fail', [finding('x', '/etc/a', 1), finding('y', '/etc/b', 2)]),
    result('r.quiet', 'pass', [finding('z', '/etc/c', 3)]),
  ]);
  const b = run('B', [
    result('r.pass-warn', 'warn'),
    result('r.warn-fail', 'fail'),
    result('r.pass-fail', 'fail'),
    result('r.fail-pass', 'pass'),
    result('r.fail-warn', 'warn'),
    result('r.na-fail', 'fail'),
    result('r.fail-waived', 'waived'),
    result('r.pass-unknown', 'unknown'),
    result('r.new', 'fail'),
    result('r.same', 'fail', [finding('x', '/etc/a', 1), finding('y', '/etc/b', 5)]),
    result('r.quiet', 'pass', [finding('z', '/etc/c', 3)]),
  ]);
  const d = diffReports(a, b);
  const ids = (l: { id: string }[]) => l.map((c) => c.id);
  assert.deepEqual(ids(d.regressed), ['r.pass-warn', 'r.warn-fail', 'r.pass-fail']);
  assert.deepEqual(ids(d.newFailures), ['r.na-fail', 'r.new']);
  assert.deepEqual(ids(d.fixed), ['r.fail-pass']);
  assert.deepEqual(ids(d.improved), ['r.fail-warn']);
  assert.deepEqual(ids(d.newlyWaived), ['r.fail-waived']);
  assert.deepEqual(ids(d.otherChanges), ['r.pass-unknown', 'r.gone']);
  assert.deepEqual(d.changedEvidence, [
    {
      id: 'r.same',
      title: 'title of r.same',
      severity: 'high',
      status: 'fail',
      added: [finding('y', '/etc/b', 5)],
      removed: [finding('y', '/etc/b', 2)],
    },
  ]);
  assert.equal(hasRegression(d), true);
  assert.equal(d.from.runId, 'A');
});

test('no regression: fixes and waivers alone exit 0', () => {
  const d = diffReports(
    run('A', [result('r.x', 'fail'), result('r.y', 'fail')]),
    run('B', [result('r.x', 'pass'), result('r.y', 'waived')]),
  );
  assert.equal(hasRegression(d), false);
  assert.equal(hasRegression(diffReports(run('A', [result('r.x', 'pass')]), run('B', [result('r.x', 'pass')]))), false);
});
