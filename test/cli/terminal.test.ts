// Issue 14, the text report on a terminal: notes said once, evidence folded to the terminal width,
// and the one-line progress indicator on stderr — on a real pseudo-terminal (util-linux `script`),
// never when piped or with --quiet.
/* eslint-disable no-control-regex -- the test reads terminal escape sequences */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import test from 'node:test';
import { liftNotes, trailingNote } from '../../src/report/text.js';
import { requireCommands, runCli } from '../helpers.js';
import { hostRoot } from '../e2e/hosts.js';
import { reportOf, result } from '../report/fixture.js';

const NOW = '2026-11-28T10:00:00Z';
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'rampart.js');
const SSHD_NOTE = 'from the configuration files: offline root: sshd -T cannot run';

test('trailingNote: the last balanced [..] after a space, nothing else', () => {
  assert.deepEqual(trailingNote('PermitRootLogin is "yes" [from the files: a [b] c]'), {
    body: 'PermitRootLogin is "yes"',
    note: 'from the files: a [b] c',
  });
  assert.equal(trailingNote('ports [22] open'), null);
  assert.equal(trailingNote('x[y]'), null, 'no space before the bracket: part of a word');
  assert.equal(trailingNote('unbalanced]'), null);
});

test('liftNotes: a note shared by two results is numbered once; a note of one result stays in place', () => {
  const rs = [
    result('ssh.root-login-disabled', 'fail', 'PermitRootLogin is "yes" [n1]'),
    result('ssh.password-auth-disabled', 'fail', 'PasswordAuthentication is "yes" [n1]'),
    result('ssh.idle-timeout', 'fail', 'ClientAliveInterval is "0" [only mine]'),
  ];
  const { notes, summaryOf } = liftNotes(reportOf(rs).results);
  assert.deepEqual(notes, ['n1']);
  assert.equal(summaryOf(rs[0]!), 'PermitRootLogin is "yes" [note 1]');
  assert.equal(summaryOf(rs[2]!), 'ClientAliveInterval is "0" [only mine]');
});

test('text report of a real root: the sshd note is said once; evidence folds to the terminal width only on a terminal', async (t) => {
  const root = hostRoot('debian12-default', t);
  const base = ['audit', '--root', root, '--now', NOW, '--no-store', '--color', 'never'];
  const piped = await runCli(base);
  assert.ok(piped.code === 0 || piped.code === 1, piped.stderr);
  assert.equal(piped.stdout.split(SSHD_NOTE).length - 1, 1, 'the note once');
  assert.match(piped.stdout, /\nNotes:\n {2}\[note 1\] from the configuration files: offline root: sshd -T cannot run\n/);
  // an excerpt its finding's line already quotes is not repeated under it; others are kept
  assert.match(piped.stdout, /^ {10}- PermitRootLogin is "without-password" \(OpenSSH [\d.p]+ built-in default \(sshd_config\(5\)\)\)$/m);
  assert.doesNotMatch(piped.stdout, /^ {14}OpenSSH [\d.p]+ built-in default/m);
  assert.match(piped.stdout, /^ {14}%\(sshd_log\)s$/m);
  const marked = piped.stdout.match(/\[note 1\]/g)!.length;
  assert.ok(marked >= 6, `${marked} sshd lines point at the note`);
  const long = piped.stdout
    .split('\n')
    .slice(1)
    .filter((l) => l.length > 100);
  assert.ok(long.length > 0, 'piped: lines keep their full length');
  assert.doesNotMatch(piped.stdout, /… see --format json/);

  const tty = await runCli(base, { io: { isTTY: true, columns: 100 } });
  assert.equal(tty.code, piped.code);
  const lines = tty.stdout.split('\n').slice(1); // the header names the root path
  const over = lines.filter((l) => [...l].length > 100);
  assert.deepEqual(over, [], 'every line fits 100 columns');
  // evidence and summaries are cut ("… see --format json"); titles and fixes wrap, whole
  const folded = lines.filter((l) => l.endsWith('… see --format json'));
  const evidence = long.filter((l) => !/^ {10}fix: /.test(l) && !/^ {2}[A-Z/]+ +[a-z0-9]+\.[a-z0-9-]+ {2}/.test(l));
  assert.ok(evidence.length > 10 && folded.length === evidence.length, `${folded.length} folded lines for ${evidence.length} long ones`);
  const fix = long.find((l) => /^ {10}fix: /.test(l))!;
  const at = lines.findIndex((l) => l.startsWith(fix.slice(0, 40)));
  assert.ok(at >= 0 && lines[at + 1]!.startsWith('               '), 'a long fix continues on the next line, indented');
  assert.equal(
    lines
      .slice(at, at + 6)
      .map((l) => l.trim())
      .join(' ')
      .startsWith(fix.trim()),
    true,
    'nothing of the fix is lost',
  );
  // what was cut is the start of the full line
  for (const f of folded.slice(0, 5)) {
    const head = f.slice(0, -'… see --format json'.length).trimEnd();
    assert.ok(piped.stdout.includes(head), head);
  }
});

