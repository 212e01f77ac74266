// The fixed root passes the check: the Debian-default host, each recipe's set-directive steps applied
// by its writer (a command step's effect put in place by hand: offline roots run no commands), then
// the real CLI's audit on the result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FsTarget } from '../../../src/target/fs-target.js';
import { CHECKS } from '../../../src/checks/index.js';
import type { DirectiveWriter } from '../../../src/fix/writers/types.js';
import { writer as fail2ban } from '../../../src/fix/writers/fail2ban.js';
import { writer as apt } from '../../../src/fix/writers/apt.js';
import { writer as redis } from '../../../src/fix/writers/redis.js';
import { caseRoot } from '../../redis/fixture.js';
import { runCli } from '../../helpers.js';
import { hostRoot } from '../../e2e/hosts.js';

const WRITERS: Partial<Record<string, DirectiveWriter>> = { fail2ban, apt, redis };
const NOW = '2026-12-01T00:00:00Z';

async function statuses(root: string): Promise<Map<string, { status: string; summary: string }>> {
  const r = await runCli(['audit', '--root', root, '--format', 'json', '--now', NOW, '--no-store']);
  const j = JSON.parse(r.stdout) as { results: { id: string; status: string; summary: string }[] };
  return new Map(j.results.map((x) => [x.id, x]));
}

async function applyRecipe(root: string, id: string): Promise<void> {
  const recipe = CHECKS.find((c) => c.id === id)?.fix;
  assert.ok(recipe, `${id} has a recipe`);
  const target = new FsTarget({ root, name: 'fixed' });
  for (const step of recipe.steps) {
    if (step.kind !== 'set-directive') continue;
    const w = WRITERS[step.service];
    assert.ok(w, `writer for ${step.service}`);
    const out = await w.write({ target, mode: 'root', step, pending: new Map() });
    assert.ok(out.ok, out.ok ? '' : out.refused);
    for (const c of out.result.changes) {
      mkdirSync(dirname(join(root, c.path)), { recursive: true });
      writeFileSync(join(root, c.path), c.content);
    }
  }
}

test('debian12-default: the f2b recipe makes f2b.log-source, f2b.running and f2b.sshd-jail pass', { timeout: 120_000 }, async (t) => {
  const root = hostRoot('debian12-default', t);
  const before = await statuses(root);
  for (const id of ['f2b.log-source', 'f2b.running', 'f2b.sshd-jail']) assert.equal(before.get(id)?.status, 'fail', id);
  await applyRecipe(root, 'f2b.log-source');
  // The recipe's command step (apt-get install python3-systemd), as the package leaves it.
  mkdirSync(join(root, 'usr/lib/python3/dist-packages/systemd'), { recursive: true });
  writeFileSync(join(root, 'usr/lib/python3/dist-packages/systemd/journal.py'), '');
  const after = await statuses(root);
  for (const id of ['f2b.log-source', 'f2b.running', 'f2b.sshd-jail'])
    assert.equal(after.get(id)?.status, 'pass', `${id}: ${after.get(id)?.summary ?? ''}`);
  // The apt keys: only "unattended-upgrades is not installed" is left (its command step).
  await applyRecipe(root, 'patch.auto-security-updates');
  const p = (await statuses(root)).get('patch.auto-security-updates');
  assert.equal(p?.status, 'fail');
  assert.doesNotMatch(p?.summary ?? '', /APT::Periodic::(Update-Package-Lists|Unattended-Upgrade) is not set/);
  assert.match(p?.summary ?? '', /unattended-upgrades is not installed/);
});

test('redis bind-all.fail: the redis.bind-local recipe makes the check pass', { timeout: 120_000 }, async (t) => {
  const root = caseRoot(t, 'bind-all.fail');
  assert.equal((await statuses(root)).get('redis.bind-local')?.status, 'fail');
  await applyRecipe(root, 'redis.bind-local');
  const after = (await statuses(root)).get('redis.bind-local');
  assert.equal(after?.status, 'pass', after?.summary);
});
