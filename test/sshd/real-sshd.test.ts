// Every test that depends on /run/sshd existing or not lives in this one file and runs in sequence,
// so parallel test files never race on it. The real sshd decides; our file model must agree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { collectSshd, readLookup } from '../../src/collect/sshd.js';
import { loadSshdModel, effectiveSshd, NO_CONNECTION, type GroupLookup, type MatchInput } from '../../src/collect/parse/sshd-model.js';
import { OPENSSH_9_2_DEFAULTS } from '../../src/collect/parse/sshd-defaults.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { hasCommand, isRoot, requireCommands } from '../helpers.js';
import { AGREE_KEYS, agreeSshd, coverSshd } from './match-agree.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sshd');
const KEYS = [
  'permitrootlogin',
  'passwordauthentication',
  'kbdinteractiveauthentication',
  'pubkeyauthentication',
  'clientaliveinterval',
  'clientalivecountmax',
  'allowusers',
  'allowgroups',
  'denyusers',
  'x11forwarding',
  'tcpkeepalive',
  'usedns',
  'ciphers',
  'macs',
  'kexalgorithms',
  'maxauthtries',
  'permitemptypasswords',
  'logingracetime',
  'port',
];
const USERS = ['root', 'rampart-nobody', 'alice'];
const ADDRS = ['198.51.100.1', '203.0.113.7'];
const PRIVSEP = '/run/sshd';

let work = '';
let hostKey = '';
let createdPrivsep = false;
let lookup: GroupLookup = { users: [], groups: [] };
const usable = hasCommand('sshd') && hasCommand('ssh-keygen') && isRoot();

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'rampart-sshd-'));
  if (!usable) return;
  hostKey = join(work, 'hostkey');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  lookup = await readLookup(new FsTarget({ name: 'host' }));
});
after(() => {
  rmSync(work, { recursive: true, force: true });
  if (createdPrivsep) rmSync(PRIVSEP, { recursive: true, force: true });
});

function withPrivsep(): void {
  if (!existsSync(PRIVSEP)) {
    mkdirSync(PRIVSEP, { mode: 0o755 });
    createdPrivsep = true;
  }
}

/** Copies a fixture root so the real sshd reads it: Include paths are pointed into the copy. */
function stage(root: string, name: string): string {
  const dir = join(work, name);
  cpSync(root, dir, { recursive: true, verbatimSymlinks: true });
  const etc = join(dir, 'etc', 'ssh');
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.isFile() ? [join(d, e.name)] : []));
  for (const f of walk(etc)) {
    const text = readFileSync(f);
    if (text.includes(0)) continue;
    writeFileSync(
      f,
      text
        .toString('utf8')
        .replace(/^(\s*Include\s+)(\S+)/gim, (_m, kw: string, p: string) => `${kw}${p.startsWith('/') ? join(dir, p) : join(etc, p)}`),
    );
  }
  return join(etc, 'sshd_config');
}

function realDump(config: string, c: MatchInput | null): { code: number; values: Record<string, string>; stderr: string } {
  const args = ['-T', '-f', config, '-h', hostKey];
  if (c) args.push('-C', `user=${c.user},host=${c.host},addr=${c.addr}`);
  const r = spawnSync('sshd', args, { encoding: 'utf8' });
  const values: Record<string, string> = {};
  for (const l of r.stdout.split('\n')) {
    const sp = l.indexOf(' ');
    if (sp < 0) continue;
    const k = l.slice(0, sp);
    values[k] = k in values ? `${values[k]} ${l.slice(sp + 1)}` : l.slice(sp + 1);
  }
  return { code: r.status ?? -1, values, stderr: r.stderr };
}

async function compare(root: string, name: string): Promise<number> {
  const config = stage(root, name);
  const model = await loadSshdModel(
    '/etc/ssh/sshd_config',
    {
      read: async (p) => {
        const r = await new FsTarget({ root, name }).readText(p);
        return r.ok ? { ok: true, text: r.text } : { ok: false, message: r.message, kind: 'unreadable' };
      },
      glob: (p) => new FsTarget({ root, name }).glob(p),
    },
    OPENSSH_9_2_DEFAULTS,
  );
  const contexts: (MatchInput | null)[] = [
    null,
    ...USERS.flatMap((user) => ADDRS.map((addr) => ({ user, host: addr, addr, laddr: null, lport: null, rdomain: null }))),
  ];
  let compared = 0;
  for (const c of contexts) {
    const real = realDump(config, c);
    assert.equal(real.code, 0, `${name}: real sshd -T failed: ${real.stderr}`);
    const ours = effectiveSshd(model, c ?? NO_CONNECTION, lookup, OPENSSH_9_2_DEFAULTS);
    for (const k of KEYS) {
      assert.equal(ours[k]?.value, real.values[k], `${name} ${c ? `user=${c.user} addr=${c.addr}` : 'global'}: ${k}`);
      compared++;
    }
  }
  return compared;
}

