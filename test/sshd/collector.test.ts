import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkfifoSync } from './mkfifo.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { collectSshd } from '../../src/collect/sshd.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/schema.js';
import type { SshdFacts } from '../../src/facts/sshd.js';
import type { Target } from '../../src/target/types.js';
import { makeTree } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sshd');
const DROPIN = '/etc/ssh/sshd_config.d';

const work = mkdtempSync(join(tmpdir(), 'rampart-sshd-collector-'));
after(() => rmSync(work, { recursive: true, force: true }));
let keyBytes: Buffer | null = null;

/**
 * A root as a host has it: the fixtures keep no private host key (sshd refuses to start without
 * one), so a copy gets /etc/ssh/ssh_host_ed25519_key generated for the run, mode 0600.
 */
function withHostKey(root: string): string {
  let dir = root;
  if (root.startsWith(FIXTURES)) {
    dir = mkdtempSync(join(work, 'root-'));
    cpSync(root, dir, { recursive: true, verbatimSymlinks: true });
  }
  const key = join(dir, 'etc', 'ssh', 'ssh_host_ed25519_key');
  if (!existsSync(join(dir, 'etc', 'ssh')) || existsSync(key)) return dir;
  if (keyBytes === null) {
    const k = join(work, 'hostkey');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', k]);
    keyBytes = readFileSync(k);
  }
  writeFileSync(key, keyBytes, { mode: 0o600 });
  return dir;
}

async function offline(root: string | Target, config: Partial<Config> = {}): Promise<SshdFacts> {
  const target = typeof root === 'string' ? new FsTarget({ root: withHostKey(root), name: 'fixture' }) : root;
  const f = await collectSshd({ target, config: { ...DEFAULT_CONFIG, ...config }, commandTimeoutMs: 2000 });
  assert.equal(f.state, 'collected', JSON.stringify(f));
  if (f.state !== 'collected') throw new Error('not collected');
  return f.value;
}

interface Case {
  fixture: string;
  expect: Record<string, [value: string, where: string | RegExp]>;
  valid?: boolean;
}

const CASES: Case[] = [
  {
    fixture: 'debian12-default',
    expect: {
      passwordauthentication: ['yes', /built-in default/],
      kbdinteractiveauthentication: ['no', '/etc/ssh/sshd_config:62'],
      x11forwarding: ['yes', '/etc/ssh/sshd_config:90'],
      permitrootlogin: ['without-password', /built-in default/],
      usepam: ['yes', '/etc/ssh/sshd_config:85'],
    },
  },
  {
    fixture: 'hardened.pass',
    expect: {
      permitrootlogin: ['no', `${DROPIN}/00-hardening.conf:2`],
      x11forwarding: ['no', `${DROPIN}/00-hardening.conf:9`],
      logingracetime: ['30', `${DROPIN}/00-hardening.conf:14`],
    },
  },
  {
    fixture: 'dropin-overrides-main.fail',
    expect: { passwordauthentication: ['yes', `${DROPIN}/50-cloud-init.conf:1`], permitrootlogin: ['no', '/etc/ssh/sshd_config:15'] },
  },
  {
    fixture: 'commented-line.fail',
    expect: { passwordauthentication: ['yes', /built-in default/], permitrootlogin: ['without-password', /built-in default/] },
  },
  {
    fixture: 'keyword-case.pass',
    expect: {
      passwordauthentication: ['no', `${DROPIN}/10-case.conf:1`],
      permitrootlogin: ['no', `${DROPIN}/10-case.conf:2`],
      x11forwarding: ['no', `${DROPIN}/10-case.conf:3`],
    },
  },
  { fixture: 'relative-include.pass', expect: { passwordauthentication: ['no', `${DROPIN}/10-hardening.conf:1`] } },
  {
    fixture: 'include-glob-order',
    expect: { permitrootlogin: ['no', `${DROPIN}/10-a.conf:1`], passwordauthentication: ['no', `${DROPIN}/9-c.conf:2`] },
  },
  {
    fixture: 'duplicated-parameter',
    expect: { x11forwarding: ['yes', '/etc/ssh/sshd_config:90'], permitrootlogin: ['no', '/etc/ssh/sshd_config:125'] },
  },
  { fixture: 'protocol-obsolete.pass', expect: { kbdinteractiveauthentication: ['no', `${DROPIN}/10-legacy.conf:3`] } },
];

