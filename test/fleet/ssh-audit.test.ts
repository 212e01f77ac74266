// `rampart audit --host/--inventory` against real sshd test hosts (test/fleet/ssh-hosts.ts): working
// hosts are assessed, the refusing, hanging, re-keyed, hostile and badly named ones are not assessed
// with the right kind and the others go on; a remote audit of this machine gives the statuses of a
// local live audit (every difference explained below).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSnapshot, evaluateSnapshot } from '../../src/audit.js';
import { CHECKS } from '../../src/checks/index.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { selectChecks } from '../../src/evaluate/select.js';
import type { FleetDocument } from '../../src/fleet/types.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { SshTarget } from '../../src/target/ssh-target.js';
import { isRoot, requireCommands, runCli } from '../helpers.js';
import { startSshLab, type SshLab } from './ssh-hosts.js';

const NOW = '2026-06-01T12:00:00Z';
const PWNED = '/tmp/pwned';
const SUBSET = ['--only', 'ssh', '--only', 'fs.no-world-writable'];

let lab: SshLab | null = null;
let work = '';
before(async () => {
  if (!isRoot() || !existsSync('/usr/sbin/sshd')) return;
  lab = await startSshLab({
    ok: 3,
    refuseAuth: true,
    hang: true,
    changedKey: true,
    forced: {
      garbage: "printf 'RMP1 0123 begin\\nnot a frame\\n'",
      oversize: 'head -c 400000000 /dev/zero',
    },
  });
  work = mkdtempSync(join(tmpdir(), 'rampart-fleet-'));
});
after(async () => {
  await lab?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function fleet(stdout: string): FleetDocument {
  const doc = JSON.parse(stdout) as FleetDocument;
  assert.equal(doc.kind, 'fleet');
  assert.equal(doc.schemaVersion, 1);
  return doc;
}

function byName(doc: FleetDocument): Map<string, FleetDocument['hosts'][number]> {
  return new Map(doc.hosts.map((h) => [h.name, h]));
}

test('an inventory with a range: three hosts assessed, the refusing, re-keyed, hostile and badly named ones not, each with its kind', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare') || !lab) return;
  rmSync(PWNED, { force: true });
  const inv = join(work, 'hosts.ini');
  writeFileSync(
    inv,
    [
      '[web]',
      'host[1:3]',
      '',
      '[bad]',
      'refuse-auth',
      'changed-key',
      'garbage',
      'oversize',
      'x;touch${IFS}/tmp/pwned',
      '$(touch${IFS}/tmp/pwned)',
      '',
    ].join('\n'),
  );
  const facts = join(work, 'facts');
  const state = join(work, 'state');
  const r = await runCli(
    [
      'audit',
      '--inventory',
      inv,
      '--ssh-config',
      lab.sshConfig,
      '--format',
      'json',
      '--now',
      NOW,
      '--save-facts',
      facts,
      '--forks',
      '4',
      ...SUBSET,
    ],
    { env: { RAMPART_STATE_DIR: state } },
  );
  const doc = fleet(r.stdout);
  const hosts = byName(doc);
  assert.deepEqual(
    doc.hosts.map((h) => h.name),
    ['host1', 'host2', 'host3', 'refuse-auth', 'changed-key', 'garbage', 'oversize', 'x;touch${IFS}/tmp/pwned', '$(touch${IFS}/tmp/pwned)'],
  );
  for (const n of ['host1', 'host2', 'host3']) {
    const h = hosts.get(n)!;
    assert.ok('report' in h, `${n}: ${JSON.stringify(h)}`);
    assert.equal(h.report.target.name, n);
    assert.equal(h.report.target.kind, 'ssh');
    assert.ok(h.report.results.some((x) => x.id === 'fs.no-world-writable'));
    assert.ok(h.report.trend.length >= 1, 'history stores the run under the host name');
  }
  const kind = (n: string) => {
    const h = hosts.get(n)!;
    return 'error' in h ? h.error.kind : 'assessed';
  };
  assert.equal(kind('refuse-auth'), 'auth');
  assert.equal(kind('changed-key'), 'host-key');
  assert.equal(kind('garbage'), 'protocol');
  assert.equal(kind('oversize'), 'protocol');
  assert.equal(kind('x;touch${IFS}/tmp/pwned'), 'unreachable');
  assert.equal(kind('$(touch${IFS}/tmp/pwned)'), 'unreachable');
  assert.equal(existsSync(PWNED), false, 'a hostile host name stays data');
  assert.deepEqual(
    { hosts: doc.summary.hosts, assessed: doc.summary.assessed, notAssessed: doc.summary.notAssessed },
    { hosts: 9, assessed: 3, notAssessed: 6 },
  );
  assert.equal(r.code, 3, 'a host not assessed: exit 3');
  assert.equal(r.stderr, '', 'no progress lines when stderr is not a terminal');
  // --save-facts DIR: one snapshot per assessed host, named after it.
  assert.deepEqual(readdirSync(facts).sort(), ['host1.json', 'host2.json', 'host3.json']);
  const snap = JSON.parse(readFileSync(join(facts, 'host2.json'), 'utf8')) as { target: { name: string; kind: string } };
  assert.deepEqual([snap.target.name, snap.target.kind], ['host2', 'ssh']);
});

test('--host, text output: the per-host table and the reasons of the hosts not assessed', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh') || !lab) return;
  const r = await runCli([
    'audit',
    '--host',
    'host1',
    '--host',
    'root@refuse-auth:22',
    '--ssh-config',
    lab.sshConfig,
    '--now',
    NOW,
    '--no-store',
    ...SUBSET,
  ]);
  assert.equal(r.code, 3);
  assert.match(r.stdout, /^HOST\s+STATUS\s+SCORE\s+PASS/m);
  assert.match(r.stdout, /^host1\s+assessed\s+\d+/m);
  assert.match(r.stdout, /^root@refuse-auth:22\s+NOT ASSESSED/m);
  assert.match(r.stdout, /Not assessed:\n {2}root@refuse-auth:22: auth: ssh: .*Permission denied/);
});

