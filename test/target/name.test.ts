// Offline roots are named after their own /etc/hostname, not the path they are mounted on (issue 9 §5),
// so history, diff and waiver host: globs follow the host; --target-name overrides; the report says which.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { nameTarget, validTargetName } from '../../src/target/name.js';
import { makeTree, runCli } from '../helpers.js';

const NOW = '2026-11-28T10:00:00Z';

test('nameTarget: --target-name, else /etc/hostname (comments skipped), else the root path saying why', async (t) => {
  const cases: { files: Record<string, string | { symlink: string }>; given?: string; name: string | RegExp; from: RegExp }[] = [
    { files: { 'etc/hostname': 'web-1\n' }, name: 'web-1', from: /^\/etc\/hostname$/ },
    { files: { 'etc/hostname': '# set by cloud-init\n\n  db-2.example.org  \n' }, name: 'db-2.example.org', from: /^\/etc\/hostname$/ },
    { files: { 'etc/hostname': 'web-1\n' }, given: 'img-7', name: 'img-7', from: /^--target-name$/ },
    {
      files: { 'etc/hostname': '\n# only a comment\n' },
      name: '/mnt/img',
      from: /^root path \(\/etc\/hostname is empty; --target-name NAME names it\)$/,
    },
    { files: { 'etc/hostname': 'two words\n' }, name: '/mnt/img', from: /does not hold a host name/ },
    { files: { 'etc/os-release': 'ID=debian\n' }, name: '/mnt/img', from: /^root path \("\/etc\/hostname" does not exist;/ },
    // A link out of the root names nothing of this machine.
    { files: { 'etc/hostname': { symlink: 'nope/../../../../../../../etc/hostname' } }, name: '/mnt/img', from: /does not exist/ },
  ];
  for (const c of cases) {
    const root = makeTree(c.files, t);
    const n = await nameTarget(new FsTarget({ root, name: '/mnt/img' }), c.given, '/mnt/img');
    assert.equal(n.name, c.name, JSON.stringify(c.files));
    assert.match(n.from, c.from, JSON.stringify(c.files));
  }
  assert.equal(validTargetName('web-1'), null);
  assert.match(validTargetName('a b') ?? '', /one word/);
  assert.match(validTargetName('') ?? '', /one word/);
});

test('audit --root: the same image at two mount paths is one host in history, waivers and the report; --target-name overrides', async (t) => {
  const a = makeTree({ 'etc/hostname': 'web-1\n', 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' }, t);
  const b = mkdtempSync(join(tmpdir(), 'rampart-mount-b-'));
  t.after(() => rmSync(b, { recursive: true, force: true }));
  cpSync(a, b, { recursive: true });
  const state = mkdtempSync(join(tmpdir(), 'rampart-name-state-'));
  t.after(() => rmSync(state, { recursive: true, force: true }));
  const cfg = join(state, 'c.yaml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    cfg,
    'waivers:\n  - id: fw.enabled\n    reason: upstream firewall\n    approved_by: alice\n    expires: 2027-01-31\n    scope: { host: "web-*" }\n',
  );
  for (const root of [a, b]) {
    const r = await runCli([
      'audit',
      '--root',
      root,
      '--config',
      cfg,
      '--only',
      'fw.enabled',
      '--format',
      'json',
      '--state-dir',
      state,
      '--now',
      NOW,
    ]);
    const rep = JSON.parse(r.stdout) as {
      target: { name: string; nameFrom: string; root: string };
      results: { id: string; status: string }[];
    };
    assert.deepEqual(
      { name: rep.target.name, nameFrom: rep.target.nameFrom, root: rep.target.root },
      { name: 'web-1', nameFrom: '/etc/hostname', root },
    );
    assert.equal(
      rep.results.find((x) => x.id === 'fw.enabled')!.status,
      'waived',
      "the waiver's host: glob matches the host name, not the path",
    );
  }
  const h = JSON.parse((await runCli(['history', '--state-dir', state, '--format', 'json'])).stdout) as { target: { name: string } }[];
  assert.deepEqual([...new Set(h.map((x) => x.target.name))], ['web-1'], 'both mounts are one host in the history');
  const text = await runCli(['audit', '--root', a, '--only', 'fw.enabled', '--no-store', '--now', NOW]);
  assert.match(text.stdout.split('\n')[0]!, /^Rampart \S+ audit of web-1 \(name from \/etc\/hostname\): offline root /);
  const named = await runCli([
    'audit',
    '--root',
    a,
    '--target-name',
    'img-7',
    '--only',
    'fw.enabled',
    '--no-store',
    '--format',
    'json',
    '--now',
    NOW,
  ]);
  const rep = JSON.parse(named.stdout) as { target: { name: string; nameFrom: string } };
  assert.deepEqual(rep.target, { ...rep.target, name: 'img-7', nameFrom: '--target-name' });
  const bad = await runCli(['audit', '--root', a, '--target-name', 'two words', '--no-store', '--now', NOW]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--target-name must be one word/);
  const help = await runCli(['--help']);
  assert.match(help.stdout, /--target-name NAME/);
});
