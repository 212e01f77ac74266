// The CLI surface generated from the CommandSpecs (issue 14): help, did-you-mean, man page, completions.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { closest, renderCompletion, renderManPage } from '../../src/cli/help.js';
import { FORMATS } from '../../src/report/index.js';
import { VERSION } from '../../src/version.js';
import { requireCommands, runCli } from '../helpers.js';

test('every command: CMD --help and help CMD print usage, options and examples, exit 0', async () => {
  for (const spec of COMMANDS) {
    const words = spec.name.split(' ');
    const a = await runCli([...words, '--help']);
    assert.equal(a.code, 0, spec.name);
    assert.match(a.stdout, new RegExp(`^Usage:\\n  rampart ${words.join(' ')}`), spec.name);
    assert.match(a.stdout, /\nExamples:\n {2}rampart /, spec.name);
    assert.ok(spec.examples.length >= 2, `${spec.name}: at least two examples`);
    for (const o of Object.keys(spec.options)) assert.ok(a.stdout.includes(`--${o}`), `${spec.name} --help names --${o}`);
    const b = await runCli(['help', ...words]);
    assert.equal(b.code, 0);
    assert.equal(b.stdout, a.stdout, `help ${spec.name} == ${spec.name} --help`);
  }
});

test('the global help lists every command and all seven formats', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const spec of COMMANDS) assert.ok(r.stdout.includes(`  ${spec.name} `), spec.name);
  assert.equal(FORMATS.length, 7);
  const formatLine = r.stdout.split('\n').find((l) => l.includes('--format F[:PATH]'))!;
  for (const f of FORMATS) assert.ok(formatLine.includes(f), `format ${f} in "${formatLine}"`);
});

test('did you mean: commands, subcommands and options', async () => {
  const cases: [string[], RegExp][] = [
    [['audti'], /unknown command "audti" \(did you mean "audit"\?\)/],
    [['requirments'], /did you mean "requirements"/],
    [['backup', 'verfy', 'x'], /did you mean "backup verify"/],
    [['audit', '--fial-on', 'high'], /Unknown option '--fial-on' \(did you mean --fail-on\?\)/],
    [['history', '--taget', 'x'], /did you mean --target\?/],
  ];
  for (const [argv, re] of cases) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, re);
  }
  const far = await runCli(['zzzzzz']);
  assert.doesNotMatch(far.stderr, /did you mean/);
  assert.equal(closest('xyz', ['audit', 'diff']), null);
});

test('man/rampart.1 is up to date (npm run gen:man) and names every command and option', () => {
  const committed = readFileSync(join(import.meta.dirname, '..', '..', 'man', 'rampart.1'), 'utf8');
  assert.equal(committed, renderManPage(COMMANDS, VERSION), 'man/rampart.1 is stale: run npm run gen:man');
  for (const spec of COMMANDS) {
    assert.ok(committed.includes(`.SS ${spec.name.replace(/-/g, '\\-')}`), spec.name);
    for (const o of Object.keys(spec.options)) assert.ok(committed.includes(`\\-\\-${o.replace(/-/g, '\\-')}`), `--${o}`);
  }
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { man: string[] };
  assert.deepEqual(pkg.man, ['./man/rampart.1']);
});

test('bash completion, loaded in a real bash, completes commands, subcommands, options and choices', (t) => {
  if (!requireCommands(t, 'bash')) return;
  const file = join(tmpdir(), `rampart-completion-${process.pid}.bash`);
  writeFileSync(file, renderCompletion('bash', COMMANDS)!);
  const complete = (line: string): string[] => {
    const words = line.split(' ');
    const script = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _rampart; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean);
  };
  assert.deepEqual(complete('rampart au'), ['audit']);
  assert.ok(complete('rampart ').includes('requirements'));
  assert.deepEqual(complete('rampart backup v'), ['verify']);
  assert.deepEqual(complete('rampart audit --fail-'), ['--fail-on', '--fail-on-unknown']);
  assert.deepEqual(complete('rampart audit --fail-on c'), ['critical']);
  assert.ok(complete('rampart backup verify --').includes('--format'));
  assert.deepEqual(complete('rampart completion f'), ['fish']);
});

test('completion zsh and fish are generated; an unknown shell is a usage error', async () => {
  for (const shell of ['zsh', 'fish']) {
    const r = await runCli(['completion', shell]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /audit/);
    assert.match(r.stdout, /fail-on/);
  }
  const bad = await runCli(['completion', 'tcsh']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /completion bash\|zsh\|fish/);
});

test('groups and built-ins have help too: fleet --help, help backup, completion --help, help completion; --versoin is an option', async () => {
  for (const argv of [
    ['fleet', '--help'],
    ['help', 'fleet'],
    ['backup', '-h'],
    ['help', 'backup'],
  ]) {
    const r = await runCli(argv);
    assert.equal(r.code, 0, argv.join(' '));
    const word = argv.find((w) => w !== 'help' && !w.startsWith('-'))!;
    const subs = COMMANDS.filter((s) => s.name.startsWith(`${word} `));
    assert.ok(subs.length > 0);
    for (const s of subs) assert.ok(r.stdout.includes(`rampart ${s.usage[0]}`) && r.stdout.includes(`rampart ${s.name} --help`), s.name);
  }
  assert.equal((await runCli(['fleet'])).code, 2, 'a group without a subcommand is still a usage error');
  for (const argv of [
    ['completion', '--help'],
    ['help', 'completion'],
    ['help', 'help'],
    ['help', 'version'],
  ]) {
    const r = await runCli(argv);
    assert.equal(r.code, 0, argv.join(' '));
    assert.match(r.stdout, /^Usage:\n {2}rampart \S+/);
    assert.match(r.stdout, /\nExamples:\n {2}rampart /);
  }
  const v = await runCli(['--versoin']);
  assert.equal(v.code, 2);
  assert.match(v.stderr, /unknown option "--versoin" \(did you mean --version\?\)/);
});