test('a hanging host: --timeout bounds it, the host is not assessed (timeout), the others are', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh') || !lab) return;
  const start = Date.now();
  const r = await runCli([
    'audit',
    '--host',
    'hang',
    '--host',
    'host3',
    '--ssh-config',
    lab.sshConfig,
    '--format',
    'json',
    '--now',
    NOW,
    '--no-store',
    '--timeout',
    '15',
    '--only',
    'ssh.protocol-2',
  ]);
  const doc = fleet(r.stdout);
  const h = byName(doc);
  const hang = h.get('hang')!;
  assert.ok('error' in hang && hang.error.kind === 'timeout', JSON.stringify(hang));
  assert.ok('report' in h.get('host3')!, JSON.stringify(h.get('host3')));
  assert.ok(Date.now() - start < 30_000, `took ${Date.now() - start} ms`);
  assert.equal(r.code, 3);
});

test('bad fleet arguments are usage errors', async () => {
  for (const args of [
    ['--host', 'a b'],
    ['--host', 'host:99999'],
    ['--host', '-oProxyCommand=x'],
    ['--host', 'h', '--root', '/'],
    ['--limit', 'web'],
    ['--host', 'h', '--forks', '0'],
  ]) {
    const r = await runCli(['audit', ...args, '--now', NOW, '--no-store']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }
});

test('MaxSessions 1: a host that allows one session at a time is audited (payloads and the walk take turns)', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare') || !isRoot()) return;
  const one = await startSshLab({ ok: 1, sshdExtra: ['MaxSessions 1'] });
  try {
    const r = await runCli([
      'audit',
      '--host',
      'host1',
      '--ssh-config',
      one.sshConfig,
      '--format',
      'json',
      '--now',
      NOW,
      '--no-store',
      ...SUBSET,
    ]);
    const h = fleet(r.stdout).hosts[0]!;
    assert.ok('report' in h, JSON.stringify(h));
    const ww = h.report.results.find((x) => x.id === 'fs.no-world-writable')!;
    assert.doesNotMatch(ww.summary, /session|channel/i);
  } finally {
    await one.stop();
  }
});

