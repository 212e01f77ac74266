// Issue 14: the README's CI examples, tested as far as they can be here. The blocks are read from
// README.md ("Installing and running in CI"), not copied: the GitHub Actions and GitLab CI jobs' own
// shell steps run (the image root made from a tarball with their tar line, then their rampart command
// line), and the files their upload steps name must exist and be valid (SARIF with a location on every
// result, JUnit against Jenkins xUnit's schema); the systemd units pass `systemd-analyze verify`, and
// their ExecStart, run twice, keeps a history that `rampart history` and `rampart diff` read.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type TestContext } from 'node:test';
import { parse } from 'yaml';
import { requireCommands, runCli } from '../helpers.js';
import { hostRoot } from '../e2e/hosts.js';

const ROOT = join(import.meta.dirname, '..', '..');
const NOW = '2026-11-28T10:00:00Z';
const JUNIT_XSD = join(ROOT, 'test', 'fixtures', 'schemas', 'junit-10.xsd');

/** The fenced blocks of the README's CI section, by language. */
function blocks(): { lang: string; text: string }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Installing and running in CI');
  assert.ok(start >= 0, 'the README has its CI section');
  const end = readme.indexOf('\n## ', start + 3);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
}

/** A shell line's words (the README's command lines use no quotes), a trailing `# comment` dropped. */
function words(line: string): string[] {
  return line
    .replace(/\s+#.*$/, '')
    .trim()
    .split(/\s+/);
}

/** A work directory with `rootfs.tar`: a fixture host packed as a CI job would get its image. */
function ciWorkdir(t: TestContext): string {
  const work = mkdtempSync(join(tmpdir(), 'rampart-readme-ci-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const host = hostRoot('debian12-default', t);
  const r = spawnSync('tar', ['-cf', join(work, 'rootfs.tar'), '-C', host, '.']);
  assert.equal(r.status, 0, String(r.stderr));
  return work;
}

/** Runs a job's script lines: shell lines with sh, `node bin/rampart.js …` through run() (same argv). */
async function runJob(lines: string[], work: string): Promise<{ ran: string[] }> {
  const ran: string[] = [];
  for (const line of lines) {
    if (/^npm (ci|run build)/.test(line)) continue; // the checkout under test is already built
    const w = words(line);
    if (w[0] === 'node' && w[1] === 'bin/rampart.js') {
      const argv = [...w.slice(2), '--now', NOW];
      const r = await runCli(argv, { cwd: work });
      assert.ok(r.code === 0 || r.code === 1, `${line}: exit ${r.code} ${r.stderr}`);
      assert.match(r.stdout, /^Rampart .* audit of /, 'the text report on the job log');
      ran.push('rampart');
    } else {
      const r = spawnSync('sh', ['-ec', line.replace(/^sudo /, '').replace(/&& sudo /g, '&& ')], { cwd: work, encoding: 'utf8' });
      assert.equal(r.status, 0, `${line}: ${r.stderr}`);
      ran.push('sh');
    }
  }
  return { ran };
}

function assertSarif(file: string): void {
  const log = JSON.parse(readFileSync(file, 'utf8')) as {
    version: string;
    runs: { results: { ruleId: string; locations?: unknown[] }[] }[];
  };
  assert.equal(log.version, '2.1.0');
  const results = log.runs[0]!.results;
  assert.ok(results.length > 5, `${results.length} results`);
  for (const r of results) assert.ok((r.locations ?? []).length > 0, `${r.ruleId} has a location`);
}

function assertJunit(t: TestContext, file: string): void {
  const xml = readFileSync(file, 'utf8');
  assert.match(xml, /^<\?xml[^]*<testsuites name="rampart" tests="\d+" failures="\d+"/);
  if (!requireCommands(t, 'xmllint')) return;
  const r = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('README: GitHub Actions job: its steps make the root, audit it, and write the files its upload steps name', async (t) => {
  const yaml = blocks().find((b) => b.lang === 'yaml' && b.text.includes('runs-on'))!;
  const job = (parse(yaml.text) as { jobs: Record<string, { permissions: Record<string, string>; steps: Record<string, unknown>[] }> }).jobs
    .harden!;
  assert.equal(job.permissions['security-events'], 'write', 'upload-sarif needs security-events: write');
  const runs = job.steps.filter((s) => typeof s.run === 'string').map((s) => s.run as string);
  const work = ciWorkdir(t);
  const { ran } = await runJob(runs, work);
  assert.deepEqual(ran, ['sh', 'rampart']);
  const sarif = job.steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif'))!;
  const sarifFile = (sarif.with as { sarif_file: string }).sarif_file;
  assertSarif(join(work, sarifFile));
  const artifact = job.steps.find((s) => String(s.uses).startsWith('actions/upload-artifact'))!;
  assertJunit(t, join(work, (artifact.with as { path: string }).path));
  assert.equal(sarif.if, 'always()', 'uploads run when the audit exits 1');
});

test('README: GitLab CI job: its script makes the root, audits it, and writes the JUnit report and artifacts it names', async (t) => {
  const yaml = blocks().find((b) => b.lang === 'yaml' && b.text.includes('artifacts'))!;
  const job = (
    parse(yaml.text) as Record<string, { script: string[]; artifacts: { when: string; reports: { junit: string }; paths: string[] } }>
  ).harden!;
  const work = ciWorkdir(t);
  const { ran } = await runJob(job.script, work);
  assert.deepEqual(ran, ['sh', 'rampart']);
  assert.equal(job.artifacts.when, 'always');
  assertJunit(t, join(work, job.artifacts.reports.junit));
  for (const p of job.artifacts.paths) assert.ok(existsSync(join(work, p)), p);
  assertSarif(
    join(
      work,
      job.artifacts.paths.find((p) => p.endsWith('.sarif'))!,
    ),
  );
});

/** The ini block as unit files: each starts at its `# /etc/systemd/system/NAME` line. */
function units(): Map<string, string> {
  const ini = blocks().find((b) => b.lang === 'ini')!.text;
  const out = new Map<string, string>();
  let name: string | null = null;
  for (const line of ini.split('\n')) {
    const m = /^# \/etc\/systemd\/system\/(\S+)$/.exec(line);
    if (m) name = m[1]!;
    else if (name !== null) out.set(name, `${out.get(name) ?? ''}${line}\n`);
  }
  return out;
}

test('README: the systemd service and timer pass systemd-analyze verify (a broken copy does not)', (t) => {
  if (!requireCommands(t, 'systemd-analyze')) return;
  const u = units();
  assert.deepEqual([...u.keys()].sort(), ['rampart-audit.service', 'rampart-audit.timer']);
  const exec = /^ExecStart=(\S+)/m.exec(u.get('rampart-audit.service')!)![1]!;
  // An image root for verify: the system's own units (timers.target, sysinit.target…), the two
  // units, and an executable where ExecStart expects rampart (the global install's bin link).
  const verify = (service: string) => {
    const root = mkdtempSync(join(tmpdir(), 'rampart-units-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'usr', 'lib', 'systemd'), { recursive: true });
    cpSync('/usr/lib/systemd/system', join(root, 'usr', 'lib', 'systemd', 'system'), { recursive: true, verbatimSymlinks: true });
    mkdirSync(join(root, 'etc', 'systemd', 'system'), { recursive: true });
    writeFileSync(join(root, 'etc', 'systemd', 'system', 'rampart-audit.service'), service);
    writeFileSync(join(root, 'etc', 'systemd', 'system', 'rampart-audit.timer'), u.get('rampart-audit.timer')!);
    mkdirSync(join(root, exec, '..'), { recursive: true });
    writeFileSync(join(root, exec), '#!/bin/sh\n');
    chmodSync(join(root, exec), 0o755);
    return spawnSync(
      'systemd-analyze',
      ['verify', `--root=${root}`, '/etc/systemd/system/rampart-audit.timer', '/etc/systemd/system/rampart-audit.service'],
      { encoding: 'utf8', timeout: 60_000 },
    );
  };
  const ok = verify(u.get('rampart-audit.service')!);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stderr.trim(), '', 'no warning either');
  const broken = verify(u.get('rampart-audit.service')!.replace('Type=oneshot', 'Type=oneshoot'));
  assert.match(broken.stderr, /Failed to parse service type/);
});

test("README: the service's ExecStart, run on two nights, writes last.json and last.txt and keeps a history diff reads", async (t) => {
  const service = units().get('rampart-audit.service')!;
  const argv = words(/^ExecStart=(.*)$/m.exec(service)![1]!);
  assert.match(argv[0]!, /\/rampart$/);
  const ok = (/^SuccessExitStatus=(.*)$/m.exec(service)?.[1] ?? '').split(/\s+/).map(Number);
  const state = mkdtempSync(join(tmpdir(), 'rampart-nightly-'));
  t.after(() => rmSync(state, { recursive: true, force: true }));
  // /var/lib/rampart is the default state directory: here a temp one; the host is a fixture root
  const here = argv.slice(1).map((a) => a.replaceAll('/var/lib/rampart', state));
  const root = hostRoot('debian12-default', t);
  for (const night of ['2026-11-27T02:30:00Z', '2026-11-28T02:30:00Z']) {
    const r = await runCli([...here, '--root', root, '--now', night], { env: { RAMPART_STATE_DIR: state } });
    assert.ok(
      r.code === 0 || ok.includes(r.code),
      `exit ${r.code} is a success for systemd (SuccessExitStatus=${ok.join(' ')}): ${r.stderr}`,
    );
    assert.equal(r.stdout, '', 'everything goes to the files');
  }
  assert.ok(JSON.parse(readFileSync(join(state, 'last.json'), 'utf8')));
  assert.match(readFileSync(join(state, 'last.txt'), 'utf8'), /^Rampart /);
  const name = (JSON.parse(readFileSync(join(state, 'last.json'), 'utf8')) as { target: { name: string } }).target.name;
  const hist = JSON.parse((await runCli(['history', '--format', 'json'], { env: { RAMPART_STATE_DIR: state } })).stdout) as {
    runId: string;
    target: { name: string };
  }[];
  assert.equal(hist.filter((h) => h.target.name === name).length, 2, 'two nights, two stored runs');
  const diff = await runCli(['diff', '--target', name], { env: { RAMPART_STATE_DIR: state } });
  assert.ok(diff.code === 0 || diff.code === 1, diff.stderr);
  assert.match(diff.stdout, new RegExp(`^Changes in ${name} from run ${hist[0]!.runId} .* to run ${hist[1]!.runId} `));
});