for (const c of CASES) {
  test(`offline ${c.fixture}: effective values and the line that set them`, async () => {
    const f = await offline(join(FIXTURES, c.fixture));
    assert.equal(f.method, 'files');
    assert.match(f.methodReason ?? '', /offline/);
    assert.equal(f.validation.ok, c.valid ?? true, JSON.stringify(f.problems));
    assert.deepEqual(f.ports, [22]);
    for (const [k, [value, where]] of Object.entries(c.expect)) {
      const s = f.effective[k];
      assert.equal(s?.value, value, `${k}`);
      const at = s.source.path ? `${s.source.path}:${s.source.line}` : (s.source.note ?? '');
      if (typeof where === 'string') assert.equal(at, where, k);
      else assert.match(at, where, k);
    }
  });
}

test('Match blocks: each context that differs is reported with the Match line', async () => {
  const f = await offline(join(FIXTURES, 'match-block-password.fail'), { admin_users: ['alice'], ssh_admin_sources: ['198.51.100.0/24'] });
  assert.equal(f.effective.passwordauthentication?.value, 'no');
  const outside = f.contexts.filter((c) => c.overrides.passwordauthentication);
  // The witness of "Match Address *,!198.51.100.0/24 User *" is rampart-nobody from outside: already judged.
  assert.deepEqual(
    outside.map((c) => c.label),
    [
      'user=alice addr=203.0.113.7',
      'user=alice addr=2001:db8::7',
      'user=root addr=203.0.113.7',
      'user=root addr=2001:db8::7',
      'user=rampart-nobody addr=203.0.113.7',
      'user=rampart-nobody addr=2001:db8::7',
    ],
  );
  const o = outside[0]!.overrides.passwordauthentication!;
  assert.equal(o.value, 'yes');
  assert.equal(o.source.path, '/etc/ssh/sshd_config');
  assert.equal(o.source.line, 125);
  assert.match(o.source.note ?? '', /Match Address \*,!198\.51\.100\.0\/24 User \*/);
  const root = f.contexts.find((c) => c.label === 'user=root addr=198.51.100.1')!;
  assert.equal(root.overrides.permitrootlogin?.value, 'without-password');
  assert.equal(root.adminSource, true);
});

test('protocol-obsolete: Protocol and UsePrivilegeSeparation are noted, not errors', async () => {
  const f = await offline(join(FIXTURES, 'protocol-obsolete.pass'));
  const kws = f.problems.map((p) => [p.keyword, p.severity, p.line]);
  assert.deepEqual(
    kws.filter(([k]) => k === 'protocol' || k === 'useprivilegeseparation'),
    [
      ['protocol', 'warning', 1],
      ['useprivilegeseparation', 'warning', 2],
    ],
  );
  // ssh.protocol-2 reads the value from the arguments, never from the message.
  assert.deepEqual(f.problems.find((p) => p.keyword === 'protocol')?.args, ['2']);
});

test('Port and ListenAddress give the ports', async (t) => {
  const root = makeTree({ 'etc/ssh/sshd_config': 'Port 2222\nPort 2200\n' }, t);
  assert.deepEqual((await offline(root)).ports, [2200, 2222]);
  const root2 = makeTree(
    { 'etc/ssh/sshd_config': 'Port 2222\nListenAddress 127.0.0.1:22\nListenAddress [::1]:2022\nListenAddress 10.0.0.1\n' },
    t,
  );
  assert.deepEqual((await offline(root2)).ports, [22, 2022, 2222]);
});

