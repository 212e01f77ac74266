// The live probes of a remote audit (issue 11) on a lab host (test/fleet/ssh-hosts.ts): Redis is probed
// over `ssh -W` from the remote host to the address its configuration names, PostgreSQL over the remote
// `runuser -u postgres psql` (peer, in the payload). What a remote audit cannot probe is unknown with the
// reason, never a pass: the playbook's recorded payload holds no process list, so a redis-server whose
// password was removed at runtime (the file still says a strong one) is unknown there, not a pass.
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/evaluate/report.js';
import type { FleetDocument } from '../../src/fleet/types.js';
import { canConnect, freePort, isRoot, realClockEnv, requireCommands, runCli } from '../helpers.js';
import { initdb, postgresDir, requirePostgres, startServer } from '../postgres/pg-server.js';
import { startSshLab, type SshLab } from './ssh-hosts.js';

const NOW = '2026-06-01T12:00:00Z';
const STRONG = 'Vq2!zR7@wLp4$Xn9&k8#Tb';

let lab: SshLab | null = null;
let redis: ChildProcess | null = null;
let work = '';
let port = 0;

before(async () => {
  if (!isRoot() || spawnSync('sh', ['-c', 'command -v redis-server && command -v sshd'], { stdio: 'ignore' }).status !== 0) return;
  work = mkdtempSync(join(tmpdir(), 'rampart-probes-'));
  chmodSync(work, 0o755);
  port = await freePort();
  // The file asks for a strong password; the running server's is removed at runtime (below). dir is the
  // package's /var/lib/redis (nothing is saved: save "", no AOF), which the playbook's payload records.
  const conf = join(work, 'redis.conf');
  writeFileSync(
    conf,
    `daemonize no\ndir /var/lib/redis\nsave ""\nappendonly no\nlogfile ""\nport ${port}\nbind 127.0.0.1\nrequirepass ${STRONG}\n`,
    { mode: 0o640 },
  );
  redis = spawn('redis-server', [conf], { stdio: 'ignore', env: realClockEnv() });
  for (let i = 0; i < 100 && !(await canConnect(port)); i++) await new Promise((r) => setTimeout(r, 50));
  const set = spawnSync('redis-cli', ['-p', String(port), '--no-auth-warning', '-a', STRONG, 'CONFIG', 'SET', 'requirepass', ''], {
    encoding: 'utf8',
  });
  assert.equal(set.stdout.trim(), 'OK', set.stderr);
  // The lab host's /etc/redis/redis.conf is that file (bind-mounted in its sshd namespace only).
  lab = await startSshLab({ ok: 1, nsSetup: `mount --bind ${conf} /etc/redis/redis.conf` });
});
after(async () => {
  await lab?.stop();
  redis?.kill('SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

function hostReport(stdout: string): Report {
  const doc = JSON.parse(stdout) as FleetDocument;
  const h = doc.hosts[0];
  assert.ok(h && 'report' in h, JSON.stringify(h));
  return h.report;
}

const result = (r: Report, id: string) => {
  const x = r.results.find((y) => y.id === id);
  assert.ok(x, `${id} ran`);
  return x;
};

test("Redis over ssh: the probe dials the remote host's configured port over ssh -W and sees the password removed at runtime", async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare', 'redis-server', 'redis-cli') || !lab) return;
  const r = await runCli([
    'audit',
    '--host',
    'host1',
    '--ssh-config',
    lab.sshConfig,
    '--only',
    'redis',
    '--now',
    NOW,
    '--no-store',
    '--format',
    'json',
  ]);
  assert.ok(!r.stdout.includes(STRONG), 'the configured password never appears');
  const rep = hostReport(r.stdout);
  const rp = result(rep, 'redis.requirepass');
  assert.equal(rp.status, 'fail', rp.summary);
  assert.match(rp.summary, /answers an unauthenticated PING/);
  assert.match(JSON.stringify(rp.findings), new RegExp(`127\\.0\\.0\\.1:${port}`));
  for (const x of rep.results) assert.doesNotMatch(x.summary, /could not be probed/, x.id);
});

test('Redis from the playbook payload (no process list recorded): unknown with the reason, never the pass the file alone gives', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare', 'redis-server') || !lab) return;
  const dir = join(work, 'playbook');
  mkdirSync(dir);
  const out = join(dir, 'out');
  const pb = await runCli(['fleet', 'playbook', '--dest', out, '-o', join(dir, 'rampart.yml')]);
  assert.equal(pb.code, 0, pb.stderr);
  // What the playbook's script task does on the host, without Ansible: the script on sh, its output kept.
  const ran = spawnSync('ssh', ['-F', lab.sshConfig, 'host1', 'sh -s'], {
    input: readFileSync(join(dir, 'rampart-payload.sh')),
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(ran.status, 0, ran.stderr.toString());
  mkdirSync(out);
  writeFileSync(join(out, 'host1.out'), ran.stdout);
  const manifest = /content: (".*")\n/.exec(readFileSync(join(dir, 'rampart.yml'), 'utf8'));
  assert.ok(manifest);
  writeFileSync(join(out, 'rampart-payload.json'), JSON.parse(manifest[1]!) as string);
  const r = await runCli(['audit', '--facts', out, '--only', 'redis', '--now', NOW, '--no-store', '--format', 'json']);
  const rep = hostReport(r.stdout);
  assert.ok(!r.stdout.includes(STRONG));
  for (const x of rep.results) {
    assert.equal(x.status, 'unknown', `${x.id}: ${x.status}: ${x.summary}`);
    assert.match(x.summary, /process list \(\/proc\) could not be read/, x.id);
  }
});

test('PostgreSQL over ssh: a running cluster is queried on the remote host (runuser psql, peer) as in a local audit', async (t: TestContext) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare') || !lab) return;
  const bin = requirePostgres(t);
  if (!bin) return;
  const data = join(postgresDir(t, 'rampart-pgdata-'), 'data');
  initdb(bin, data);
  await startServer(t, bin, data);
  const args = ['--only', 'pg', '--now', NOW, '--no-store', '--format', 'json'];
  const remote = await runCli(['audit', '--host', 'host1', '--ssh-config', lab.sshConfig, ...args]);
  const local = await runCli(['audit', ...args]);
  const rr = hostReport(remote.stdout);
  const lr = JSON.parse(local.stdout) as Report;
  // The cluster started here, seen on the remote host as here, its pg_hba rules read live (the
  // server's pg_hba_file_rules through the remote host's psql), not from the files.
  const hba = result(rr, 'pg.hba-methods');
  assert.match(
    hba.summary,
    new RegExp(`cluster ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ pg_hba rule\\(s\\) \\(.*, from live\\)`),
  );
  for (const x of rr.results) {
    const y = result(lr, x.id);
    assert.equal(
      x.status,
      y.status,
      `${x.id}: ssh ${x.status} (${x.summary.slice(0, 200)}), local ${y.status} (${y.summary.slice(0, 200)})`,
    );
  }
});