/** Runs the built CLI on a pseudo-terminal: `script` gives it a tty for stdin, stdout and stderr. */
function onPty(args: string[]): string {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '120' } });
  assert.ok(r.status === 0 || r.status === 1, `${r.status}: ${r.stderr}`);
  return r.stdout;
}

test('progress: one line on stderr on a terminal, rewritten in place and erased; none piped, none with --quiet', (t) => {
  if (!requireCommands(t, 'script')) return;
  const root = hostRoot('debian12-default', t);
  const args = ['audit', '--root', root, '--now', NOW, '--no-store', '--format', 'json', '-o', '/dev/null'];
  const tty = onPty(args);
  assert.match(tty, /\r\u001b\[2Krampart: collecting 0\/\d+ \(/, 'the first line: nothing collected yet');
  const counts = [...tty.matchAll(/rampart: collecting (\d+)\/(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
  const total = counts[0]![1];
  assert.ok(total > 10, `${total} collectors`);
  assert.ok(
    counts.every(([d], i) => i === 0 || d >= counts[i - 1]![0]),
    'the count only goes up',
  );
  assert.ok(tty.endsWith('\r\u001b[2K'), 'the line is erased at the end: nothing stays on the screen');
  assert.doesNotMatch(tty, /\n/, 'one line: never a newline (json went to /dev/null)');

  const quiet = onPty([...args, '--quiet']);
  assert.equal(quiet, '', '--quiet: no progress');

  const piped = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  assert.ok(piped.status === 0 || piped.status === 1, piped.stderr);
  assert.equal(piped.stderr, '', 'piped stderr: nothing');
  assert.equal(piped.stdout, '');
});

test('fleet progress: one line per host as it ends, on a terminal only, erased at the end', async (t) => {
  if (!requireCommands(t, 'ssh')) return;
  // port 1 on loopback: the connection is refused at once, the host is "not assessed"
  const args = ['audit', '--host', 'nobody@127.0.0.1:1', '--no-store', '--now', NOW, '--format', 'json'];
  const tty = await runCli(args, { io: { stderrIsTTY: true, stderrColumns: 200 } });
  assert.equal(tty.code, 3, tty.stderr);
  assert.match(tty.stderr, /^\r\u001b\[2Krampart: auditing 1 host\(s\) over SSH, 1 at a time/);
  assert.match(tty.stderr, /\r\u001b\[2Krampart: \[1\/1\] nobody@127\.0\.0\.1:1: not assessed: \w+ \(\d+\.\d s\)/);
  assert.ok(tty.stderr.endsWith('\r\u001b[2K'), JSON.stringify(tty.stderr.slice(-40)));
  assert.doesNotMatch(tty.stderr, /\n/);
  const quiet = await runCli([...args, '--quiet'], { io: { stderrIsTTY: true } });
  assert.equal(quiet.stderr, '');
  const piped = await runCli(args);
  assert.equal(piped.stderr, '');
  assert.equal(
    piped.stdout,
    tty.stdout.replace(/"generatedAt": "[^"]*"/, (m) => m),
    'the same report either way',
  );
});
