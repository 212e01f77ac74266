// `--become` with real sudo (issue 11): a lab host (test/fleet/ssh-hosts.ts) where the login user is an
// unprivileged account (test/fleet/lab-users.ts: seen only in the lab's sshd namespace) with a NOPASSWD
// sudo rule. With --become (or `ansible_become: true`) the root-only files are read and assessed;
// without it those requirements are unknown with "permission denied", never pass. A sudo that asks for
// a password makes the host "not assessed" (become: sudo -n refused) at once, not a hang.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/evaluate/report.js';
import type { FleetDocument } from '../../src/fleet/types.js';
import { isRoot, requireCommands, runCli } from '../helpers.js';
import { makeLabUsers, type LabUsers } from './lab-users.js';
import { startSshLab, type SshLab } from './ssh-hosts.js';

const NOW = '2026-06-01T12:00:00Z';
const SUDO = 'rampart-sudo';
const ASKS = 'rampart-askpw';
const NONE = 'rampart-nosudo';
/** Requirements that need root-only files: /etc/sudoers (0440), /etc/shadow (0640), pg_hba.conf (0640 postgres), the sshd host keys (0600). */
const ROOT_ONLY: Record<string, RegExp> = {
  'accounts.sudo-for-admin': /"\/etc\/sudoers" permission denied/,
  'accounts.least-privilege': /"\/etc\/sudoers" permission denied/,
  'accounts.review': /"\/etc\/shadow" permission denied/,
  'pg.hba-methods': /pg_hba\.conf" permission denied/,
  'ssh.config-valid': /ssh_host_\w+_key/,
};
const ONLY = ['--only', 'accounts', '--only', 'pg.hba-methods', '--only', 'ssh.config-valid', '--only', 'ssh.password-auth-disabled'];

let lab: SshLab | null = null;
let users: LabUsers | null = null;
let work = '';
before(async () => {
  if (!isRoot() || !existsSync('/usr/sbin/sshd') || !existsSync('/usr/bin/sudo')) return;
  users = makeLabUsers([
    { name: SUDO, sudo: 'nopasswd' },
    { name: ASKS, sudo: 'password' },
    { name: NONE, sudo: 'none' },
  ]);
  lab = await startSshLab({ ok: 2, nsSetup: users.nsSetup, sshdExtra: users.sshdExtra });
  users.authorize(`${lab.clientKey}.pub`);
  work = mkdtempSync(join(tmpdir(), 'rampart-become-'));
});
after(async () => {
  await lab?.stop();
  users?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

function fleet(stdout: string): FleetDocument {
  const doc = JSON.parse(stdout) as FleetDocument;
  assert.equal(doc.kind, 'fleet');
  return doc;
}

function reportOf(doc: FleetDocument, name: string): Report {
  const h = doc.hosts.find((x) => x.name === name);
  assert.ok(h && 'report' in h, `${name}: ${JSON.stringify(h)}`);
  return h.report;
}

function statuses(r: Report): Map<string, { status: string; summary: string }> {
  return new Map(r.results.map((x) => [x.id, { status: x.status, summary: x.summary }]));
}

async function audit(lab0: SshLab, ...args: string[]): Promise<{ code: number; doc: FleetDocument; stderr: string }> {
  const r = await runCli(['audit', '--ssh-config', lab0.sshConfig, '--no-store', '--now', NOW, '--format', 'json', ...args]);
  return { code: r.code, doc: fleet(r.stdout), stderr: r.stderr };
}

test('--become through a NOPASSWD sudo rule reads the root-only files; without it they are unknown (permission denied), never pass', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'sudo', 'visudo', 'unshare') || !lab) return;
  const plain = await audit(lab, '--host', `${SUDO}@host1`, ...ONLY);
  const become = await audit(lab, '--host', `${SUDO}@host1`, '--become', ...ONLY);
  const u = statuses(reportOf(plain.doc, `${SUDO}@host1`));
  const b = statuses(reportOf(become.doc, `${SUDO}@host1`));
  for (const [id, re] of Object.entries(ROOT_ONLY)) {
    const x = u.get(id);
    const y = b.get(id);
    assert.ok(x && y, `${id} ran`);
    assert.equal(x.status, 'unknown', `${id} without --become: ${x.status}: ${x.summary}`);
    assert.match(x.summary, re, id);
    assert.ok(['pass', 'fail', 'warn'].includes(y.status), `${id} with --become: ${y.status}: ${y.summary}`);
    assert.doesNotMatch(y.summary, /permission denied/, id);
  }
  // Less access never gives a pass that more access does not.
  for (const [id, x] of u) if (x.status === 'pass') assert.equal(b.get(id)?.status, 'pass', `${id}: pass unprivileged only`);
  // The sudo rule the test wrote is what the audit with --become sees: NOPASSWD ALL for a non-admin.
  assert.equal(b.get('accounts.least-privilege')?.status, 'fail');
  assert.match(b.get('accounts.least-privilege')!.summary, new RegExp(`NOPASSWD: ALL for ${SUDO}`));
});

