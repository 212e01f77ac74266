// fix --emit: the emitted script (dash) and playbook (ansible-playbook against a loopback sshd lab host)
// run against a temp tree, never /etc: exact bytes, validators, guards, a second run changes nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { emit, emitPlanOf, EmitError, type EmitPlan } from '../../src/fix/emit/index.js';
import { CANDIDATE, type FixPlan } from '../../src/fix/plan.js';
import { startSshLab } from '../fleet/ssh-hosts.js';
import { requireCommands } from '../helpers.js';

const SSHD_BASE = readFileSync('/etc/ssh/sshd_config');
const JAIL = Buffer.from('[sshd]\nenabled = true\nmaxretry = 3\nbantime = 1h\n# 100% {{ not_jinja }}\n');

interface Tree {
  root: string;
  sudoers: string;
  jail: string;
  secret: string;
  marker: string;
}

function tree(): Tree {
  const root = mkdtempSync(join(tmpdir(), 'rampart-emit-'));
  mkdirSync(join(root, 'etc/sudoers.d'), { recursive: true });
  mkdirSync(join(root, 'etc/fail2ban/jail.d'), { recursive: true });
  const sudoers = join(root, 'etc/sudoers.d/rampart');
  writeFileSync(sudoers, 'Defaults\tenv_reset\n', { mode: 0o440 });
  const secret = join(root, 'etc/secret.conf');
  writeFileSync(secret, 'x\n', { mode: 0o644 });
  return { root, sudoers, jail: join(root, 'etc/fail2ban/jail.d/rampart.local'), secret, marker: join(root, 'marker') };
}

function planFor(t: Tree, sudoersNew: string): { fix: FixPlan; emitPlan: EmitPlan } {
  const fix: FixPlan = {
    host: 'lab',
    changes: [
      { path: t.sudoers, content: Buffer.from(sudoersNew), validate: ['visudo', '-cf', CANDIDATE] },
      { path: t.jail, content: JAIL, create: { mode: 0o644, uid: 0, gid: 0 } },
    ],
    reload: [{ argv: ['sh', '-c', `echo reloaded >> ${t.root}/reloads`] }],
  };
  const emitPlan = emitPlanOf(fix, {
    originals: new Map([
      [t.sudoers, readFileSync(t.sudoers)],
      [t.jail, null],
    ]),
    modes: [{ path: t.secret, mode: '0600', owner: 'root', group: 'root' }],
    commands: [{ argv: ['touch', t.marker], purpose: 'create the marker', creates: t.marker }],
  });
  return { fix, emitPlan };
}

const GOOD = 'Defaults\tenv_reset\nDefaults\tuse_pty\nDefaults\tlogfile="/var/log/sudo.log"\n';

function dash(script: string, cwd: string): { code: number | null; out: string } {
  const r = spawnSync('dash', ['-s'], { input: script, encoding: 'utf8', cwd, env: { ...process.env, RAMPART_RUN: 'r1' } });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('emit sh: applies the exact bytes under dash, then a second run changes nothing', (t) => {
  requireCommands(t, 'dash', 'visudo', 'sha256sum');
  const tr = tree();
  try {
    const { emitPlan } = planFor(tr, GOOD);
    const script = emit(emitPlan, 'sh');
    const first = dash(script, tr.root);
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /rampart: changed=4/);
    assert.equal(readFileSync(tr.sudoers, 'utf8'), GOOD);
    assert.equal(statSync(tr.sudoers).mode & 0o7777, 0o440, 'an existing file keeps its mode');
    assert.deepEqual(readFileSync(tr.jail), JAIL);
    assert.equal(statSync(tr.jail).mode & 0o7777, 0o644);
    assert.equal(statSync(tr.secret).mode & 0o7777, 0o600);
    assert.equal(readFileSync(`${tr.sudoers}.rampart-bak-r1`, 'utf8'), 'Defaults\tenv_reset\n');
    assert.equal(readFileSync(join(tr.root, 'reloads'), 'utf8'), 'reloaded\n');
    const second = dash(script, tr.root);
    assert.equal(second.code, 0, second.out);
    assert.match(second.out, /rampart: changed=0/);
    assert.equal(readFileSync(join(tr.root, 'reloads'), 'utf8'), 'reloaded\n', 'no reload when nothing changed');
    assert.deepEqual(readdirSync(join(tr.root, 'etc/sudoers.d')).sort(), ['rampart', 'rampart.rampart-bak-r1']);
  } finally {
    rmSync(tr.root, { recursive: true, force: true });
  }
});

