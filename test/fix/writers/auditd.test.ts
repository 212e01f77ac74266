// The auditd writer: the ids.auditd recipe's rule lines on an auditd as Debian installs it (rules.d
// with the package's audit.rules), audited again, merged by Debian's own augenrules (a copy pointed at
// the temp dir, as test/ids/augenrules.test.ts does), and a second run adds nothing. The rules are not
// loaded into the kernel: the audit subsystem is not namespaced, and this kernel is shared.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FsTarget } from '../../../src/target/fs-target.js';
import { CHECKS } from '../../../src/checks/index.js';
import { mergeAugenrules } from '../../../src/collect/parse/audit-rules.js';
import { RAMPART_RULES, writer } from '../../../src/fix/writers/auditd.js';
import { makeTree, requireCommands, runCli } from '../../helpers.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'ids', 'audit-rules');
const NOW = '2026-12-01T00:00:00Z';

function auditdRoot(t: TestContext): string {
  return makeTree(
    {
      'etc/audit/rules.d/audit.rules': readFileSync(join(FIX, 'debian-default.fail', 'audit.rules')),
      'usr/sbin/auditd': '',
      'lib/systemd/system/auditd.service': '',
      'etc/systemd/system/multi-user.target.wants/auditd.service': { symlink: '/lib/systemd/system/auditd.service' },
    },
    t,
  );
}

async function runRecipe(root: string): Promise<number> {
  const target = new FsTarget({ root, name: 'auditd' });
  const pending = new Map<string, Uint8Array>();
  for (const step of CHECKS.find((c) => c.id === 'ids.auditd')!.fix!.steps) {
    if (step.kind !== 'set-directive') continue;
    const out = await writer.write({ target, mode: 'root', step, pending });
    assert.ok(out.ok, out.ok ? '' : out.refused);
    for (const c of out.result.changes) pending.set(c.path, c.content);
  }
  for (const [p, c] of pending) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return pending.size;
}

async function auditdStatus(root: string): Promise<{ status: string; summary: string }> {
  const r = await runCli(['audit', '--root', root, '--format', 'json', '--now', NOW, '--no-store', '--only', 'ids.auditd']);
  return (JSON.parse(r.stdout) as { results: { id: string; status: string; summary: string }[] }).results.find(
    (x) => x.id === 'ids.auditd',
  )!;
}

test(
  'ids.auditd recipe: 50-rampart.rules makes the check pass, augenrules merges it as Rampart does, a second run adds nothing',
  { timeout: 120_000 },
  async (t) => {
    const root = auditdRoot(t);
    const s0 = await auditdStatus(root);
    assert.equal(s0.status, 'fail');
    assert.match(s0.summary, /do not watch/);
    assert.equal(await runRecipe(root), 1);
    const text = readFileSync(join(root, RAMPART_RULES), 'utf8');
    assert.equal(text.split('\n').filter((l) => /^-[wa] /.test(l)).length, 8);
    const s1 = await auditdStatus(root);
    assert.equal(s1.status, 'pass', s1.summary);
    const again = new FsTarget({ root, name: 'auditd' });
    for (const step of CHECKS.find((c) => c.id === 'ids.auditd')!.fix!.steps.filter((s) => s.kind === 'set-directive')) {
      const out = await writer.write({ target: again, mode: 'root', step, pending: new Map() });
      assert.ok(out.ok && out.result.changes.length === 0, 'idempotent');
    }
    if (!requireCommands(t, 'augenrules')) return;
    const tmp = mkdtempSync(join(tmpdir(), 'rampart-augen-fix-'));
    t.after(() => rmSync(tmp, { recursive: true, force: true }));
    const dir = join(root, 'etc/audit/rules.d');
    const script = readFileSync(execFileSync('sh', ['-c', 'command -v augenrules'], { encoding: 'utf8' }).trim(), 'utf8')
      .replace(/^DestinationFile=.*$/m, `DestinationFile=${join(tmp, 'audit.rules')}`)
      .replace(/^SourceRulesDir=.*$/m, `SourceRulesDir=${dir}`);
    writeFileSync(join(tmp, 'augenrules'), script);
    chmodSync(join(tmp, 'augenrules'), 0o755);
    const r = spawnSync(join(tmp, 'augenrules'), [], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const files = ['audit.rules', '50-rampart.rules'].map((name) => ({
      name,
      path: `/etc/audit/rules.d/${name}`,
      text: readFileSync(join(dir, name), 'utf8'),
    }));
    const real = readFileSync(join(tmp, 'audit.rules'), 'utf8');
    assert.equal(real.split('\n').slice(1).join('\n'), mergeAugenrules(files, dir).text.split('\n').slice(1).join('\n'));
    assert.match(real, /^-w \/etc\/ssh\/sshd_config -p wa -k sshd$/m);
  },
);

test('auditd writer refuses a rule that does not parse, and a host without rules.d', async (t) => {
  const root = auditdRoot(t);
  const target = new FsTarget({ root, name: 'auditd' });
  const bad = await writer.write({
    target,
    mode: 'root',
    step: { kind: 'set-directive', service: 'auditd', directive: 'rule', value: '-a always,exit -F' },
    pending: new Map(),
  });
  assert.ok(!bad.ok);
  const bare = makeTree({ 'etc/hostname': 'x\n' }, t);
  const none = await writer.write({
    target: new FsTarget({ root: bare, name: 'b' }),
    mode: 'root',
    step: { kind: 'set-directive', service: 'auditd', directive: 'rule', value: '-w /etc/passwd -p wa -k identity' },
    pending: new Map(),
  });
  assert.ok(!none.ok && /install auditd first/.test(none.refused));
});
