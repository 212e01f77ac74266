import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import type { WalkEntry, WalkEnd, WalkEvent, WalkFilter, WalkOptions } from '../../src/target/types.js';
import { makeTree, requireCommands } from '../helpers.js';

/** A canary outside the root: a walk that reaches it has left the root. */
function canary(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-canary-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'CANARY'), 'x');
  chmodSync(join(dir, 'CANARY'), 0o666);
  return dir;
}

function tree(t: TestContext, outside: string): string {
  const root = makeTree(
    {
      'srv/ww.txt': { content: 'x', mode: 0o666 },
      'srv/ok.txt': { content: 'x', mode: 0o644 },
      'srv/new\nline': { content: 'x', mode: 0o666 },
      'srv/escape-abs': { symlink: outside },
      'srv/escape-rel': { symlink: '../../../../../../../..' + outside },
      'srv/loop-a': { symlink: 'loop-b' },
      'srv/loop-b': { symlink: 'loop-a' },
      'srv/dirloop': { symlink: '.' },
      'app/sub/f': { content: 'x', mode: 0o644 },
      'link-to-app': { symlink: 'app' },
    },
    t,
  );
  const bad = Buffer.concat([Buffer.from(join(root, 'srv/bad-')), Buffer.from([0xff]), Buffer.from('.txt')]);
  writeFileSync(bad, 'x');
  chmodSync(bad, 0o666);
  return root;
}

async function collect(
  target: FsTarget,
  roots: string[],
  filter: WalkFilter,
  opts: WalkOptions = {},
): Promise<{ entries: WalkEntry[]; end: WalkEnd; events: WalkEvent[] }> {
  const events: WalkEvent[] = [];
  for await (const ev of target.walk(roots, filter, opts)) events.push(ev);
  const last = events[events.length - 1];
  assert.equal(events[0]?.kind, 'start', 'the first event says how the walk runs');
  assert.equal(last?.kind, 'end', 'the last event is end');
  return {
    entries: events.flatMap((e) => (e.kind === 'entry' ? [e.entry] : [])),
    end: last.kind === 'end' ? last.end : (undefined as never),
    events,
  };
}

for (const method of ['find', 'walker'] as const) {
  const findBinary = method === 'find' ? 'find' : null;

  test(`walk (${method}): target paths, exact bytes, a newline in a name, symlinks listed not followed, never outside the root`, async (t) => {
    if (method === 'find' && !requireCommands(t, 'find')) return;
    const outside = canary(t);
    const root = tree(t, outside);
    const target = new FsTarget({ root, name: 't', findBinary });
    const { entries, end } = await collect(target, ['/'], {}, { detail: true });
    assert.equal(end.status, 'done');
    assert.equal(end.method, method);
    const paths = entries.map((e) => e.path);
    assert.ok(!paths.some((p) => p.includes('CANARY') || p.includes(root) || p.startsWith(outside)), paths.join(', '));
    assert.ok(paths.includes('/srv/new\nline'));
    assert.ok(paths.includes('/'));
    const bad = entries.find((e) => e.path === '/srv/bad-\\xff.txt');
    assert.deepEqual(bad?.raw, Buffer.concat([Buffer.from('/srv/bad-'), Buffer.from([0xff]), Buffer.from('.txt')]));
    const link = entries.find((e) => e.path === '/srv/escape-abs');
    assert.equal(link?.type, 'symlink');
    assert.equal(link?.link, outside);
    // The loops are entries (symlinks), never walked into.
    assert.equal(entries.find((e) => e.path === '/srv/loop-a')?.type, 'symlink');
    assert.ok(!paths.some((p) => p.startsWith('/srv/dirloop/')));
    const ww = entries.find((e) => e.path === '/srv/ww.txt')!;
    assert.equal(ww.mode, 0o666);
    assert.equal(ww.size, 1);
    assert.equal(ww.gid, statSync(join(root, 'srv/ww.txt')).gid);
    assert.equal(ww.dev, statSync(join(root, 'srv/ww.txt')).dev);
  });

  test(`walk (${method}): the filter selects (world-writable files), prune paths are target paths`, async (t) => {
    if (method === 'find' && !requireCommands(t, 'find')) return;
    const root = tree(t, canary(t));
    const target = new FsTarget({ root, name: 't', findBinary });
    const { entries } = await collect(target, ['/'], { types: ['file'], permAll: 0o002 }, { prune: ['/app'] });
    assert.deepEqual(entries.map((e) => e.path).sort(), ['/srv/bad-\\xff.txt', '/srv/new\nline', '/srv/ww.txt']);
    assert.equal(entries[0]?.gid, null, 'no detail asked for');
    const pruned = await collect(target, ['/'], {}, { prune: ['/srv'] });
    assert.ok(!pruned.entries.some((e) => e.path.startsWith('/srv/')));
    assert.ok(!pruned.entries.some((e) => e.path === '/srv'), 'a pruned directory is not listed either (find -prune)');
  });

  test(`walk (${method}): a root that is a symlink is followed inside the root and named as given`, async (t) => {
    if (method === 'find' && !requireCommands(t, 'find')) return;
    const root = tree(t, canary(t));
    const target = new FsTarget({ root, name: 't', findBinary });
    const { entries } = await collect(target, ['/link-to-app'], { types: ['file'] });
    assert.deepEqual(
      entries.map((e) => e.path),
      ['/link-to-app/sub/f'],
    );
    const esc = await collect(target, ['/srv/escape-abs'], {});
    assert.ok(!esc.entries.some((e) => e.path.endsWith('CANARY')), 'an absolute link is resolved inside the root');
  });

  test(`walk (${method}): bounded by maxEntries (the end says limit)`, async (t) => {
    if (method === 'find' && !requireCommands(t, 'find')) return;
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`d/f${i}`] = 'x';
    const target = new FsTarget({ root: makeTree(files, t), name: 't', findBinary });
    const { entries, end } = await collect(target, ['/'], { types: ['file'] }, { maxEntries: 10 });
    assert.equal(entries.length, 10);
    assert.equal(end.status, 'limit');
  });
}

