import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostRoot } from '../e2e/hosts.js';
import { runCli } from '../helpers.js';
import { computeDrift, renderDriftText } from '../../src/fleet/drift.js';
import { parseSnapshot } from '../../src/cli/snapshot-io.js';
import { RecordedTarget, NOT_RECORDED, parseBundle } from '../../src/fleet/recorded-target.js';
import type { FleetDocument, FleetHost } from '../../src/fleet/types.js';

const NOW = '2026-12-01T00:00:00Z';

/** Two real fixture roots collected offline into a facts dir; web02 gets PasswordAuthentication yes. */
async function factsDir(t: import('node:test').TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-fleet-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hosts: [string, string][] = [
    ['web01', 'debian12-hardened'],
    ['web02', 'debian12-hardened'],
    ['db01', 'debian12-default'],
  ];
  for (const [name, fixture] of hosts) {
    const root = hostRoot(fixture, t);
    if (name === 'web02') writeFileSync(join(root, 'etc/ssh/sshd_config.d/00-cloud-init.conf'), 'PasswordAuthentication yes\n');
    const r = await runCli([
      'audit',
      '--root',
      root,
      '--now',
      NOW,
      '--no-store',
      '--save-facts',
      join(dir, `${name}.json`),
      '--format',
      'json',
      '-o',
      '/dev/null',
    ]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
  }
  return dir;
}

test('audit --facts DIR: one fleet document; garbage, truncated and __proto__ files are not assessed, the others go on', async (t) => {
  const dir = await factsDir(t);
  writeFileSync(join(dir, 'garbage.json'), 'not json at all');
  writeFileSync(join(dir, 'cut.json'), readFileSync(join(dir, 'web01.json'), 'utf8').slice(0, 5000));
  writeFileSync(join(dir, 'proto.json'), '{"__proto__": {"polluted": true}}');
  const r = await runCli(['audit', '--facts', dir, '--now', NOW, '--no-store', '--format', 'json']);
  // A host not assessed makes the fleet exit 3 (src/fleet/document.ts fleetExitCode), as with --inventory.
  assert.equal(r.code, 3, r.stderr);
  const doc = JSON.parse(r.stdout) as FleetDocument;
  assert.equal(doc.kind, 'fleet');
  assert.equal(doc.summary.hosts, 6);
  assert.equal(doc.summary.assessed, 3);
  const bad = doc.hosts
    .filter((h) => 'error' in h)
    .map((h) => h.name)
    .sort();
  assert.deepEqual(bad, ['cut', 'garbage', 'proto']);
  for (const h of doc.hosts) if ('error' in h) assert.equal(h.error.kind, 'facts');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const web02 = doc.hosts.find((h) => h.name === 'web02');
  const web01 = doc.hosts.find((h) => h.name === 'web01');
  const pw = (h: FleetHost | undefined) =>
    h && 'report' in h ? h.report.results.find((x) => x.id === 'ssh.password-auth-disabled')?.status : undefined;
  assert.equal(pw(web01), 'pass');
  assert.equal(pw(web02), 'fail');
  assert.equal(doc.summary.byRequirement['ssh.password-auth-disabled']?.fail, 2);
  for (const f of ['markdown', 'html', 'text']) {
    const o = await runCli(['audit', '--facts', dir, '--now', NOW, '--no-store', '--format', f]);
    assert.match(o.stdout, /garbage/);
    assert.match(o.stdout, /web02/);
    assert.match(o.stdout, /✗/);
  }
  const sarif = await runCli(['audit', '--facts', dir, '--now', NOW, '--no-store', '--format', 'sarif']);
  assert.equal(sarif.code, 2);
});

test('fleet drift: PasswordAuthentication grouped with the file:line that set it; --golden', async (t) => {
  const dir = await factsDir(t);
  const snaps = new Map(['web01', 'web02', 'db01'].map((h) => [h, parseSnapshot(readFileSync(join(dir, `${h}.json`), 'utf8'), h)]));
  const d = computeDrift(snaps, { secretKey: Buffer.alloc(32) });
  const pa = d.drift.find((s) => s.key === 'sshd.effective.passwordauthentication');
  assert.ok(pa, renderDriftText(d));
  const yes = pa.groups.find((g) => g.value === 'yes');
  assert.ok(yes, JSON.stringify(pa));
  assert.ok(yes.hosts.includes('web02'));
  assert.ok(
    yes.sources.some((x) => /\/etc\/ssh\/sshd_config\.d\/00-cloud-init\.conf:1$/.test(x.source ?? '')),
    JSON.stringify(yes),
  );
  const golden = computeDrift(snaps, { golden: 'web01', secretKey: Buffer.alloc(32) });
  assert.ok(golden.drift.every((s) => s.groups.length > 1));
  const text = renderDriftText(golden);
  assert.match(text, /sshd\.effective\.passwordauthentication \[golden web01: no\]: .*yes \(.*00-cloud-init\.conf:1\): .*web02/);
  const cli = await runCli(['fleet', 'drift', '--facts', dir, '--golden', 'web01', '--format', 'json']);
  assert.equal(cli.code, 1, cli.stderr);
  assert.ok((JSON.parse(cli.stdout) as { drift: unknown[] }).drift.length > 0);
  // --inventory collects over SSH first (audit --inventory --save-facts); a missing inventory is a usage error.
  const inv = await runCli(['fleet', 'drift', '--inventory', join(dir, 'no-such-hosts.ini')]);
  assert.equal(inv.code, 2);
  assert.match(inv.stderr, /no-such-hosts\.ini/);
});

test('RecordedTarget: what the recording lacks fails as io "not in the recorded payload"', async () => {
  const t = new RecordedTarget('h', {
    requests: [{ op: 'read', path: '/etc/a', maxBytes: 100 }],
    results: [{ op: 'read', ok: true, bytes: Buffer.from('x\n'), size: 2, truncated: false, changed: false }],
  });
  assert.deepEqual(await t.readText('/etc/a'), { ok: true, text: 'x\n', size: 2 });
  const miss = await t.readText('/etc/b');
  assert.equal(miss.ok, false);
  assert.ok(!miss.ok && miss.error === 'io' && miss.message.includes(NOT_RECORDED));
  const st = await t.stat('/etc/a');
  assert.ok(!st.ok && st.error === 'io');
  await assert.rejects(t.glob('/etc/*'), /not in the recorded payload/);
  const run = await t.run(['sshd', '-T']);
  assert.ok(!run.ok && run.reason === 'error');
  assert.equal(parseBundle(Buffer.from('/etc/x\0garbage\0')), null);
  const good = Buffer.concat([Buffer.from('/etc/x\x00' + '81a4 0 0 3 1 2 3\x00abc\x00'), Buffer.from('\0RAMPART-BUNDLE-END\0')]);
  const b = parseBundle(good)!;
  assert.equal(b.get('/etc/x')!.bytes.toString(), 'abc');
  assert.equal(b.get('/etc/x')!.stat.mode, 0o644);
});
