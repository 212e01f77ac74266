// Defects the fuzzer found (issue 13), each with the input that showed it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNginxConfig } from '../../src/collect/parse/nginx.js';
import { spawnSync } from 'node:child_process';
import { scanBorgmatic, scanCommandText } from '../../src/collect/parse/backup-commands.js';
import { matchOriginPattern, parseAptConf } from '../../src/collect/parse/apt-conf.js';
import { parseComposeFile } from '../../src/collect/parse/compose-file.js';
import { parseSudoers } from '../../src/collect/parse/sudoers.js';
import { parsePwqualityConf } from '../../src/collect/parse/pwquality.js';
import { parseConfigText } from '../../src/cli/config-load.js';
import { UsageError } from '../../src/cli/errors.js';

test('nginx: a vertical tab, form feed or NO-BREAK SPACE is part of a word (was an endless loop to out-of-memory)', () => {
  const r = parseNginxConfig('server_name a\vb\fc\u00a0d;\nlisten 80;\n', '/etc/nginx/nginx.conf');
  assert.deepEqual(
    r.directives.map((d) => [d.name, d.args]),
    [
      ['server_name', ['a\vb\fc\u00a0d']],
      ['listen', ['80']],
    ],
  );
  assert.deepEqual(r.errors, []);
});

test('backup command scan: a line of 88,000 quotes or words is linear (was 38 s and 152 s)', () => {
  for (const unit of ['"', "'", 'a ']) {
    const t0 = performance.now();
    scanCommandText(unit.repeat(88_000), {});
    assert.ok(performance.now() - t0 < 2000, `${JSON.stringify(unit)} took ${(performance.now() - t0).toFixed(0)} ms`);
  }
  const r = scanCommandText('0 3 * * * root restic -r s3:s3.amazonaws.com/bucket backup /srv', {});
  assert.equal(r.destinations[0]?.tool, 'restic');
  assert.equal(r.destinations[0]?.remote, true);
});

test('config: an alias to no anchor is a usage error with the file, not an internal error', () => {
  assert.throws(
    () => parseConfigText('waivers: *nothing\n', 'rampart.yaml'),
    (e: unknown) => e instanceof UsageError && /^rampart\.yaml: invalid YAML: /.test(e.message),
  );
});

// The slow inputs of the 1,000-input fuzz run (BENCHMARKS.md "Fuzzing (issue 13)"). No timing asserts here:
// each input is the one that was quadratic or exponential, and the assertions are on the answer; the times
// are measured by bench/hostile-parsers.ts.

test('apt config: a line of 44,000 "x " or 88,000 quotes is one error on line 1, and the next line still parses', () => {
  for (const junk of ['x '.repeat(44_000), '"'.repeat(88_000), ' x'.repeat(44_000)]) {
    const r = parseAptConf(`${junk}\nAPT::Periodic::Unattended-Upgrade "1";\n`, '/etc/apt/apt.conf.d/20auto-upgrades');
    assert.equal(r.errors.length >= 1, true, JSON.stringify(r.errors).slice(0, 200));
    assert.equal(r.errors[0]!.line, 1);
  }
  const ok = parseAptConf(`${'// c\n'.repeat(20_000)}APT::Periodic::Unattended-Upgrade "1";\n`, '/etc/apt/apt.conf.d/20auto-upgrades');
  assert.deepEqual(
    ok.statements.map((s) => [s.op, s.key, s.line]),
    [['set', 'APT::Periodic::Unattended-Upgrade', 20_001]],
  );
});

