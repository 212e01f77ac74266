// The built CLI: bin/rampart.js loads dist/rampart.cjs with its V8 code cache. A cache made from
// another bundle, a corrupt one or none at all changes nothing but speed; a reader that goes away
// ends the output quietly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** A copy of the built product (bin/, dist/rampart.cjs, node_modules linked) whose cache the test can change. */
function product(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bundle-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'dist'));
  cpSync(join(ROOT, 'dist', 'rampart.cjs'), join(dir, 'dist', 'rampart.cjs'));
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function run(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'rampart.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bundle: the code cache is used only when made from this bundle; any other cache or none gives the same output', (t) => {
  const dir = product(t);
  const cache = join(dir, 'dist', 'rampart.cjs.cache');
  const args = ['requirements', '--format', 'json'];
  const none = run(dir, args);
  assert.equal(none.code, 0, none.stderr);
  cpSync(join(ROOT, 'dist', 'rampart.cjs.cache'), cache);
  assert.deepEqual(run(dir, args), none, "with the build's cache");
  const source = readFileSync(join(dir, 'dist', 'rampart.cjs'));
  writeFileSync(cache, Buffer.concat([createHash('sha256').update(source).digest(), Buffer.from('not V8 code at all')]));
  assert.deepEqual(run(dir, args), none, 'a corrupt cache with the right hash: V8 rejects it');
  writeFileSync(cache, Buffer.concat([Buffer.alloc(32), readFileSync(join(ROOT, 'dist', 'rampart.cjs.cache')).subarray(32)]));
  assert.deepEqual(run(dir, args), none, 'a cache of another bundle is not used');
});

test('bundle: `rampart audit | head` ends quietly (no EPIPE trace)', async () => {
  const p = spawn(process.execPath, [join(ROOT, 'bin', 'rampart.js'), 'requirements', '--format', 'json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  p.stdout.destroy(); // the reader is gone before the first write
  const code = await new Promise<number | null>((res) => p.on('close', res));
  assert.doesNotMatch(stderr, /EPIPE|Error/, stderr);
  assert.notEqual(code, null, 'it exited, not killed');
});
