// The tool's own files (issue 13): everything Rampart creates is 0600 (files) / 0700 (directories),
// a symlink planted at a temporary name or in the state directory is never followed (the victim
// stays unchanged), and an unsafe state directory (group/world-writable, foreign-owned, a symlink)
// is refused with the reason.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRoot, makeTree, runCli } from '../helpers.js';

const mode = (p: string) => statSync(p).mode & 0o7777;

async function factsFile(t: TestContext): Promise<{ dir: string; facts: string }> {
  const dir = makeTree({ 'root/etc/os-release': 'ID=debian\nVERSION_ID="12"\n' }, t);
  // Outputs go into existing directories only (`-o` into a missing one is an error, issue 14).
  mkdirSync(join(dir, 'snap'), { mode: 0o700 });
  const facts = join(dir, 'snap/facts.json');
  const r = await runCli(['audit', '--root', join(dir, 'root'), '--format', 'json:/dev/null', '--save-facts', facts, '--no-store']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return { dir, facts };
}

test('own files: reports, snapshot, history and the directories Rampart creates are 0600 / 0700', async (t) => {
  const { dir, facts } = await factsFile(t);
  const state = join(dir, 'state');
  mkdirSync(join(dir, 'out/deep'), { recursive: true });
  const r = await runCli([
    'audit',
    '--facts',
    facts,
    '--state-dir',
    state,
    '--format',
    `json:${join(dir, 'out/deep/r.json')},html:${join(dir, 'r.html')}`,
  ]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  for (const f of ['out/deep/r.json', 'r.html', 'snap/facts.json', 'state/history.sqlite']) assert.equal(mode(join(dir, f)), 0o600, f);
  // The state directory is the one Rampart creates (report directories must exist already).
  assert.equal(mode(join(dir, 'state')), 0o700, 'state');
  assert.deepEqual(readdirSync(join(dir, 'out/deep')), ['r.json'], 'no temporary file left behind');
});

test('own files: a symlink planted at the old temporary names (FILE.tmp-<pid>) is never followed (regression)', async (t) => {
  const { dir, facts } = await factsFile(t);
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious\n');
  const report = join(dir, 'report.json');
  const snap = join(dir, 'snap.json');
  // runCli runs the CLI in this process: its pid is ours
  symlinkSync(victim, `${report}.tmp-${process.pid}`);
  symlinkSync(victim, `${snap}.tmp-${process.pid}`);
  const r = await runCli(['audit', '--facts', facts, '--no-store', '--format', `json:${report}`, '--save-facts', snap]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n', 'the victim is unchanged');
  assert.ok(lstatSync(`${report}.tmp-${process.pid}`).isSymbolicLink());
  assert.match(readFileSync(report, 'utf8'), /^\{/);
  assert.equal(mode(report), 0o600);
});

test('own files: a symlinked history.sqlite (to a foreign database, into the audited root) is refused, the target untouched', async (t) => {
  const { dir, facts } = await factsFile(t);
  const state = join(dir, 'state');
  mkdirSync(state, { mode: 0o700 });
  const victim = join(dir, 'root/var/lib/app.sqlite');
  mkdirSync(join(dir, 'root/var/lib'), { recursive: true });
  writeFileSync(victim, '');
  symlinkSync(victim, join(state, 'history.sqlite'));
  const r = await runCli(['audit', '--facts', facts, '--state-dir', state, '--format', 'json:/dev/null']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /history\.sqlite is a symbolic link/);
  assert.equal(readFileSync(victim).length, 0, 'no table was written into the link target');
  const wal = join(dir, 'state2');
  mkdirSync(wal, { mode: 0o700 });
  symlinkSync(victim, join(wal, 'history.sqlite-wal'));
  const r2 = await runCli(['audit', '--facts', facts, '--state-dir', wal, '--format', 'json:/dev/null']);
  assert.equal(r2.code, 2, r2.stderr);
  assert.match(r2.stderr, /history\.sqlite-wal is a symbolic link/);
  assert.equal(readFileSync(victim).length, 0);
});

test('own files: a group- or world-writable, foreign-owned or symlinked state directory is refused with the reason', async (t) => {
  const { dir, facts } = await factsFile(t);
  const cases: Array<[string, (d: string) => void, RegExp]> = [
    ['world', (d) => chmodSync(d, 0o777), /world-writable \(mode 0777\)/],
    ['group', (d) => chmodSync(d, 0o770), /group-writable \(mode 0770\)/],
  ];
  if (isRoot()) cases.push(['foreign', (d) => chownSync(d, 12345, 12345), /owned by uid 12345/]);
  for (const [name, spoil, why] of cases) {
    const state = join(dir, name);
    mkdirSync(state, { mode: 0o700 });
    spoil(state);
    const r = await runCli(['audit', '--facts', facts, '--state-dir', state, '--format', 'json:/dev/null']);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, why, name);
    assert.deepEqual(readdirSync(state), [], `${name}: nothing created in it`);
    const h = await runCli(['history', '--state-dir', state]);
    assert.equal(h.code, 2, name);
    assert.match(h.stderr, why, name);
  }
  const real = join(dir, 'real-state');
  mkdirSync(real, { mode: 0o700 });
  symlinkSync(real, join(dir, 'linked-state'));
  const r = await runCli(['audit', '--facts', facts, '--state-dir', join(dir, 'linked-state'), '--format', 'json:/dev/null']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /is a symbolic link/);
  assert.deepEqual(readdirSync(real), []);
});
