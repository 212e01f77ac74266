import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, posix } from 'node:path';
import { FsTarget, runCommand, normalizeTargetPath } from '../../src/target/fs-target.js';
import { makeTree } from '../helpers.js';

test('root target: an absolute symlink resolves inside the root, not on the host', async (t) => {
  const root = makeTree(
    { 'etc/real.conf': 'inside\n', 'etc/link.conf': { symlink: '/etc/real.conf' }, 'etc/hostile': { symlink: '/etc/hostname' } },
    t,
  );
  const target = new FsTarget({ root, name: 'img' });
  const r = await target.readText('/etc/link.conf');
  assert.deepEqual(r, { ok: true, text: 'inside\n', size: 7 });
  // /etc/hostname exists on the host but not in the root: the link must not reach the host's file.
  const h = await target.readText('/etc/hostile');
  assert.equal(h.ok, false);
  assert.equal(!h.ok && h.error, 'missing');
});

test('root target: ../ in a symlink is clamped at the root', async (t) => {
  const root = makeTree({ 'etc/passwd': 'root-inside\n', 'app/escape': { symlink: '../../../../../../etc/passwd' } }, t);
  const target = new FsTarget({ root, name: 'img' });
  const r = await target.readText('/app/escape');
  assert.ok(r.ok);
  assert.equal(r.ok && r.text, 'root-inside\n');
  const hp = target.resolve('/app/escape');
  assert.ok(hp.ok && hp.path.startsWith(root));
});

test('root target: a symlink loop is an error, not a hang', async (t) => {
  const root = makeTree({ 'etc/a': { symlink: 'b' }, 'etc/b': { symlink: 'a' } }, t);
  const r = await new FsTarget({ root, name: 'img' }).readText('/etc/a');
  assert.equal(!r.ok && r.error, 'loop');
});

test('reading: binary, too large, not a file, FIFO does not hang, newline in a name', async (t) => {
  const root = makeTree(
    {
      'bin.conf': Buffer.from([0x50, 0x00, 0x01, 0xff]),
      'big.conf': 'x'.repeat(2048),
      'dir/x': 'y',
      'we\nird': 'newline name\n',
    },
    t,
  );
  execFileSync('mkfifo', [join(root, 'fifo')]);
  for (const target of [new FsTarget({ root, name: 'img' })]) {
    const bin = await target.readText('/bin.conf');
    assert.equal(!bin.ok && bin.error, 'binary');
    const big = await target.readText('/big.conf', { maxBytes: 1024 });
    assert.equal(!big.ok && big.error, 'too-large');
    assert.match(!big.ok ? big.message : '', /2048 bytes, over the read limit of 1024/);
    const dir = await target.readText('/dir');
    assert.equal(!dir.ok && dir.error, 'not-file');
    const fifo = await target.readText('/fifo');
    assert.equal(!fifo.ok && fifo.error, 'not-file');
    const nl = await target.readText('/we\nird');
    assert.ok(nl.ok && nl.text === 'newline name\n');
  }
});

test('glob: lexical order like glob(3), dot files only when named, missing dirs give nothing', async (t) => {
  const root = makeTree({ 'd/b.conf': '', 'd/a.conf': '', 'd/10-x.conf': '', 'd/.hidden.conf': '', 'd/c.txt': '' }, t);
  const target = new FsTarget({ root, name: 'img' });
  assert.deepEqual(await target.glob('/d/*.conf'), ['/d/10-x.conf', '/d/a.conf', '/d/b.conf']);
  assert.deepEqual(await target.glob('/d/.*.conf'), ['/d/.hidden.conf']);
  assert.deepEqual(await target.glob('/d/[ab].conf'), ['/d/a.conf', '/d/b.conf']);
  assert.deepEqual(await target.glob('/nope/*.conf'), []);
  assert.deepEqual(await target.glob('/d/a.conf'), ['/d/a.conf']);
});

