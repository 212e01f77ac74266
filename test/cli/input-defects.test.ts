// Regression tests of issue 13's defects in what the CLI reads: a FIFO as --config / --facts used to
// block forever, a config alias bomb gave "internal error" with a stack trace, --timeout took `1e12`
// (1 ms timers) and `0x10`, port 99999 and CIDR 300.1.2.3/33 were accepted in the configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree, requireCommands, runCli } from '../helpers.js';

const ROOT = { 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' };

test('a FIFO (or a directory) given as --config or --facts is refused at once, never waited on', async (t) => {
  if (!requireCommands(t, 'mkfifo')) return;
  const dir = makeTree(ROOT, t);
  execFileSync('mkfifo', [join(dir, 'pipe')]);
  const t0 = performance.now();
  const c = await runCli(['audit', '--root', dir, '--no-store', '--config', join(dir, 'pipe')]);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /--config .*pipe: it is a FIFO, not a regular file/);
  const f = await runCli(['audit', '--facts', join(dir, 'pipe'), '--no-store']);
  assert.equal(f.code, 3, 'a target error, as an unreadable --facts always was');
  assert.match(f.stderr, /--facts .*pipe: it is a FIFO, not a regular file/);
  const d = await runCli(['audit', '--facts', join(dir, 'etc'), '--no-store']);
  assert.equal(d.code, 3);
  // A directory is a fleet (`audit --facts DIR`, issue 11): one with no snapshot in it is a target error naming it.
  assert.match(d.stderr, /no <host>\.json snapshot/);
  assert.ok(performance.now() - t0 < 10_000);
});

test('a configuration alias bomb or 10,000-level nesting is a one-line usage error, not an internal error', async (t) => {
  const dir = makeTree(ROOT, t);
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++)
    bomb.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(', ')}]`,
    );
  bomb.push('admin_users: *i');
  writeFileSync(join(dir, 'bomb.yaml'), `${bomb.join('\n')}\n`);
  writeFileSync(join(dir, 'deep.yaml'), `admin_users: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
  for (const f of ['bomb.yaml', 'deep.yaml']) {
    const r = await runCli(['audit', '--root', dir, '--no-store', '--config', join(dir, f)]);
    assert.equal(r.code, 2, `${f}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, f);
    assert.match(r.stderr, new RegExp(`${f}`), f);
  }
});

test('--timeout is parsed strictly: a number of seconds in (0, 86400]', async (t) => {
  const dir = makeTree(ROOT, t);
  for (const bad of ['1e12', '0x10', 'abc', '0', '86401', '--timeout=-5', ' ']) {
    const argv = bad.startsWith('--') ? [bad] : ['--timeout', bad];
    const r = await runCli(['audit', '--root', dir, '--no-store', '--format', 'json:/dev/null', ...argv]);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, /--timeout takes a number of seconds greater than 0 and at most 86400/, bad);
  }
  const ok = await runCli(['audit', '--root', dir, '--no-store', '--format', 'json:/dev/null', '--timeout', '2.5']);
  assert.ok(ok.code === 0 || ok.code === 1, ok.stderr);
});

test('every numeric option says its range for a negative, huge or odd value, given with a space or with =', async (t) => {
  const dir = makeTree(ROOT, t);
  const cases: Array<[string[], RegExp]> = [
    [['audit', '--timeout', '-5'], /^rampart: --timeout takes a number of seconds greater than 0 and at most 86400, not "-5"\n$/],
    [['audit', '--timeout', '1e12'], /--timeout takes a number of seconds greater than 0 and at most 86400, not "1e12"/],
    [['audit', '--timeout', '-.5'], /--timeout takes a number of seconds .* not "-\.5"/],
    [['audit', '--forks', '-1'], /^rampart: --forks takes a whole number from 1 to 1000, not "-1"\n$/],
    [['audit', '--forks=-1'], /--forks takes a whole number from 1 to 1000, not "-1"/],
    [['audit', '--forks', '1e2'], /--forks takes a whole number from 1 to 1000, not "1e2"/],
    [['audit', '--forks', '0x10'], /--forks takes a whole number from 1 to 1000, not "0x10"/],
    [['audit', '--now', '2026-02-30'], /--now: "2026-02-30" is not a date: 2026-02-30 does not exist/],
    [['audit', '--now', '-1'], /--now: "-1" is not a date/],
    [['audit', '--now', '12'], /--now: "12" is not a date/],
    [['checklist', '--timeout', '-5'], /--timeout takes a number of seconds greater than 0 and at most 86400, not "-5"/],
    [['checklist', '--timeout', '1e12'], /--timeout takes a number of seconds .* not "1e12"/],
    [['collect', '--out', join(dir, 'case'), '--timeout', '-5'], /--timeout takes a number of seconds .* not "-5"/],
  ];
  for (const [argv, want] of cases) {
    const root =
      argv[0] === 'collect' ? [] : argv[0] === 'checklist' ? ['--root', dir] : ['--root', dir, '--no-store', '--format', 'json:/dev/null'];
    const r = await runCli([...argv, ...root]);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /ambiguous/, argv.join(' '));
    assert.match(r.stderr, want, argv.join(' '));
  }
  // a value that only looks like an option is still one: an option after an option that takes a value
  const swallowed = await runCli(['audit', '--root', dir, '--no-store', '--timeout', '--no-store']);
  assert.equal(swallowed.code, 2);
});

test('configuration: port 99999, port 0, a reversed range and CIDR 300.1.2.3/33 are refused with file:line', async (t) => {
  const dir = makeTree(ROOT, t);
  const cases: Array<[string, RegExp]> = [
    ['allowed_ports: ["99999/tcp"]', /:1: allowed_ports\.0: a port is 1–65535/],
    ['allowed_ports: ["0/udp"]', /a port is 1–65535/],
    ['allowed_ports: ["90-80/tcp"]', /FIRST ≤ LAST/],
    ['ssh_admin_sources: ["300.1.2.3/33"]', /:1: ssh_admin_sources\.0: not an IPv4\/IPv6 address or CIDR range/],
    ['pg_app_servers: ["10.0.0.0/33"]', /pg_app_servers\.0: not an IPv4/],
  ];
  for (const [yaml, why] of cases) {
    writeFileSync(join(dir, 'c.yaml'), `${yaml}\n`);
    const r = await runCli(['audit', '--root', dir, '--no-store', '--config', join(dir, 'c.yaml')]);
    assert.equal(r.code, 2, yaml);
    assert.match(r.stderr, why, yaml);
  }
  writeFileSync(join(dir, 'c.yaml'), 'allowed_ports: ["1-65535/tcp"]\nssh_admin_sources: ["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"]\n');
  const ok = await runCli(['audit', '--root', dir, '--no-store', '--format', 'json:/dev/null', '--config', join(dir, 'c.yaml')]);
  assert.ok(ok.code === 0 || ok.code === 1, ok.stderr);
});