const GOOD_FIXTURES = [
  'debian12-default',
  'hardened.pass',
  'dropin-overrides-main.fail',
  'commented-line.fail',
  'keyword-case.pass',
  'match-block-password.fail',
  'relative-include.pass',
  'include-glob-order',
  'duplicated-parameter',
  'protocol-obsolete.pass',
];

test('the live collector falls back to the files when /run/sshd is missing, and says why', async (t) => {
  if (!requireCommands(t, 'sshd')) return;
  if (existsSync(PRIVSEP)) {
    t.skip('/run/sshd exists on this machine; it is never removed by a test');
    return;
  }
  const f = await collectSshd({ target: new FsTarget({ name: 'live' }), config: DEFAULT_CONFIG, commandTimeoutMs: 10_000 });
  assert.equal(f.state, 'collected');
  if (f.state !== 'collected') return;
  assert.equal(f.value.method, 'files');
  assert.match(f.value.methodReason ?? '', /Missing privilege separation directory/);
  assert.equal(f.value.validation.method, 'files');
  assert.match(f.value.validation.output ?? '', /could not judge/);
  assert.ok(f.value.effective.passwordauthentication, 'values still come from the files');
  assert.equal(existsSync(PRIVSEP), false, 'the collector never creates /run/sshd');
  // the version: from the package that owns the binary when dpkg says so, else from sshd -V
  const owned = readFileSync('/var/lib/dpkg/info/openssh-server.list', 'utf8').split('\n').includes('/usr/sbin/sshd');
  const real = /OpenSSH_([0-9.]+)/.exec(spawnSync('/usr/sbin/sshd', ['-V'], { encoding: 'utf8' }).stderr)?.[1] ?? 'none';
  assert.ok(f.value.version?.startsWith(real), `${f.value.version} is the version sshd -V prints (${real})`);
  const vs = f.value.versionSource;
  assert.match(`${vs.path ?? ''} ${vs.note ?? ''} ${vs.command ?? ''}`, owned ? /openssh-server.*owns \/usr\/sbin\/sshd/ : /sshd -V/);
});

test('offline evaluator == real sshd -T (global and Match contexts) on every fixture', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh-keygen')) return;
  if (!isRoot()) return t.skip('sshd -T needs root');
  withPrivsep();
  let n = 0;
  for (const name of GOOD_FIXTURES) n += await compare(join(FIXTURES, name), name);
  assert.ok(n >= GOOD_FIXTURES.length * KEYS.length * 7);
});

const TRICKY: Record<string, Record<string, string>> = {
  'match-in-included-file-ends-with-the-file': {
    'etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n',
    'etc/ssh/sshd_config.d/10-m.conf': 'Match User alice\nPasswordAuthentication no\n',
    'etc/ssh/sshd_config.d/20-p.conf': 'PermitRootLogin no\n',
  },
  'include-inside-match-applies-within-the-block': {
    'etc/ssh/sshd_config': 'Match User root\nInclude /etc/ssh/inc.conf\nMatch All\nX11Forwarding no\n',
    'etc/ssh/inc.conf': 'PermitRootLogin no\nPasswordAuthentication no\n',
  },
  'match-all-overrides-earlier-global': { 'etc/ssh/sshd_config': 'PasswordAuthentication yes\nMatch All\nPasswordAuthentication no\n' },
  'allowusers-accumulates-and-match-replaces': {
    'etc/ssh/sshd_config': 'AllowUsers alice bob\nAllowUsers carol\nAllowGroups sudo\nMatch Address 203.0.113.0/24\nAllowUsers root\n',
  },
  'algorithm-list-edits': {
    'etc/ssh/sshd_config': 'Ciphers +aes128-cbc\nMACs -hmac-sha1*,umac-64*\nKexAlgorithms ^diffie-hellman-group14-sha1\n',
  },
  'time-formats-and-quotes': { 'etc/ssh/sshd_config': 'LoginGraceTime 1m30s\nClientAliveInterval "5m"\nClientAliveCountMax=2\n' },
  'address-negation-and-host-patterns': {
    'etc/ssh/sshd_config':
      'Match Address 198.51.100.0/24,!198.51.100.1\nPermitRootLogin yes\nMatch Host 203.0.113.*\nX11Forwarding yes\nMatch User r?ot,!rampart-*\nMaxAuthTries 2\n',
  },
  'match-group-uses-the-group-database': {
    'etc/ssh/sshd_config': 'Match Group root\nPasswordAuthentication no\nMatch Group !root,*\nPermitEmptyPasswords yes\n',
  },
  'port-and-keyword-case': { 'etc/ssh/sshd_config': 'port 2222\nPORT 2200\nPermitRootLogin Prohibit-Password\nUseDNS YES\n' },
};

