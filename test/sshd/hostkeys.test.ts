// Offline, ssh.config-valid fails like `sshd -t` when no host key loads ("no hostkeys available"):
// each root below is judged by the collector and by the real sshd 9.2 on the same key files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { collectSshd } from '../../src/collect/sshd.js';
import { privateKeyFormat } from '../../src/collect/sshd-hostkeys.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { DEBIAN_SSHD_CONFIG, realSshdT } from './valid-gen.js';
import { isRoot, requireCommands } from '../helpers.js';

const DEFAULT_KEYS = ['ssh_host_rsa_key', 'ssh_host_ecdsa_key', 'ssh_host_ed25519_key'];

interface KeyCase {
  name: string;
  /** HostKey lines (paths inside the root); none: the default keys. */
  hostKeys: string[] | null;
  /** Builds the key files in etc/ssh of the root. */
  make: (ssh: string, keygen: (file: string, ...args: string[]) => void) => void;
}

const CASES: KeyCase[] = [
  {
    name: 'no HostKey line and none of the default keys (only the .pub files)',
    hostKeys: null,
    make: (ssh, kg) => {
      kg(join(ssh, 'ssh_host_ed25519_key'));
      rmSync(join(ssh, 'ssh_host_ed25519_key'));
    },
  },
  { name: 'no HostKey line, the ed25519 default key', hostKeys: null, make: (ssh, kg) => kg(join(ssh, 'ssh_host_ed25519_key')) },
  { name: 'HostKey to a missing file', hostKeys: ['/etc/ssh/k'], make: () => undefined },
  {
    name: 'HostKey mode 0644',
    hostKeys: ['/etc/ssh/k'],
    make: (ssh, kg) => {
      kg(join(ssh, 'k'));
      chmodSync(join(ssh, 'k'), 0o644);
    },
  },
  { name: 'HostKey not a key', hostKeys: ['/etc/ssh/k'], make: (ssh) => writeFileSync(join(ssh, 'k'), 'not a key\n', { mode: 0o600 }) },
  {
    name: 'HostKey naming the .pub',
    hostKeys: ['/etc/ssh/k.pub'],
    make: (ssh, kg) => {
      kg(join(ssh, 'k'));
      chmodSync(join(ssh, 'k.pub'), 0o600);
    },
  },
  {
    name: 'HostKey encrypted with a passphrase',
    hostKeys: ['/etc/ssh/k'],
    make: (ssh, kg) => kg(join(ssh, 'k'), '-N', 'secret-passphrase'),
  },
  {
    name: 'HostKey a PEM RSA key',
    hostKeys: ['/etc/ssh/k'],
    make: (ssh, kg) => kg(join(ssh, 'k'), '-t', 'rsa', '-b', '2048', '-m', 'PEM'),
  },
  { name: 'HostKey a PKCS8 ECDSA key', hostKeys: ['/etc/ssh/k'], make: (ssh, kg) => kg(join(ssh, 'k'), '-t', 'ecdsa', '-m', 'PKCS8') },
  { name: 'HostKey a directory', hostKeys: ['/etc/ssh/k'], make: (ssh) => mkdirSync(join(ssh, 'k')) },
  { name: 'HostKey missing, then a good one', hostKeys: ['/etc/ssh/gone', '/etc/ssh/k'], make: (ssh, kg) => kg(join(ssh, 'k')) },
  {
    name: 'HostKey a relative symlink to a good key',
    hostKeys: ['/etc/ssh/k'],
    make: (ssh, kg) => {
      kg(join(ssh, 'real'));
      symlinkSync('real', join(ssh, 'k'));
    },
  },
];

test('no loadable host key: the offline collector and the real sshd -t agree, key by key', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh-keygen', 'unshare')) return;
  if (!isRoot()) {
    if (process.env.CI === 'true') throw new Error('CI: sshd -t in a private mount namespace needs root');
    return t.skip('sshd -t in a private mount namespace needs root');
  }
  const work = mkdtempSync(join(tmpdir(), 'rampart-sshd-hostkeys-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  // Debian's file without its Include (the real sshd would read this host's drop-ins).
  const debian = readFileSync(DEBIAN_SSHD_CONFIG, 'utf8').replace(/^Include .*$/m, '');
  const keygen = (file: string, ...args: string[]) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', ...args, '-f', file]);
  const configs: string[] = [];
  const roots: string[] = [];
  for (const [i, c] of CASES.entries()) {
    const root = join(work, `root-${i}`);
    const ssh = join(root, 'etc', 'ssh');
    mkdirSync(ssh, { recursive: true });
    copyFileSync('/etc/services', join(root, 'etc', 'services'));
    c.make(ssh, keygen);
    const lines = (c.hostKeys ?? []).map((k) => `HostKey ${k}\n`).join('');
    writeFileSync(join(ssh, 'sshd_config'), `${lines}${debian}`);
    // The real sshd reads the same files through host paths; the default keys are spelled out.
    const real = (c.hostKeys ?? DEFAULT_KEYS.map((k) => `/etc/ssh/${k}`)).map((k) => `HostKey ${root}${k}\n`).join('');
    writeFileSync(join(work, `real-${i}`), `${real}${debian}`);
    configs.push(join(work, `real-${i}`));
    roots.push(root);
  }
  const truth = realSshdT(configs, null);
  const seen: string[] = [];
  for (const [i, c] of CASES.entries()) {
    const real = truth[i]!;
    const f = await collectSshd({
      target: new FsTarget({ root: roots[i]!, name: 'keys' }),
      config: DEFAULT_CONFIG,
      commandTimeoutMs: 5000,
    });
    assert.equal(f.state, 'collected');
    if (f.state !== 'collected') continue;
    const keyProblem = f.value.problems.find((p) => p.keyword === 'hostkey');
    const realOk = real.code === 0;
    seen.push(`${c.name}: sshd ${realOk ? 'ok' : 'refuses'}`);
    assert.equal(
      !keyProblem,
      realOk,
      `${c.name}: sshd -t ${realOk ? 'starts' : `refuses (${real.output.split('\n').at(-1)})`}, rampart ${keyProblem ? `"${keyProblem.message}"` : 'no host key problem'}`,
    );
    assert.equal(f.value.validation.ok, realOk, c.name);
    if (!realOk) {
      assert.match(real.output, /no hostkeys available/, c.name);
      assert.equal(keyProblem?.kind, 'hostkey', c.name);
      assert.match(keyProblem?.message ?? '', /no hostkeys available/);
    }
  }
  // Both verdicts occur: the table is not all one way.
  assert.ok(seen.some((s) => s.endsWith('ok')) && seen.some((s) => s.endsWith('refuses')), seen.join('\n'));
});

test('private key armour: plain, encrypted, not a key (no key material is shown)', () => {
  assert.equal(
    privateKeyFormat(
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n',
    ),
    'encrypted',
  );
  assert.equal(privateKeyFormat('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n'), 'encrypted');
  assert.equal(privateKeyFormat('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE x@y\n'), 'invalid');
  assert.equal(privateKeyFormat('-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n'), 'invalid');
});
