// The batch runner (issue 10 §2): collectors declare what they gather, collectFacts fetches the union
// in one batch and the collectors read through a prefetched view. The view must answer exactly as the
// target does (errors included), and a whole offline collection of a fixture host takes at most 5
// round trips (it took ~320 Target calls, one after another, before).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import type { BatchRequest, BatchResult, ReadOptions, RunOptions, Target } from '../../src/target/types.js';
import { COLLECTORS } from '../../src/collect/index.js';
import { collectFacts } from '../../src/collect/run.js';
import { gathersOf, Prefetcher } from '../../src/collect/batch.js';
import { gathersOfAll } from '../../src/collect/gathers.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/schema.js';
import { parseConfigText } from '../../src/cli/config-load.js';
import type { TargetFactKey } from '../../src/facts/index.js';
import type { Gathers } from '../../src/collect/types.js';
import { hostRoot } from '../e2e/hosts.js';
import { makeTree } from '../helpers.js';

const HOSTS = ['debian12-default', 'debian12-hardened'] as const;
const KEYS = Object.keys(COLLECTORS) as TargetFactKey[];
const READ_OPTIONS: (ReadOptions | undefined)[] = [
  undefined,
  {},
  { binaryOk: true },
  { maxBytes: 16 },
  { maxBytes: 1024 * 1024 },
  { maxBytes: 256 * 1024 * 1024, binaryOk: false },
];

/** The site configuration the audit would use: the root's /etc/rampart/config.yaml, else the default. */
async function configOf(t: Target): Promise<Config> {
  const r = await t.readText('/etc/rampart/config.yaml');
  return r.ok ? parseConfigText(r.text, 'config.yaml') : DEFAULT_CONFIG;
}

function declared(target: Target, config: Config): Gathers {
  const gctx = { config, live: target.live, commandTimeoutMs: 15_000 };
  return gathersOfAll(...KEYS.map((k) => gathersOf(COLLECTORS[k].gathers, gctx)));
}

/** Every call a collector could make on `paths`, through the view and directly: the answers must be equal. */
async function assertSameAnswers(view: Target, direct: Target, paths: Iterable<string>, what: string) {
  for (const p of paths) {
    for (const o of READ_OPTIONS) {
      assert.deepEqual(await view.readBytes(p, o), await direct.readBytes(p, o), `${what}: readBytes ${p} ${JSON.stringify(o)}`);
      assert.deepEqual(await view.readText(p, o), await direct.readText(p, o), `${what}: readText ${p} ${JSON.stringify(o)}`);
    }
    assert.deepEqual(await view.stat(p), await direct.stat(p), `${what}: stat ${p}`);
    assert.deepEqual(await view.lstat(p), await direct.lstat(p), `${what}: lstat ${p}`);
    assert.deepEqual(await view.list(p), await direct.list(p), `${what}: list ${p}`);
    assert.deepEqual(await view.realPath(p), await direct.realPath(p), `${what}: realPath ${p}`);
  }
}

