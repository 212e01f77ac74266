import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers.js';

test('keygen → signoff → verify: good (0), tampered report, unknown signer, bad signature (1)', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'rampart-sign-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  const state = join(d, 'state');
  assert.equal((await runCli(['keygen', '--out', join(d, 'keys')])).code, 0);
  assert.equal((await runCli(['keygen', '--out', join(d, 'other'), '--name', 'mallory'])).code, 0);
  assert.equal(statSync(join(d, 'keys', 'rampart-signoff.key')).mode & 0o777, 0o600);
  assert.match(readFileSync(join(d, 'keys', 'rampart-signoff.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  assert.match(readFileSync(join(d, 'keys', 'rampart-signoff.pub'), 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
  assert.equal((await runCli(['keygen', '--out', join(d, 'keys')])).code, 2, 'never overwrites');

  const report = {
    schemaVersion: 1,
    target: { kind: 'local', name: 'web-1', root: '/' },
    collectedAt: '2026-11-28T10:00:00Z',
    results: [{ id: 'fw.enabled', status: 'pass', score: 1.5 }],
  };
  writeFileSync(join(d, 'r.json'), JSON.stringify(report, null, 2));
  const pub = readFileSync(join(d, 'keys', 'rampart-signoff.pub'), 'utf8');
  const config = (name: string) => {
    writeFileSync(
      join(d, 'c.yaml'),
      `signers:\n  - name: ${name}\n    public_key: |\n${pub
        .trimEnd()
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n')}\n`,
    );
    return join(d, 'c.yaml');
  };
  const s = await runCli([
    'signoff',
    join(d, 'r.json'),
    '--key',
    join(d, 'keys', 'rampart-signoff.key'),
    '--by',
    'alice',
    '--role',
    'security lead',
    '--state-dir',
    state,
  ]);
  assert.equal(s.code, 0, s.stderr);
  const signed = JSON.parse(readFileSync(join(d, 'r.signoff.json'), 'utf8')) as { signoff: { host: string; document: { kind: string } } };
  assert.equal(signed.signoff.host, 'web-1');
  assert.equal(signed.signoff.document.kind, 'report');
  assert.equal(readdirSync(join(state, 'signoffs', 'web-1')).length, 1, 'stored in the state directory');

  const good = await runCli(['verify', join(d, 'r.signoff.json'), '--config', config('alice')]);
  assert.equal(good.code, 0, good.stdout);
  assert.match(good.stdout, /^GOOD: report r\.json of host web-1 .*signed by alice \(security lead\)/);
  writeFileSync(join(d, 'r.json'), JSON.stringify(report)); // re-indented: same canonical JSON
  assert.equal((await runCli(['verify', join(d, 'r.json'), '--config', config('alice')])).code, 0);

  const unknown = await runCli(['verify', join(d, 'r.signoff.json'), '--config', config('bob')]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stdout, /unknown signer "alice"/);

  writeFileSync(join(d, 'r.json'), JSON.stringify({ ...report, results: [{ id: 'fw.enabled', status: 'fail', score: 1.5 }] }));
  const tampered = await runCli(['verify', join(d, 'r.signoff.json'), '--config', config('alice')]);
  assert.equal(tampered.code, 1);
  assert.match(tampered.stdout, /changed after signing/);

  writeFileSync(join(d, 'r.json'), JSON.stringify(report));
  const forgeArgs = ['signoff', join(d, 'r.json'), '--key', join(d, 'other', 'mallory.key'), '--by', 'alice', '--state-dir', state];
  const before = readFileSync(join(d, 'r.signoff.json'), 'utf8');
  const refused = await runCli(forgeArgs);
  assert.equal(refused.code, 2, 'an existing sign-off is not replaced without --force');
  assert.match(refused.stderr, /r\.signoff\.json exists: give --force/);
  assert.equal(readFileSync(join(d, 'r.signoff.json'), 'utf8'), before);
  const forged = await runCli([...forgeArgs, '--force']);
  assert.equal(forged.code, 0);
  const bad = await runCli(['verify', join(d, 'r.signoff.json'), '--config', config('alice')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /bad signature/);
});