test('walk (find): stopping the iteration early stops find (no process left)', async (t) => {
  if (!requireCommands(t, 'find')) return;
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`d/f${i}`] = 'x';
  const target = new FsTarget({ root: makeTree(files, t), name: 't' });
  let n = 0;
  for await (const ev of target.walk(['/'], { types: ['file'] })) if (ev.kind === 'entry' && ++n === 3) break;
  assert.equal(n, 3);
});

test('walk (find): a time bound ends a walk with timeout, never a hang', async (t) => {
  if (!requireCommands(t, 'find')) return;
  // A find that never finishes: a shell script standing in for find(1).
  const dir = makeTree({ 'slow-find': { content: '#!/bin/sh\nexec sleep 30\n', mode: 0o755 } }, t);
  const target = new FsTarget({ root: makeTree({ a: 'x' }, t), name: 't', findBinary: join(dir, 'slow-find') });
  const start = Date.now();
  const { end } = await collect(target, ['/'], {}, { timeoutMs: 300 });
  assert.equal(end.status, 'timeout');
  assert.ok(Date.now() - start < 5000);
});

test('walk: a missing root is reported, not thrown', async (t) => {
  const target = new FsTarget({ root: makeTree({ a: 'x' }, t), name: 't' });
  const { events, end } = await collect(target, ['/nope'], {});
  assert.equal(end.status, 'done');
  assert.ok(events.some((e) => e.kind === 'unreadable' && e.path === '/nope'));
});

test('readRange: a range of a sparse file, short at its end, inside the root only', async (t) => {
  const outside = canary(t);
  const root = makeTree({ 'var/log/lastlog': 'x', 'etc/out': { symlink: join(outside, 'CANARY') } }, t);
  const big = join(root, 'var/log/lastlog');
  truncateSync(big, 19 * 1024 * 1024);
  const fd = join(root, 'var/log/lastlog');
  const buf = Buffer.from('RECORD');
  const { openSync, writeSync, closeSync } = await import('node:fs');
  const h = openSync(fd, 'r+');
  writeSync(h, buf, 0, buf.length, 65534 * 292);
  closeSync(h);
  const target = new FsTarget({ root, name: 't' });
  const r = await target.readRange('/var/log/lastlog', 65534 * 292, 292);
  assert.ok(r.ok);
  assert.equal(r.bytes.subarray(0, 6).toString(), 'RECORD');
  assert.equal(r.bytes.length, 292);
  assert.equal(r.size, 19 * 1024 * 1024);
  const tail = await target.readRange('/var/log/lastlog', 19 * 1024 * 1024 - 10, 100);
  assert.ok(tail.ok && tail.bytes.length === 10);
  const past = await target.readRange('/var/log/lastlog', 30 * 1024 * 1024, 100);
  assert.ok(past.ok && past.bytes.length === 0);
  // An absolute link is resolved inside the root: the canary outside is never read.
  const out = await target.readRange('/etc/out', 0, 10);
  assert.equal(!out.ok && out.error, 'missing');
  const dir = await target.readRange('/var', 0, 10);
  assert.equal(!dir.ok && dir.error, 'not-file');
  const neg = await target.readRange('/var/log/lastlog', -1, 10);
  assert.equal(neg.ok, false);
});

test('mountTable: live reads /proc/self/mountinfo to its end (procfs says size 0); an offline root gives mounts below it only', async (t) => {
  const live = await new FsTarget({ name: 'local' }).mountTable();
  assert.ok(live.ok);
  assert.equal(live.text, readFileSync('/proc/self/mountinfo', 'utf8'));
  const off = await new FsTarget({ root: makeTree({ a: 'x' }, t), name: 't' }).mountTable();
  assert.ok(off.ok);
  assert.equal(off.text, '', 'a temp dir has no mounts below it');
});

test('no hostPath remains: nothing outside src/target names a path of this machine for a target path', () => {
  const hits: string[] = [];
  const walkDir = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walkDir(p);
      else if (p.endsWith('.ts') && /\bhostPath\b|hostMountinfoText/.test(readFileSync(p, 'utf8'))) hits.push(p);
    }
  };
  walkDir(join(import.meta.dirname, '..', '..', 'src'));
  assert.deepEqual(hits, []);
});