for (const host of HOSTS) {
  test(`batch: a whole offline collection of ${host} takes at most 5 round trips, with the facts of a direct collection`, async (t) => {
    const root = hostRoot(host, t);
    const target = new FsTarget({ root, name: host });
    const config = await configOf(target);
    const ctx = { target, config, commandTimeoutMs: 15_000 };
    const { facts, batch } = await collectFacts(COLLECTORS, KEYS, ctx, 60_000);
    assert.ok(batch.roundTrips <= 5, `round trips: ${JSON.stringify(batch)}`);
    assert.ok(batch.batches[0]! > 300, `the first batch holds the declared reads: ${JSON.stringify(batch.batches)}`);
    assert.ok(batch.bytes > 0);

    // Each collector on its own, straight on the target: the facts the batch runner gives are the same.
    for (const k of KEYS) {
      const fact = await COLLECTORS[k].collect(ctx);
      assert.deepEqual(facts[k], fact, `${host}: ${k}`);
    }
  });

  test(`batch: on ${host}, the prefetched view answers every declared path as the target does`, async (t) => {
    const root = hostRoot(host, t);
    const target = new FsTarget({ root, name: host });
    const g = declared(target, await configOf(target));
    const p = new Prefetcher(target);
    p.prefetch(g);
    const view = p.target;
    const files = (g.files ?? []).map((f) => (typeof f === 'string' ? f : f.path));
    await assertSameAnswers(view, target, new Set([...files, ...(g.paths ?? [])]), host);
    for (const gl of g.globs ?? []) {
      const pattern = typeof gl === 'string' ? gl : gl.pattern;
      const matches = await view.glob(pattern);
      assert.deepEqual(matches, await target.glob(pattern), `${host}: glob ${pattern}`);
      await assertSameAnswers(view, target, matches, `${host} (${pattern})`);
    }
    for (const d of g.dirs ?? []) {
      const dir = typeof d === 'string' ? d : d.path;
      const l = await view.list(dir);
      assert.deepEqual(l, await target.list(dir), `${host}: list ${dir}`);
      if (l.ok) await assertSameAnswers(view, target, l.entries.map((e) => join(dir, e.name)).slice(0, 40), `${host} (${dir}/)`);
    }
    // Misses: paths nobody declared, odd spellings of declared ones.
    await assertSameAnswers(view, target, ['/etc/nonexistent', '/etc/passwd/x', 'etc/passwd', '/etc//passwd', '/etc/ssh/', '/'], host);
    assert.ok(p.stats.served > 1000, `served from the batch: ${p.stats.served}`);
  });
}

test('batch: binary, too large, FIFO, loop, directory and dangling link answer as the target does', async (t) => {
  const root = makeTree(
    {
      'etc/bin.conf': Buffer.from('a\0b\n'),
      'etc/big.conf': 'x'.repeat(5 * 1024 * 1024),
      'etc/bom.conf': Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0xff, 0x0a]),
      'etc/ok.conf': 'Port 22\n',
      'opt/other.conf': 'Port 2222\n',
      'etc/dangling': { symlink: '/nowhere' },
      'etc/loop1': { symlink: '/etc/loop2' },
      'etc/loop2': { symlink: '/etc/loop1' },
      'etc/d/inner': 'x',
    },
    t,
  );
  execFileSync('mkfifo', [join(root, 'etc', 'fifo')]);
  mkdirSync(join(root, 'srv', 'a', 'b', 'c'), { recursive: true });
  writeFileSync(join(root, 'srv', 'a', 'b', 'c', 'compose.yml'), 'services: {}\n');
  symlinkSync('/srv', join(root, 'srv', 'a', 'up'));
  const target = new FsTarget({ root, name: 'odd' });
  const names = ['bin.conf', 'big.conf', 'bom.conf', 'ok.conf', 'dangling', 'loop1', 'fifo', 'd', 'd/inner', 'nope'].map(
    (n) => `/etc/${n}`,
  );
  const p = new Prefetcher(target);
  p.prefetch({
    files: names.slice(0, 5),
    paths: ['/opt/other.conf'],
    // other.conf is read by a glob with a small limit only: a read with another limit must not get its too-large.
    globs: [{ pattern: '/opt/oth*', maxBytes: 4 }, '/etc/l*'],
    dirs: ['/etc', { path: '/srv', depth: 3, read: false }],
  });
  await assertSameAnswers(
    p.target,
    target,
    [...names, '/opt/other.conf', '/srv/a', '/srv/a/b', '/srv/a/b/c', '/srv/a/up', '/srv/a/b/c/compose.yml'],
    'odd',
  );
  assert.deepEqual(await p.target.glob('/etc/*.conf'), await target.glob('/etc/*.conf'));
  assert.equal(p.stats.roundTrips > 1, true, 'the too-large and binary answers under other options went to the target');
});

