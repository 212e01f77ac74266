// `rampart fleet playbook` run for real (issue 11): ansible-playbook (ansible-core from Debian) runs the
// emitted playbook against lab hosts (test/fleet/ssh-hosts.ts) from an inventory with ansible_host,
// ansible_port, ansible_user, the lab's key and known_hosts; it fetches each payload output into a
// directory and `rampart audit --facts DIR` evaluates them. The statuses equal those of `rampart audit
// --inventory` over ssh against the same hosts and inventory, but for the differences explained below;
// also with become (an unprivileged login with a NOPASSWD sudo rule, test/fleet/lab-users.ts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/evaluate/report.js';
import { bundleRequest } from '../../src/fleet/playbook.js';
import { RecordedTarget } from '../../src/fleet/recorded-target.js';
import type { FleetDocument } from '../../src/fleet/types.js';
import { isRoot, requireCommands, runCli } from '../helpers.js';
import { makeLabUsers, type LabUsers } from './lab-users.js';
import { startSshLab, type SshLab } from './ssh-hosts.js';

const NOW = '2026-06-01T12:00:00Z';
const SUDO = 'rampart-pbsudo';

/**
 * Where the playbook's facts and the ssh audit differ, and why. The playbook's payload is fixed when it
 * is emitted (src/fleet/playbook.ts): it leaves out the /proc listing, whose processes come and go
 * while it is listed; over ssh the listing is one request among others.
 */
const EXPLAINED: Record<string, string> = {
  'svc.expected-running': 'the playbook payload does not list /proc (playbook.ts wideRequests): the process list is unknown',
  'fs.no-world-writable':
    'a scan (find over the filesystem) is a walk, which SshTarget runs remotely but the recorded payload does not hold: unknown (over ssh it may also be unknown: /run in the lab sessions is a fresh tmpfs, ssh-audit.test.ts)',
};
/**
 * The same cause for every requirement whose facts need the process list (which servers run: Redis,
 * PostgreSQL, the IDS daemons…): unknown from the playbook's facts, with that reason in its summary.
 */
const PROCESS_LIST_UNKNOWN = /process list \(\/proc\) (could not|cannot) be read|processes cannot be seen/;

