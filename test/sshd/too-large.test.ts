// A too-large sshd_config (past the read limit) gave FAIL `PasswordAuthentication is "yes" (built-in
// default)` (issue 13): the file that could not be read may set the value, so it is unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree, runCli } from '../helpers.js';

test('a too-large sshd_config makes built-in-default verdicts unknown, never a fail or pass', async (t) => {
  const dir = makeTree(
    {
      'root/etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
      'root/etc/ssh/sshd_config': `PasswordAuthentication no\nPermitRootLogin no\n${'#'.repeat(2 * 1024 * 1024)}\n`,
    },
    t,
  );
  const out = join(dir, 'r.json');
  const r = await runCli(['audit', '--root', join(dir, 'root'), '--no-store', '--format', `json:${out}`, '--only', 'ssh.*']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { results: Array<{ id: string; status: string; summary: string }> };
  const defaults = report.results.filter((x) => /built-in default/.test(x.summary));
  assert.ok(defaults.length > 0, 'some verdicts quote a built-in default');
  for (const x of defaults) assert.equal(x.status, 'unknown', `${x.id}: ${x.status} ${x.summary}`);
});
