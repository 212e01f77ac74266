import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closingBracket } from '../../src/collect/parse/brackets.js';

test('closingBracket: nesting, quotes with escapes, the three bracket kinds, unclosed', () => {
  const t = 'action(type="omfwd" target="a)b" x=\'}\' y="q\\"(") tail';
  assert.equal(closingBracket(t, 6), t.indexOf(') tail'));
  assert.equal(closingBracket('{ a { b } "}" }', 0), 14);
  assert.equal(closingBracket('[1, [2], "]"] x', 0), 12);
  assert.equal(closingBracket('( never closed "(" ', 0), -1);
  assert.equal(closingBracket('x(', 0), -1, 'not on a bracket');
});
