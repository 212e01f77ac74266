// Service writers on real files, checked by re-parsing with Rampart's own parsers and by the real
// program (fail2ban-client -d/-t, redis-server started on the result, postgres -C, apt-config).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { FsTarget } from '../../../src/target/fs-target.js';
import type { SetDirectiveStep } from '../../../src/checks/recipe.js';
import type { DirectiveWriter, WriterResult } from '../../../src/fix/writers/types.js';
import { CANDIDATE, validatorArgv } from '../../../src/fix/plan.js';
import { MARKER } from '../../../src/fix/writers/_lib.js';
import { writer as fail2ban } from '../../../src/fix/writers/fail2ban.js';
import { writer as redis } from '../../../src/fix/writers/redis.js';
import { writer as postgresql } from '../../../src/fix/writers/postgresql.js';
import { writer as loginDefs } from '../../../src/fix/writers/login-defs.js';
import { writer as journald } from '../../../src/fix/writers/journald.js';
import { writer as apt } from '../../../src/fix/writers/apt.js';
import { writer as pwquality } from '../../../src/fix/writers/pwquality.js';
import { checkPwqualitySetting, parsePwqualityConf } from '../../../src/collect/parse/pwquality.js';
import { parseRedisConfig } from '../../../src/collect/parse/redis-config.js';
import { parsePgConf } from '../../../src/collect/parse/pg-conf.js';
import { parseLoginDefs } from '../../../src/collect/parse/login-defs.js';
import { parseJournaldConf } from '../../../src/collect/parse/journald.js';
import { freePort, requireCommands } from '../../helpers.js';
import { chownTree, pgBinDir, requirePostgres } from '../../postgres/pg-server.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures');
const DEFAULT_HOST = join(FIX, 'hosts', 'debian12-default');

function tmpRoot(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'rampart-writer-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function copyInto(root: string, from: string, rel: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  cpSync(join(from, rel), join(root, rel), { recursive: true });
}

async function apply(root: string, w: DirectiveWriter, step: Omit<SetDirectiveStep, 'kind' | 'service'>): Promise<WriterResult> {
  const target = new FsTarget({ root, name: 'test' });
  const out = await w.write({ target, mode: 'root', step: { kind: 'set-directive', service: w.service, ...step }, pending: new Map() });
  assert.ok(out.ok, out.ok ? '' : out.refused);
  for (const c of out.result.changes) {
    mkdirSync(dirname(join(root, c.path)), { recursive: true });
    writeFileSync(join(root, c.path), c.content);
  }
  return out.result;
}

/** Lines of b that differ from a, given the lines the writer says it touched: every other line is identical. */
function assertOnlyTouched(a: string, b: string, touched: number[], appended = 0): void {
  const la = a.split('\n');
  const lb = b.split('\n');
  assert.equal(lb.length, la.length + appended);
  for (let i = 0; i < la.length; i++) if (!touched.includes(i + 1)) assert.equal(lb[i], la[i], `line ${i + 1} changed`);
}