test('emit sh: a failing validator leaves every original untouched', (t) => {
  requireCommands(t, 'dash', 'visudo', 'sha256sum');
  const tr = tree();
  try {
    const { emitPlan } = planFor(tr, 'Defaults\tnot_a_real_option_zz\nthis is not sudoers\n');
    const r = dash(emit(emitPlan, 'sh'), tr.root);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /visudo' refused the new|visudo refused the new/);
    assert.equal(readFileSync(tr.sudoers, 'utf8'), 'Defaults\tenv_reset\n');
    assert.throws(() => statSync(tr.jail), /ENOENT/, 'the other file is not created either');
    assert.deepEqual(readdirSync(join(tr.root, 'etc/sudoers.d')), ['rampart'], 'no candidate or backup left');
  } finally {
    rmSync(tr.root, { recursive: true, force: true });
  }
});

test('emit sh: a file changed since the plan was made is refused, naming it', (t) => {
  requireCommands(t, 'dash', 'visudo', 'sha256sum');
  const tr = tree();
  try {
    const { emitPlan } = planFor(tr, GOOD);
    writeFileSync(tr.sudoers, 'Defaults\tenv_reset\nDefaults\tmail_badpass\n');
    const r = dash(emit(emitPlan, 'sh'), tr.root);
    assert.notEqual(r.code, 0);
    assert.ok(r.out.includes(`${tr.sudoers} changed since the plan was made`), r.out);
    assert.equal(readFileSync(tr.sudoers, 'utf8'), 'Defaults\tenv_reset\nDefaults\tmail_badpass\n');
    assert.throws(() => statSync(tr.jail), /ENOENT/);
  } finally {
    rmSync(tr.root, { recursive: true, force: true });
  }
});

test('emit sh: binary content without a final newline is written byte for byte', (t) => {
  requireCommands(t, 'dash', 'sha256sum');
  const tr = tree();
  try {
    const bytes = Buffer.from([0, 1, 0x25, 0x27, 0x5c, 0xff, 0x0a, 0x41, 0x80]);
    const p = join(tr.root, 'etc/blob');
    const plan = emitPlanOf(
      { host: 'lab', changes: [{ path: p, content: bytes, create: { mode: 0o600, uid: 0, gid: 0 } }], reload: [] },
      { originals: new Map([[p, null]]) },
    );
    const r = dash(emit(plan, 'sh'), tr.root);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(readFileSync(p), bytes);
    assert.throws(() => emit(plan, 'ansible'), EmitError);
  } finally {
    rmSync(tr.root, { recursive: true, force: true });
  }
});

test('emit: a secret-holding file is refused', () => {
  assert.throws(
    () =>
      emitPlanOf(
        { host: 'h', changes: [{ path: '/etc/redis/redis.conf', content: Buffer.from('requirepass s3cr3t\n') }], reload: [] },
        { originals: new Map([['/etc/redis/redis.conf', Buffer.from('')]]), secretPaths: new Set(['/etc/redis/redis.conf']) },
      ),
    EmitError,
  );
});

function recap(out: string): { changed: number; failed: number } {
  const m = /changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)/.exec(out);
  assert.ok(m, out);
  return { changed: Number(m[1]), failed: Number(m[2]) };
}

