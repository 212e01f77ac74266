import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentMatcher, wildcardMatcher } from '../../src/util/glob.js';
import { rng } from '../rng.js';

// The regular-expression translations the matchers replaced (backtracking, exponential on `*a*a…*b`):
// the reference for the differential test on inputs small enough for them.
function regexComponent(pattern: string): (name: string) => boolean {
  let re = '';
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else if (c === '\\' && i + 1 < pattern.length) re += esc(pattern[++i]!);
    else re += esc(c);
  }
  const rx = new RegExp(`^${re}$`, 's');
  return (name) => (pattern.startsWith('.') || !name.startsWith('.')) && rx.test(name);
}

test('componentMatcher agrees with the fnmatch regex translation on 5,000 seeded cases', () => {
  const next = rng(13);
  const pick = (s: string) => s[Math.floor(next() * s.length)]!;
  for (let k = 0; k < 5000; k++) {
    let pattern = '';
    for (let i = Math.floor(next() * 8); i > 0; i--) pattern += pick('ab.*?*[]!-^\\c');
    let name = '';
    for (let i = Math.floor(next() * 8); i > 0; i--) name += pick('abc.-]![^\\');
    let want: boolean;
    try {
      want = regexComponent(pattern)(name);
    } catch {
      continue; // `[b-a]`: an invalid range made the old translation throw
    }
    assert.equal(componentMatcher(pattern)(name), want, `pattern ${JSON.stringify(pattern)} name ${JSON.stringify(name)}`);
  }
});

test('componentMatcher: classes, ranges, negation, escapes, leading dot', () => {
  assert.ok(componentMatcher('*.conf')('a.conf'));
  assert.ok(!componentMatcher('*.conf')('.hidden.conf'), 'a leading dot is matched explicitly');
  assert.ok(componentMatcher('.*')('.hidden'));
  assert.ok(componentMatcher('[0-9][!a]x')('5bx'));
  assert.ok(!componentMatcher('[0-9][!a]x')('5ax'));
  assert.ok(componentMatcher('[]a]')(']'));
  assert.ok(componentMatcher('a\\*')('a*'));
  assert.ok(!componentMatcher('a\\*')('ab'));
  assert.ok(componentMatcher('[abc')('[abc'), 'an unclosed [ is literal');
});

test('glob matching is linear: `*a*a…*b` against a long name answers at once (regression, issue 13)', () => {
  const pattern = `${'*a'.repeat(30)}*b`;
  const name = 'a'.repeat(5000);
  const t0 = performance.now();
  assert.equal(componentMatcher(pattern)(name), false);
  assert.equal(wildcardMatcher(pattern)(name), false);
  assert.equal(wildcardMatcher(pattern, true)(name.toUpperCase()), false);
  assert.ok(componentMatcher(pattern)(`${name}b`));
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
});
