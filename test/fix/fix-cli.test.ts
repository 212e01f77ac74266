// `rampart fix` and `rampart rollback` end to end on copies of the Debian 12 default fixture: the dry
// run writes nothing, the plan neutralises cloud-init's drop-in and Match overrides, --apply then
// audit passes what was fixed, rollback restores byte for byte, the sshd tree validator refuses a bad tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, requireCommands } from '../helpers.js';
import { picture } from './setup.js';
import { CLOUD_INIT, fixtureRoot, giveAdminKey } from './fixture-root.js';
import { redactText } from '../../src/fix/planner.js';
import { sshdTreeArgv, validateSshdTree } from '../../src/fix/sshd-tree.js';
import { CANDIDATE } from '../../src/fix/plan.js';
import type { PlannedFix } from '../../src/fix/planned.js';

const NOW = ['--now', '2026-12-01T00:00:00Z'];

test('dry run: the plan is shown, nothing is written', async (t) => {
  const w = fixtureRoot(t);
  const before = picture(w.root);
  const r = await runCli(['fix', '--root', w.root, '--state-dir', w.state, ...NOW]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\+\+\+ \/etc\/ssh\/sshd_config\.d\/00-rampart\.conf\tfixed/);
  assert.match(
    r.stdout,
    /X11Forwarding: yes \(\/etc\/ssh\/sshd_config:90\) → no +\(decided by \/etc\/ssh\/sshd_config\.d\/00-rampart\.conf:\d+\)/,
  );
  assert.match(r.stdout, /-X11Forwarding yes\n\+# rampart: X11Forwarding yes/);
  assert.match(r.stdout, /ssh\.password-auth-disabled \[disruptive\] fail: skipped-disruptive/);
  assert.match(r.stdout, /Dry run: nothing written/);
  assert.deepEqual(picture(w.root), before);
  assert.equal(existsSync(w.state), false, 'no receipt for a dry run');
});

test('--format json: the plan as data', async (t) => {
  const w = fixtureRoot(t);
  const r = await runCli(['fix', '--root', w.root, '--state-dir', w.state, '--format', 'json', '--allow-disruptive', ...NOW]);
  assert.equal(r.code, 0, r.stderr);
  const p = JSON.parse(r.stdout) as PlannedFix;
  assert.equal(p.schemaVersion, 1);
  assert.equal(p.mode, 'root');
  assert.equal(p.risk, 'disruptive');
  assert.ok(p.files.some((f) => f.path === '/etc/ssh/sshd_config.d/00-rampart.conf' && f.action === 'create'));
  assert.ok(p.values.some((v) => v.directive === 'PasswordAuthentication' && v.after === 'no'));
  // root has no key in the fixture: the lockout proof refuses.
  assert.ok(p.lockout.some((l) => l.code === 'ssh-no-key' && l.level === 'refuse'));
  assert.match(p.refused ?? '', /lockout proof/);
});

test('cloud-init drop-in and a Match block re-enabling passwords are neutralised; apply, audit passes, rollback is byte-exact', async (t) => {
  if (!requireCommands(t, 'sshd', 'unshare')) return;
  const w = fixtureRoot(t);
  giveAdminKey(w.root);
  writeFileSync(join(w.root, 'etc/ssh/sshd_config.d/50-cloud-init.conf'), CLOUD_INIT);
  appendFileSync(join(w.root, 'etc/ssh/sshd_config'), '\nMatch Address 10.0.0.0/8\n    PasswordAuthentication yes\n');
  const before = picture(w.root);
  const audit0 = await runCli([
    'audit',
    '--root',
    w.root,
    '--only',
    'ssh.password-auth-disabled',
    '--no-store',
    '--format',
    'json',
    ...NOW,
  ]);
  assert.equal((JSON.parse(audit0.stdout) as { results: { status: string }[] }).results[0]!.status, 'fail');

  const r = await runCli(['fix', '--root', w.root, '--state-dir', w.state, '--apply', '--allow-disruptive', '--only', 'ssh', ...NOW]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /50-cloud-init\.conf:1: "PasswordAuthentication yes" would override/);
  assert.match(r.stdout, /in Match Address 10\.0\.0\.0\/8/);
  assert.equal(readFileSync(join(w.root, 'etc/ssh/sshd_config.d/50-cloud-init.conf'), 'utf8'), '# rampart: PasswordAuthentication yes\n');
  assert.match(
    readFileSync(join(w.root, 'etc/ssh/sshd_config'), 'utf8'),
    /Match Address 10\.0\.0\.0\/8\n {4}# rampart: PasswordAuthentication yes\n/,
  );

  const audit1 = await runCli(['audit', '--root', w.root, '--only', 'ssh', '--no-store', '--format', 'json', ...NOW]);
  const res = (JSON.parse(audit1.stdout) as { results: { id: string; status: string }[] }).results;
  for (const id of ['ssh.password-auth-disabled', 'ssh.root-login-disabled', 'ssh.x11-forwarding-disabled', 'ssh.idle-timeout'])
    assert.equal(res.find((x) => x.id === id)?.status, 'pass', id);

  const rb = await runCli(['rollback', '--state-dir', w.state, '--root', w.root]);
  assert.equal(rb.code, 0, rb.stderr);
  assert.deepEqual(picture(w.root), before);
});

test('no Include of the drop-in directory: the Include line is added at the top of the main file', async (t) => {
  const w = fixtureRoot(t);
  const main = join(w.root, 'etc/ssh/sshd_config');
  writeFileSync(main, readFileSync(main, 'utf8').replace(/^Include .*$/m, '# no include'));
  const r = await runCli([
    'fix',
    '--root',
    w.root,
    '--state-dir',
    w.state,
    '--format',
    'json',
    '--only',
    'ssh.x11-forwarding-disabled',
    ...NOW,
  ]);
  const p = JSON.parse(r.stdout) as PlannedFix;
  const m = p.files.find((f) => f.path === '/etc/ssh/sshd_config')!;
  assert.match(m.contentRedacted, /^# rampart: drop-ins first.*\nInclude \/etc\/ssh\/sshd_config\.d\/\*\.conf\n/);
  assert.ok(p.notes.some((n) => /no Include/.test(n)));
});

test('the sshd tree validator: the whole candidate tree goes through sshd -t', async (t) => {
  if (!requireCommands(t, 'sshd', 'unshare')) return;
  const w = fixtureRoot(t);
  const bad = join(w.dir, 'bad.conf');
  writeFileSync(bad, 'PasswordAuthentication maybe\n');
  const good = join(w.dir, 'good.conf');
  writeFileSync(good, 'PasswordAuthentication no\n');
  const argv = (f: string) => sshdTreeArgv(w.root, [['/etc/ssh/sshd_config.d/00-rampart.conf', f]]);
  const ok = await validateSshdTree(argv(good), 20_000);
  assert.equal(ok.code, 0, ok.output);
  const no = await validateSshdTree(argv(bad), 20_000);
  assert.notEqual(no.code, 0);
  assert.match(no.output, /\/etc\/ssh\/sshd_config\.d\/00-rampart\.conf line 1: unsupported option "maybe"|Bad|maybe/i);
  assert.doesNotMatch(no.output, /rampart-sshd-tree-/, 'paths shown as target paths');
  assert.ok(sshdTreeArgv('/', [['/a', CANDIDATE]]).includes(CANDIDATE));
});

test('redaction: secrets never appear in a plan', () => {
  const r = redactText('bind 127.0.0.1\nrequirepass s3cret-value\nuser app on >pw123 ~* +@all\n  masterauth hunter2\n');
  assert.equal(r.redacted, true);
  assert.doesNotMatch(r.text, /s3cret|pw123|hunter2/);
  assert.match(r.text, /^bind 127\.0\.0\.1$/m);
});

test('redaction in diffs: the change mark is kept, the secret is not', () => {
  const d =
    '--- /etc/redis/redis.conf\toriginal\n+++ /etc/redis/redis.conf\tnow\n@@ -1,2 +1,2 @@\n-requirepass old-secret\n+requirepass new-secret\n user a on >p1 ~*\n';
  const r = redactText(d, true);
  assert.doesNotMatch(r.text, /old-secret|new-secret|p1/);
  assert.match(r.text, /^-requirepass <redacted>$/m);
  assert.match(r.text, /^\+requirepass <redacted>$/m);
  assert.match(r.text, /^--- \/etc\/redis\/redis\.conf/m);
});