test('emit ansible: syntax, --check --diff shows the plan, a real run against a loopback sshd host, then changed=0', async (t) => {
  requireCommands(t, 'ansible-playbook', 'visudo', 'sshd');
  const lab = await startSshLab();
  const tr = tree();
  try {
    // The sshd_config copy is validated by the lab host's own sshd -t (its /run/sshd is in the lab's namespace).
    const sshdPath = join(tr.root, 'etc/sshd_config');
    writeFileSync(sshdPath, SSHD_BASE, { mode: 0o644 });
    const hostKey = join(lab.dir, 'host1.hostkey');
    const sshdNew = Buffer.concat([Buffer.from(`HostKey ${hostKey}\nPasswordAuthentication no\n`), SSHD_BASE]);
    const { fix } = planFor(tr, GOOD);
    const full: FixPlan = {
      ...fix,
      changes: [...fix.changes, { path: sshdPath, content: sshdNew, validate: ['/usr/sbin/sshd', '-t', '-f', CANDIDATE] }],
    };
    const plan = emitPlanOf(full, {
      originals: new Map([
        [tr.sudoers, readFileSync(tr.sudoers)],
        [tr.jail, null],
        [sshdPath, SSHD_BASE],
      ]),
      modes: [{ path: tr.secret, mode: '0600', owner: 'root', group: 'root' }],
      commands: [{ argv: ['touch', tr.marker], purpose: 'create the marker', unless: ['test', '-e', tr.marker] }],
    });
    const yml = join(tr.root, 'harden.yml');
    writeFileSync(yml, emit(plan, 'ansible'));
    const inv = join(tr.root, 'inventory');
    writeFileSync(
      inv,
      `host1 ansible_host=host1 ansible_user=root ansible_python_interpreter=/usr/bin/python3 ansible_ssh_transfer_method=piped ansible_ssh_common_args='-F ${lab.sshConfig}'\n`,
    );
    const env = {
      ...process.env,
      ANSIBLE_HOST_KEY_CHECKING: 'True',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_PIPELINING: 'True',
      ANSIBLE_LOCAL_TEMP: join(tr.root, '.ansible-local'),
      ANSIBLE_REMOTE_TEMP: join(tr.root, '.ansible-remote'),
    };
    const play = (...args: string[]) => {
      const r = spawnSync('ansible-playbook', ['-i', inv, yml, ...args], { encoding: 'utf8', env, timeout: 240_000 });
      return { code: r.status, out: r.stdout + r.stderr };
    };
    const syntax = play('--syntax-check');
    assert.equal(syntax.code, 0, syntax.out);
    const check = play('--check', '--diff');
    assert.equal(check.code, 0, check.out);
    assert.ok(check.out.includes('+Defaults\tuse_pty'), check.out);
    assert.ok(check.out.includes('+PasswordAuthentication no'), check.out);
    assert.ok(check.out.includes('+maxretry = 3'), check.out);
    assert.equal(readFileSync(tr.sudoers, 'utf8'), 'Defaults\tenv_reset\n', '--check writes nothing');
    const run = play();
    assert.equal(run.code, 0, run.out);
    assert.ok(recap(run.out).changed >= 5, run.out);
    assert.equal(readFileSync(tr.sudoers, 'utf8'), GOOD);
    assert.equal(statSync(tr.sudoers).mode & 0o7777, 0o440);
    assert.deepEqual(readFileSync(tr.jail), JAIL);
    assert.deepEqual(readFileSync(sshdPath), sshdNew);
    assert.equal(statSync(tr.jail).mode & 0o7777, 0o644);
    assert.equal(statSync(tr.secret).mode & 0o7777, 0o600);
    assert.equal(readFileSync(join(tr.root, 'reloads'), 'utf8'), 'reloaded\n');
    const again = play();
    assert.equal(again.code, 0, again.out);
    assert.deepEqual(recap(again.out), { changed: 0, failed: 0 });
    // A changed-since file is refused by the guard.
    writeFileSync(tr.sudoers, 'Defaults\tmail_badpass\n');
    chmodSync(tr.sudoers, 0o440);
    const guarded = play();
    assert.notEqual(guarded.code, 0);
    assert.ok(guarded.out.includes('changed since the plan was made'), guarded.out);
  } finally {
    await lab.stop();
    rmSync(tr.root, { recursive: true, force: true });
  }
});