test('apt origin patterns are matched like Python fnmatch (the real python3 decides), never by a backtracking regex', () => {
  const cases: Array<[string, string]> = [
    ['*-security', 'bookworm-security'],
    ['*-security', 'bookworm-updates'],
    ['Debian*', 'Debian-Security'],
    ['[!a]*', 'Debian'],
    ['[!D]*', 'Debian'],
    ['[^D]*', 'Debian'],
    ['[^D]*', '^x'],
    ['[]x]', ']'],
    ['[!]x]', 'y'],
    ['[a-c]?', 'b1'],
    ['[z-a]', 'm'],
    ['[', '['],
    ['a[', 'a['],
    ['a\\*', 'a\\b'],
    ['a\\*', 'a*'],
    ['.*', '.hidden'],
    ['*', 'a/b'],
    ['?', ''],
    ['', ''],
    ['*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000)],
    ['*a*a*a*a*a*a*a*a*a*a*a*a*b', `${'a'.repeat(5000)}b`],
  ];
  const py = spawnSync(
    'python3',
    ['-c', 'import sys, json, fnmatch\nprint(json.dumps([fnmatch.fnmatchcase(v, p) for p, v in json.load(sys.stdin)]))'],
    { input: JSON.stringify(cases), encoding: 'utf8' },
  );
  assert.equal(py.status, 0, py.stderr);
  const want = JSON.parse(py.stdout) as boolean[];
  const o = { origin: '', label: '', suite: '', codename: '', component: '', site: '' };
  const got = cases.map(([p, v]) => (p.includes(',') || p.includes('=') ? null : matchOriginPattern(`a=${p}`, { ...o, suite: v })));
  assert.deepEqual(got, want);
});

test('compose: 40,000 distinct keys parse (the library key check was quadratic: 6 s); a duplicate is still an error at its line', () => {
  const many = `services:\n  web:\n    image: nginx\n${Array.from({ length: 40_000 }, (_, i) => `x-k${i}: ${i}`).join('\n')}\n`;
  const r = parseComposeFile(many, '/srv/app/compose.yaml', {});
  assert.equal(r.ok, true);
  if (r.ok) assert.equal(r.root.entries.size, 40_001);
  const dup = parseComposeFile('services:\n  web:\n    image: a\n    image: b\n', '/srv/app/compose.yaml', {});
  assert.deepEqual(dup, {
    ok: false,
    kind: 'invalid',
    reason: 'YAML: Map keys must be unique',
    source: { path: '/srv/app/compose.yaml', line: 4 },
  });
  // 1 and "1" are different keys (as for the yaml library); repeated merge keys are allowed
  const mixed = parseComposeFile(
    'x-a: &a {p: 1}\nx-b: &b {q: 2}\nservices:\n  web:\n    <<: *a\n    <<: *b\n    1: x\n    "1": y\n',
    '/c.yaml',
    {},
  );
  assert.equal(mixed.ok, true);
});

test('borgmatic: 2,000 repositories each get their own line (the path was searched in every line); duplicates are an error with the line', () => {
  const text = `location:\n  repositories:\n${Array.from({ length: 2000 }, (_, i) => `    - path: ssh://u@h${i}/./repo`).join('\n')}\n`;
  const r = scanBorgmatic(text, {});
  assert.equal(r.error, null);
  assert.equal(r.destinations.length, 2000);
  assert.deepEqual(
    r.destinations.slice(0, 2).map((d) => [d.line, d.excerpt]),
    [
      [3, '- path: ssh://u@h0/./repo'],
      [4, '- path: ssh://u@h1/./repo'],
    ],
  );
  assert.equal(r.destinations[1999]!.line, 2002);
  assert.match(scanBorgmatic('location:\n  repositories: [a]\nlocation: {}\n', {}).error ?? '', /Map keys must be unique at line 3/);
  const keys = scanBorgmatic(`repositories: [/b/repo]\n${Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`).join('\n')}\n`, {});
  assert.equal(keys.destinations.length, 1);
});

test('rampart config: 40,000 keys are refused as unknown keys, a duplicate key names its line', () => {
  assert.throws(
    () => parseConfigText(Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`).join('\n'), 'rampart.yaml'),
    (e: unknown) => e instanceof UsageError && /unknown keys: k0, k1/.test(e.message),
  );
  assert.throws(
    () => parseConfigText('app_dirs: [/a]\nperiods: {}\napp_dirs: [/b]\n', 'rampart.yaml'),
    (e: unknown) => e instanceof UsageError && e.message === 'rampart.yaml:3: invalid YAML: Map keys must be unique',
  );
});

