import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HistoryStore, StoreError } from '../../src/store/history.js';
import { finding, report, result } from './fixture.js';

const WRITER = join(import.meta.dirname, 'writer.ts');

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writer(dir: string, count: number, tag: string, startAt: number, pad = 0): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(count), tag, String(startAt), String(pad)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function exited(p: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  p.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => p.on('exit', (code, signal) => res({ code, signal, stderr })));
}

test('the state dir is created 0700 and the database 0600; runs come back oldest first per target', (t) => {
  const dir = join(tempDir(t), 'state', 'nested');
  const store = HistoryStore.open(dir, { create: true });
  const a = store.record(report([result('fw.enabled', 'fail')], { startedAt: '2026-11-01T00:00:00.000Z' }));
  const b = store.record(report([result('fw.enabled', 'pass')], { startedAt: '2026-11-02T00:00:00.000Z' }));
  store.record(report([result('fw.enabled', 'pass')], { target: 'db-1' }));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'history.sqlite')).mode & 0o777, 0o600);
  assert.deepEqual(
    store.runs('web-1').map((r) => r.runId),
    [a.runId, b.runId],
  );
  assert.deepEqual(
    store.runs().map((r) => r.target.name),
    ['db-1', 'web-1', 'web-1'],
  );
  assert.deepEqual(
    store.trend('web-1').map((p) => [p.runId, p.score]),
    [
      [a.runId, 0],
      [b.runId, 100],
    ],
  );
  assert.equal(store.runs('web-1')[0]!.summary.fail, 1);
  assert.equal(store.find(b.runId.slice(0, 18)).runId, b.runId, 'an unambiguous prefix names a run');
  assert.throws(() => store.find('2026'), /ambiguous/);
  assert.throws(() => store.find('nope'), /no run "nope"/);
  assert.equal(store.previous(b)?.runId, a.runId);
  assert.equal(store.report(a.runId).results[0]!.status, 'fail', 'the full report is stored');
  store.close();
});

test('trend holds the last 10 runs of the target, oldest first', (t) => {
  const store = HistoryStore.open(tempDir(t), { create: true });
  const ids = Array.from(
    { length: 12 },
    (_, i) => store.record(report([result('fw.enabled', 'pass')], { startedAt: new Date(Date.UTC(2026, 0, i + 1)).toISOString() })).runId,
  );
  store.record(report([result('fw.enabled', 'pass')], { target: 'other' }));
  assert.deepEqual(
    store.trend('web-1').map((p) => p.runId),
    ids.slice(2),
  );
  store.close();
});

test('reading a store that does not exist is an error and creates nothing', (t) => {
  const dir = join(tempDir(t), 'none');
  assert.throws(
    () => HistoryStore.open(dir, { create: false }),
    (e) => e instanceof StoreError && /no history in/.test(e.message),
  );
  assert.equal(HistoryStore.exists(dir), false);
});

test('two processes writing 50 runs each at once lose nothing', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const startAt = Date.now() + 2500;
  const [a, b] = await Promise.all([exited(writer(dir, 50, 'a', startAt)), exited(writer(dir, 50, 'b', startAt))]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const store = HistoryStore.open(dir, { create: false });
  assert.equal(store.count(), 100);
  assert.equal(store.runs('host-a').length, 50);
  assert.equal(store.runs('host-b').length, 50);
  store.close();
  const db = new Database(join(dir, 'history.sqlite'), { readonly: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
});

test('a writer killed (SIGKILL) mid-way leaves a sound database', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const p = writer(dir, 0, 'k', Date.now(), 2_000_000);
  const done = exited(p);
  // wait until it has committed a few large runs, then kill it while it writes the next ones
  const deadline = Date.now() + 60_000;
  let rows = 0;
  while (rows < 3 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    if (!HistoryStore.exists(dir)) continue;
    try {
      const db = new Database(join(dir, 'history.sqlite'), { fileMustExist: true, timeout: 5000 });
      rows = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'runs'").get() as { n: number }).n
        ? (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n
        : 0;
      db.close();
    } catch {
      // the writer is creating the schema
    }
  }
  assert.ok(rows >= 3, 'the writer committed runs');
  p.kill('SIGKILL');
  const r = await done;
  assert.equal(r.signal, 'SIGKILL');
  const db = new Database(join(dir, 'history.sqlite'), { fileMustExist: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
  const store = HistoryStore.open(dir, { create: true });
  const before = store.count();
  assert.ok(before >= 3);
  for (const run of store.runs()) assert.equal(store.report(run.runId).results.length, 2, 'every stored report is whole');
  store.record(report([result('fw.enabled', 'pass', [finding('after the crash')])]));
  assert.equal(store.count(), before + 1);
  store.close();
});