test('commands: offline roots cannot run, a hanging command is killed at its timeout, a missing one is named', async (t) => {
  const root = makeTree({ x: '' }, t);
  const off = await new FsTarget({ root, name: 'img' }).run(['true']);
  assert.equal(!off.ok && off.reason, 'offline');
  const live = new FsTarget({ name: 'live' });
  const t0 = Date.now();
  const hang = await live.run(['sleep', '30'], { timeoutMs: 300 });
  assert.equal(!hang.ok && hang.reason, 'timeout');
  assert.ok(Date.now() - t0 < 5000);
  const missing = await live.run(['rampart-no-such-binary']);
  assert.equal(!missing.ok && missing.reason, 'not-found');
  const ok = await live.run(['sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.ok(ok.ok);
  assert.deepEqual(ok.ok && [ok.code, ok.stdout, ok.stderr], [3, 'out\n', 'err\n']);
});

test('live target: procfs files (st_size 0) are read to the end', async () => {
  const r = await new FsTarget({ name: 'live' }).readText('/proc/self/mountinfo');
  assert.ok(r.ok);
  assert.ok(r.ok && r.text.split('\n').length > 3 && r.text.endsWith('\n'));
});

test('runCommand streaming: stdout goes to onStdout, returning false stops the command; stderr capped; clean environment', async () => {
  const seen: Buffer[] = [];
  const r = await runCommand(['sh', '-c', 'printf "a\\0b\\0"; echo err >&2'], { onStdout: (c) => void seen.push(c) });
  assert.ok(r.ok);
  assert.equal(r.stdout, '', 'streamed, not collected');
  assert.equal(Buffer.concat(seen).toString('latin1'), 'a\0b\0');
  assert.equal(r.stderr, 'err\n');
  // Stopping early: `yes` never ends on its own; a false from onStdout kills it (no timeout).
  const t0 = Date.now();
  const stop = await runCommand(['yes'], { timeoutMs: 10_000, onStdout: () => false });
  assert.ok(stop.ok, 'a stopped command is not a failure');
  assert.ok(Date.now() - t0 < 5_000);
  // stderr beyond maxStderrBytes is dropped, not a failure (without it, going over maxBytes fails).
  const noisy = ['sh', '-c', 'head -c 300000 /dev/zero | tr "\\0" x >&2'];
  const capped = await runCommand(noisy, { maxBytes: 1000, maxStderrBytes: 1000, onStdout: () => true });
  assert.ok(capped.ok && capped.stderr.length >= 1000 && capped.stderr.length < 300_000);
  assert.equal((await runCommand(noisy, { maxBytes: 1000 })).ok, false);
  // inheritEnv: false starts from PATH + the C locale + env only.
  const env = await runCommand(['env'], { inheritEnv: false, env: { PATH: '/usr/bin:/bin', X_TEST: '1' } });
  assert.ok(env.ok);
  assert.deepEqual(env.stdout.trim().split('\n').sort(), ['LANG=C', 'LC_ALL=C', 'PATH=/usr/bin:/bin', 'X_TEST=1']);
});

test('runCommand: a command that exits without reading its input is a result, not an EPIPE crash', async () => {
  const r = await runCommand(['true'], { input: 'x'.repeat(8 * 1024 * 1024) });
  assert.ok(r.ok);
  assert.equal(r.code, 0);
});

test('normalizeTargetPath: the fast path for normal paths agrees with path.posix.resolve on every shape', () => {
  const shapes = [
    '/',
    '/etc',
    '/etc/',
    '/etc//ssh',
    '/etc/./ssh',
    '/etc/../x',
    '/etc/..',
    '/etc/.',
    'etc/ssh',
    '',
    '.',
    '..',
    '/a/.b/c',
    '/a/..b',
    '/a/b.',
    '/a.../',
    '//',
    '/etc/ssh/sshd_config',
    '/./',
    '/a/b/..',
    '/a/.../b',
    '/../../etc',
    'a\nb',
    '/a\n/../b',
  ];
  for (const p of shapes) assert.equal(normalizeTargetPath(p), posix.resolve('/', p), JSON.stringify(p));
});

/**
 * A canary directory outside the root, and links in the root whose targets pass through a missing
 * or non-directory component and then climb with '..'. The kernel stops at that component
 * (ENOENT/ENOTDIR); a resolver that joins the rest would reach the canary on this machine.
 */
function escapeRoot(t: import('node:test').TestContext) {
  const canary = makeTree({ sshd_config: 'PermitRootLogin yes # CANARY\n', 'd/10-x.conf': 'CANARY\n' }, t);
  const up = '../'.repeat(12);
  const rel = canary.slice(1); // tmp/rampart-test-XXXX
  const root = makeTree(
    {
      'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
      // missing component, then '..'
      'etc/ssh/sshd_config': { symlink: `nope/${up}${rel}/sshd_config` },
      'etc/ssh/sshd_config.d': { symlink: `nope/${up}${rel}/d` },
      // non-directory component (a regular file), then '..'
      'etc/ssh/via-file': { symlink: `/etc/passwd/${up}${rel}/sshd_config` },
      'etc/ssh/dir-via-file': { symlink: `/etc/passwd/${up}${rel}/d` },
      // a chain: the first link is fine, the second climbs through a missing name
      'etc/ssh/chain': { symlink: 'chain2' },
      'etc/ssh/chain2': { symlink: `missing/dir/${up}${rel}/sshd_config` },
      // '.' after a file is ENOTDIR too
      'etc/ssh/file-dot': { symlink: '/etc/passwd/.' },
    },
    t,
  );
  return { root, canary };
}

test('root target: a symlink through a missing or non-directory component stops like the kernel, never reaches a canary outside the root', async (t) => {
  const { root, canary } = escapeRoot(t);
  const target = new FsTarget({ root, name: 'img' });
  const files = ['/etc/ssh/sshd_config', '/etc/ssh/via-file', '/etc/ssh/chain', '/etc/ssh/file-dot'];
  const dirs = ['/etc/ssh/sshd_config.d', '/etc/ssh/dir-via-file'];
  const expectKind: Record<string, string> = {
    '/etc/ssh/sshd_config': 'missing',
    '/etc/ssh/sshd_config.d': 'missing',
    '/etc/ssh/chain': 'missing',
    '/etc/ssh/via-file': 'not-dir',
    '/etc/ssh/dir-via-file': 'not-dir',
    '/etc/ssh/file-dot': 'not-dir',
  };
  for (const p of [...files, ...dirs]) {
    const text = await target.readText(p);
    assert.equal(text.ok, false, `readText ${p} must not read ${canary}`);
    assert.equal(!text.ok && text.error, expectKind[p], `readText ${p}`);
    const bytes = await target.readBytes(p, { binaryOk: true });
    assert.equal(bytes.ok, false, `readBytes ${p}`);
    const st = await target.stat(p);
    assert.equal(st.ok, false, `stat ${p}`);
    assert.equal(!st.ok && st.error, expectKind[p], `stat ${p}`);
    // lstat does not follow the last component: it sees the link itself…
    const lst = await target.lstat(p);
    assert.ok(lst.ok && lst.type === 'symlink', `lstat ${p}`);
    // …but a path below it is followed through the link.
    const below = await target.lstat(`${p}/10-x.conf`);
    assert.equal(below.ok, false, `lstat ${p}/10-x.conf`);
    const hp = target.resolve(p);
    assert.equal(hp.ok, false, `resolve ${p} must not name a path outside the root (${hp.ok ? hp.path : ''})`);
    const hpBelow = target.resolve(`${p}/10-x.conf`);
    assert.ok(!hpBelow.ok || hpBelow.path.startsWith(root + '/'), `resolve ${p}/10-x.conf`);
    assert.deepEqual(await target.glob(`${p}/*`), [], `glob ${p}/*`);
    assert.deepEqual(await target.glob(`${p}/*.conf`), [], `glob ${p}/*.conf`);
    assert.deepEqual(await target.glob(`${p}/10-x.conf`), [], `glob ${p}/10-x.conf`);
  }
  for (const d of dirs) {
    const l = await target.list(d);
    assert.equal(l.ok, false, `list ${d} must not list ${canary}/d`);
    assert.equal((await target.readText(`${d}/10-x.conf`)).ok, false, `readText ${d}/10-x.conf`);
    assert.equal((await target.stat(`${d}/10-x.conf`)).ok, false, `stat ${d}/10-x.conf`);
  }
  // glob with a wildcard on the link's own level: the link is listed (it exists), its target is not followed.
  assert.deepEqual(await target.glob('/etc/ssh/sshd_config.*'), ['/etc/ssh/sshd_config.d']);
  assert.deepEqual(await target.glob('/etc/ssh/sshd_config.*/*'), []);
});

test('root target: a "missing" last component still stats as missing and ".." after a directory still folds', async (t) => {
  const root = makeTree(
    { 'etc/ssh/sshd_config': 'Port 22\n', 'etc/link': { symlink: 'ssh/../ssh/sshd_config' }, 'etc/dangling': { symlink: 'ssh/nope' } },
    t,
  );
  const target = new FsTarget({ root, name: 'img' });
  const r = await target.readText('/etc/link');
  assert.ok(r.ok && r.text === 'Port 22\n');
  const d = await target.stat('/etc/dangling');
  assert.equal(!d.ok && d.error, 'missing');
  const hp = target.resolve('/etc/not-there');
  assert.ok(hp.ok && hp.path === join(root, 'etc/not-there'));
});

test('reading: a NUL byte anywhere in the file, not only in the first 8 KiB, makes it binary', async (t) => {
  const late = Buffer.concat([Buffer.from('# comment\n'.repeat(2000)), Buffer.from('#\0\nPasswordAuthentication no\n')]);
  assert.ok(late.indexOf(0) > 8192);
  const last = Buffer.concat([Buffer.from('x'.repeat(100_000)), Buffer.from([0])]);
  const root = makeTree({ 'late.conf': late, 'last.conf': last, 'clean.conf': 'a\n'.repeat(10_000) }, t);
  const target = new FsTarget({ root, name: 'img' });
  for (const p of ['/late.conf', '/last.conf']) {
    const r = await target.readText(p);
    assert.equal(!r.ok && r.error, 'binary', p);
    assert.match(!r.ok ? r.message : '', /NUL/);
    const b = await target.readBytes(p, { binaryOk: true });
    assert.ok(b.ok, `${p} with binaryOk`);
  }
  assert.ok((await target.readText('/clean.conf')).ok);
  // The live target uses the same reader.
  const live = new FsTarget({ name: 'live' });
  const lr = await live.readText(join(root, 'late.conf'));
  assert.equal(!lr.ok && lr.error, 'binary');
});

test('realPath: every link resolved inside the root (relative, absolute, through a linked dir); missing, escaping and looping links are errors', async (t) => {
  const root = makeTree(
    {
      'app/app.yml': 'x',
      'app/docker-compose.yml': { symlink: 'app.yml' },
      'srv/lms': { symlink: '/app' },
      'srv/rel': { symlink: '../app' },
      'srv/out': { symlink: '../../../../../../../../tmp' },
      'srv/gone': { symlink: '/nowhere/app.yml' },
      'srv/a': { symlink: 'b' },
      'srv/b': { symlink: 'a' },
    },
    t,
  );
  const target = new FsTarget({ root, name: 'img' });
  assert.deepEqual(await target.realPath('/app/docker-compose.yml'), { ok: true, path: '/app/app.yml' });
  assert.deepEqual(await target.realPath('/srv/lms/docker-compose.yml'), { ok: true, path: '/app/app.yml' });
  assert.deepEqual(await target.realPath('/srv/lms/'), { ok: true, path: '/app' });
  assert.deepEqual(await target.realPath('/'), { ok: true, path: '/' });
  const out = await target.realPath('/srv/out');
  assert.ok(!out.ok && out.error === 'missing', 'clamped at the root: the root has no /tmp'); // not this machine's /tmp
  const gone = await target.realPath('/srv/gone');
  assert.ok(!gone.ok && gone.error === 'missing');
  const loop = await target.realPath('/srv/a');
  assert.ok(!loop.ok && loop.error === 'loop');
  const live = new FsTarget({ name: 'live' });
  assert.deepEqual(await live.realPath(join(root, 'srv/rel/docker-compose.yml')), {
    ok: true,
    path: join(execFileSync('realpath', [root], { encoding: 'utf8' }).trim(), 'app/app.yml'),
  });
  const liveLoop = await live.realPath(join(root, 'srv/a'));
  assert.ok(!liveLoop.ok && liveLoop.error === 'loop');
});
