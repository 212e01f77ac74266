import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { renderJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/evaluate/report.js';
import { requireCommands, runCli } from '../helpers.js';
import { hostRoot } from '../e2e/hosts.js';
import { bigReport, finding, fixtureReport, reportOf, result } from './fixture.js';
import { SCHEMAS_DIR } from './golden.js';

// The schema a JUnit consumer validates its input against: Jenkins xUnit's junit-10.xsd (the plugin
// rejects a report that does not validate). See test/fixtures/schemas/SOURCE.md.
const XSDS = ['junit-10.xsd'];

function xmllint(t: TestContext, xml: string, xsd: string): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-junit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'r.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', join(SCHEMAS_DIR, xsd), file], { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

function assertValid(t: TestContext, xml: string): void {
  for (const xsd of XSDS) {
    const r = xmllint(t, xml, xsd);
    assert.ok(r.ok, `${xsd}: ${r.out}`);
  }
}

test('xmllint rejects what the schemas forbid (the check can fail)', (t) => {
  if (!requireCommands(t, 'xmllint')) return;
  const xml = renderJunit(fixtureReport());
  assert.ok(xmllint(t, xml, 'junit-10.xsd').ok);
  assert.equal(xmllint(t, xml.replace('<testsuites ', '<testsuites bogus="1" '), 'junit-10.xsd').ok, false);
  // why the root has no `skipped` total: the consumer's schema has no such attribute there
  assert.equal(xmllint(t, xml.replace('<testsuites ', '<testsuites skipped="1" '), 'junit-10.xsd').ok, false);
  assert.equal(xmllint(t, xml.replace(/(<testsuite [^>]*) tests="\d+"/, '$1'), 'junit-10.xsd').ok, false);
  assert.equal(xmllint(t, xml.replace(/<testsuites ([^>]*)time="[^"]*"/, '<testsuites $1time="1.2s"'), 'junit-10.xsd').ok, false);
});

test('root totals add up over the suites; times are seconds: root = the run, suite = its slowest testcase', () => {
  const report = fixtureReport();
  const xml = renderJunit(report);
  const root = /<testsuites ([^>]*)>/.exec(xml)![1]!;
  const attr = (tag: string, name: string) => Number(new RegExp(`\\b${name}="([^"]*)"`).exec(tag)![1]);
  const suites = [...xml.matchAll(/<testsuite ([^>]*)>/g)].map((m) => m[1]!);
  assert.ok(suites.length > 1);
  const failing = report.results.filter((r) => r.status === 'fail' || r.status === 'warn').length;
  assert.equal(attr(root, 'tests'), report.results.length);
  assert.equal(attr(root, 'failures'), failing);
  assert.ok(failing > 0);
  assert.equal(attr(root, 'errors'), 0);
  assert.equal(
    suites.reduce((n, s) => n + attr(s, 'tests'), 0),
    attr(root, 'tests'),
  );
  assert.equal(
    suites.reduce((n, s) => n + attr(s, 'failures'), 0),
    attr(root, 'failures'),
  );
  assert.match(root, /^name="rampart" /);
  assert.match(root, / time="0\.412"/, 'durationMs 412');
  // section 2.2: ssh.root-login-disabled took 1234 ms to collect, accounts.sudo-for-admin 900 ms;
  // section 3.2: ssh.password-auth-disabled 250 ms
  assert.match(xml, /name="ssh\.root-login-disabled: [^"]*" time="1\.234"/);
  assert.match(xml, /name="accounts\.sudo-for-admin: [^"]*" time="0\.900"/);
  assert.match(xml, /name="ssh\.password-auth-disabled: [^"]*" time="0\.250"/);
  assert.match(
    suites.find((s) => s.includes('name="2.2 '))!,
    / time="1\.234"/,
    'the slowest, not the sum: collectors run concurrently',
  );
  assert.match(
    suites.find((s) => s.includes('name="3.2 '))!,
    / time="0\.250"/,
  );
  assert.ok(
    suites.some((s) => / time="0\.000"/.test(s)),
    'a suite without timings reports 0',
  );
});

test('the fixture report validates against both JUnit schemas', (t) => {
  if (!requireCommands(t, 'xmllint')) return;
  assertValid(t, renderJunit(fixtureReport()));
});

test('host strings with markup, quotes, control characters and lone surrogates stay well-formed and valid', (t) => {
  if (!requireCommands(t, 'xmllint')) return;
  const nasty = 'a\u0000b\u001b[31m\u0007 "q" \'s\' <x/> & ]]> \uD800 \uFFFF';
  const report = reportOf(
    [result('fs.no-world-writable', 'fail', nasty, [finding({ message: nasty, path: `/tmp/${nasty}`, line: 1, excerpt: nasty })])],
    {
      target: { kind: 'local', name: nasty, root: '/' },
    },
  );
  const xml = renderJunit(report);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\uD800\uFFFF]/);
  assert.match(xml, /a\\x00b\\x1b\[31m\\x07/);
  assertValid(t, xml);
});

test('fail and warn are failures with the evidence; na/manual/unknown skipped with the reason; waived skipped with the waiver', () => {
  const xml = renderJunit(fixtureReport());
  const testcases = [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)" time="[\d.]+"(\/>|>[\s\S]*?<\/testcase>)/g)];
  assert.equal(testcases.length, fixtureReport().results.length);
  const tc = (id: string) => testcases.find((m) => m[2]!.startsWith(`${id}: `))![3]!;
  assert.match(
    tc('ssh.root-login-disabled'),
    /<failure type="fail" message="PermitRootLogin is &quot;yes&quot;[^"]*">[\s\S]*\/etc\/ssh\/sshd_config\.d\/10-cloud\.conf:3[\s\S]*remediation: Remediation for ssh\.root-login-disabled/,
  );
  assert.match(tc('fw.allowed-ports-only'), /<failure type="warn"[\s\S]*\$ iptables-save/);
  assert.match(tc('fs.encryption-at-rest'), /<skipped message="na: No data volume configured"\/>/);
  assert.match(tc('patch.weekly-review'), /<skipped message="manual: /);
  assert.match(tc('fs.mandatory-access-control'), /<skipped message="unknown: Could not determine/);
  assert.match(
    tc('accounts.sudo-for-admin'),
    /<skipped message="waived: Legacy host, decommissioned in Q1 &lt;b&gt;2027&lt;\/b&gt;; approved by Security lead; expires 2027-03-31/,
  );
  assert.equal(tc('patch.auto-security-updates'), '/>');
  assert.match(xml, /classname="rampart\.ssh" name="ssh\.root-login-disabled: Root login over SSH is disabled"/);
  // newline in a file name stays on its line
  assert.match(xml, /\/app\/uploads\/evil\\nname\.txt/);
});

test('suite counts add up per section', () => {
  const xml = renderJunit(fixtureReport());
  const suite = /<testsuite name="2\.2 User account management"[^>]*>/.exec(xml)![0];
  assert.match(suite, /tests="3" failures="2" errors="0" skipped="1"/);
});

test('a real audit of the debian12-default fixture host renders valid JUnit (and 10,000 findings stay valid)', async (t) => {
  if (!requireCommands(t, 'xmllint')) return;
  const root = hostRoot('debian12-default', t);
  const r = await runCli(['audit', '--root', root, '--format', 'json', '--no-store']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  const xml = renderJunit(report);
  assert.equal((xml.match(/<testcase /g) ?? []).length, report.results.length);
  const timed = report.results.filter((x) => typeof x.collectMs === 'number');
  assert.ok(timed.length > report.results.length / 2, `${timed.length} of ${report.results.length} results carry their collection time`);
  for (const x of timed) assert.ok(xml.includes(`name="${x.id}: `) && x.collectMs! >= 0);
  assertValid(t, xml);
  assertValid(t, renderJunit(bigReport(10_000)));
});
