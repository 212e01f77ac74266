import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildChecklist, type Checklist } from '../../src/evaluate/checklist.js';
import { renderChecklistMarkdown } from '../../src/report/checklist.js';
import { complianceView } from '../../src/evaluate/compliance.js';
import { CHECKLIST, REQUIREMENTS } from '../../src/catalog/requirements.js';
import type { Report, Result } from '../../src/evaluate/report.js';
import type { Status } from '../../src/checks/verdict.js';
import { attestation } from '../attest/fixtures.js';
import { makeTree, runCli } from '../helpers.js';

const now = new Date('2026-11-28T10:00:00Z');

function reportOf(statuses: Record<string, Status>, fallback: Status = 'pass'): Report {
  const results: Result[] = REQUIREMENTS.filter((r) => r.profile === 'guide').map((r) => ({
    id: r.id,
    section: r.section,
    title: r.title,
    severity: r.severity,
    kind: r.kind,
    status: statuses[r.id] ?? fallback,
    summary: `${r.id} is ${statuses[r.id] ?? fallback}`,
    findings: [],
    remediation: '',
    controls: r.controls,
  }));
  return {
    schemaVersion: 1,
    tool: { name: 'rampart', version: 'test' },
    target: { kind: 'local', name: 'web-1', root: '/' },
    profile: 'guide',
    live: true,
    startedAt: now.toISOString(),
    collectedAt: now.toISOString(),
    durationMs: 1,
    results,
    summary: {} as Report['summary'],
    score: { beforeWaivers: null, afterWaivers: null },
    trend: [],
  };
}

const box = (c: Checklist, id: string) => c.phases.flatMap((p) => p.items).find((i) => i.id === id)!;
const build = (report: Report, atts: ReturnType<typeof attestation>[] = []) =>
  buildChecklist({ report, attestations: atts, now, complete: true, phases: ['pre', 'post'] });

test('checklist: boxes and their ids follow CHECKLIST; Markdown ticks them', () => {
  const c = build(reportOf({}));
  assert.deepEqual(
    c.phases.map((p) => p.items.map((i) => i.text)),
    [CHECKLIST.pre.map((b) => b.text), CHECKLIST.post.map((b) => b.text)],
  );
  assert.deepEqual(
    box(c, 'checklist.pre.1').requirements.map((r) => r.id),
    CHECKLIST.pre[0]!.requirements,
  );
  const md = renderChecklistMarkdown(c);
  assert.match(md, /^- \[x\] Verify firewall rules are configured correctly$/m);
  assert.match(md, /^ {2}- pass `fw\.enabled`: fw\.enabled is pass$/m);
  assert.match(md, /^ {2}- \*ticked by a complete audit run with no failure at or above high severity\*$/m);
});

test('checklist: a failing requirement unticks its box; waived and n/a count as satisfied', () => {
  const c = build(reportOf({ 'fw.enabled': 'fail', 'ssh.protocol-2': 'waived', 'f2b.running': 'na' }));
  assert.equal(box(c, 'checklist.pre.1').ticked, false);
  assert.match(box(c, 'checklist.pre.1').reason, /failing: fw\.enabled/);
  assert.equal(box(c, 'checklist.pre.2').ticked, true);
  assert.equal(box(c, 'checklist.pre.3').ticked, true);
  assert.match(renderChecklistMarkdown(c), /^- \[ \] Verify firewall rules are configured correctly$/m);
});

test("checklist: open requirements (manual, unknown, not run) need the box's own attestation; it never covers a failure", () => {
  const r = reportOf({ 'docker.non-root': 'manual' });
  r.results = r.results.filter((x) => x.id !== 'docker.content-trust');
  assert.equal(box(build(r), 'checklist.pre.5').ticked, false);
  const pass = attestation({ id: 'checklist.pre.5', target: 'web-1' });
  assert.equal(box(build(r, [pass]), 'checklist.pre.5').ticked, true);
  assert.equal(box(build(r, [{ ...pass, status: 'fail' }]), 'checklist.pre.5').ticked, false);
  assert.equal(box(build(r, [{ ...pass, expires: '2026-11-27' }]), 'checklist.pre.5').ticked, false, 'expired');
  const failing = reportOf({ 'docker.non-root': 'fail' });
  assert.equal(box(build(failing, [pass]), 'checklist.pre.5').ticked, false);
});

test('checklist: "Test security configurations" is ticked by a complete run without high/critical failures', () => {
  const low = REQUIREMENTS.find((r) => r.severity === 'low')!.id;
  assert.equal(box(build(reportOf({ [low]: 'fail' })), 'checklist.post.1').ticked, true, 'a low failure does not untick it');
  const high = REQUIREMENTS.find((r) => r.severity === 'high')!.id;
  assert.equal(box(build(reportOf({ [high]: 'warn' })), 'checklist.post.1').ticked, false);
  assert.equal(box(build(reportOf({ [high]: 'unknown' })), 'checklist.post.1').ticked, false);
  assert.equal(
    buildChecklist({ report: reportOf({}), attestations: [], now, complete: false, phases: ['post'] }).phases[0]!.items[0]!.ticked,
    false,
  );
});

test('compliance: a control passes only when all its requirements pass (waived counts, na ignored); manual/unknown → incomplete', () => {
  const v = (statuses: Record<string, Status>) => complianceView(reportOf(statuses, 'na').results, 'gdpr').controls;
  const art17 = (s: Status) => v({ 'gdpr.erasure': s }).find((c) => c.id === 'Art. 17')!;
  assert.equal(art17('pass').status, 'pass');
  assert.equal(art17('waived').status, 'pass');
  assert.equal(art17('manual').status, 'incomplete');
  assert.equal(art17('unknown').status, 'incomplete');
  assert.equal(art17('fail').status, 'fail');
  assert.equal(art17('na').status, 'na');
  const c = v({ 'backup.restore-tested': 'pass', 'fs.encryption-at-rest': 'fail' });
  assert.deepEqual(c.find((x) => x.id === 'Art. 32(1)(c)')!.requirements, ['backup.encrypted', 'backup.restore-tested']);
  assert.equal(c.find((x) => x.id === 'Art. 32(1)(c)')!.status, 'pass', 'backup.encrypted is na: ignored');
  const ids = complianceView(reportOf({}).results, 'iso27001:2013').controls.map((x) => x.id);
  assert.ok(ids.indexOf('A.9.2.3') < ids.indexOf('A.12.6.1'), 'numeric order');
});

test('rampart checklist on an offline root: Markdown, exit 1 while a box is unticked', async (t) => {
  const root = makeTree({ 'etc/hostname': 'web-1\n' }, t);
  const r = await runCli(['checklist', '--root', root, '--phase', 'pre', '--now', '2026-11-28T10:00:00Z']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^## Pre-deployment$/m);
  assert.doesNotMatch(r.stdout, /Post-deployment/);
  assert.match(r.stdout, /^- \[ \] Verify firewall rules are configured correctly$/m);
  const bad = await runCli(['checklist', '--phase', 'during']);
  assert.equal(bad.code, 2);
});