let lab: SshLab | null = null;
let users: LabUsers | null = null;
let work = '';
before(async () => {
  if (!isRoot() || !existsSync('/usr/sbin/sshd')) return;
  users = makeLabUsers([{ name: SUDO, sudo: 'nopasswd' }]);
  lab = await startSshLab({ ok: 2, nsSetup: users.nsSetup, sshdExtra: users.sshdExtra });
  users.authorize(`${lab.clientKey}.pub`);
  work = mkdtempSync(join(tmpdir(), 'rampart-playbook-real-'));
});
after(async () => {
  await lab?.stop();
  users?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** An inventory both ansible-playbook and `rampart audit --inventory` read: the lab's hosts by address. */
function inventory(l: SshLab, file: string, user: string, extra: string[]): string {
  const common = [
    `-o UserKnownHostsFile=${l.knownHosts}`,
    '-o GlobalKnownHostsFile=/dev/null',
    '-o StrictHostKeyChecking=yes',
    '-o IdentitiesOnly=yes',
    '-o BatchMode=yes',
  ].join(' ');
  const okHosts = l.hosts.filter((h) => h.kind === 'ok');
  writeFileSync(
    file,
    [
      '[lab]',
      ...okHosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${user}`),
      '',
      '[lab:vars]',
      `ansible_ssh_private_key_file=${l.clientKey}`,
      `ansible_ssh_common_args="${common}"`,
      // The lab sshd has no sftp subsystem: Ansible's piped transfer (no warnings about sftp/scp).
      'ansible_ssh_transfer_method=piped',
      ...extra,
      '',
    ].join('\n'),
  );
  return file;
}

/** ansible-playbook with everything it writes kept in `dir` (no ~/.ansible, no ansible.cfg from the cwd). */
function ansiblePlaybook(dir: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const home = join(dir, 'ansible-home');
  mkdirSync(join(home, 'tmp'), { recursive: true });
  writeFileSync(join(home, 'ansible.cfg'), '[defaults]\n');
  const env = {
    ...process.env,
    ANSIBLE_CONFIG: join(home, 'ansible.cfg'),
    ANSIBLE_HOME: home,
    ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
    ANSIBLE_SSH_CONTROL_PATH_DIR: join(home, 'cp'),
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
  };
  return new Promise((resolve) => {
    const c = spawn('ansible-playbook', args, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    c.stderr.on('data', (b: Buffer) => (out += b.toString()));
    c.on('close', (code) => resolve({ code, out }));
  });
}

function reports(stdout: string): Map<string, Report> {
  const doc = JSON.parse(stdout) as FleetDocument;
  assert.equal(doc.kind, 'fleet');
  const out = new Map<string, Report>();
  for (const h of doc.hosts) {
    assert.ok('report' in h, `${h.name}: ${JSON.stringify(h)}`);
    out.set(h.name, h.report);
  }
  return out;
}

/** Runs the emitted playbook, evaluates the fetched outputs, audits the same inventory over ssh; compares. */
async function playbookAgainstSsh(t: import('node:test').TestContext, name: string, user: string, become: boolean, invExtra: string[]) {
  const l = lab!;
  const dir = join(work, name);
  mkdirSync(dir);
  const inv = inventory(l, join(dir, 'hosts.ini'), user, invExtra);
  const out = join(dir, 'out');
  const pb = await runCli(['fleet', 'playbook', ...(become ? ['--become'] : []), '--dest', out, '-o', join(dir, 'rampart.yml')]);
  assert.equal(pb.code, 0, pb.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['hosts.ini', 'rampart-payload.sh', 'rampart.yml']);
  const run = await ansiblePlaybook(dir, ['-i', inv, join(dir, 'rampart.yml')]);
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /host1\s+: ok=\d+ .*unreachable=0\s+failed=0/);
  assert.match(run.out, /host2\s+: ok=\d+ .*unreachable=0\s+failed=0/);
  assert.doesNotMatch(run.out, /WARNING/);
  assert.deepEqual(readdirSync(out).sort(), ['host1.out', 'host2.out', 'rampart-payload.json']);

  const facts = await runCli(['audit', '--facts', out, '--now', NOW, '--no-store', '--format', 'json']);
  const ssh = await runCli([
    'audit',
    '--inventory',
    inv,
    ...(become ? ['--become'] : []),
    '--ssh-config',
    l.sshConfig,
    // A full collection per host: on a loaded machine it may take over the 60 s default.
    '--timeout',
    '600',
    '--now',
    NOW,
    '--no-store',
    '--format',
    'json',
  ]);
  const viaFacts = reports(facts.stdout);
  const viaSsh = reports(ssh.stdout);
  assert.deepEqual([...viaFacts.keys()], ['host1', 'host2']);
  assert.deepEqual([...viaSsh.keys()], ['host1', 'host2']);
  const differ: string[] = [];
  for (const [host, r] of viaFacts) {
    const other = new Map(viaSsh.get(host)!.results.map((x) => [x.id, x]));
    assert.equal(r.results.length, other.size, `${host}: the same requirements`);
    for (const x of r.results) {
      const y = other.get(x.id);
      assert.ok(y, `${host}: ${x.id} only in the playbook's facts`);
      if (x.status === y.status) continue;
      t.diagnostic(`${host} ${x.id}: playbook ${x.status} (${x.summary.slice(0, 120)}), ssh ${y.status}`);
      assert.notEqual(x.status, 'pass', `${host} ${x.id}: pass from the playbook's facts, ${y.status} over ssh`);
      const explained = EXPLAINED[x.id] !== undefined || PROCESS_LIST_UNKNOWN.test(x.summary);
      if (!explained || x.status !== 'unknown')
        differ.push(`${host} ${x.id}: playbook ${x.status} (${x.summary.slice(0, 160)}), ssh ${y.status}`);
    }
  }
  assert.deepEqual(differ, []);
  return { viaFacts, viaSsh };
}

test('fleet playbook: ansible-playbook runs it on 2 lab hosts, audit --facts DIR gives the statuses of audit --inventory over ssh', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare', 'ansible-playbook') || !lab) return;
  const { viaFacts } = await playbookAgainstSsh(t, 'root', 'root', false, [`ansible_remote_tmp=${join(lab.dir, 'remote-tmp')}`]);
  // Recorded as root: the root-only files were read.
  const sudo = viaFacts.get('host1')!.results.find((x) => x.id === 'accounts.sudo-for-admin')!;
  assert.doesNotMatch(sudo.summary, /permission denied/);
});

test('fleet playbook --become: an unprivileged login with a NOPASSWD sudo rule, as audit --inventory --become over ssh', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare', 'sudo', 'ansible-playbook') || !lab) return;
  const { viaFacts, viaSsh } = await playbookAgainstSsh(t, 'become', SUDO, true, []);
  for (const m of [viaFacts, viaSsh]) {
    const lp = m.get('host2')!.results.find((x) => x.id === 'accounts.least-privilege')!;
    // Read through sudo: the test's own rule is seen (NOPASSWD ALL for a non-admin).
    assert.equal(lp.status, 'fail', lp.summary);
    assert.match(lp.summary, new RegExp(`NOPASSWD: ALL for ${SUDO}`));
  }
});

test('the bundle request as playbook.ts builds it answers reads in a RecordedTarget (its real output over a temp dir)', async (t) => {
  // The regression: the recorded target looked for the bundle's mark at argv[2] (it is $0, argv[3]),
  // so files only the remote host has (a drop-in, a sudoers.d file) read as "not recorded".
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bundle-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'sudoers.d'));
  writeFileSync(join(dir, 'sudoers.d', '90-extra'), 'admin ALL=(ALL) ALL\n', { mode: 0o440 });
  const req = bundleRequest([dir]);
  assert.ok(req.op === 'run');
  const r = spawnSync(req.argv[0]!, req.argv.slice(1), { maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr.toString());
  const target = new RecordedTarget('h', {
    requests: [req],
    results: [{ op: 'run', ok: true, code: 0, stdout: r.stdout, stderr: r.stderr, truncated: false }],
  });
  const file = join(dir, 'sudoers.d', '90-extra');
  assert.deepEqual(await target.readText(file), { ok: true, text: 'admin ALL=(ALL) ALL\n', size: 20 });
  const st = await target.stat(file);
  assert.ok(st.ok && st.type === 'file' && st.mode === 0o440 && st.size === 20, JSON.stringify(st));
  const miss = await target.readText(join(dir, 'sudoers.d', 'other'));
  assert.ok(!miss.ok && /not in the recorded payload/.test(miss.message));
});