test('offline evaluator == real sshd -T on tricky Match/Include/list cases', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh-keygen')) return;
  if (!isRoot()) return t.skip('sshd -T needs root');
  withPrivsep();
  for (const [name, files] of Object.entries(TRICKY)) {
    const root = join(work, `src-${name}`);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    await compare(root, name);
  }
});

test('real sshd -t and the file model both reject bad input', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh-keygen')) return;
  if (!isRoot()) return t.skip('sshd -T needs root');
  withPrivsep();
  for (const name of ['bad-binary', 'include-loop']) {
    const config = stage(join(FIXTURES, name), name);
    const r = spawnSync('sshd', ['-t', '-f', config, '-h', hostKey], { encoding: 'utf8', timeout: 10_000 });
    assert.notEqual(r.status, 0, `${name}: real sshd accepted it`);
    const f = await collectSshd({
      target: new FsTarget({ root: join(FIXTURES, name), name }),
      config: DEFAULT_CONFIG,
      commandTimeoutMs: 5000,
    });
    assert.equal(f.state, 'collected');
    if (f.state === 'collected') assert.equal(f.value.validation.ok, false, `${name}: the file model accepted it`);
  }
});

test('the live collector uses sshd -T when it can run, with file:line sources from the model', async (t) => {
  if (!requireCommands(t, 'sshd')) return;
  if (!isRoot() || !statSync('/etc/ssh/sshd_config', { throwIfNoEntry: false })) return t.skip('needs root and /etc/ssh/sshd_config');
  withPrivsep();
  const f = await collectSshd({
    target: new FsTarget({ name: 'live' }),
    config: { ...DEFAULT_CONFIG, admin_users: ['alice'] },
    commandTimeoutMs: 10_000,
  });
  assert.equal(f.state, 'collected');
  if (f.state !== 'collected') return;
  assert.equal(f.value.method, 'sshd -T', f.value.methodReason ?? '');
  assert.equal(f.value.validation.method, 'sshd -t');
  // alice (admin), root, every account with a login shell and rampart-nobody, from inside and outside the admin range.
  const login = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 7 && !/(nologin|false)$/.test(f[6]!))
    .map((f) => f[0]!);
  const people = [...new Set(['alice', 'root', ...login, 'rampart-nobody'])];
  assert.deepEqual(new Set(f.value.contexts.filter((c) => c.role !== 'match').map((c) => c.user)), new Set(people));
  assert.equal(f.value.contexts.filter((c) => c.role !== 'match').length, people.length * 3, 'from inside, outside and outside over IPv6');
  const real = spawnSync('sshd', ['-T'], { encoding: 'utf8' }).stdout;
  const pa = /^passwordauthentication (\S+)$/m.exec(real)?.[1];
  assert.equal(f.value.effective.passwordauthentication?.value, pa);
  assert.equal(f.value.effective.passwordauthentication?.source.command, '/usr/sbin/sshd -T');
});

test('property: the file model == real sshd -T -C for every connection Rampart judges, on 200 generated Match configurations', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh-keygen')) return;
  if (!isRoot()) return t.skip('sshd -T needs root');
  withPrivsep();
  const n = Number(process.env.RAMPART_AGREE_CASES ?? 200);
  const r = await agreeSshd(
    Array.from({ length: n }, (_, i) => 1000 + i),
    join(work, 'agree'),
    hostKey,
  );
  assert.deepEqual(r.refused, [], 'the generator makes configurations sshd accepts');
  assert.equal(r.cases, n);
  assert.ok(r.items >= n * AGREE_KEYS.length * 3, `${r.items} items: the global dump and at least two connections per case`);
  assert.deepEqual(r.disagreements.slice(0, 20), []);
  assert.equal(r.agree, r.items);
});

