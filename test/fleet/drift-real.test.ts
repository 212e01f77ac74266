// `rampart fleet drift --inventory FILE` end to end against 3 real lab hosts (test/fleet/ssh-hosts.ts):
// each host's /etc/ssh/sshd_config.d is a directory of the test bind-mounted in that host's sshd
// namespace only (this machine's is untouched): host1 and host2 get `PasswordAuthentication no` in
// 00-rampart.conf:2, host3 `PasswordAuthentication yes` in 50-cloud-init.conf:1. The output groups the
// hosts by the effective value with the file:line that set it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriftReport } from '../../src/fleet/drift.js';
import { isRoot, requireCommands, runCli } from '../helpers.js';
import { startSshLab, type SshLab } from './ssh-hosts.js';

const DROPINS = '/etc/ssh/sshd_config.d';
let lab: SshLab | null = null;
let work = '';
before(async () => {
  if (!isRoot() || !existsSync('/usr/sbin/sshd') || !existsSync(DROPINS)) return;
  work = mkdtempSync(join(tmpdir(), 'rampart-drift-real-'));
  // host1 and host2: a hardened drop-in; host3: cloud-init's drop-in turning passwords back on.
  const dropins = (name: string, file: string, text: string): string => {
    const d = join(work, name);
    mkdirSync(d, { mode: 0o755 });
    writeFileSync(join(d, file), text, { mode: 0o644 });
    return d;
  };
  const hardened = dropins('hardened', '00-rampart.conf', '# rampart\nPasswordAuthentication no\n');
  const cloud = dropins('cloud', '50-cloud-init.conf', 'PasswordAuthentication yes\n');
  lab = await startSshLab({ ok: 3, nsSetup: (h) => `mount --bind ${h.name === 'host3' ? cloud : hardened} ${DROPINS}` });
});
after(async () => {
  await lab?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('fleet drift --inventory: 3 hosts over ssh, PasswordAuthentication grouped with the drop-in file:line that set it on host3', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare') || !lab) return;
  const inv = join(work, 'hosts.ini');
  writeFileSync(inv, ['[web]', 'host[1:3]', ''].join('\n'));
  // A full collection per host: on a loaded machine (test files run in parallel) it may take over the 60 s default.
  const base = ['fleet', 'drift', '--inventory', inv, '--ssh-config', lab.sshConfig, '--timeout', '600'];
  const text = await runCli(base);
  assert.equal(text.code, 1, `drift: exit 1; ${text.stderr}`);
  t.diagnostic(text.stdout.split('\n').slice(0, 12).join('\n'));
  assert.match(text.stdout, /^3 hosts, \d+ settings compared, \d+ differ$/m);
  const line = text.stdout.split('\n').find((l) => l.startsWith('sshd.effective.passwordauthentication:'));
  assert.ok(line, text.stdout);
  assert.equal(
    line,
    'sshd.effective.passwordauthentication: 2 hosts no (/etc/ssh/sshd_config.d/00-rampart.conf:2); 1 host yes (/etc/ssh/sshd_config.d/50-cloud-init.conf:1): host3',
  );

  const json = await runCli([...base, '--format', 'json', '--golden', 'host1']);
  assert.equal(json.code, 1, json.stderr);
  const d = JSON.parse(json.stdout) as DriftReport;
  assert.deepEqual(d.hosts, ['host1', 'host2', 'host3']);
  assert.deepEqual(d.notAssessed, []);
  const pa = d.drift.find((s) => s.key === 'sshd.effective.passwordauthentication');
  assert.ok(pa, JSON.stringify(d.drift.map((s) => s.key)));
  assert.equal(pa.golden, 'no');
  const yes = pa.groups.find((g) => g.value === 'yes');
  const no = pa.groups.find((g) => g.value === 'no');
  assert.deepEqual(yes?.hosts, ['host3']);
  assert.deepEqual(no?.hosts, ['host1', 'host2']);
  assert.deepEqual(yes?.sources, [{ source: `${DROPINS}/50-cloud-init.conf:1`, hosts: 1 }]);
  assert.deepEqual(no?.sources, [{ source: `${DROPINS}/00-rampart.conf:2`, hosts: 2 }]);
  // Only host3 was changed: every setting that differs from host1 is one host3 alone differs on.
  for (const s of d.drift) {
    const off = s.groups.filter((g) => g.value !== s.golden).flatMap((g) => g.hosts);
    assert.deepEqual(off, ['host3'], `${s.key}: ${JSON.stringify(s.groups)}`);
  }
});

test('fleet drift --inventory: a host that cannot be reached is listed as not assessed, the others are compared', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare') || !lab) return;
  const inv = join(work, 'with-bad.ini');
  // 127.0.1.1 port 9: nothing listens there (loopback only).
  writeFileSync(inv, ['host1', 'host3', 'gone ansible_host=127.0.1.1 ansible_port=9', ''].join('\n'));
  const r = await runCli(['fleet', 'drift', '--inventory', inv, '--ssh-config', lab.sshConfig, '--timeout', '600']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^2 hosts, /m);
  assert.match(r.stdout, /^ {2}gone: NOT ASSESSED: unreachable: ssh: .*refused/m);
  assert.match(
    r.stdout,
    /^sshd\.effective\.passwordauthentication: 1 host no \(.*00-rampart\.conf:2\); 1 host yes \(.*50-cloud-init\.conf:1\): host3$/m,
  );
});

test('fleet drift --inventory: when no host can be read, the error says why for each host', async (t) => {
  if (!requireCommands(t, 'ssh') || !lab) return;
  const inv = join(work, 'all-bad.ini');
  writeFileSync(inv, ['gone ansible_host=127.0.1.1 ansible_port=9', 'refused ansible_host=127.0.1.1 ansible_port=7', ''].join('\n'));
  const r = await runCli(['fleet', 'drift', '--inventory', inv, '--ssh-config', lab.sshConfig]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /no host could be read: gone: unreachable: ssh: .*refused.*; refused: unreachable: ssh: /);
});
