import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree, runCli } from '../helpers.js';
import type { Report } from '../../src/evaluate/report.js';
import type { RunDiff } from '../../src/store/diff.js';

const OS = { 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' };
const WAIVE_FW = 'waivers:\n  - id: fw.enabled\n    reason: the cloud firewall filters\n    approved_by: alice\n    expires: 2026-12-31\n';

function setup(t: Parameters<typeof makeTree>[1]) {
  const root = makeTree(OS, t);
  const work = makeTree({ 'waive.yaml': WAIVE_FW, 'none.yaml': 'app_dirs: [/app]\n' }, t);
  const state = join(work, 'state');
  const audit = (config: string, extra: string[] = []) =>
    runCli([
      'audit',
      '--root',
      root,
      '--only',
      'fw.enabled',
      '--config',
      join(work, config),
      '--state-dir',
      state,
      '--format',
      'json',
      ...extra,
    ]);
  return { root, work, state, audit };
}

test('every audit is stored; history lists the runs of the target; trend holds them oldest first', async (t) => {
  const { root, state, audit } = setup(t);
  const first = await audit('waive.yaml', ['--now', '2026-11-28T10:00:00Z']);
  assert.equal(first.code, 0, `a waived failure does not fail the run: ${first.stderr}`);
  const a = JSON.parse(first.stdout) as Report;
  assert.equal(a.results[0]!.status, 'waived');
  assert.equal(a.results[0]!.waiver?.reason, 'the cloud firewall filters');
  assert.equal(a.trend.length, 1);
  const second = await audit('none.yaml');
  assert.equal(second.code, 1);
  const b = JSON.parse(second.stdout) as Report;
  assert.deepEqual(b.trend.map((p) => p.runId)[0], a.trend[0]!.runId);
  assert.equal(b.trend.length, 2);
  assert.equal(b.trend[1]!.summary.fail, 1);
  assert.equal(statSync(state).mode & 0o777, 0o700);

  const h = await runCli(['history', '--state-dir', state, '--format', 'json']);
  assert.equal(h.code, 0, h.stderr);
  const runs = JSON.parse(h.stdout) as { runId: string; target: { name: string }; summary: { waived: number; fail: number } }[];
  assert.deepEqual(
    runs.map((r) => [r.target.name, r.summary.waived, r.summary.fail]),
    [
      [root, 1, 0],
      [root, 0, 1],
    ],
  );
  const text = await runCli(['history', '--state-dir', state, '--target', root]);
  assert.match(text.stdout, new RegExp(`${runs[1]!.runId}.*0 pass, 1 fail`));
});

test('diff: a waiver removed shows as a new failure (exit 1); the reverse is newly waived (exit 0)', async (t) => {
  const { root, state, audit } = setup(t);
  await audit('waive.yaml', ['--now', '2026-11-28T10:00:00Z']);
  await audit('none.yaml');
  const d = await runCli(['diff', '--target', root, '--state-dir', state, '--format', 'json']);
  assert.equal(d.code, 1, d.stderr);
  const diff = JSON.parse(d.stdout) as RunDiff;
  assert.deepEqual(
    diff.newFailures.map((c) => [c.id, c.from, c.to]),
    [['fw.enabled', 'waived', 'fail']],
  );
  await audit('waive.yaml', ['--now', '2026-11-28T10:00:00Z']);
  const back = await runCli(['diff', '--target', root, '--state-dir', state]);
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stdout, /Newly waived \(1\):\n {2}fw\.enabled {2}\[critical\] {2}fail → waived/);
  // two explicit runs, and one run against its predecessor
  const runs = (JSON.parse((await runCli(['history', '--state-dir', state, '--format', 'json'])).stdout) as { runId: string }[]).map(
    (r) => r.runId,
  );
  assert.equal((await runCli(['diff', runs[0]!, runs[1]!, '--state-dir', state])).code, 1);
  assert.equal((await runCli(['diff', runs[2]!, '--state-dir', state])).code, 0);
  assert.equal((await runCli(['diff', runs[0]!, '--state-dir', state])).code, 2, 'the first run has nothing before it');
});

