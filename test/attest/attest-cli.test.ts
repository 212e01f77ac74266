import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTree, runCli } from '../helpers.js';
import { applyAttestations } from '../../src/evaluate/attestations.js';
import type { Report, Result } from '../../src/evaluate/report.js';
import { attestation, attestationFacts } from './fixtures.js';

function stateDir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'rampart-attest-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return join(d, 'state');
}

test('attest records an answer (state dir 0700, file 0600) and audit reports it; expired → fail', async (t) => {
  const state = stateDir(t);
  const root = makeTree({ 'etc/hostname': 'web-1\n' }, t); // the audit of --root names the target web-1 (its /etc/hostname)
  const a = await runCli([
    'attest',
    'ir.plan',
    '--status',
    'pass',
    '--by',
    'alice',
    '--date',
    '2026-11-20',
    '--expires',
    '10d',
    '--note',
    'v3 reviewed',
    '--evidence',
    'https://wiki/ir',
    '--target',
    'web-1',
    '--state-dir',
    state,
    '--now',
    '2026-11-21T09:00:00Z',
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(statSync(state).mode & 0o777, 0o700);
  assert.equal(statSync(join(state, 'attestations.json')).mode & 0o777, 0o600);
  const stored = JSON.parse(readFileSync(join(state, 'attestations.json'), 'utf8')) as { attestations: { expires: string }[] };
  assert.equal(stored.attestations[0]!.expires, '2026-11-30');

  const audit = async (now: string) => {
    const r = await runCli([
      'audit',
      '--root',
      root,
      '--only',
      'ir,gdpr',
      '--no-store',
      '--format',
      'json',
      '--now',
      now,
      '--state-dir',
      state,
    ]);
    return JSON.parse(r.stdout) as Report;
  };
  const ok = await audit('2026-11-30T23:00:00Z');
  const plan = ok.results.find((r) => r.id === 'ir.plan')!;
  assert.equal(plan.status, 'pass');
  assert.match(plan.findings[0]!.message, /attested pass by alice.*note: v3 reviewed; evidence: https:\/\/wiki\/ir/);
  assert.equal(ok.results.find((r) => r.id === 'gdpr.erasure')!.status, 'manual');
  const late = await audit('2026-12-01T00:00:00Z');
  assert.equal(late.results.find((r) => r.id === 'ir.plan')!.status, 'fail');
  assert.match(late.results.find((r) => r.id === 'ir.plan')!.summary, /attestation expired on 2026-11-30/);

  const other = await runCli([
    'audit',
    '--root',
    makeTree({}, t),
    '--only',
    'ir',
    '--no-store',
    '--format',
    'json',
    '--now',
    '2026-11-28T00:00:00Z',
    '--state-dir',
    state,
  ]);
  assert.equal((JSON.parse(other.stdout) as Report).results[0]!.status, 'manual', 'another target does not see it');

  const list = await runCli(['attest', '--list', '--format', 'json', '--state-dir', state]);
  assert.equal(list.code, 0);
  assert.equal((JSON.parse(list.stdout) as unknown[]).length, 1);
});

test('attest refuses what is not an attestation/evidence requirement or a checklist box (exit 2, why)', async (t) => {
  const state = stateDir(t);
  const ok = ['--status', 'pass', '--by', 'alice'];
  const cases: [string[], RegExp][] = [
    [['ssh.root-login-disabled', ...ok], /automated requirement/],
    [['no.such-id', ...ok], /unknown id "no\.such-id"/],
    [['checklist.pre.6', ...ok], /not a checklist box \(checklist\.pre\.1–5/],
    [['checklist.post.1', '--status', 'maybe', '--by', 'alice'], /--status pass or --status fail/],
    [['ir.plan', '--status', 'pass'], /--by NAME is required/],
    [['ir.plan', ...ok, '--date', '2026-02-30', '--now', '2026-03-01'], /not a date/],
    [['ir.plan', ...ok, '--date', '2026-11-21', '--now', '2026-11-20T23:00:00Z'], /in the future/],
    [['ir.plan', ...ok, '--date', '2026-11-20', '--expires', '10d', '--now', '2026-12-01'], /would already have expired \(2026-11-30\)/],
    [['ir.plan', ...ok, '--now', 'yesterday'], /--now: "yesterday" is not a date/],
  ];
  for (const [args, why] of cases) {
    const r = await runCli(['attest', ...args, '--state-dir', state]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, why, args.join(' '));
  }
  assert.throws(() => statSync(join(state, 'attestations.json')), 'nothing recorded');
  const box = await runCli(['attest', 'checklist.post.4', '--status', 'pass', '--by', 'alice', '--state-dir', state]);
  assert.equal(box.code, 0, box.stderr);
});

const result = (over: Partial<Result>): Result => ({
  id: 'log.alerts',
  section: '5.1',
  title: 't',
  severity: 'medium',
  kind: 'evidence',
  status: 'manual',
  summary: 'no alert destination found',
  findings: [],
  remediation: 'r',
  controls: { 'iso27001:2013': [], 'iso27001:2022': [], gdpr: [] },
  ...over,
});
const report = (results: Result[]) => ({ results, summary: {}, score: {} }) as unknown as Report;

test('applyAttestations: an evidence requirement is decided by its attestation only where its check says manual', () => {
  const facts = attestationFacts(attestation({ id: 'log.alerts' }), attestation({ id: 'backup.offsite', status: 'pass' }));
  const now = new Date('2026-11-28T10:00:00Z');
  const out = applyAttestations(
    report([result({}), result({ id: 'backup.offsite', status: 'fail', summary: 'no remote repository' })]),
    facts,
    now,
  );
  assert.equal(out.results[0]!.status, 'pass');
  assert.equal(out.results[1]!.status, 'fail', 'host evidence wins over an attestation');
  assert.equal(out.summary.pass, 1);
  const expired = applyAttestations(report([result({})]), attestationFacts(attestation({ id: 'log.alerts', expires: '2026-11-27' })), now);
  assert.equal(expired.results[0]!.status, 'fail');
  assert.match(expired.results[0]!.summary, /attestation expired on 2026-11-27/);
});

test('date-bomb rule: runCli refuses a dated argument without --now; RAMPART_NOW is the CLI clock', async (t) => {
  await assert.rejects(runCli(['attest', 'ir.plan', '--status', 'pass', '--by', 'a', '--date', '2026-11-20']), /date bomb/);
  const state = stateDir(t);
  const env = { RAMPART_NOW: '2030-01-02T00:00:00Z' };
  const r = await runCli(
    ['attest', 'ir.plan', '--status', 'pass', '--by', 'a', '--date', '2030-01-01', '--expires', '1d', '--state-dir', state],
    { env },
  );
  assert.equal(r.code, 0, r.stderr);
  const list = await runCli(['attest', '--list', '--format', 'json', '--state-dir', state], { env });
  assert.equal((JSON.parse(list.stdout) as { expired: boolean }[])[0]!.expired, false, 'judged at RAMPART_NOW, not the real clock');
  const bad = await runCli(['attest', '--list', '--state-dir', state], { env: { RAMPART_NOW: 'soon' } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /RAMPART_NOW: "soon" is not a date/);
});
