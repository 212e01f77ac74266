// --timeout is a wall-clock bound even for synchronous code (issue 13): a collector whose parser spins
// blocks the collection worker's event loop, the watchdog in the main thread stops it after N s, and
// what needed the stuck collector is `unknown` ("timed out after N s"); the exit code is the usual one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree } from '../helpers.js';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'rampart.js');
const HOOK = join(import.meta.dirname, 'fixtures', 'spin-hook.mjs');

function audit(root: string, ...more: string[]) {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--import', HOOK, BIN, 'audit', '--root', root, '--no-store', '--format', 'json', '--only', 'ssh,fs.no-world-writable', ...more],
    // the hard stop if the watchdog did not work: the run would never end
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, RAMPART_NOW: '2026-12-01T00:00:00Z' } },
  );
  return { ...r, seconds: (performance.now() - t0) / 1000 };
}

const tree = (sshd: string) => ({
  'etc/hostname': 'spin-1\n',
  'etc/ssh/sshd_config': sshd,
  'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
});

test('a collector spinning in synchronous code is stopped after --timeout: unknown "timed out after 2 s", exit 0', (t) => {
  assert.ok(existsSync(join(REPO, 'dist', 'rampart.cjs')), 'npm run build first (the test runs the built CLI)');
  const root = makeTree(tree('# RAMPART-SPIN-HERE\nPermitRootLogin no\nPasswordAuthentication no\n'), t);
  const r = audit(root, '--timeout', '2');
  assert.equal(r.signal, null, `the run did not end by itself (killed after ${r.seconds.toFixed(1)} s)`);
  assert.ok(r.seconds < 2 + 30, `ended after ${r.seconds.toFixed(1)} s`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    /^rampart: the collection was stopped after 2 s \(--timeout\): .*\bsshd\b.* did not finish; what needs them is unknown$/m,
  );
  const report = JSON.parse(r.stdout) as { results: { id: string; status: string; summary: string }[] };
  const ssh = report.results.filter((x) => x.id.startsWith('ssh.'));
  assert.ok(ssh.length >= 10);
  for (const x of ssh) {
    assert.equal(x.status, 'unknown', x.id);
    assert.match(x.summary, /collecting sshd timed out after 2 s \(--timeout; the collection was stopped\)/, x.id);
  }
  // nothing was judged pass on facts that were not collected
  assert.equal(report.results.filter((x) => x.status === 'pass' && x.id.startsWith('ssh.')).length, 0);
  // --fail-on-unknown counts them
  const strict = audit(root, '--timeout', '2', '--fail-on-unknown');
  assert.equal(strict.signal, null);
  assert.equal(strict.status, 1, strict.stderr);
});

test('the same root without the spinning input: nothing times out, the ssh results are decided', (t) => {
  const root = makeTree(tree('PermitRootLogin no\nPasswordAuthentication no\n'), t);
  const r = audit(root, '--timeout', '2');
  assert.equal(r.signal, null);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  assert.doesNotMatch(r.stderr, /timed out|was stopped/);
  const report = JSON.parse(r.stdout) as { results: { id: string; status: string }[] };
  assert.equal(report.results.find((x) => x.id === 'ssh.root-login-disabled')?.status, 'pass');
});
