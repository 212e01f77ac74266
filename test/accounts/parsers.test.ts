import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePasswd, parseGroup, isLoginShell, effectiveShell } from '../../src/collect/parse/passwd.js';
import { parseShadow, passwordState } from '../../src/collect/parse/shadow.js';
import { parsePam, controlActions } from '../../src/collect/parse/pam.js';
import { parsePwqualityConf } from '../../src/collect/parse/pwquality.js';
import { parseLastlogRecord } from '../../src/collect/parse/lastlog.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { collectAccounts } from '../../src/collect/accounts.js';
import { ctx, makeTree, requireCommands } from '../helpers.js';
import { FIXTURES, loadScenario } from './fixture.js';

const fx = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');

test('passwd/group from base-passwd 3.6.1 parse with line numbers; NIS lines are noted', () => {
  const p = parsePasswd(fx('base-debian12/etc/passwd') + '+@netadmins\n');
  assert.equal(p.issues.length, 0);
  assert.deepEqual(
    p.records.find((r) => r.name === 'sync'),
    { name: 'sync', passwordField: 'x', uid: 4, gid: 65534, home: '/bin', shell: '/bin/sync', line: 5 },
  );
  assert.deepEqual(p.nis, [{ line: 19, entry: '+@netadmins' }]);
  const g = parseGroup(fx('base-debian12/etc/group'));
  assert.equal(g.records.find((r) => r.name === 'sudo')?.gid, 27);
});

test('login shells: nologin/false are not, an empty shell is /bin/sh', () => {
  assert.deepEqual(['/usr/sbin/nologin', '/sbin/nologin', '/bin/false', '/usr/bin/false', '/bin/bash', '/bin/sync'].map(isLoginShell), [
    false,
    false,
    false,
    false,
    true,
    true,
  ]);
  assert.equal(isLoginShell(effectiveShell('')), true);
});

test('binary garbage and short lines in passwd are issues, never records', () => {
  const p = parsePasswd(readFileSync(join(FIXTURES, 'binary-garbage-passwd/etc/passwd'), 'latin1'));
  assert.ok(p.issues.length >= 1);
  assert.equal(
    p.records.some((r) => r.name.includes('toor')),
    false,
  );
  assert.deepEqual(parsePasswd('a:x:1\n').issues, [{ line: 1, message: 'expected 7 colon-separated fields, found 3' }]);
  assert.equal(parsePasswd('a:x:one:1::/:/bin/sh\n').issues.length, 1);
});

test('shadow: only state and algorithm, never the hash', () => {
  const cases: [string, unknown][] = [
    ['', { kind: 'empty' }],
    ['*', { kind: 'locked', marker: '*', algorithm: null }],
    ['!', { kind: 'locked', marker: '!', algorithm: null }],
    ['!!', { kind: 'locked', marker: '!!', algorithm: null }],
    ['!$6$salt$abc', { kind: 'locked', marker: '!', algorithm: 'sha512' }],
    ['$y$j9T$salt$abc', { kind: 'hashed', algorithm: 'yescrypt' }],
    ['$6$salt$abc', { kind: 'hashed', algorithm: 'sha512' }],
    ['$5$salt$abc', { kind: 'hashed', algorithm: 'sha256' }],
    ['$1$salt$abc', { kind: 'hashed', algorithm: 'md5' }],
    ['$2b$10$abc', { kind: 'hashed', algorithm: 'bcrypt' }],
    ['abJnggxhB/yWI', { kind: 'hashed', algorithm: 'des' }],
  ];
  for (const [field, want] of cases) assert.deepEqual(passwordState(field), want, field);
  const s = parseShadow('root:$y$j9T$secretsalt$secrethash:19700:0:99999:7:::\nbad\n');
  assert.doesNotMatch(JSON.stringify(s), /secret/);
  assert.deepEqual(s.records[0]!.aging, {
    lastChange: 19700,
    minDays: 0,
    maxDays: 99999,
    warnDays: 7,
    inactiveDays: null,
    expireDate: null,
  });
  assert.equal(s.issues[0]!.line, 2);
});

test('PAM: the generated Debian common-password, bracket controls, -type lines, continuation', () => {
  const p = parsePam(fx('hardened.pass/etc/pam.d/common-password'));
  assert.deepEqual(p.errors, []);
  assert.deepEqual(
    p.entries.map((e) => ('module' in e ? [e.line, e.control, e.module] : [e.line])),
    [
      [25, 'requisite', 'pam_pwquality.so'],
      [26, '[success=1 default=ignore]', 'pam_unix.so'],
      [28, 'requisite', 'pam_deny.so'],
      [32, 'required', 'pam_permit.so'],
    ],
  );
  assert.deepEqual(controlActions('[success=1 default=ignore]'), { success: '1', default: 'ignore' });
  const q = parsePam(
    '-password optional pam_gnome_keyring.so\npassword requisite pam_pwquality.so \\\n  minlen=14 [badwords=a b]\n@include common-password\npasswd bad line\n',
  );
  assert.deepEqual(
    q.entries.map((e) => ('module' in e ? [e.line, e.optional, e.args] : [e.line, e.type])),
    [
      [1, true, []],
      [2, false, ['minlen=14', '[badwords=a b]']],
      [4, '@include'],
    ],
  );
  assert.equal(q.errors[0]!.line, 5);
});

