import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchWildcard } from '../../src/util/wildcard.js';

test('matchWildcard: * and ?, everything else literal, whole string, case', () => {
  assert.ok(matchWildcard('ssh-users', 'ssh-*'));
  assert.ok(matchWildcard('ssh-', 'ssh-*'));
  assert.ok(!matchWildcard('xssh-users', 'ssh-*'), 'anchored');
  assert.ok(matchWildcard('ab', 'a?'));
  assert.ok(!matchWildcard('abc', 'a?'));
  assert.ok(matchWildcard('a.b', 'a.b'));
  assert.ok(!matchWildcard('axb', 'a.b'), '. is literal');
  assert.ok(matchWildcard('a[1]', 'a[1]'), '[ is literal (no classes in match_pattern)');
  assert.ok(!matchWildcard('a1', 'a[1]'));
  assert.ok(matchWildcard('(x)+$', '(x)+$'));
  assert.ok(matchWildcard('a\nb', 'a*b'), '* crosses newlines');
  assert.ok(!matchWildcard('ADMIN', 'admin'));
  assert.ok(matchWildcard('ADMIN', 'admin', true));
  assert.ok(matchWildcard('', '*'));
  assert.ok(!matchWildcard('', '?'));
});
