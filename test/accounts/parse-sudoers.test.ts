import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseSudoers, isIncludedirName, expandList, principalOf } from '../../src/collect/parse/sudoers.js';
import { resolveSudoRules } from '../../src/collect/accounts.js';
import { requireCommands } from '../helpers.js';
import { FIXTURES } from './fixture.js';

const SYNTAX = join(FIXTURES, 'sudoers-syntax');
/** Every sudoers text among the fixtures: the syntax corpus plus each scenario's sudoers files. */
function corpus(): string[] {
  const out = readdirSync(SYNTAX)
    .filter((n) => n !== 'SOURCE.md')
    .map((n) => join(SYNTAX, n));
  for (const s of readdirSync(FIXTURES)) {
    for (const rel of ['etc/sudoers', 'etc/sudoers.d']) {
      const p = join(FIXTURES, s, rel);
      try {
        out.push(...readdirSync(p).map((n) => join(p, n)));
      } catch {
        try {
          readFileSync(p);
          out.push(p);
        } catch {
          /* absent */
        }
      }
    }
  }
  return out;
}

test('the parser agrees with the real visudo -c -f on every sudoers fixture', (t) => {
  if (!requireCommands(t, 'visudo')) return;
  const files = corpus();
  assert.ok(files.length >= 15, `corpus has ${files.length} files`);
  for (const f of files) {
    const r = spawnSync('visudo', ['-c', '-f', f], { encoding: 'utf8' });
    const parsed = parseSudoers(readFileSync(f, 'utf8'));
    assert.equal(
      parsed.errors.length === 0,
      r.status === 0,
      `${f}: visudo says ${r.status === 0 ? 'OK' : r.stderr.trim()} but the parser says ${JSON.stringify(parsed.errors)}`,
    );
  }
});

test('syntax corpus: ok-* parse, bad-* do not (independent of visudo)', () => {
  for (const n of readdirSync(SYNTAX).filter((x) => x !== 'SOURCE.md')) {
    const parsed = parseSudoers(readFileSync(join(SYNTAX, n), 'utf8'));
    assert.equal(parsed.errors.length === 0, n.startsWith('ok-'), `${n}: ${JSON.stringify(parsed.errors)}`);
  }
});

test('user specs: tags carry over, PASSWD resets, grants split on ":" before a host list', () => {
  const p = parseSudoers(readFileSync(join(SYNTAX, 'ok-multi-grant'), 'utf8'));
  const spec = p.entries[0]!;
  assert.equal(spec.kind, 'userspec');
  if (spec.kind !== 'userspec') return;
  assert.deepEqual(
    spec.grants.map((g) => g.hosts),
    [['ALL'], ['db1']],
  );
  assert.deepEqual(
    spec.grants[0]!.cmnds.map((c) => [c.command, c.tag, c.runas]),
    [
      ['/usr/bin/apt', 'nopasswd', 'root'],
      ['/usr/bin/vi', 'passwd', 'root'],
    ],
  );
  assert.deepEqual(
    spec.grants[1]!.cmnds.map((c) => [c.command, c.tag, c.runas]),
    [['ALL', null, 'postgres']],
  );
});

test('continuation lines keep the first line number; comments and #uid are told apart', () => {
  const p = parseSudoers(
    '# comment\nUser_Alias A = x, \\\n  y\n#1001 ALL=(#0) /usr/bin/id # trailing\n#include /etc/x\n@includedir /etc/sudoers.d\n',
  );
  assert.deepEqual(p.errors, []);
  assert.deepEqual(
    p.entries.map((e) => [e.kind, e.line]),
    [
      ['alias', 2],
      ['userspec', 4],
      ['include', 5],
      ['include', 6],
    ],
  );
  const a = p.entries[0]!;
  assert.ok(a.kind === 'alias' && a.members.join() === 'x,y');
});

test('includedir skips names with a dot or ending in ~ (sudoers(5))', () => {
  assert.deepEqual(['90-deploy', 'deploy.conf', 'old~', 'README', '.hidden'].map(isIncludedirName), [true, false, false, true, false]);
});

test('aliases expand recursively with negation, and cycles stop', () => {
  const m = new Map([
    ['A', ['x', 'B']],
    ['B', ['!y', 'A']],
  ]);
  assert.deepEqual(expandList(['A'], m), [
    { item: 'x', negated: false },
    { item: 'y', negated: true },
    { item: 'A', negated: false },
  ]);
  assert.deepEqual(principalOf('%#27'), { kind: 'gid', name: '27' });
  assert.deepEqual(principalOf('"%domain users"'), { kind: 'group', name: 'domain users' });
});

test('Defaults !authenticate makes rules without a PASSWD tag NOPASSWD, per scope', () => {
  const entries = (text: string) => parseSudoers(text).entries.map((entry) => ({ path: '/etc/sudoers', entry }));
  const cases: [string, string, boolean][] = [
    ['global', 'Defaults !authenticate\nbob ALL=(ALL) ALL\n', true],
    ['global, later reset', 'Defaults !authenticate\nDefaults authenticate\nbob ALL=(ALL) ALL\n', false],
    ['user scope', 'Defaults:bob !authenticate\nbob ALL=(ALL) ALL\n', true],
    ['other user scope', 'Defaults:carol !authenticate\nbob ALL=(ALL) ALL\n', false],
    ['PASSWD tag wins', 'Defaults !authenticate\nbob ALL=(ALL) PASSWD: ALL\n', false],
  ];
  for (const [name, text, nopasswd] of cases) {
    const rules = resolveSudoRules(entries(text));
    assert.equal(rules[0]!.commands[0]!.nopasswd, nopasswd, name);
  }
});