test('fail2ban: jail.d/zz-rampart.local decides [sshd] backend; fail2ban-client -d shows it and -t accepts the tree', async (t) => {
  if (!requireCommands(t, 'fail2ban-client')) return;
  const root = tmpRoot(t);
  copyInto(root, DEFAULT_HOST, 'etc/fail2ban');
  // A jail.local and another jail.d .local that sort before ours set the value the other way.
  writeFileSync(join(root, 'etc/fail2ban/jail.local'), '[sshd]\nbackend = polling\n');
  writeFileSync(join(root, 'etc/fail2ban/jail.d/50-site.local'), '[sshd]\nbackend = pyinotify\n');
  const before = readFileSync(join(root, 'etc/fail2ban/jail.d/defaults-debian.conf'));
  const r = await apply(root, fail2ban, { directive: 'backend', value: 'systemd', section: 'sshd' });
  assert.deepEqual(r.decidedBy, { path: '/etc/fail2ban/jail.d/zz-rampart.local', line: 3 });
  const conf = join(root, 'etc/fail2ban');
  const dump = spawnSync('fail2ban-client', ['-c', conf, '-d'], { encoding: 'utf8' });
  assert.equal(dump.status, 0, dump.stderr);
  assert.match(dump.stdout, /\['add', 'sshd', 'systemd'\]/);
  const check = spawnSync('fail2ban-client', ['-c', conf, '-t'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.deepEqual(readFileSync(join(root, 'etc/fail2ban/jail.d/defaults-debian.conf')), before);
  // A second step on the same file edits the option in place (strict configparser: no duplicate).
  // A new option goes after the section's last line: the line the first step reported still holds its value.
  const r2 = await apply(root, fail2ban, { directive: 'maxretry', value: '5', section: 'sshd' });
  assert.equal(r2.decidedBy.line, 4);
  const r3 = await apply(root, fail2ban, { directive: 'backend', value: 'systemd', section: 'sshd' });
  assert.equal(r3.decidedBy.line, 3);
  const ours = readFileSync(join(root, 'etc/fail2ban/jail.d/zz-rampart.local'), 'utf8').split('\n');
  assert.equal(ours[r.decidedBy.line - 1], 'backend = systemd');
  assert.equal(ours[r2.decidedBy.line - 1], 'maxretry = 5');
  assert.equal(spawnSync('fail2ban-client', ['-c', conf, '-t']).status, 0);
});

test('fail2ban: a .local sorting after ours that sets the option is refused, not overridden silently', async (t) => {
  const root = tmpRoot(t);
  copyInto(root, DEFAULT_HOST, 'etc/fail2ban');
  writeFileSync(join(root, 'etc/fail2ban/jail.d/zzz-late.local'), '[sshd]\nbackend = auto\n');
  const out = await fail2ban.write({
    target: new FsTarget({ root, name: 't' }),
    mode: 'root',
    step: { kind: 'set-directive', service: 'fail2ban', directive: 'backend', value: 'systemd', section: 'sshd' },
    pending: new Map(),
  });
  assert.equal(out.ok, false);
  assert.match(out.ok ? '' : out.refused, /zzz-late\.local:2 sets backend/);
});

test('redis: bind set where the last value decides, earlier one commented out, the real redis-server binds it', async (t) => {
  if (!requireCommands(t, 'redis-server', 'redis-cli')) return;
  const root = tmpRoot(t);
  copyInto(root, join(FIX, 'redis', 'debian12-default', 'root'), 'etc/redis');
  const path = join(root, 'etc/redis/redis.conf');
  writeFileSync(path, readFileSync(path, 'utf8') + readFileSync(join(FIX, 'redis', 'bind-all.fail', 'append.conf'), 'utf8'));
  const orig = readFileSync(path, 'utf8');
  const r = await apply(root, redis, { directive: 'bind', value: '127.0.0.1 -::1' });
  const text = readFileSync(path, 'utf8');
  const parsed = parseRedisConfig(text, '/etc/redis/redis.conf');
  const binds = parsed.directives.filter((d) => d.name === 'bind');
  assert.equal(binds.length, 1);
  assert.deepEqual(binds[0]!.args, ['127.0.0.1', '-::1']);
  assert.equal(binds[0]!.line, r.decidedBy.line);
  assert.equal(r.before, 'bind 0.0.0.0');
  assert.match(text.split('\n')[86]!, new RegExp(`^${MARKER} bind 127`));
  assertOnlyTouched(orig, text, [87, r.decidedBy.line]);
  // The real server on the result (port, dir and pidfile overridden on the command line).
  const port = await freePort();
  const dir = tmpRoot(t);
  const srv = spawn(
    'redis-server',
    [path, '--port', String(port), '--dir', dir, '--daemonize', 'no', '--pidfile', join(dir, 'p'), '--logfile', '', '--supervised', 'no'],
    {
      stdio: 'ignore',
    },
  );
  t.after(() => srv.kill('SIGKILL'));
  let got = '';
  for (let i = 0; i < 50 && got === ''; i++) {
    await new Promise((res) => setTimeout(res, 100));
    const p = spawnSync('redis-cli', ['-p', String(port), 'config', 'get', 'bind'], { encoding: 'utf8' });
    if (p.status === 0 && p.stdout.includes('bind')) got = p.stdout;
  }
  assert.match(got, /127\.0\.0\.1 -::1/);
});

test('postgresql: ssl on after the include_dir, earlier value commented out; postgres -C reads the result', async (t) => {
  const root = tmpRoot(t);
  const src = join(FIX, 'postgres', 'debian15-default');
  copyInto(root, src, 'etc/postgresql');
  copyInto(root, src, 'var/lib/postgresql');
  const conf = join(root, 'etc/postgresql/15/main/postgresql.conf');
  const orig = readFileSync(conf, 'utf8');
  const r = await apply(root, postgresql, { directive: 'ssl', value: 'on' });
  const text = readFileSync(conf, 'utf8');
  const entries = parsePgConf(text, conf).entries.filter((e) => e.name === 'ssl');
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.value, 'on');
  assert.deepEqual(r.decidedBy, { path: '/etc/postgresql/15/main/postgresql.conf', line: entries[0]!.line });
  assertOnlyTouched(orig, text.slice(0, -"ssl = 'on'\n".length), [105]);
  assert.match(text.split('\n')[104]!, /^# rampart: ssl = off/);
  // postgresql.auto.conf setting it decides: the writer edits it there.
  const auto = join(root, 'var/lib/postgresql/15/main/postgresql.auto.conf');
  writeFileSync(auto, readFileSync(auto, 'utf8') + "password_encryption = 'md5'\n");
  const r2 = await apply(root, postgresql, { directive: 'password_encryption', value: 'scram-sha-256' });
  assert.equal(r2.decidedBy.path, '/var/lib/postgresql/15/main/postgresql.auto.conf');
  assert.deepEqual(
    parsePgConf(readFileSync(auto, 'utf8'), auto).entries.map((e) => [e.name, e.value]),
    [['password_encryption', 'scram-sha-256']],
  );
  const bin = requirePostgres(t) ?? pgBinDir();
  if (!bin) return;
  const data = join(root, 'var/lib/postgresql/15/main');
  chmodSync(data, 0o700);
  chownTree(root);
  chmodSync(root, 0o755);
  const show = (name: string) =>
    execFileSync(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        join(bin, 'postgres'),
        '-C',
        name,
        `--config-file=${conf}`,
        '-c',
        `data_directory=${data}`,
        '-c',
        'ssl_cert_file=',
        '-c',
        'ssl_key_file=',
      ],
      { encoding: 'utf8' },
    ).trim();
  assert.equal(show('password_encryption'), 'scram-sha-256');
});

test('login.defs: PASS_MAX_DAYS 180 replaces the Debian line in place, the rest byte-identical', async (t) => {
  const root = tmpRoot(t);
  copyInto(root, DEFAULT_HOST, 'etc/login.defs');
  const orig = readFileSync(join(root, 'etc/login.defs'), 'utf8');
  const r = await apply(root, loginDefs, { directive: 'PASS_MAX_DAYS', value: '180' });
  const text = readFileSync(join(root, 'etc/login.defs'), 'utf8');
  assert.deepEqual(parseLoginDefs(text).PASS_MAX_DAYS, { value: '180', line: 165 });
  assert.equal(r.decidedBy.line, 165);
  assertOnlyTouched(orig, text, [165]);
});

test('journald: the drop-in sorts last and parses to the value; apt: 20auto-upgrades passes apt-config', async (t) => {
  const root = tmpRoot(t);
  mkdirSync(join(root, 'etc/systemd'), { recursive: true });
  const r = await apply(root, journald, { directive: 'MaxRetentionSec', value: '1month' });
  const j = readFileSync(join(root, r.decidedBy.path), 'utf8');
  const parsed = parseJournaldConf(j, r.decidedBy.path);
  assert.ok(JSON.stringify(parsed).includes('1month'));
  await apply(root, journald, { directive: 'MaxRetentionSec', value: '2month' });
  assert.equal(readFileSync(join(root, r.decidedBy.path), 'utf8').match(/MaxRetentionSec/g)?.length, 1);

  copyInto(root, DEFAULT_HOST, 'etc/apt');
  await apply(root, apt, { directive: 'APT::Periodic::Update-Package-Lists', value: '1' });
  const a = await apply(root, apt, { directive: 'APT::Periodic::Unattended-Upgrade', value: '1' });
  assert.equal(a.decidedBy.line, 2);
  if (!requireCommands(t, 'apt-config')) return;
  const file = join(root, 'etc/apt/apt.conf.d/20auto-upgrades');
  const v = a.changes[0]!.validate!;
  assert.ok(v.includes(CANDIDATE));
  const out = execFileSync(v[0]!, validatorArgv(v, file).slice(1), { encoding: 'utf8' });
  assert.match(out, /APT::Periodic::Unattended-Upgrade "1";/);
  writeFileSync(file, 'APT::Periodic::Unattended-Upgrade "1"\n');
  assert.notEqual(spawnSync(v[0]!, validatorArgv(v, file).slice(1)).status, 0, 'apt-config refuses a syntax error');
  assert.ok(existsSync(file));
});

test('pwquality: minlen and minclass appended to the Debian pwquality.conf, which libpwquality reads last', async (t) => {
  const root = tmpRoot(t);
  copyInto(root, join(FIX, 'accounts', 'base-debian12'), 'etc/security/pwquality.conf');
  const path = join(root, 'etc/security/pwquality.conf');
  const orig = readFileSync(path, 'utf8');
  await apply(root, pwquality, { directive: 'minlen', value: '12' });
  const r = await apply(root, pwquality, { directive: 'minclass', value: '3' });
  const text = readFileSync(path, 'utf8');
  assert.ok(text.startsWith(orig), 'the comments stay byte-identical');
  const parsed = parsePwqualityConf(text);
  assert.equal(JSON.stringify(parsed).includes('"minlen"'), true);
  assert.equal(text.split('\n')[r.decidedBy.line - 1], 'minclass = 3');
  assert.equal(checkPwqualitySetting('minlen', '12'), null);
  const again = await apply(root, pwquality, { directive: 'minlen', value: '14' });
  assert.equal(readFileSync(path, 'utf8').match(/^minlen/gm)?.length, 1);
  assert.equal(again.decidedBy.line, orig.split('\n').length);
});
