import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { worldWritableCollector } from '../../src/collect/world-writable.js';
import { planScan, scanWorldWritable } from '../../src/collect/scan/world-writable.js';
import { findArgv } from '../../src/target/fs-walk.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { makeTree, requireCommands } from '../helpers.js';

/** A root with every case: world-writable file and dirs, newline and non-UTF-8 names, a symlink, a FIFO, a pseudo dir. */
function scenario(t: TestContext): string {
  const root = makeTree(
    {
      'srv/ww.txt': { content: 'x', mode: 0o666 },
      'srv/ok.txt': { content: 'x', mode: 0o644 },
      'srv/drop': { dir: true, mode: 0o777 },
      tmp: { dir: true, mode: 0o1777 },
      'srv/new\nline': { content: 'x', mode: 0o666 },
      'srv/link-to-ww': { symlink: 'ww.txt' },
      'srv/loop': { symlink: 'loop' },
      'proc/1/ww': { content: 'x', mode: 0o666 },
      'run/lock': { dir: true, mode: 0o777 },
    },
    t,
  );
  const bad = Buffer.concat([Buffer.from(join(root, 'srv/bad-')), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]);
  writeFileSync(bad, 'x');
  chmodSync(bad, 0o666);
  execFileSync('mkfifo', ['-m', '0666', join(root, 'srv/fifo')]);
  // A deep tree: 300 levels.
  let deep = join(root, 'deep');
  for (let i = 0; i < 300; i++) deep = join(deep, 'd');
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, 'bottom'), 'x');
  chmodSync(join(deep, 'bottom'), 0o666);
  return root;
}

const EXPECTED = [
  '/deep' + '/d'.repeat(300) + '/bottom',
  '/srv/bad-\\xff\\xfe.txt',
  '/srv/drop',
  '/srv/new\nline',
  '/srv/ww.txt',
  '/tmp',
].sort();

for (const method of ['find', 'walker'] as const) {
  test(`world-writable scan (${method}) of an offline root: exact paths, symlinks/FIFOs skipped, /proc and /run left out`, async (t) => {
    if (method === 'find' && !requireCommands(t, 'find', 'mkfifo')) return;
    const root = scenario(t);
    const target = new FsTarget({ root, name: 't', findBinary: method === 'find' ? 'find' : null });
    const r = await scanWorldWritable(target, planScan(false, []), { timeoutMs: 30_000 });
    assert.ok(r.ok, r.ok ? '' : r.message);
    const o = r.outcome;
    assert.equal(o.method, method);
    assert.deepEqual(o.entries.map((e) => e.path).sort(), EXPECTED);
    const bad = o.entries.find((e) => e.path.startsWith('/srv/bad-'))!;
    assert.deepEqual(
      Buffer.from(bad.rawBase64!, 'base64'),
      Buffer.concat([Buffer.from('/srv/bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]),
    );
    assert.equal(o.entries.find((e) => e.path === '/tmp')?.mode, '1777');
    assert.equal(o.entries.find((e) => e.path === '/srv/ww.txt')?.type, 'file');
    assert.equal(o.notScannedCount, 0);
    assert.equal(o.truncated, false);
  });
}

test('world-writable scan stops at the cap and says it was truncated', async (t) => {
  if (!requireCommands(t, 'find', 'mkfifo')) return;
  const target = new FsTarget({ root: scenario(t), name: 't' });
  const r = await scanWorldWritable(target, planScan(false, []), { timeoutMs: 30_000, cap: 2 });
  assert.ok(r.ok);
  assert.equal(r.outcome.entries.length, 2);
  assert.equal(r.outcome.truncated, true);
});

test('world-writable scan falls back to the walker when find is missing', async (t) => {
  const target = new FsTarget({ root: scenario(t), name: 't', findBinary: '/nonexistent/find' });
  const r = await scanWorldWritable(target, planScan(false, []), { timeoutMs: 30_000 });
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.equal(r.outcome.method, 'walker');
  assert.deepEqual(r.outcome.entries.map((e) => e.path).sort(), EXPECTED);
});

test('world-writable collector on an offline root gives plain JSON facts that replay identically', async (t) => {
  if (!requireCommands(t, 'find', 'mkfifo')) return;
  const root = scenario(t);
  const fact = await worldWritableCollector.collect({
    target: new FsTarget({ root, name: 't' }),
    config: DEFAULT_CONFIG,
    commandTimeoutMs: 15_000,
  });
  assert.equal(fact.state, 'collected');
  if (fact.state !== 'collected') return;
  assert.deepEqual(JSON.parse(JSON.stringify(fact.value)), fact.value);
  assert.deepEqual(fact.value.roots, ['/']);
  assert.ok(fact.value.excluded.some((e) => e.path === '/proc'));
  assert.deepEqual(fact.value.entries.map((e) => e.path).sort(), EXPECTED);
});

test('a directory the scanning user cannot read is reported as not scanned (run as nobody)', (t) => {
  if (!requireCommands(t, 'find', 'setpriv', 'mkfifo')) return;
  if (process.getuid?.() !== 0) return t.skip('needs root to switch to nobody');
  const root = makeTree({ 'a/ww': { content: 'x', mode: 0o666 }, 'locked/inner': { content: 'x', mode: 0o666 } }, t);
  chmodSync(root, 0o755);
  chmodSync(join(root, 'locked'), 0o700);
  const plan = planScan(false, []);
  const prune = plan.prune.map((p) => join(root, p));
  const argv = [
    '--reuid=65534',
    '--regid=65534',
    '--clear-groups',
    'find',
    ...findArgv({
      roots: [{ target: '/', host: root }],
      prune,
      filter: { types: ['file', 'dir'], permAll: 0o002, unreadableDirs: true },
      opts: {},
    }).slice(1),
  ];
  let out = '';
  try {
    out = execFileSync('setpriv', argv, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  assert.match(out, /U [^\0]*\/locked\0/, 'find reports the unreadable directory with its exact path');
  assert.match(out, /W 666 f 0 [^\0]*\/a\/ww\0/);
});
