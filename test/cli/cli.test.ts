import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, constants, createReadStream, lstatSync, openSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { isRoot, makeTree, requireCommands, runCli } from '../helpers.js';
import { ReportSchema } from '../../src/report/schema.js';
import { REQUIREMENTS } from '../../src/catalog/requirements.js';

test('usage errors exit 2 with one line saying what is wrong', async () => {
  for (const [argv, re] of [
    [['frobnicate'], /unknown command "frobnicate"/],
    [['audit', '--format', 'yaml'], /unknown format "yaml"/],
    [['audit', '--format', 'json,text'], /at most one format can go to standard output/],
    [['audit', '--only', 'nosuch.thing'], /"nosuch.thing" names no requirement id/],
    [['audit', '--profile', 'paranoid'], /--profile must be guide or strict/],
    [['audit', '--fail-on', 'severe'], /--fail-on must be one of/],
    [['audit', '--bogus'], /Unknown option '--bogus'/],
    [['explain', 'no.such'], /no requirement "no.such"/],
  ] as const) {
    const r = await runCli([...argv]);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, re);
  }
});

test('a root that does not exist is exit 3', async () => {
  const r = await runCli(['audit', '--root', '/nonexistent/rampart-root']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /not a directory/);
});

test('config: an unknown key is an error naming the key and its line', async (t) => {
  const dir = makeTree({ 'c.yaml': 'app_dirs: [/app]\nperiods:\n  signoff: 30\n  sign_off: 30\n' }, t);
  const r = await runCli(['audit', '--config', join(dir, 'c.yaml'), '--root', dir, '--only', 'patch.weekly-review']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /c\.yaml:4: periods: unknown key: sign_off/);
});

test('config: a wrong type names the key; invalid YAML names the line', async (t) => {
  const dir = makeTree({ 'a.yaml': 'allowed_ports: [22]\n', 'b.yaml': 'app_dirs: [/app\nx: 1\n' }, t);
  const a = await runCli(['audit', '--config', join(dir, 'a.yaml'), '--root', dir]);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /a\.yaml:1: allowed_ports\.0: /);
  const b = await runCli(['audit', '--config', join(dir, 'b.yaml'), '--root', dir]);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /b\.yaml:\d+: invalid YAML/);
});

test('config: /etc/rampart/config.yaml inside the root is read by default', async (t) => {
  const dir = makeTree({ 'etc/rampart/config.yaml': 'bogus_key: 1\n' }, t);
  const r = await runCli(['audit', '--root', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /etc\/rampart\/config\.yaml.*:1: \(top level\): unknown key: bogus_key/);
});

test('requirements lists the whole catalog; explain shows one in full', async () => {
  const list = await runCli(['requirements', '--format', 'json']);
  assert.equal(list.code, 0);
  assert.equal((JSON.parse(list.stdout) as unknown[]).length, REQUIREMENTS.length);
  const ex = await runCli(['explain', 'ssh.root-login-disabled']);
  assert.equal(ex.code, 0);
  assert.match(ex.stdout, /section 2\.2/);
  assert.match(ex.stdout, /A\.9\.2\.3/);
});

test('schema prints a JSON Schema of the report', async () => {
  const r = await runCli(['schema']);
  const s = JSON.parse(r.stdout) as { type: string; properties: Record<string, unknown> };
  assert.equal(s.type, 'object');
  assert.ok('results' in s.properties && 'schemaVersion' in s.properties);
});

test('--format json follows the schema; --save-facts then --facts gives identical results', async (t) => {
  const dir = makeTree({ 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' }, t);
  const facts = join(dir, 'facts.json');
  const out = join(dir, 'report.json');
  const first = await runCli(['audit', '--root', dir, '--format', `json:${out}`, '--save-facts', facts]);
  assert.ok(first.code === 0 || first.code === 1, first.stderr);
  const a = ReportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
  const again = await runCli(['audit', '--facts', facts, '--format', 'json']);
  const b = ReportSchema.parse(JSON.parse(again.stdout));
  assert.equal(b.target.kind, 'facts');
  assert.deepEqual(b.results, a.results);
  assert.equal(JSON.stringify(b.results), JSON.stringify(a.results));
});

test('--facts: a file that is not a snapshot is a clear error', async (t) => {
  const dir = makeTree({ 'x.json': '{"schemaVersion": 9}', 'y.json': 'garbage' }, t);
  const x = await runCli(['audit', '--facts', join(dir, 'x.json')]);
  assert.equal(x.code, 2);
  assert.match(x.stderr, /not a facts snapshot of schema version 1/);
  const y = await runCli(['audit', '--facts', join(dir, 'y.json')]);
  assert.match(y.stderr, /invalid JSON/);
});

test('report files: a device node and a FIFO are written to, never replaced; a symlink stays and its file gets the report', async (t) => {
  if (!requireCommands(t, 'mknod', 'mkfifo') || !isRoot()) return t.skip('needs root for mknod');
  const dir = makeTree({ 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n', 'real.json': 'old' }, t);
  const facts = join(dir, 'facts.json');
  const first = await runCli(['audit', '--root', dir, '--format', 'json', '--save-facts', facts]);
  assert.ok(first.code === 0 || first.code === 1, first.stderr);
  // a null device of the test's own (the real /dev/null is never put at risk)
  execFileSync('mknod', ['-m', '666', join(dir, 'null'), 'c', '1', '3']);
  execFileSync('mkfifo', [join(dir, 'pipe')]);
  symlinkSync(join(dir, 'real.json'), join(dir, 'link'));
  const reader = new Promise<string>((res) => {
    let s = '';
    createReadStream(join(dir, 'pipe'), 'utf8')
      .on('data', (d) => (s += String(d)))
      .on('end', () => res(s));
  });
  const r = await runCli([
    'audit',
    '--facts',
    facts,
    '--format',
    `json:${join(dir, 'null')},markdown:${join(dir, 'pipe')},csv:${join(dir, 'link')}`,
  ]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(lstatSync(join(dir, 'null')).isCharacterDevice(), 'still the null device');
  assert.ok(lstatSync(join(dir, 'pipe')).isFIFO(), 'still a FIFO');
  // a writer that never came would leave the reader waiting: open and close the FIFO once to end it
  let timer: NodeJS.Timeout | undefined;
  const got = await Promise.race([
    reader,
    new Promise<string>((res) => {
      timer = setTimeout(() => {
        closeSync(openSync(join(dir, 'pipe'), constants.O_WRONLY | constants.O_NONBLOCK));
        void reader.then(res);
      }, 5000);
    }),
  ]);
  clearTimeout(timer);
  assert.match(got, /^## Rampart audit/, 'the markdown report went through the FIFO');
  assert.ok(lstatSync(join(dir, 'link')).isSymbolicLink(), 'the symlink stays');
  assert.match(readFileSync(join(dir, 'real.json'), 'utf8'), /^host,run_id,id,section,title,/, 'its file holds the CSV report');
  assert.equal(statSync(join(dir, 'real.json')).mode & 0o777, 0o600);
  const d = await runCli(['audit', '--facts', facts, '--format', `json:${dir}`]);
  assert.equal(d.code, 2);
  assert.match(d.stderr, /cannot write .*: it is a directory/);
});
