import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSnapshot, evaluateSnapshot, replaySnapshot, type CollectOptions } from '../../src/audit.js';
import { CHECKS } from '../../src/checks/index.js';
import { COLLECTORS } from '../../src/collect/index.js';
import { parseConfigText } from '../../src/cli/config-load.js';
import type { Config } from '../../src/config/schema.js';
import { applyAttestations } from '../../src/evaluate/attestations.js';
import { evaluate, score, summarize } from '../../src/evaluate/engine.js';
import type { Report } from '../../src/evaluate/report.js';
import { selectChecks } from '../../src/evaluate/select.js';
import { applyWaivers, skipWaivedChecks } from '../../src/evaluate/waivers.js';
import { STATE_FACT_KEYS, type FactsSnapshot } from '../../src/facts/index.js';
import { recordAttestation } from '../../src/store/attestations.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { hostRoot } from '../e2e/hosts.js';
import { runCli } from '../helpers.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const COLLECTED = new Date('2026-06-01T11:00:00Z');

/** A waiver of a whole result, a run_check: false waiver, a scoped one, an expired one; and the fixture's own name (debian). */
const CONFIG_YAML = `waivers:
  - id: fw.enabled
    reason: firewall at the cloud edge
    approved_by: bob
    expires: 2026-12-31
  - id: ssh.root-login-disabled
    reason: break-glass
    run_check: false
  - id: fw.allowed-ports-only
    reason: old exception
    expires: 2026-01-31
  - id: accounts.password-policy
    reason: scoped
    scope: { path: /etc/login.defs }
`;

interface Setup {
  root: string;
  state: string;
  configFile: string;
  config: Config;
}

