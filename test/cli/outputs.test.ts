// Issue 14, the small ones: -o into a missing directory, CSV host/run-id/BOM, requirements JSON with
// remediation, --baseline, --color/NO_COLOR/FORCE_COLOR.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { colorFor } from '../../src/cli/commands/audit.js';
import { makeTree, runCli } from '../helpers.js';

const NOW = '2026-11-28T10:00:00Z';
// A root where ssh is absent and the patch review is an attestation: a few fail/unknown results.
const root = (t: Parameters<typeof makeTree>[1]) =>
  makeTree({ 'etc/hostname': 'web-7\n', 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' }, t);

test('-o into a missing directory is an error naming it, and creates nothing', async (t) => {
  const dir = root(t);
  const out = join(dir, 'no', 'such', 'dir', 'r.json');
  const r = await runCli(['audit', '--root', dir, '--now', NOW, '--no-store', '--format', 'json', '-o', out]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`the directory ${join(dir, 'no', 'such', 'dir').replace(/[/.]/g, '\\$&')} does not exist`));
  assert.equal(existsSync(join(dir, 'no')), false);
});

test('CSV: host and run_id columns (run id once stored), --csv-bom', async (t) => {
  const dir = root(t);
  const state = mkdtempSync(join(tmpdir(), 'rampart-csv-'));
  t.after(() => rmSync(state, { recursive: true, force: true }));
  const r = await runCli(['audit', '--root', dir, '--now', NOW, '--state-dir', state, '--format', 'csv']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const [head, first] = r.stdout.split('\r\n');
  assert.match(head!, /^host,run_id,id,/);
  const [host, runId] = first!.split(',');
  assert.equal(host, 'web-7');
  const hist = JSON.parse((await runCli(['history', '--state-dir', state, '--format', 'json'])).stdout) as unknown;
  assert.ok(JSON.stringify(hist).includes(`"${runId}"`), `run id ${runId} is the stored run's`);
  assert.ok(runId!.length > 0);
  assert.equal(r.stdout.charCodeAt(0), 0x68, 'no BOM by default');
  const bom = await runCli(['audit', '--root', dir, '--now', NOW, '--no-store', '--format', 'csv', '--csv-bom']);
  assert.equal(bom.stdout.charCodeAt(0), 0xfeff);
  assert.match(bom.stdout, /^\uFEFFhost,run_id,/);
  assert.match(bom.stdout.split('\r\n')[1]!, /^web-7,,/, 'no run id with --no-store');
});

test('requirements --format json includes remediation; explain --format json exists', async () => {
  const list = JSON.parse((await runCli(['requirements', '--format', 'json'])).stdout) as {
    id: string;
    implemented: boolean;
    remediation: string | null;
  }[];
  const root = list.find((r) => r.id === 'ssh.root-login-disabled')!;
  assert.match(root.remediation!, /PermitRootLogin/);
  for (const r of list) if (r.implemented) assert.equal(typeof r.remediation, 'string', r.id);
  const one = await runCli(['explain', 'ssh.root-login-disabled', '--format', 'json']);
  assert.equal(one.code, 0);
  const doc = JSON.parse(one.stdout) as { id: string; remediation: string; severity: string; section: string };
  assert.equal(doc.id, 'ssh.root-login-disabled');
  assert.equal(doc.remediation, root.remediation, 'the same remediation as requirements');
  assert.equal(doc.severity, 'critical');
  assert.equal(doc.section, '2.2');
  const none = await runCli(['explain', 'ssh.nope', '--format', 'json']);
  assert.equal(none.code, 2);
  assert.equal(none.stdout, '', 'no half JSON on stdout');
  assert.match(none.stderr, /no requirement "ssh\.nope"/);
});

test('--baseline: failures in the baseline do not count for the exit code and are named; new ones do', async (t) => {
  const dir = root(t);
  const args = ['audit', '--root', dir, '--now', NOW, '--no-store', '--fail-on', 'info'];
  const plain = await runCli([...args, '--format', 'json']);
  assert.equal(plain.code, 1, 'the root has failures');
  const report = JSON.parse(plain.stdout) as { results: { id: string; status: string }[] };
  const file = join(dir, 'baseline.json');
  writeFileSync(file, plain.stdout);
  const all = await runCli([...args, '--baseline', file]);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stderr, /baselined/);
  // Drop one failure from the baseline: it is new again, so the run fails.
  const failing = report.results.find((r) => r.status === 'fail' || r.status === 'warn')!;
  writeFileSync(file, JSON.stringify({ ...report, results: report.results.filter((r) => r !== failing) }));
  const one = await runCli([...args, '--baseline', file]);
  assert.equal(one.code, 1);
  writeFileSync(file, 'not json');
  const bad = await runCli([...args, '--baseline', file]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--baseline .*not JSON/);
});

test('--color auto|always|never, NO_COLOR, FORCE_COLOR', async (t) => {
  const io = (env: Record<string, string>, isTTY: boolean) => ({ env, isTTY, cwd: '/', stdout: () => {}, stderr: () => {} });
  assert.equal(colorFor('auto', io({}, true)), true);
  assert.equal(colorFor('auto', io({}, false)), false);
  assert.equal(colorFor('auto', io({ NO_COLOR: '1' }, true)), false);
  assert.equal(colorFor('auto', io({ FORCE_COLOR: '1' }, false)), true);
  assert.equal(colorFor('auto', io({ FORCE_COLOR: '0' }, true)), false);
  assert.equal(colorFor('always', io({ NO_COLOR: '1' }, false)), true);
  assert.equal(colorFor('never', io({ FORCE_COLOR: '1' }, true)), false);
  const dir = root(t);
  const r = await runCli(['audit', '--root', dir, '--now', NOW, '--no-store', '--color', 'always']);
  assert.ok(r.stdout.includes('\u001b['));
  const n = await runCli(['audit', '--root', dir, '--now', NOW, '--no-store'], { env: { FORCE_COLOR: '1' } });
  assert.ok(n.stdout.includes('\u001b['));
  const bad = await runCli(['audit', '--root', dir, '--now', NOW, '--no-store', '--color', 'sometimes']);
  assert.equal(bad.code, 2);
});

test("the README's CI and timer command lines: SARIF, JUnit and text at once; json and text to files", async (t) => {
  const dir = root(t);
  const work = mkdtempSync(join(tmpdir(), 'rampart-ci-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const a = await runCli(['audit', '--root', dir, '--no-store', '--now', NOW, '--format', 'sarif:rampart.sarif,junit:rampart.xml,text'], {
    cwd: work,
  });
  assert.ok(a.code === 0 || a.code === 1, a.stderr);
  assert.match(a.stdout, /Rampart|score/i);
  const sarif = JSON.parse(readFileSync(join(work, 'rampart.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0]!.results.length > 0);
  assert.match(readFileSync(join(work, 'rampart.xml'), 'utf8'), /^<\?xml[^]*<testsuites /);
  const b = await runCli([
    'audit',
    '--root',
    dir,
    '--state-dir',
    join(work, 'state'),
    '--now',
    NOW,
    '--format',
    `json:${join(work, 'last.json')},text:${join(work, 'last.txt')}`,
  ]);
  assert.ok(b.code === 0 || b.code === 1, b.stderr);
  assert.equal(b.stdout, '');
  assert.ok(JSON.parse(readFileSync(join(work, 'last.json'), 'utf8')));
  assert.ok(readFileSync(join(work, 'last.txt'), 'utf8').length > 0);
});

test('text: score and counts first, failures by severity, --quiet, --severity, evidence cut to the terminal width', async (t) => {
  const dir = root(t);
  const base = ['audit', '--root', dir, '--now', NOW, '--no-store'];
  const full = await runCli(base);
  const lines = full.stdout.split('\n');
  assert.match(lines[1]!, /^Score: /);
  assert.match(lines[2]!, /^Summary: /);
  assert.match(full.stdout, /\nFailures \(\d+, by severity\):\n/);
  const fails = full.stdout.split('Failures (')[1]!.split('\n\n')[0]!.split('\n').slice(1);
  const ranks = fails.map((l) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(l.trim().split(/\s+/)[0]!));
  assert.deepEqual(
    ranks,
    [...ranks].sort((a, b) => a - b),
    'critical first',
  );
  const quiet = await runCli([...base, '--quiet']);
  assert.doesNotMatch(quiet.stdout, /^ {2}\S*PASS /m);
  assert.match(full.stdout, /PASS|N\/A|UNKNOWN/);
  assert.equal(quiet.code, full.code);
  const sev = await runCli([...base, '--severity', 'critical']);
  assert.match(sev.stdout, /Showing severities critical only/);
  assert.doesNotMatch(sev.stdout.split('Failures')[1]!, /\[(high|medium|low|info)\]/);
  assert.equal(sev.code, full.code, '--severity does not change the exit code');
  assert.equal((await runCli([...base, '--severity', 'urgent'])).code, 2);
});