test('pwquality.conf: both syntaxes, comments, first error stops', () => {
  assert.deepEqual(
    parsePwqualityConf('minlen = 14\nminclass 3 # three\n').entries.map((e) => [e.name, e.value, e.line]),
    [
      ['minlen', '14', 1],
      ['minclass', '3', 2],
    ],
  );
  const bad = parsePwqualityConf('minlen = 14\nminlenn = 20\nminclass = 3\n');
  assert.deepEqual(
    bad.entries.map((e) => e.name),
    ['minlen'],
  );
  assert.equal(bad.error?.line, 2);
  assert.match(parsePwqualityConf('minlen = twelve\n').error!.message, /not an integer/);
  assert.equal(parsePwqualityConf(`badwords = ${'x'.repeat(2000)}\n`).error?.line, 1);
});

test('lastlog records: 292 bytes, zero time or short read = never', () => {
  const b = Buffer.alloc(292);
  assert.equal(parseLastlogRecord(b), null);
  b.writeInt32LE(1_700_000_000, 0);
  b.write('pts/0', 4);
  b.write('198.51.100.7', 36);
  assert.deepEqual(parseLastlogRecord(b), { time: 1_700_000_000, line: 'pts/0', host: '198.51.100.7' });
  assert.equal(parseLastlogRecord(b.subarray(0, 100)), null);
});

test('collector: include loops, a symlink loop, an unreadable shadow and a huge passwd give reasons, not hangs', async (t) => {
  const root = makeTree(
    {
      'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
      'etc/group': 'root:x:0:\n',
      'etc/sudoers': { content: '@include /etc/sudoers\n#include loop2\nroot ALL=(ALL) ALL\n', mode: 0o440 },
      'etc/loop2': { symlink: 'loop2' },
      'etc/shadow': { symlink: 'shadow' },
    },
    t,
  );
  const f = await collectAccounts({ target: new FsTarget({ root, name: 't' }), config: ctx().config, commandTimeoutMs: 2000 });
  assert.equal(f.state, 'collected');
  if (f.state !== 'collected') return;
  assert.match(f.value.sudo.problems.map((p) => p.message).join('\n'), /include loop/);
  assert.match(f.value.sudo.problems.map((p) => p.message).join('\n'), /symbolic links/);
  assert.match(f.value.problems.map((p) => p.message).join('\n'), /password states unknown/);
  const huge = makeTree({ 'etc/passwd': Buffer.alloc(40 * 1024 * 1024, 0x61), 'etc/group': '' }, t);
  const h = await collectAccounts({ target: new FsTarget({ root: huge, name: 't' }), config: ctx().config, commandTimeoutMs: 2000 });
  assert.equal(h.state, 'failed');
  assert.match(h.state === 'failed' ? h.reason : '', /over the read limit/);
});

test('collector live: visudo decides the parse verdict of each sudoers file', async (t) => {
  if (!requireCommands(t, 'visudo')) return;
  const f = await collectAccounts({ target: new FsTarget({ name: 'live' }), config: ctx().config, commandTimeoutMs: 10_000 });
  assert.equal(f.state, 'collected');
  if (f.state !== 'collected' || f.value.sudo.files.length === 0) return;
  assert.equal(f.value.sudo.validatedBy, 'visudo');
  const whole = spawnSync('visudo', ['-c'], { encoding: 'utf8' });
  if (whole.status === 0) {
    // one visudo -c covers /etc/sudoers and every file it includes
    for (const file of f.value.sudo.files) assert.deepEqual([file.source.command, file.parsesOk], ['visudo -c', true], file.source.path);
  } else {
    // a failure is located file by file
    assert.match(f.value.sudo.files[0]!.source.command ?? '', /^visudo -c -f \/etc\/sudoers$/);
  }
});

test('collector offline: the malformed drop-in is the one the parser rejects', async (t) => {
  const { root } = loadScenario(t, 'malformed-sudoers.fail');
  const f = await collectAccounts({ target: new FsTarget({ root, name: 't' }), config: ctx().config, commandTimeoutMs: 2000 });
  if (f.state !== 'collected') return assert.fail('not collected');
  assert.equal(f.value.sudo.validatedBy, 'parser');
  assert.deepEqual(
    f.value.sudo.files.map((x) => [x.source.path, x.parsesOk]),
    [
      ['/etc/sudoers', true],
      ['/etc/sudoers.d/20-broken', false],
      ['/etc/sudoers.d/README', true],
    ],
  );
});