function setup(t: TestContext): Setup {
  const root = hostRoot('debian12-default', t);
  const dir = mkdtempSync(join(tmpdir(), 'rampart-pipeline-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = join(dir, 'state');
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, CONFIG_YAML);
  const base = { target: 'debian', by: 'alice', note: null, evidence: null, recordedAt: '2026-05-01T09:00:00.000Z' };
  // log.alerts is an evidence requirement the fixture leaves manual: its attestation decides it.
  recordAttestation(state, { ...base, id: 'log.alerts', status: 'pass', date: '2026-05-01', expires: '2026-07-30' });
  // backup.offsite: attested fail; backup.restore-tested: expired (fail); ir.plan: an attestation requirement.
  recordAttestation(state, { ...base, id: 'backup.offsite', status: 'fail', date: '2026-05-02', expires: '2026-07-31' });
  recordAttestation(state, { ...base, id: 'backup.restore-tested', status: 'pass', date: '2026-01-02', expires: '2026-02-01' });
  recordAttestation(state, { ...base, id: 'ir.plan', status: 'pass', date: '2026-05-20', expires: '2026-08-18' });
  return { root, state, configFile, config: parseConfigText(CONFIG_YAML, configFile) };
}

function guideChecks() {
  const sel = selectChecks(CHECKS, { profile: 'guide', only: [], skip: [] });
  assert.ok(sel.ok);
  return sel.checks;
}

function collectOpts(s: Setup, over: Partial<CollectOptions> = {}): CollectOptions {
  return {
    checks: guideChecks(),
    state: { dir: s.state, explicit: true },
    clock: () => COLLECTED,
    now: NOW,
    collectorTimeoutMs: 60_000,
    commandTimeoutMs: 15_000,
    ...over,
  };
}

/** What varies from run to run without a verdict changing. */
/** A report without what the clock decides: its times, and each result's collection time. */
function stable(r: Report): Omit<Report, 'startedAt' | 'durationMs' | 'collectedAt'> {
  const { startedAt: _s, durationMs: _d, collectedAt: _c, ...rest } = r;
  return { ...rest, results: rest.results.map(({ collectMs: _m, ...x }) => x) };
}

const statusOf = (r: Report, id: string) => r.results.find((x) => x.id === id)?.status;

test('collectSnapshot + evaluateSnapshot: the report the CLI prints, a waiver and attestations in the same run', async (t) => {
  const s = setup(t);
  const target = new FsTarget({ root: s.root, name: s.root });
  const snapshot = await collectSnapshot(target, s.config, collectOpts(s));
  assert.equal(snapshot.target.name, 'debian');
  assert.equal(snapshot.target.nameFrom, '/etc/hostname');
  assert.equal(snapshot.collectedAt, COLLECTED.toISOString());
  const report = evaluateSnapshot(snapshot, s.config, NOW, {
    checks: guideChecks(),
    profile: 'guide',
    startedAt: COLLECTED,
    durationMs: 0,
  });

  assert.equal(statusOf(report, 'log.alerts'), 'pass', 'attested pass decides a manual evidence requirement');
  assert.equal(statusOf(report, 'backup.offsite'), 'fail', 'attested fail');
  assert.equal(statusOf(report, 'backup.restore-tested'), 'fail', 'expired attestation');
  assert.equal(statusOf(report, 'ir.plan'), 'pass', 'attestation requirement');
  assert.equal(statusOf(report, 'fw.enabled'), 'waived');
  assert.equal(statusOf(report, 'ssh.root-login-disabled'), 'waived', 'run_check: false');
  assert.equal(statusOf(report, 'fw.allowed-ports-only'), 'fail', 'expired waiver');
  assert.match(report.results.find((r) => r.id === 'fw.allowed-ports-only')!.summary, /waiver expired on 2026-01-31/);

  // One summary and one score, of the final results: a waived failure counts as a failure before waivers only.
  assert.deepEqual(report.summary, summarize(report.results));
  assert.deepEqual(report.score, { beforeWaivers: score(report.results, false), afterWaivers: score(report.results, true) });
  assert.ok(report.score.beforeWaivers! < report.score.afterWaivers!, JSON.stringify(report.score));

  const cli = await runCli([
    'audit',
    '--root',
    s.root,
    '--config',
    s.configFile,
    '--state-dir',
    s.state,
    '--no-store',
    '--now',
    NOW.toISOString(),
    '--format',
    'json',
  ]);
  assert.equal(cli.code, 1, cli.stderr);
  assert.deepEqual(stable(JSON.parse(cli.stdout) as Report), stable(JSON.parse(JSON.stringify(report)) as Report));
});

test('evaluateSnapshot gives what evaluate → applyAttestations → applyWaivers gave step by step (each step rescoring)', async (t) => {
  const s = setup(t);
  const snapshot = await collectSnapshot(new FsTarget({ root: s.root, name: s.root }), s.config, collectOpts(s));
  const ctx = { now: NOW, targetName: snapshot.target.name };
  const opts = { profile: 'guide' as const, startedAt: COLLECTED.toISOString(), durationMs: 0 };
  let stepwise = evaluate(snapshot, {
    ...opts,
    checks: skipWaivedChecks(guideChecks(), s.config.waivers, ctx),
    now: NOW,
    config: s.config,
  });
  const att = snapshot.facts.attestations;
  assert.equal(att?.state, 'collected');
  stepwise = applyAttestations(stepwise, att.state === 'collected' ? att.value : null, NOW);
  stepwise = applyWaivers(stepwise, s.config.waivers, ctx);
  const once = evaluateSnapshot(snapshot, s.config, NOW, { checks: guideChecks(), profile: 'guide', startedAt: COLLECTED, durationMs: 0 });
  assert.equal(JSON.stringify(once), JSON.stringify(stepwise));
});

test('collectSnapshot: only the needed target facts are collected; state facts come from the state directory, not a collector', async (t) => {
  const s = setup(t);
  const ssh = CHECKS.filter((c) => c.id === 'ssh.password-auth-disabled' || c.id === 'ssh.root-login-disabled');
  assert.equal(ssh.length, 2);
  const snapshot = await collectSnapshot(new FsTarget({ root: s.root, name: s.root }), s.config, collectOpts(s, { checks: ssh }));
  // ssh.root-login-disabled is skipped by its run_check: false waiver; host is always collected.
  assert.deepEqual(Object.keys(snapshot.facts), ['host', 'sshd', 'attestations', 'signoffs']);
  assert.deepEqual(Object.keys(snapshot.timings), ['host', 'sshd']);
  assert.equal(snapshot.facts.attestations?.state, 'collected');
  for (const k of STATE_FACT_KEYS) assert.ok(!(k in COLLECTORS), `${k} has no collector`);

  // ssh.root-login-disabled alone: it needs sshd, unless its run_check: false waiver skips it.
  const only = await collectSnapshot(
    new FsTarget({ root: s.root, name: s.root }),
    { ...s.config, waivers: [] },
    collectOpts(s, { checks: ssh.filter((c) => c.id === 'ssh.root-login-disabled') }),
  );
  assert.deepEqual(Object.keys(only.timings), ['host', 'sshd']);
  const skipped = await collectSnapshot(
    new FsTarget({ root: s.root, name: s.root }),
    s.config,
    collectOpts(s, { checks: ssh.filter((c) => c.id === 'ssh.root-login-disabled') }),
  );
  assert.deepEqual(Object.keys(skipped.timings), ['host'], 'a check skipped by run_check: false needs no facts');
});

test('an unreadable default state directory makes state facts absent; a chosen one makes them failed', async (t) => {
  const s = setup(t);
  const file = join(s.state, 'not-a-dir');
  writeFileSync(file, 'x');
  const target = new FsTarget({ root: s.root, name: s.root });
  const checks = CHECKS.filter((c) => c.id === 'ir.plan');
  const chosen = await collectSnapshot(target, s.config, collectOpts(s, { checks, state: { dir: file, explicit: true } }));
  assert.equal(chosen.facts.attestations?.state, 'failed');
  const dflt = await collectSnapshot(target, s.config, collectOpts(s, { checks, state: { dir: file, explicit: false } }));
  assert.equal(dflt.facts.attestations?.state, 'absent');
  assert.match(dflt.facts.attestations?.state === 'absent' ? dflt.facts.attestations.reason : '', /default state directory/);
});

test('replaySnapshot: the target is "facts"; recorded state facts are kept, missing ones read from the state directory', async (t) => {
  const s = setup(t);
  const snapshot = await collectSnapshot(new FsTarget({ root: s.root, name: s.root }), s.config, collectOpts(s));
  const saved = JSON.parse(JSON.stringify(snapshot)) as FactsSnapshot;
  const empty = { dir: join(s.state, 'none'), explicit: true };

  const replayed = replaySnapshot(saved, empty);
  assert.equal(replayed.target.kind, 'facts');
  assert.deepEqual(replayed.facts, saved.facts, 'the recorded attestations win over the (empty) state directory');
  const opts = { checks: guideChecks(), profile: 'guide' as const, startedAt: COLLECTED, durationMs: 0 };
  const a = evaluateSnapshot(snapshot, s.config, NOW, opts);
  const b = evaluateSnapshot(replayed, s.config, NOW, opts);
  assert.deepEqual(b.results, a.results);
  assert.deepEqual(b.score, a.score);

  const { attestations: _a, signoffs: _s, ...older } = saved.facts;
  const old = replaySnapshot({ ...saved, facts: older }, { dir: s.state, explicit: true });
  assert.deepEqual(old.facts.attestations, snapshot.facts.attestations, 'an older snapshot gets the state directory’s');
  assert.deepEqual(evaluateSnapshot(old, s.config, NOW, opts).results, a.results);
});
