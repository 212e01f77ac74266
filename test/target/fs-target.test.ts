import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { makeTree } from '../helpers.js';

test('root target: an absolute symlink resolves inside the root, not on the host', async (t) => {
  const root = makeTree({ 'etc/real.conf': 'inside\n', 'etc/link.conf': { symlink: '/etc/real.conf' }, 'etc/hostile': { symlink: '/etc/hostname' } }, t);
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
  const hp = await target.hostPath('/app/escape');
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