/**
 * Requirements whose status over SSH differs from the local live audit of the same machine, and why.
 * The lab's sshd runs in its own mount namespace with a tmpfs on /run (test/fleet/ssh-hosts.ts), so
 * the remote session sees an empty /run. (The Redis probe is made over ssh -W and PostgreSQL's through the
 * remote psql: test/fleet/probes-remote.test.ts.)
 */
const EXPLAINED: Record<string, string> = {
  'fs.no-world-writable':
    "the lab's sshd sessions live in their own mount namespace with a fresh tmpfs on /run (ssh-hosts.ts): /run/netns, a scan root here, does not exist there, so the scan is incomplete (unknown, never pass)",
};

test('a remote audit of this machine (a lab host as root) gives the statuses of a local live audit, each difference explained', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh') || !lab) return;
  const sel = selectChecks(CHECKS, { profile: 'guide', only: [], skip: [] });
  assert.ok(sel.ok);
  const now = new Date(NOW);
  const state = mkdtempSync(join(tmpdir(), 'rampart-fleet-state-'));
  t.after(() => rmSync(state, { recursive: true, force: true }));
  const opts = {
    checks: sel.checks,
    state: { dir: state, explicit: true },
    clock: () => now,
    now,
    // Generous: the suite runs test files in parallel on a small machine, and the package lists are big.
    collectorTimeoutMs: 180_000,
    commandTimeoutMs: 15_000,
  };
  const remote = new SshTarget({ name: 'host1', dest: { host: 'host1' }, sshConfig: lab.sshConfig });
  let remoteSnap;
  try {
    assert.equal(await remote.open(), null);
    remoteSnap = await collectSnapshot(remote, DEFAULT_CONFIG, { ...opts, targetName: 'host1' });
    assert.equal(remote.failure, null);
  } finally {
    await remote.close();
  }
  const localSnap = await collectSnapshot(new FsTarget({ name: 'local' }), DEFAULT_CONFIG, { ...opts, targetName: 'host1' });
  const ev = (s: typeof localSnap) =>
    evaluateSnapshot(s, DEFAULT_CONFIG, now, { checks: sel.checks, profile: 'guide', startedAt: now, durationMs: 0 });
  const local = new Map(ev(localSnap).results.map((r) => [r.id, r]));
  const differ: string[] = [];
  for (const r of ev(remoteSnap).results) {
    const l = local.get(r.id);
    if (!l || l.status === r.status) continue;
    t.diagnostic(`differs: ${r.id}: local ${l.status}, ssh ${r.status}: ${r.summary.slice(0, 200)}`);
    if (EXPLAINED[r.id] === undefined)
      differ.push(`${r.id}: local ${l.status} (${l.summary.slice(0, 160)}), ssh ${r.status} (${r.summary.slice(0, 160)})`);
    // Never a pass over ssh where the local audit does not pass.
    assert.ok(r.status !== 'pass', `${r.id}: pass over ssh, ${l.status} locally`);
  }
  assert.deepEqual(differ, []);
  // Round trips: the payloads sent, against the local collection's count (its batches and direct calls).
  const localTrips = localSnap.batch?.roundTrips ?? 0;
  const sent = remote.trips.payloads + remote.trips.walks + remote.trips.connects;
  t.diagnostic(
    `round trips: ssh ${sent} (payloads ${remote.trips.payloads}, requests ${remote.trips.requests}, walks ${remote.trips.walks}, connects ${remote.trips.connects}); local count ${localTrips}`,
  );
  assert.ok(sent <= localTrips * 1.5 + 10, `ssh round trips ${sent} vs local ${localTrips}`);
});
