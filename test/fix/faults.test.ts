// The file system refuses: a full disk (a 64 KiB tmpfs), an immutable file (chattr +i), a read-only
// mount; and the real sshd -t refusing a candidate. Each ends with byte-identical originals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { applyPlan } from '../../src/fix/apply.js';
import { CANDIDATE, type FixPlan } from '../../src/fix/plan.js';
import { isRoot, requireCommands } from '../helpers.js';
import { commandPlan, makeWork, picture, samplePlan, type Work } from './setup.js';

function sh(cmd: string, ...args: string[]): void {
  execFileSync(cmd, args, { stdio: 'pipe' });
}

/** A fresh mount point with a small tmpfs (unmounted after the test). */
function smallTmpfs(t: TestContext, size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-fix-mnt-'));
  sh('mount', '-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'rampart-fix', dir);
  t.after(() => {
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

function stateDirOf(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'rampart-fix-state-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('full disk: the candidate cannot be written (ENOSPC) — originals intact, no partial candidate left', async (t) => {
  if (!isRoot()) return t.skip('needs root (mount)');
  const w = makeWork(t, smallTmpfs(t, '64k'));
  const before = picture(w.root);
  const p = samplePlan(w);
  const big = Buffer.alloc(200 * 1024, '# filler line to fill the disk\n');
  const plan: FixPlan = {
    ...p,
    changes: [p.changes[1]!, { ...p.changes[0]!, content: big }].map((c) => ({ ...c, validate: ['true'] })),
  };
  const r = await applyPlan(plan, { stateDir: stateDirOf(t), runId: 'full' });
  assert.equal(r.status, 'rolled-back', JSON.stringify(r));
  if (r.status !== 'rolled-back') return;
  assert.equal(r.failedStep, 'temp:1');
  assert.match(r.reason, /ENOSPC|no space/i);
  assert.deepEqual(picture(w.root), before, 'the first candidate and the partial second one are gone');
});

test('full disk for the receipts: backups cannot be written — nothing on the host is touched', async (t) => {
  if (!isRoot()) return t.skip('needs root (mount)');
  const state = smallTmpfs(t, '16k');
  const w = makeWork(t);
  const before = picture(w.root);
  const r = await applyPlan(samplePlan(w), { stateDir: state, runId: 'full-state' });
  assert.notEqual(r.status, 'applied');
  assert.deepEqual(picture(w.root), before);
});

test('an immutable file (chattr +i): its rename fails after two others were replaced — all put back', async (t) => {
  if (!isRoot()) return t.skip('needs root (chattr)');
  if (!requireCommands(t, 'chattr')) return;
  const w = makeWork(t);
  if (spawnSync('chattr', ['+i', w.loginDefs]).status !== 0) return t.skip('chattr +i is not supported here');
  try {
    const before = picture(w.root);
    const r = await applyPlan(samplePlan(w), { stateDir: stateDirOf(t), runId: 'immutable' });
    assert.equal(r.status, 'rolled-back', JSON.stringify(r));
    if (r.status !== 'rolled-back') return;
    assert.equal(r.failedStep, 'renamed:2');
    assert.match(r.reason, /EPERM|not permitted/);
    assert.deepEqual(r.restored, [w.sshdConfig]);
    assert.deepEqual(r.removed, [w.dropIn]);
    assert.deepEqual(picture(w.root), before);
    assert.equal(
      readFileSync(w.reloadLog, 'utf8'),
      'reload\n',
      'the rename failed before the reload: reloaded once, after the files were put back',
    );
  } finally {
    spawnSync('chattr', ['-i', w.loginDefs]);
  }
});

test('a read-only mount: the second candidate cannot be created (EROFS) — the first one is removed', async (t) => {
  if (!isRoot()) return t.skip('needs root (mount)');
  const w = makeWork(t);
  const ssh = join(w.root, 'etc', 'ssh');
  sh('mount', '--bind', ssh, ssh);
  try {
    sh('mount', '-o', 'remount,bind,ro', ssh);
    const before = picture(w.root);
    const p = samplePlan(w);
    const plan: FixPlan = { ...p, changes: [p.changes[2]!, p.changes[0]!] };
    const r = await applyPlan(plan, { stateDir: stateDirOf(t), runId: 'ro' });
    assert.equal(r.status, 'rolled-back', JSON.stringify(r));
    if (r.status !== 'rolled-back') return;
    assert.equal(r.failedStep, 'temp:1');
    assert.match(r.reason, /EROFS|read-only/i);
    assert.deepEqual(picture(w.root), before);
  } finally {
    spawnSync('umount', [ssh]);
  }
});

/** sshd -t in a private mount namespace whose /run holds /run/sshd (sshd -t will not judge without it). */
const SSHD_T = [
  'unshare',
  '-m',
  '--propagation',
  'private',
  'sh',
  '-c',
  'mount -t tmpfs -o size=1m,mode=0755 rampart-run /run && mkdir -m 0755 /run/sshd && exec sshd -t -f "$1"',
  'sh',
  CANDIDATE,
];

function sshdWork(t: TestContext): { w: Work; original: string } {
  const w = makeWork(t);
  const key = join(w.dir, 'hostkey');
  sh('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key);
  mkdirSync(join(w.root, 'etc', 'ssh', 'sshd_config.d'), { recursive: true });
  const original = readFileSync(w.sshdConfig, 'utf8')
    .replace('Include /etc/ssh/sshd_config.d/*.conf', `Include ${w.root}/etc/ssh/sshd_config.d/*.conf`)
    .replace('#HostKey /etc/ssh/ssh_host_ed25519_key', `HostKey ${key}`);
  writeFileSync(w.sshdConfig, original);
  return { w, original };
}

test('real sshd -t: a refused candidate leaves the originals intact; an accepted one is applied', async (t) => {
  if (!isRoot()) return t.skip('needs root (unshare -m)');
  if (!requireCommands(t, 'sshd', 'ssh-keygen', 'unshare')) return;
  const { w, original } = sshdWork(t);
  const before = picture(w.root);
  const refused = original.replace('#PasswordAuthentication yes', 'PasswordAuthentication maybe');
  const r = await applyPlan(
    { host: 'h', changes: [{ path: w.sshdConfig, content: Buffer.from(refused), validate: SSHD_T }], reload: [] },
    { stateDir: stateDirOf(t), runId: 'sshd-bad' },
  );
  assert.equal(r.status, 'rolled-back', JSON.stringify(r));
  if (r.status !== 'rolled-back') return;
  assert.equal(r.failedStep, 'validated:0');
  assert.match(r.reason, /exit 255\): .*line \d+: unsupported option "maybe"/, r.reason);
  assert.deepEqual(picture(w.root), before);

  const accepted = original.replace('#PasswordAuthentication yes', 'PasswordAuthentication no');
  const ok = await applyPlan(
    { host: 'h', changes: [{ path: w.sshdConfig, content: Buffer.from(accepted), validate: SSHD_T }], reload: [] },
    { stateDir: stateDirOf(t), runId: 'sshd-good' },
  );
  assert.equal(ok.status, 'applied', JSON.stringify(ok));
  assert.equal(readFileSync(w.sshdConfig, 'utf8'), accepted);
});

test('a command that times out, or is not installed: killed / refused, the whole transaction undone byte-exactly', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  for (const [argv, failedStep, why] of [
    [['sh', '-c', 'echo started >> "$1"; exec sleep 30', 'sh'], 'cmd-done:1', /killed by SIGKILL \(timeout 500 ms\)/],
    [['rampart-no-such-command'], 'cmd-done:1', /ENOENT/],
  ] as const) {
    const w = makeWork(t);
    const p = commandPlan(w);
    const added = p.commands![1]!.restores![0]!;
    const plan: FixPlan = {
      ...p,
      commands: [
        p.commands![0]!,
        { argv: [...argv, ...(argv[0] === 'sh' ? [added] : [])], purpose: 'x', restores: [added], timeoutMs: 500 },
      ],
    };
    const before = picture(w.root);
    const r = await applyPlan(plan, { stateDir: stateDirOf(t), runId: 'cmd-fault' });
    assert.equal(r.status, 'rolled-back', JSON.stringify(r));
    if (r.status !== 'rolled-back') continue;
    assert.equal(r.failedStep, failedStep);
    assert.match(r.reason, why);
    assert.deepEqual(picture(w.root), before, argv.join(' '));
  }
});

test('a command without an undo is reported "not undone"; one with an inverse command is undone by it', async (t) => {
  if (!isRoot()) return t.skip('needs root (chown)');
  const w = makeWork(t);
  const marker = join(w.dir, 'no-undo.marker');
  const inverse = join(w.dir, 'inverse.marker');
  const p = samplePlan(w);
  const r = await applyPlan(
    {
      ...p,
      commands: [
        { argv: ['touch', marker], purpose: 'no undo' },
        { argv: ['touch', inverse], purpose: 'inverse', undo: ['rm', inverse] },
      ],
      reload: [...p.reload, { argv: ['false'] }],
    },
    { stateDir: stateDirOf(t), runId: 'no-undo' },
  );
  assert.equal(r.status, 'rolled-back', JSON.stringify(r));
  if (r.status !== 'rolled-back') return;
  assert.deepEqual(r.undone, [`touch ${inverse}`]);
  assert.equal(existsSync(inverse), false, 'rm ran');
  assert.equal(existsSync(marker), true, 'no undo: it stays, as the plan said');
  assert.ok(r.warnings.includes(`not undone: touch ${marker} (it has no undo)`), JSON.stringify(r.warnings));
});