test('sudoers: a carriage return inside a command is an error on its line, not a crash (found by npm run fuzz -- --runs 100000)', () => {
  const input =
    '\nCmnd_Alias V63PN = ylyh\u{99834}host=(ALL:ALL) PASSWD:\u{d31ba}\rLL\n%ggd1_ loca\u{1d926}(root) /bin/ls, /bin/cat\n# +vE:wB`caleStrin\u{ebe9a}';
  const r = parseSudoers(input);
  assert.ok(r.errors.length > 0);
  for (const e of r.errors) assert.ok(e.line >= 1 && e.line <= 4, JSON.stringify(e));
  // the \r is blank to the parser, as to sudo's lexer: PASSWD: then the alias LL
  const cr = parseSudoers('alice ALL=(root) PASSWD:\rLL\n');
  assert.deepEqual(cr.errors, []);
  const spec = cr.entries[0];
  assert.ok(spec?.kind === 'userspec');
  assert.deepEqual(spec.grants[0]?.cmnds[0], { command: 'LL', negated: false, tag: 'passwd', runas: 'root' });
});

test('pwquality: a carriage return inside a value is judged, not a crash', () => {
  const r = parsePwqualityConf('minlen = 1\r4\n');
  assert.equal(r.error?.line ?? 1, 1);
});

test('YAML: 60,000 nested [ or { are refused before parsing (the library overflowed its stack after 1.5 s), with the line', () => {
  for (const unit of ['[', '{', '[a,']) {
    const r = parseComposeFile(`services:\n  web:\n    image: x\n${unit.repeat(60_000)}\n`, '/srv/app/compose.yaml', {});
    assert.deepEqual(r, {
      ok: false,
      kind: 'invalid',
      reason: 'YAML flow collections nested deeper than 64 levels: not parsed',
      source: { path: '/srv/app/compose.yaml', line: 4 },
    });
    assert.match(
      scanBorgmatic(`repositories: ${unit.repeat(60_000)}\n`, {}).error ?? '',
      /nested deeper than 64 levels: not parsed at line 1/,
    );
  }
  // brackets in quoted scalars and comments are not nesting
  const q = parseComposeFile(
    `services:\n  web:\n    image: "${'['.repeat(100)}"\n    # ${'{'.repeat(100)}\n    command: ['${'['.repeat(100)}']\n`,
    '/c.yaml',
    {},
  );
  assert.equal(q.ok, true);
});

test('nginx: an unclosed ${ is part of the word (was an endless loop of empty words to out-of-memory)', () => {
  const r = parseNginxConfig('I\ufffd.${CB', '/etc/nginx/nginx.conf');
  assert.deepEqual(r.directives, []);
  assert.ok(r.errors.length >= 1);
  const ok = parseNginxConfig('return 200 ${x;\nlisten 80;\n', '/etc/nginx/nginx.conf');
  assert.deepEqual(
    ok.directives.map((d) => [d.name, d.args]),
    [
      ['return', ['200', '${x']],
      ['listen', ['80']],
    ],
  );
});

test('borgmatic: 8,000 lines of flow maps (72,000 YAML errors) are one error; past 1 MiB the file is refused unparsed', () => {
  const line = '{"formatVersion":2,"encryption":"AES256-GCM-HMAC-SHA256"}';
  const r = scanBorgmatic(Array.from({ length: 8000 }, () => line).join('\n'), {});
  assert.match(r.error ?? '', /^not valid YAML: .* at line 2$/);
  const big = scanBorgmatic(`repositories: [/b/repo]\n${'#'.repeat(1024 * 1024)}\n`, {});
  assert.match(big.error ?? '', /^not parsed: 1048601 characters, more than a borgmatic configuration holds/);
  assert.deepEqual(big.destinations, []);
});