test('an expired waiver turns the result back to fail and diff reports it (exit 1)', async (t) => {
  const { root, state, audit } = setup(t);
  const ok = await audit('waive.yaml', ['--now', '2026-12-31T23:00:00Z']);
  assert.equal(ok.code, 0);
  const late = await audit('waive.yaml', ['--now', '2027-01-01T00:00:00Z']);
  assert.equal(late.code, 1);
  const r = (JSON.parse(late.stdout) as Report).results[0]!;
  assert.equal(r.status, 'fail');
  assert.equal(r.waiver?.state, 'expired');
  assert.match(r.summary, /waiver expired on 2026-12-31/);
  const d = await runCli(['diff', '--target', root, '--state-dir', state, '--format', 'json']);
  assert.equal(d.code, 1);
  assert.deepEqual(
    (JSON.parse(d.stdout) as RunDiff).expiredWaivers.map((c) => c.id),
    ['fw.enabled'],
  );
});

test('the text summary shows the score before and after waivers and the waivers with their reasons', async (t) => {
  const { audit } = setup(t);
  const r = await audit('waive.yaml', ['--now', '2026-11-28T10:00:00Z', '--format', 'text']);
  assert.match(r.stdout, /Score: 0\.0% before waivers, n\/a after/);
  assert.match(
    r.stdout,
    /Waivers:\n {2}fw\.enabled: waived: the cloud firewall filters \(approved by alice, until 2026-12-31, .*waive\.yaml:2\)/,
  );
});

test('--no-store writes nothing; RAMPART_STATE_DIR is the default state dir; a store inside the root is refused', async (t) => {
  const { root, work, state, audit } = setup(t);
  const r = await audit('none.yaml', ['--no-store']);
  assert.equal(r.code, 1);
  assert.equal(existsSync(state), false);
  const envDir = join(work, 'env-state');
  const e = await runCli(['audit', '--root', root, '--only', 'fw.enabled', '--no-store'], { env: { RAMPART_STATE_DIR: envDir } });
  assert.equal(e.code, 1);
  assert.equal(existsSync(envDir), false);
  const stored = await runCli(['audit', '--root', root, '--only', 'fw.enabled'], { env: { RAMPART_STATE_DIR: envDir } });
  assert.equal(stored.code, 1, stored.stderr);
  assert.ok(existsSync(join(envDir, 'history.sqlite')));
  const inside = await runCli(['audit', '--root', root, '--only', 'fw.enabled', '--state-dir', join(root, 'var/lib/rampart')]);
  assert.equal(inside.code, 2);
  assert.match(inside.stderr, /inside the audited root/);
  assert.equal(existsSync(join(root, 'var')), false);
});

test('history and diff without a store, or with too few runs, are errors (exit 2)', async (t) => {
  const { root, state, audit } = setup(t);
  const h = await runCli(['history', '--state-dir', state]);
  assert.equal(h.code, 2);
  assert.match(h.stderr, /no history in/);
  assert.equal(existsSync(state), false, 'reading creates nothing');
  await audit('none.yaml');
  const d = await runCli(['diff', '--target', root, '--state-dir', state]);
  assert.equal(d.code, 2);
  assert.match(d.stderr, /only one run of .*; diff needs two/);
});

test('a malformed waiver is a configuration error (exit 2) naming its line; nothing is stored', async (t) => {
  const root = makeTree(
    { ...OS, 'etc/rampart/config.yaml': 'waivers:\n  - id: fw.enabled\n    reason: x\n  - id: fw.enabld\n    reason: typo\n' },
    t,
  );
  const state = join(makeTree({}, t), 'state');
  const r = await runCli(['audit', '--root', root, '--state-dir', state]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /config\.yaml.*:4: waivers\.1\.id: unknown requirement id "fw\.enabld"/);
  const h = await runCli(['history', '--state-dir', state, '--format', 'json']);
  assert.ok(h.code === 2 || h.stdout.trim() === '[]', 'no run is stored');
});