test('bad input: binary, include loop, symlink loop, huge, FIFO and unknown keywords give problems, never a crash', async (t) => {
  const bin = await offline(join(FIXTURES, 'bad-binary'));
  assert.ok(bin.problems.some((p) => p.path.endsWith('10-garbage.conf') && /binary/.test(p.message)));
  assert.equal(bin.validation.ok, false);
  const loop = await offline(join(FIXTURES, 'include-loop'));
  assert.ok(loop.problems.some((p) => /too many recursive/.test(p.message)));
  assert.ok(loop.problems.some((p) => p.path.endsWith('20-symlink.conf') && /symbolic links/.test(p.message)));
  const huge = makeTree(
    { 'etc/ssh/sshd_config': `Include /etc/ssh/big.conf\n`, 'etc/ssh/big.conf': `PermitRootLogin no\n${'#'.repeat(2 * 1024 * 1024)}\n` },
    t,
  );
  const h = await offline(huge);
  assert.ok(h.problems.some((p) => p.path === '/etc/ssh/big.conf' && p.kind === 'unreadable' && /read limit/.test(p.message)));
  const weird = makeTree(
    {
      'etc/ssh/sshd_config':
        'FooBar yes\nPermitRootLogin maybe\nMatch User x\nPort 2\nPasswordAuthentication no extra\nBanner "unbalanced\nInclude /etc/ssh/fifo\n',
    },
    t,
  );
  mkfifoSync(join(weird, 'etc/ssh/fifo'));
  const w = await offline(weird);
  const msgs = w.problems.map((p) => `${p.line ?? '-'} ${p.message}`);
  for (const re of [
    /^1 Bad configuration option: FooBar/,
    /^2 PermitRootLogin: unsupported option "maybe"/,
    /^4 Directive 'Port' is not allowed/,
    /^5 .*extra arguments/,
    /^6 invalid quotes/,
    /^- .*not a regular file/,
  ])
    assert.ok(
      msgs.some((m) => re.test(m)),
      `${re} in ${msgs.join(' | ')}`,
    );
});

test('unreadable file (permission denied) is an unreadable problem with the reason', async (t) => {
  const root = makeTree(
    {
      'etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\n',
      'etc/ssh/sshd_config.d/10-secret.conf': 'PasswordAuthentication yes\n',
    },
    t,
  );
  const base = new FsTarget({ root: withHostKey(root), name: 'denied' });
  // As root every file is readable: a target that answers as an unprivileged reader would.
  const denying = Object.assign(Object.create(base) as FsTarget, {
    readText: (p: string, o?: Parameters<FsTarget['readText']>[1]) =>
      p.endsWith('10-secret.conf')
        ? Promise.resolve({ ok: false as const, error: 'denied' as const, message: `"${p}" permission denied` })
        : base.readText(p, o),
    readBytes: (p: string, o?: Parameters<FsTarget['readBytes']>[1]) =>
      p.endsWith('10-secret.conf')
        ? Promise.resolve({ ok: false as const, error: 'denied' as const, message: `"${p}" permission denied` })
        : base.readBytes(p, o),
  });
  const f = await offline(denying);
  assert.deepEqual(
    f.problems.map((p) => [p.path, p.kind]),
    [['/etc/ssh/sshd_config.d/10-secret.conf', 'unreadable']],
  );
  assert.equal(f.effective.passwordauthentication?.value, 'yes');
});

test('not installed: no openssh-server in dpkg status and no sshd_config → absent', async (t) => {
  const root = makeTree(
    { 'var/lib/dpkg/status': 'Package: openssh-client\nStatus: install ok installed\nVersion: 1:9.2p1-2+deb12u10\n\n' },
    t,
  );
  const f = await collectSshd({ target: new FsTarget({ root, name: 'x' }), config: DEFAULT_CONFIG, commandTimeoutMs: 1000 });
  assert.equal(f.state, 'absent');
});

test('offline version comes from dpkg status', async (t) => {
  const root = makeTree(
    {
      'var/lib/dpkg/status': 'Package: openssh-server\nStatus: install ok installed\nVersion: 1:9.2p1-2+deb12u10\n\n',
      'etc/ssh/sshd_config': 'PermitRootLogin no\n',
    },
    t,
  );
  const f = await offline(root);
  assert.equal(f.version, '9.2p1');
  assert.equal(f.defaultsExact, true);
  assert.equal(f.versionSource.path, '/var/lib/dpkg/status');
});
