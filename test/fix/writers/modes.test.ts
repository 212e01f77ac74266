// tighten-modes steps (fs.app-permissions, fs.no-world-writable) through the real CLI on a copy of
// the Debian-default fixture with an /app tree and world-writable files: fix --apply --root, then the
// audit passes; bits are only removed, a listed executable keeps 0755, directories are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers.js';
import { fixtureRoot } from '../fixture-root.js';

const NOW = ['--now', '2026-12-01T00:00:00Z'];
const IDS = 'fs.app-permissions,fs.no-world-writable';

async function statuses(root: string, state: string, extra: string[] = []): Promise<Map<string, { status: string; summary: string }>> {
  const r = await runCli([
    'audit',
    '--root',
    root,
    '--state-dir',
    state,
    '--format',
    'json',
    '--no-store',
    '--only',
    IDS,
    ...extra,
    ...NOW,
  ]);
  return new Map((JSON.parse(r.stdout) as { results: { id: string; status: string; summary: string }[] }).results.map((x) => [x.id, x]));
}

test(
  'tighten-modes: app files back to 0644 (a listed executable 0755), world-writable files lose o+w; both checks pass after',
  { timeout: 180_000 },
  async (t) => {
    const w = fixtureRoot(t);
    const app = join(w.root, 'app');
    mkdirSync(join(app, 'static'), { recursive: true });
    chmodSync(app, 0o755);
    chmodSync(join(app, 'static'), 0o755);
    const files: [string, number, number][] = [
      ['app/manage.py', 0o775, 0o755],
      ['app/settings.py', 0o664, 0o644],
      ['app/static/site.css', 0o666, 0o644],
      ['app/run.sh', 0o4755, 0o644],
      ['etc/rampart-test.conf', 0o666, 0o664],
      ['usr/local/share/notes.txt', 0o777, 0o775],
    ];
    for (const [p, mode] of files) {
      mkdirSync(join(w.root, p, '..'), { recursive: true });
      writeFileSync(join(w.root, p), `${p}\n`);
      chmodSync(join(w.root, p), mode);
    }
    const config = join(w.dir, 'rampart.yaml');
    writeFileSync(config, 'app_executables: [/app/manage.py]\n');
    const cfg = ['--config', config];
    const s0 = await statuses(w.root, w.state, cfg);
    assert.equal(s0.get('fs.app-permissions')?.status, 'fail', s0.get('fs.app-permissions')?.summary);
    assert.equal(s0.get('fs.no-world-writable')?.status, 'fail', s0.get('fs.no-world-writable')?.summary);
    const dry = await runCli(['fix', '--root', w.root, '--state-dir', w.state, '--only', IDS, ...cfg, ...NOW]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /mode .*\/app\/settings\.py|\/app\/settings\.py.*0644/);
    const r = await runCli(['fix', '--root', w.root, '--state-dir', w.state, '--apply', '--only', IDS, ...cfg, ...NOW]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const [p, , want] of files) assert.equal((statSync(join(w.root, p)).mode & 0o7777).toString(8), want.toString(8), p);
    const s1 = await statuses(w.root, w.state, cfg);
    for (const id of IDS.split(',')) assert.equal(s1.get(id)?.status, 'pass', `${id}: ${s1.get(id)?.summary ?? ''}`);
  },
);

test('tighten-modes: a world-writable directory is reported, not changed', { timeout: 120_000 }, async (t) => {
  const w = fixtureRoot(t);
  mkdirSync(join(w.root, 'srv/drop'), { recursive: true });
  chmodSync(join(w.root, 'srv/drop'), 0o777);
  const r = await runCli(['fix', '--root', w.root, '--state-dir', w.state, '--only', 'fs.no-world-writable', ...NOW]);
  assert.match(r.stdout, /1 path\(s\) not changed .*\/srv\/drop/);
  assert.equal(statSync(join(w.root, 'srv/drop')).mode & 0o777, 0o777);
});
