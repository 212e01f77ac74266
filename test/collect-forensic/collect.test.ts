import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, lstatSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectForensics, type Collection } from '../../src/collect/forensic/index.js';
import { runCli } from '../helpers.js';
import { makeHostRoot, makeProcTree } from './fixture.js';

const collector = { user: 'tester', uid: 1000, host: 'test', toolVersion: 'test' };

function tmp(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'rampart-forensic-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Every path under dir with type, mode, size, mtime and content hash. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      const hash = st.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : '';
      out.set(p, `${st.mode} ${st.size} ${st.mtimeMs} ${hash}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

function tarNames(gz: Buffer): string[] {
  const tar = gunzipSync(gz);
  const names: string[] = [];
  for (let off = 0; off + 512 <= tar.length;) {
    const name = tar
      .subarray(off, off + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(
      tar
        .subarray(off + 124, off + 136)
        .toString('utf8')
        .replace(/\0.*$/s, ''),
      8,
    );
    names.push(name);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

test('collect: every item written into --out (0700, files 0600), manifest in sha256sum format, archive, missing commands recorded, nothing else changed', async (t) => {
  const base = tmp(t);
  const root = join(base, 'root');
  makeHostRoot(root);
  makeProcTree(join(root, 'proc'), 20, 5);
  const emptyPath = join(base, 'empty-bin');
  mkdirSync(emptyPath);
  const before = tree(base);
  const out = join(base, 'out');
  const r = await collectForensics({ out, root, path: emptyPath, dockerSocket: null, collector });
  const after = tree(base);
  for (const [p, v] of before) assert.equal(after.get(p), v, `${p} changed`);
  for (const p of after.keys()) if (!before.has(p)) assert.ok(p === out || p.startsWith(`${out}/`), `${p} written outside --out`);

  assert.equal(statSync(out).mode & 0o777, 0o700);
  for (const f of readdirSync(out)) assert.equal(statSync(join(out, f)).mode & 0o777, 0o600, f);
  const c = JSON.parse(readFileSync(join(out, 'collection.json'), 'utf8')) as Collection;
  assert.deepEqual(
    c.items.map((i) => i.name),
    ['processes', 'network', 'logins', 'auth-failures', 'scheduled-jobs', 'kernel-modules', 'etc-recent-changes', 'suid-sgid', 'docker'],
  );
  assert.deepEqual(c.collector, collector);
  const item = (n: string) => c.items.find((i) => i.name === n)!;
  assert.equal(item('network').commands.find((x) => x.argv[0] === 'ss')?.status, 'missing');
  assert.equal(item('suid-sgid').status, 'missing');
  assert.ok(item('auth-failures').notes.some((n) => /journalctl is not installed/.test(n)));
  for (const i of c.items) assert.ok(i.startedAt <= i.endedAt && i.endedAt !== '', i.name);

  const procs = readFileSync(join(out, '01-processes.tsv'), 'utf8').trim().split('\n');
  assert.equal(procs.length, 21);
  assert.equal(procs[0], 'pid\tppid\tuid\tuser\tstate\tstart_time\texe\tcmdline');
  // pid 1 → template 1: ppid 1, uid 1000 (alice), starttime 1001 ticks after btime 1795852800.
  assert.match(
    procs.find((l) => l.startsWith('1\t'))!,
    /^1\t1\t1000\talice\tS\t2026-11-28T08:00:10\.010Z\t\/usr\/bin\/worker\t\/usr\/bin\/worker --id 1x/,
  );
  const etc = readFileSync(join(out, '07-etc-changed.tsv'), 'utf8');
  assert.match(etc, /\/etc\/ssh\/sshd_config/);
  assert.doesNotMatch(etc, /old\.conf/);
  assert.match(readFileSync(join(out, '05-crontabs.txt'), 'utf8'), /==> \/var\/spool\/cron\/crontabs\/alice .*<==\n\* \* \* \* \* curl/);
  assert.match(readFileSync(join(out, '05-systemd-timers.txt'), 'utf8'), /apt-daily\.timer[\s\S]*apt-daily\.service/);
  assert.match(readFileSync(join(out, '04-auth-log-tail.txt'), 'utf8'), /Failed password for root/);

  const manifest = readFileSync(join(out, 'manifest.sha256'), 'utf8').trim().split('\n');
  const listed = manifest.map((l) => l.split('  ')[1]!);
  assert.deepEqual(new Set(listed), new Set(readdirSync(out).filter((f) => f !== 'manifest.sha256' && f !== 'rampart-collection.tar.gz')));
  for (const l of manifest) {
    const [hash, name] = l.split('  ') as [string, string];
    assert.equal(
      createHash('sha256')
        .update(readFileSync(join(out, name)))
        .digest('hex'),
      hash,
      name,
    );
  }
  if (spawnSync('sha256sum', ['--version']).status === 0)
    assert.equal(spawnSync('sha256sum', ['-c', '--quiet', 'manifest.sha256'], { cwd: out }).status, 0);
  assert.deepEqual(tarNames(readFileSync(r.archive)), [...listed, 'manifest.sha256']);
});

test('collect: refuses a non-empty --out and a missing parent (exit 2); the existing files stay untouched', async (t) => {
  const base = tmp(t);
  mkdirSync(join(base, 'busy'));
  writeFileSync(join(base, 'busy', 'keep'), 'x');
  const r = await runCli(['collect', '--out', join(base, 'busy')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not empty/);
  assert.deepEqual(readdirSync(join(base, 'busy')), ['keep']);
  const r2 = await runCli(['collect', '--out', join(base, 'no/such/dir')]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /does not exist/);
});

test('collect: a command that hangs is killed after the timeout and recorded as such', async (t) => {
  const base = tmp(t);
  const root = join(base, 'root');
  makeHostRoot(root);
  makeProcTree(join(root, 'proc'), 3, 3);
  const bin = join(base, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'ss'), '#!/bin/sh\necho partial-output\nexec sleep 30\n');
  chmodSync(join(bin, 'ss'), 0o755);
  const t0 = Date.now();
  const r = await collectForensics({
    out: join(base, 'out'),
    root,
    path: `${bin}:/usr/bin:/bin`,
    commandTimeoutMs: 300,
    dockerSocket: null,
    collector,
  });
  assert.ok(Date.now() - t0 < 10_000);
  const ss = r.collection.items.find((i) => i.name === 'network')!.commands.filter((c) => c.argv[0] === 'ss');
  assert.deepEqual(
    ss.map((c) => c.status),
    ['timeout', 'timeout'],
  );
  assert.equal(r.collection.items.find((i) => i.name === 'network')!.status, 'partial');
  assert.equal(readFileSync(join(base, 'out', '02-ss-tanup.txt'), 'utf8'), 'partial-output\n');
});

test('collect: 100,000 process entries complete in bounded memory (a child with a 48 MB heap)', { timeout: 300_000 }, (t) => {
  const base = tmp(t);
  const proc = join(base, 'proc');
  // 100,000 processes × ~1 KB command lines: ~100 MB of output, far above the heap limit if it were kept.
  makeProcTree(proc, 100_000, 100, 1000);
  const script = `
    import { collectForensics } from ${JSON.stringify(join(import.meta.dirname, '../../src/collect/forensic/index.ts'))};
    const r = await collectForensics({ out: ${JSON.stringify(join(base, 'out'))}, root: ${JSON.stringify(base)}, procRoot: ${JSON.stringify(proc)}, path: '', dockerSocket: null, etcDays: 1,
      collector: { user: 't', uid: 0, host: 't', toolVersion: 't' } });
    console.log(JSON.stringify({ heap: process.memoryUsage().heapUsed, notes: r.collection.items[0].notes }));`;
  const r = spawnSync(process.execPath, ['--max-old-space-size=48', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: join(import.meta.dirname, '../..'),
    encoding: 'utf8',
    timeout: 280_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { heap: number; notes: string[] };
  assert.deepEqual(res.notes, [`100000 processes from ${proc}`]);
  const lines = readFileSync(join(base, 'out', '01-processes.tsv'), 'utf8').split('\n').length;
  assert.equal(lines, 100_002);
});