test('a sudo that asks for a password (or no sudo rule): the host is not assessed (become), quickly, never a hang; the other host goes on', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'sudo', 'unshare') || !lab) return;
  const start = Date.now();
  const r = await audit(lab, '--host', `${ASKS}@host1`, '--host', `${NONE}@host2`, '--host', `${SUDO}@host2`, '--become', ...ONLY);
  const ms = Date.now() - start;
  assert.equal(r.code, 3);
  for (const name of [`${ASKS}@host1`, `${NONE}@host2`]) {
    const h = r.doc.hosts.find((x) => x.name === name);
    assert.ok(h && 'error' in h, `${name}: ${JSON.stringify(h)}`);
    assert.equal(h.error.kind, 'become');
    assert.match(h.error.message, /^sudo -n refused: sudo: .*password is required/);
  }
  reportOf(r.doc, `${SUDO}@host2`);
  assert.deepEqual([r.doc.summary.assessed, r.doc.summary.notAssessed], [1, 2]);
  // sudo -n never waits for a password: far below the default per-host timeout.
  assert.ok(ms < 60_000, `took ${ms} ms`);
});

test('ansible_become: true from an inventory (host and group vars) gathers through sudo; false does not', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'sudo', 'unshare') || !lab) return;
  const ini = join(work, 'hosts.ini');
  writeFileSync(
    ini,
    [
      '[root_via_sudo]',
      `h1 ansible_host=${lab.host('ok', 0).address} ansible_user=${SUDO}`,
      '',
      '[root_via_sudo:vars]',
      'ansible_become=true',
      '',
      '[plain]',
      `h2 ansible_host=${lab.host('ok', 1).address} ansible_user=${SUDO} ansible_become=no`,
      `h3 ansible_host=${lab.host('ok', 1).address} ansible_user=${ASKS} ansible_become=yes`,
      '',
    ].join('\n'),
  );
  const yml = join(work, 'hosts.yml');
  writeFileSync(
    yml,
    [
      'all:',
      '  hosts:',
      '    y1:',
      `      ansible_host: ${lab.host('ok', 1).address}`,
      `      ansible_user: ${SUDO}`,
      '      ansible_become: true',
      '',
    ].join('\n'),
  );
  const r = await audit(lab, '--inventory', ini, ...ONLY);
  const y = await audit(lab, '--inventory', yml, ...ONLY);
  assert.equal(r.code, 3, r.stderr);
  const h1 = statuses(reportOf(r.doc, 'h1'));
  const h2 = statuses(reportOf(r.doc, 'h2'));
  const y1 = statuses(reportOf(y.doc, 'y1'));
  for (const id of Object.keys(ROOT_ONLY)) {
    assert.notEqual(h1.get(id)?.status, 'unknown', `h1 (group var ansible_become=true) ${id}: ${h1.get(id)?.summary}`);
    assert.notEqual(y1.get(id)?.status, 'unknown', `y1 (yaml ansible_become: true) ${id}: ${y1.get(id)?.summary}`);
    assert.equal(h2.get(id)?.status, 'unknown', `h2 (ansible_become=no) ${id}`);
  }
  const h3 = r.doc.hosts.find((x) => x.name === 'h3');
  assert.ok(h3 && 'error' in h3 && h3.error.kind === 'become', JSON.stringify(h3));
});
