// The built CLI (the bundle) loads its lazily required packages: a real redis-server on a free
// loopback port is audited through the bundle's redis client, and the bundle's pg client reports a
// refused connection (not a loading error). Regression: the bundle once used import(), which Node 20
// cannot serve inside vm.Script without --experimental-vm-modules; every pg/redis result was unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireCommands, realClockEnv } from '../helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'rampart.js');

function audit(only: string, config: string): { status: string; summary: string }[] {
  const r = spawnSync(process.execPath, [BIN, 'audit', '--only', only, '--config', config, '--no-store', '--format', 'json'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return (JSON.parse(r.stdout) as { results: { status: string; summary: string }[] }).results;
}

const listening = (port: number) =>
  new Promise<boolean>((res) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy();
      res(true);
    }).on('error', () => res(false));
  });

test('bundle: redis.requirepass judged from a live redis-server through the bundled client', async (t) => {
  if (!requireCommands(t, 'redis-server')) return;
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bundle-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
    env: realClockEnv(),
  });
  t.after(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 100 && !(await listening(port)); i++) await new Promise((r) => setTimeout(r, 50));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `redis:\n  url: redis://127.0.0.1:${port}\n`);
  const [r] = audit('redis.requirepass', config);
  assert.equal(r?.status, 'fail', r?.summary);
  assert.match(r.summary, /PONG/, 'the live server answered');
});

test('bundle: the pg client loads and reports a refused connection', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bundle-pg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `postgres:\n  url: postgresql://rampart@127.0.0.1:${port}/postgres\n`);
  const r = spawnSync(
    process.execPath,
    [
      BIN,
      'audit',
      '--only',
      'pg.hba-methods',
      '--config',
      config,
      '--no-store',
      '--format',
      'json',
      '--save-facts',
      join(dir, 'facts.json'),
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const out = r.stdout + readFileSync(join(dir, 'facts.json'), 'utf8');
  assert.doesNotMatch(out, /dynamic import|internal error/);
  assert.match(out, /ECONNREFUSED/, 'the pg client tried the port');
});
