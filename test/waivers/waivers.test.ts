import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText } from '../../src/cli/config-load.js';
import { DEFAULT_CONFIG, type Waiver } from '../../src/config/schema.js';
import { CHECKS } from '../../src/checks/index.js';
import { evaluate } from '../../src/evaluate/engine.js';
import { applyWaivers, isExpired, matchPathGlob, namesService, skipWaivedChecks } from '../../src/evaluate/waivers.js';
import { renderText } from '../../src/report/text.js';
import { snapshotOf } from '../helpers.js';
import { finding, report, result } from '../store/fixture.js';

const NOW = new Date('2026-11-28T10:00:00Z');
const ctx = { now: NOW, targetName: 'web-1' };
const w = (over: Partial<Waiver> & Pick<Waiver, 'id'>): Waiver => ({ reason: 'accepted risk', run_check: true, ...over });

function configError(yaml: string): string {
  try {
    parseConfigText(yaml, 'c.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected a configuration error');
}

test('a malformed waiver is a configuration error naming its line', () => {
  const cases: [string, RegExp][] = [
    ['waivers:\n  - id: ssh.nope\n    reason: x\n', /c\.yaml:2: waivers\.0\.id: unknown requirement id "ssh\.nope"/],
    ['waivers:\n  - id: fw.enabled\n    approved_by: bob\n', /c\.yaml:2: waivers\.0\.reason: a waiver needs a reason/],
    ['waivers:\n  - id: fw.enabled\n    reason: ""\n', /c\.yaml:3: waivers\.0\.reason: a waiver needs a reason/],
    [
      'waivers:\n  - id: fw.enabled\n    reason: x\n    expires: 31.12.2026\n',
      /c\.yaml:4: waivers\.0\.expires: expected a date YYYY-MM-DD/,
    ],
    ['waivers:\n  - id: fw.enabled\n    reason: x\n    expires: 2026-02-30\n', /c\.yaml:4: waivers\.0\.expires: not a calendar date/],
    ['waivers:\n  - id: fw.enabled\n    reason: x\n    expiry: 2026-12-31\n', /c\.yaml:4: waivers\.0: unknown key: expiry/],
    ['waivers:\n  - id: fw.enabled\n    reason: x\n    scope:\n      paths: /etc\n', /c\.yaml:5: waivers\.0\.scope: unknown key: paths/],
    ['waivers:\n  - id: fw.enabled\n    reason: x\n    source: { path: /x, line: 1 }\n', /c\.yaml:4: waivers\.0: unknown key: source/],
    [
      'waivers:\n  - id: fw.enabled\n    reason: x\n    run_check: false\n    scope: { path: /etc/* }\n',
      /c\.yaml:4: waivers\.0\.run_check: run_check: false cannot be combined/,
    ],
  ];
  for (const [yaml, re] of cases) assert.match(configError(yaml), re, yaml);
});

test('a valid waiver records where it is written', () => {
  const c = parseConfigText(
    'app_dirs: [/app]\nwaivers:\n  - id: fw.enabled\n    reason: upstream firewall\n    approved_by: alice\n    expires: 2026-12-31\n    scope: { host: "web-*" }\n',
    'c.yaml',
  );
  assert.deepEqual(c.waivers, [
    {
      id: 'fw.enabled',
      reason: 'upstream firewall',
      approved_by: 'alice',
      expires: '2026-12-31',
      scope: { host: 'web-*' },
      run_check: true,
      source: { path: 'c.yaml', line: 3 },
    },
  ]);
});

test('expiry is inclusive and UTC', () => {
  const x = w({ id: 'fw.enabled', expires: '2026-11-28' });
  assert.equal(isExpired(x, new Date('2026-11-28T23:59:59.999Z')), false);
  assert.equal(isExpired(x, new Date('2026-11-29T00:00:00Z')), true);
  assert.equal(isExpired(w({ id: 'fw.enabled' }), new Date('2999-01-01T00:00:00Z')), false);
});

test('path globs: * stays in a component, ** spans components', () => {
  assert.ok(matchPathGlob('/etc/ssh/*.conf', '/etc/ssh/a.conf'));
  assert.ok(!matchPathGlob('/etc/ssh/*.conf', '/etc/ssh/sshd_config.d/a.conf'));
  assert.ok(matchPathGlob('/srv/**', '/srv/a/b/c'));
  assert.ok(matchPathGlob('/srv/**/x', '/srv/x'));
  assert.ok(!matchPathGlob('/srv/**', '/srvx/a'));
});

test('service names match whole words of a finding, with or without .service', () => {
  assert.ok(namesService('redis-server', finding('redis-server (pid 7) listens on 0.0.0.0:6379/tcp')));
  assert.ok(namesService('redis-server', finding('x', null, null, 'systemctl is-active redis-server.service')));
  assert.ok(namesService('postgres*', finding('postgresql listens on *:5432')));
  assert.ok(!namesService('redis', finding('redis-server (pid 7) listens on 0.0.0.0:6379/tcp')));
});

test('a waived failure stays in the report with its reason; scores before and after differ', () => {
  const r = report([
    result('fw.enabled', 'fail', [finding('no firewall')], 'critical'),
    result('ssh.root-login-disabled', 'pass', [], 'critical'),
  ]);
  const out = applyWaivers(
    r,
    [w({ id: 'fw.enabled', approved_by: 'alice', expires: '2026-12-31', source: { path: 'c.yaml', line: 3 } })],
    ctx,
  );
  const fw = out.results[0]!;
  assert.equal(fw.status, 'waived');
  assert.deepEqual(fw.waiver, { reason: 'accepted risk', approvedBy: 'alice', expires: '2026-12-31', state: 'active', source: 'c.yaml:3' });
  assert.deepEqual(fw.findings, r.results[0]!.findings, 'evidence is kept');
  assert.equal(out.summary.waived, 1);
  assert.equal(out.summary.fail, 0);
  assert.deepEqual(out.score, { beforeWaivers: 50, afterWaivers: 100 });
  const text = renderText(out, { color: false });
  assert.match(text, /WAIVED\s+fw\.enabled/);
  assert.match(text, /waived: accepted risk \(approved by alice, until 2026-12-31, c\.yaml:3\)/);
  assert.match(text, /Score: 50\.0% before waivers, 100\.0% after/);
});

test('an expired waiver turns the result back to fail with a note', () => {
  const r = report([result('fw.enabled', 'fail', [finding('no firewall')])]);
  const out = applyWaivers(r, [w({ id: 'fw.enabled', expires: '2026-11-27', source: { path: 'c.yaml', line: 3 } })], ctx);
  const fw = out.results[0]!;
  assert.equal(fw.status, 'fail');
  assert.equal(fw.waiver?.state, 'expired');
  assert.match(fw.summary, /waiver expired on 2026-11-27/);
  assert.deepEqual(fw.findings.at(-1), {
    message: 'waiver expired on 2026-11-27: accepted risk',
    path: 'c.yaml',
    line: 3,
    command: null,
    excerpt: null,
  });
  assert.match(renderText(out, { color: false }), /fw\.enabled: EXPIRED on 2026-11-27/);
});

test('a waiver on a pass is reported as not needed and never makes it waived; unknown is never waived', () => {
  const r = report([result('fw.enabled', 'pass'), result('fw.default-deny-incoming', 'unknown')]);
  const out = applyWaivers(r, [w({ id: 'fw.enabled' }), w({ id: 'fw.default-deny-incoming' })], ctx);
  assert.equal(out.results[0]!.status, 'pass');
  assert.equal(out.results[0]!.waiver, undefined);
  assert.match(out.results[0]!.findings[0]!.message, /waiver not needed/);
  assert.equal(out.results[1]!.status, 'unknown');
  assert.match(out.results[1]!.findings[0]!.message, /waiver not applied/);
});

test('host scope matches the target name; warn can be waived', () => {
  const r = report([result('fw.enabled', 'warn', [finding('partial')])]);
  assert.equal(applyWaivers(r, [w({ id: 'fw.enabled', scope: { host: 'db-*' } })], ctx).results[0]!.status, 'warn');
  assert.equal(applyWaivers(r, [w({ id: 'fw.enabled', scope: { host: 'web-*' } })], ctx).results[0]!.status, 'waived');
});

test('path scope: all findings covered → waived; some → still fail, covered findings marked', () => {
  const findings = [
    finding('world-writable', '/srv/cache/a', null),
    finding('world-writable', '/srv/cache/b/c', null),
    finding('world-writable', '/etc/x', null),
  ];
  const r = report([result('fs.no-world-writable', 'fail', findings)]);
  const all = applyWaivers(
    r,
    [
      w({ id: 'fs.no-world-writable', scope: { path: '/srv/cache/**' } }),
      w({ id: 'fs.no-world-writable', reason: 'etc ok', scope: { path: '/etc/*' } }),
    ],
    ctx,
  );
  assert.equal(all.results[0]!.status, 'waived');
  const some = applyWaivers(r, [w({ id: 'fs.no-world-writable', scope: { path: '/srv/cache/**' } })], ctx).results[0]!;
  assert.equal(some.status, 'fail');
  assert.equal(some.waiver, undefined);
  assert.match(some.summary, /\(2 of 3 findings waived\)/);
  assert.deepEqual(
    some.findings.map((f) => f.message.startsWith('waived (accepted risk): ')),
    [true, true, false],
  );
});

test('run_check: false → the check is not run and is reported waived; an expired one lets it run', () => {
  const check = CHECKS.find((c) => c.id === 'fw.enabled')!;
  const exploding = {
    ...check,
    evaluate: () => {
      throw new Error('the check ran');
    },
  };
  const waivers = [w({ id: 'fw.enabled', run_check: false, source: { path: 'c.yaml', line: 2 } })];
  const snapshot = snapshotOf({});
  const opts = { profile: 'guide' as const, startedAt: NOW.toISOString(), durationMs: 0, config: DEFAULT_CONFIG };
  const out = applyWaivers(evaluate(snapshot, { ...opts, checks: skipWaivedChecks([exploding], waivers, ctx) }), waivers, ctx);
  const r = out.results[0]!;
  assert.equal(r.status, 'waived');
  assert.equal(r.summary, 'Not run, waived: accepted risk');
  assert.equal(r.findings[0]!.message, 'not run, waived');
  assert.equal(r.waiver?.state, 'active');
  const expired = [w({ id: 'fw.enabled', run_check: false, expires: '2026-01-01' })];
  const ran = evaluate(snapshot, { ...opts, checks: skipWaivedChecks([exploding], expired, ctx) });
  assert.match(ran.results[0]!.summary, /the check ran|not collected/);
});
