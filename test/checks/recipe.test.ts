import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REQUIREMENTS } from '../../src/catalog/requirements.js';
import { CHECKS } from '../../src/checks/index.js';
import { recipeProblems, type Recipe } from '../../src/checks/recipe.js';
import { runCli } from '../helpers.js';

const IDS = new Set(REQUIREMENTS.map((r) => r.id));

test('every recipe a check declares is well-formed and fixes its own requirement first', () => {
  const withFix = CHECKS.filter((c) => c.fix !== undefined);
  assert.ok(withFix.length > 0, 'at least one check declares a fix');
  for (const c of withFix) assert.deepEqual(recipeProblems(c.id, c.fix, IDS), [], c.id);
});

const EVERY_KIND: Recipe = {
  fixes: ['f2b.sshd-jail', 'f2b.running'],
  risk: 'disruptive',
  steps: [
    { kind: 'set-directive', service: 'fail2ban', section: 'sshd', directive: 'maxretry', value: '5' },
    {
      kind: 'ensure-line',
      path: '/etc/sudoers.d/admins',
      line: '%sudo ALL=(ALL:ALL) ALL',
      replaces: '^%sudo\\s',
      validate: ['visudo', '-cf', '{file}'],
    },
    { kind: 'file-mode', path: '/etc/redis/redis.conf', mode: '0640', owner: 'redis', group: 'redis' },
    { kind: 'tighten-modes', keep: '0644', keepExecutable: '0755' },
    { kind: 'command', argv: ['systemctl', 'enable', '--now', 'fail2ban'], purpose: 'start fail2ban at boot' },
  ],
  note: 'restarts fail2ban',
};

test('a recipe with one step of every kind is accepted', () => {
  assert.deepEqual(recipeProblems('f2b.sshd-jail', EVERY_KIND, IDS), []);
});

const BAD: [string, unknown, RegExp][] = [
  ['no steps', { ...EVERY_KIND, steps: [] }, /fix\.steps: /],
  ['unknown risk tier', { ...EVERY_KIND, risk: 'risky' }, /fix\.risk: /],
  ['unknown step kind', { ...EVERY_KIND, steps: [{ kind: 'shell', line: 'rm -rf /' }] }, /fix\.steps\.0\.kind: /],
  ['unknown service', { ...EVERY_KIND, steps: [{ kind: 'set-directive', service: 'telnetd', directive: 'a', value: 'b' }] }, /service/],
  [
    'a value over two lines',
    { ...EVERY_KIND, steps: [{ kind: 'set-directive', service: 'sshd', directive: 'A', value: 'no\nB yes' }] },
    /one line/,
  ],
  ['a relative path', { ...EVERY_KIND, steps: [{ kind: 'file-mode', path: 'etc/shadow', mode: '0640' }] }, /absolute path/],
  ['a tighten-modes mask in decimal', { ...EVERY_KIND, steps: [{ kind: 'tighten-modes', keep: '644' }] }, /octal mode/],
  ['a decimal mode', { ...EVERY_KIND, steps: [{ kind: 'file-mode', path: '/etc/shadow', mode: '640' }] }, /octal mode/],
  ['an empty argv', { ...EVERY_KIND, steps: [{ kind: 'command', argv: [], purpose: 'x' }] }, /fix\.steps\.0\.argv/],
  [
    'a validator without {file}',
    { ...EVERY_KIND, steps: [{ kind: 'ensure-line', path: '/etc/x', line: 'y', validate: ['visudo', '-c'] }] },
    /\{file\}/,
  ],
  [
    'a bad regular expression',
    { ...EVERY_KIND, steps: [{ kind: 'ensure-line', path: '/etc/x', line: 'y', replaces: '(' }] },
    /regular expression/,
  ],
  ['an unknown field', { ...EVERY_KIND, apply: true }, /apply/],
  ['fixes another requirement first', { ...EVERY_KIND, fixes: ['f2b.running', 'f2b.sshd-jail'] }, /own id/],
  ['fixes an id not in the catalog', { ...EVERY_KIND, fixes: ['f2b.sshd-jail', 'f2b.no-such'] }, /"f2b\.no-such", not a requirement id/],
];
for (const [name, recipe, problem] of BAD)
  test(`a recipe is refused: ${name}`, () => {
    const problems = recipeProblems('f2b.sshd-jail', recipe, IDS);
    assert.ok(
      problems.some((p) => problem.test(p)),
      JSON.stringify(problems),
    );
  });

test('explain --format json and requirements --format json carry the recipe where a check has one, and only there', async () => {
  const ex = await runCli(['explain', 'ssh.root-login-disabled', '--format', 'json']);
  assert.equal(ex.code, 0, ex.stderr);
  const one = JSON.parse(ex.stdout) as { id: string; implemented: boolean; remediation: string; fix?: Recipe };
  assert.equal(one.id, 'ssh.root-login-disabled');
  assert.equal(one.fix?.risk, 'disruptive');
  assert.deepEqual(one.fix.steps[0], { kind: 'set-directive', service: 'sshd', directive: 'PermitRootLogin', value: 'no' });
  const none = JSON.parse((await runCli(['explain', 'ssh.strong-crypto', '--format', 'json'])).stdout) as Record<string, unknown>;
  assert.equal(none.implemented, true);
  assert.ok(!('fix' in none));
  const list = JSON.parse((await runCli(['requirements', '--format', 'json'])).stdout) as { id: string; fix?: Recipe }[];
  assert.deepEqual(
    list
      .filter((r) => r.fix)
      .map((r) => r.id)
      .sort(),
    CHECKS.filter((c) => c.fix)
      .map((c) => c.id)
      .sort(),
  );
  const text = await runCli(['explain', 'ssh.x11-forwarding-disabled']);
  assert.match(text.stdout, /Fix \(safe\): sshd: X11Forwarding no/);
  assert.equal((await runCli(['explain', 'ssh.x11-forwarding-disabled', '--format', 'yaml'])).code, 2);
});