test('coverage: 300 generated Match configurations × 40 random unplanned connections — every weak value is shown by a planned connection, and the model == real sshd -T -C on them', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh-keygen')) return;
  if (!isRoot()) return t.skip('sshd -T needs root');
  withPrivsep();
  // The model part runs on every case; the real sshd on the first 40 (one sshd -T -C per connection).
  const seeds = Array.from({ length: 300 }, (_, i) => 7000 + i);
  const model = await coverSshd(seeds.slice(40), join(work, 'cover'), hostKey, { perCase: 40, real: false });
  const real = await coverSshd(seeds.slice(0, 40), join(work, 'cover'), hostKey, { perCase: 40, real: true });
  assert.equal(model.cases + real.cases, 300);
  assert.equal(model.connections + real.connections, 12_000);
  assert.deepEqual([...real.uncovered, ...model.uncovered].slice(0, 20), [], 'weak values no planned connection shows');
  assert.ok(real.realItems >= 40 * 40 * AGREE_KEYS.length, `${real.realItems} items compared with sshd`);
  assert.deepEqual(real.realDisagreements.slice(0, 20), []);
  assert.equal(real.realAgree, real.realItems);
});

test('live: the collector runs sshd -T -C for each planned connection, and a Match User ci block fails with its line', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh-keygen')) return;
  if (!isRoot()) return t.skip('sshd -T needs root');
  withPrivsep();
  // The host's files are never changed: a live target whose files come from a copy of the hardened
  // Debian root and whose sshd is pointed at that copy (-f), so the real binary judges it.
  const root = join(work, 'live-match');
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'hosts', 'debian12-hardened'), root, { recursive: true, verbatimSymlinks: true });
  writeFileSync(
    join(root, 'etc/ssh/sshd_config'),
    `${readFileSync(join(root, 'etc/ssh/sshd_config'), 'utf8')}Match User ci\n\tPasswordAuthentication yes\nMatch Address 192.0.2.0/24\n\tPermitRootLogin yes\n`,
  );
  writeFileSync(join(root, 'etc/passwd'), `${readFileSync(join(root, 'etc/passwd'), 'utf8')}ci:x:1002:1002::/home/ci:/bin/bash\n`);
  const config = stage(root, 'live-match-real');
  const files = new FsTarget({ root, name: 'web-1' });
  const host = new FsTarget({ name: 'live' });
  const commands: string[] = [];
  const target = Object.assign(Object.create(host) as FsTarget, {
    readText: files.readText.bind(files),
    readBytes: files.readBytes.bind(files),
    stat: (p: string) => (p === '/usr/sbin/sshd' ? host.stat(p) : files.stat(p)),
    lstat: files.lstat.bind(files),
    glob: files.glob.bind(files),
    run: (argv: string[], o?: Parameters<FsTarget['run']>[1]) => {
      if (argv[0] === '/usr/sbin/sshd' && argv[1] === '-T') commands.push(argv.join(' '));
      return host.run(argv[0] === '/usr/sbin/sshd' ? [argv[0], '-f', config, '-h', hostKey, ...argv.slice(1)] : argv, o);
    },
  });
  const f = await collectSshd({
    target: target,
    config: { ...DEFAULT_CONFIG, admin_users: ['alice'], ssh_admin_sources: ['198.51.100.0/24'] },
    commandTimeoutMs: 10_000,
  });
  assert.equal(f.state, 'collected');
  if (f.state !== 'collected') return;
  assert.equal(f.value.method, 'sshd -T', f.value.methodReason ?? '');
  assert.ok(
    commands.some((c) => c.includes('-C user=ci,')),
    commands.join('\n'),
  );
  assert.ok(
    commands.some((c) => /-C user=root,host=192\.0\.2\.\d+,addr=192\.0\.2\./.test(c)),
    commands.join('\n'),
  );
  const ci = f.value.contexts.find((c) => c.user === 'ci' && c.overrides.passwordauthentication);
  assert.equal(ci?.overrides.passwordauthentication?.value, 'yes');
  assert.equal(ci?.overrides.passwordauthentication?.source.command?.includes('-C user=ci'), true);
  assert.deepEqual(ci?.overrides.passwordauthentication?.block, { text: 'Match User ci', path: '/etc/ssh/sshd_config', line: 123 });
  const root192 = f.value.contexts.find((c) => c.user === 'root' && c.addr.startsWith('192.0.2.'));
  assert.equal(root192?.overrides.permitrootlogin?.value, 'yes');
});