test('batch: misses asked in the same turn go in one batch; each wave of dependent reads is one round trip', async (t) => {
  const root = makeTree({ 'etc/a': '/etc/b\n', 'etc/b': '/etc/c\n', 'etc/c': 'end\n', 'etc/x': '', 'etc/y': '' }, t);
  const target = new FsTarget({ root, name: 'waves' });
  const sent: BatchRequest[][] = [];
  const counting = Object.assign(Object.create(target) as FsTarget, {
    batch: (reqs: readonly BatchRequest[], on?: (i: number, r: BatchResult) => void) => {
      sent.push([...reqs]);
      return target.batch(reqs, on);
    },
  });
  const p = new Prefetcher(counting);
  const v = p.target;
  // Three independent reads at once, then a chain of two dependent reads.
  const [x, y] = await Promise.all([v.stat('/etc/x'), v.stat('/etc/y'), v.readText('/etc/a')]);
  assert.ok(x.ok && y.ok);
  const a = await v.readText('/etc/a');
  const b = await v.readText(a.ok ? a.text.trim() : '');
  await v.readText(b.ok ? b.text.trim() : '');
  assert.deepEqual(
    sent.map((s) => s.length),
    [3, 1, 1],
  );
  assert.deepEqual(p.stats.batches, [3, 1, 1]);
  assert.equal(p.stats.roundTrips, 3);
  assert.equal(p.stats.served, 1, 'the second read of /etc/a was answered from the first batch');
});

test('batch: a declared command is run once in the batch; one not declared runs at every call; unknown methods go to the target, counted', async () => {
  const runs: string[] = [];
  const base = new FsTarget({ name: 'live' });
  const target = Object.assign(Object.create(base) as FsTarget, {
    run: (argv: string[], opts?: RunOptions) => {
      runs.push(`${argv.join(' ')} ${JSON.stringify(opts ?? {})}`);
      return Promise.resolve({ ok: true as const, code: 0, stdout: `${runs.length}`, stderr: '', command: argv.join(' ') });
    },
  });
  const p = new Prefetcher(target);
  p.prefetch({ commands: [{ argv: ['ss', '-Htlnup'], opts: { timeoutMs: 1000 } }] });
  const v = p.target;
  const first = await v.run(['ss', '-Htlnup'], { timeoutMs: 1000 });
  const again = await v.run(['ss', '-Htlnup'], { timeoutMs: 1000 });
  assert.deepEqual(first, again);
  // Other options are another command: it runs, and runs again when asked again.
  await v.run(['ss', '-Htlnup'], { timeoutMs: 2000 });
  await v.run(['ss', '-Htlnup'], { timeoutMs: 2000 });
  assert.deepEqual(runs, ['ss -Htlnup {"timeoutMs":1000}', 'ss -Htlnup {"timeoutMs":2000}', 'ss -Htlnup {"timeoutMs":2000}']);
  assert.equal(v.live, true);
  assert.equal(v.name, 'live');
  assert.ok(v instanceof FsTarget);
  assert.deepEqual(await v.mountTable(), await base.mountTable());
  assert.deepEqual(p.stats.direct, { mountTable: 1 });
  assert.equal(p.stats.roundTrips, 4);
});

test('batch: a target whose batch fails makes the calls waiting on it fail, not hang nor crash the run', async () => {
  const base = new FsTarget({ name: 'broken' });
  const target = Object.assign(Object.create(base) as FsTarget, {
    batch: () => Promise.reject(new Error('connection lost')),
  });
  const p = new Prefetcher(target);
  // Declared answers nobody asks for fail quietly (no unhandled rejection ends the run).
  p.prefetch({ files: ['/etc/hostname'], globs: ['/etc/*.conf'], dirs: ['/etc'], commands: [{ argv: ['true'] }] });
  await assert.rejects(p.target.stat('/etc'), /connection lost/);
  await new Promise((r) => setTimeout(r, 50));
});
