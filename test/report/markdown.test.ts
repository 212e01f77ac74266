import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown } from '../../src/report/markdown.js';
import { mdCode, mdText } from '../../src/report/escape.js';
import { finding, fixtureReport, reportOf, result } from './fixture.js';

test('code spans: the fence outgrows any backtick run; pipes are escaped in table cells only', () => {
  assert.equal(mdCode('a`b'), '``a`b``');
  assert.equal(mdCode('``x'), '``` ``x ```');
  assert.equal(mdCode('a|b'), '`a|b`');
  assert.equal(mdCode('a|b', true), '`a\\|b`');
  assert.equal(mdCode('line\nbreak'), '`line\\nbreak`');
  assert.equal(mdText('a|b `c` <img> *x* [l](u) ![i](u)'), 'a\\|b \\`c\\` \\<img\\> \\*x\\* \\[l\\](u) !\\[i\\](u)');
  assert.equal(mdText('- not a list, 4 account(s)'), '\\- not a list, 4 account(s)');
});

test('summary table first, then failures and warnings by section before everything else', () => {
  const md = renderMarkdown(fixtureReport());
  const at = (s: string) => {
    const i = md.indexOf(s);
    assert.ok(i >= 0, s);
    return i;
  };
  assert.ok(at('| Status | Requirements |') < at('### Failures and warnings'));
  assert.ok(at('### Failures and warnings') < at('### Waived'));
  assert.ok(at('### Waived') < at('<details><summary>All results</summary>'));
  assert.ok(at('#### 2.1 Patch management') < at('#### 2.2 User account management'));
  assert.match(md, /\| fail \| 4 \|/);
  assert.match(md, /- \*\*FAIL\*\* `ssh\.root-login-disabled` Root login over SSH is disabled \(critical\)/);
  // a passing requirement is only in the collapsed table
  assert.ok(md.indexOf('patch.auto-security-updates') > at('<details><summary>All results</summary>'));
});

test('host strings cannot break the table or inject markup', () => {
  const md = renderMarkdown(fixtureReport());
  const waivedRow = md.split('\n').find((l) => l.startsWith('| `accounts.sudo-for-admin`'))!;
  // 4 columns: exactly 5 unescaped pipes
  assert.equal((waivedRow.match(/(?<!\\)\|/g) ?? []).length, 5, waivedRow);
  assert.ok(waivedRow.includes('alice has no sudo rule \\| uses \\`doas\\` instead'));
  assert.ok(!md.includes('<img src=x onerror=alert(1)>') || md.includes('`/srv/www/<img src=x onerror=alert(1)>`'));
  for (const line of md.split('\n')) {
    if (line.includes('<img')) assert.match(line, /`[^`]*<img[^`]*`/, `markup outside a code span: ${line}`);
  }
  assert.ok(md.includes('`/app/uploads/evil\\nname.txt`'));
});

test('long finding lists are collapsed', () => {
  const r = result(
    'fs.no-world-writable',
    'fail',
    '8 entries',
    Array.from({ length: 8 }, (_, i) => finding({ message: 'ww', path: `/f${i}` })),
  );
  const md = renderMarkdown(reportOf([r]));
  assert.match(md, /<details><summary>3 more findings<\/summary>/);
  const [open] = md.split('<details><summary>3 more');
  assert.equal((open!.match(/`\/f\d`/g) ?? []).length, 5);
});
