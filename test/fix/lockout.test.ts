// The lockout proof, case by case, on copies of the Debian 12 default fixture: each refusal, and the
// same change accepted once the cause is gone (so every refusal test can fail).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockoutProof, type LockoutInput } from '../../src/fix/lockout.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { fixtureRoot, giveAdminKey, giveRootKey, publicKey } from './fixture-root.js';

const enc = new TextEncoder();
const NO_PASSWORDS = enc.encode('PasswordAuthentication no\nKbdInteractiveAuthentication no\n');
const DROPIN = '/etc/ssh/sshd_config.d/00-rampart.conf';

async function proof(root: string, over: Partial<LockoutInput> = {}) {
  return lockoutProof({
    target: new FsTarget({ root, name: 'test' }),
    live: false,
    env: {},
    changed: new Map([[DROPIN, NO_PASSWORDS]]),
    commands: [],
    ...over,
  });
}
const codes = (f: { code: string; level: string }[]) => f.filter((x) => x.level === 'refuse').map((x) => x.code);

test('password logins off with no admin key: refused; with a root key: accepted', async (t) => {
  const w = fixtureRoot(t);
  const r = await proof(w.root);
  assert.deepEqual(codes(r), ['ssh-no-key']);
  assert.match(r[0]!.message, /root: \/root\/\.ssh\/authorized_keys: does not exist/);
  giveRootKey(w.root);
  assert.deepEqual(codes(await proof(w.root)), []);
});

test('StrictModes: a group-writable authorized_keys or .ssh does not count', async (t) => {
  const w = fixtureRoot(t);
  giveRootKey(w.root, `${publicKey()}\n`, 0o664);
  const r = await proof(w.root);
  assert.deepEqual(codes(r), ['ssh-no-key']);
  assert.match(r[0]!.message, /StrictModes refuses it: .*group\/world writable/);
  giveRootKey(w.root, `${publicKey()}\n`, 0o600, 0o777);
  assert.deepEqual(codes(await proof(w.root)), ['ssh-no-key']);
  // StrictModes no in the candidate: the modes no longer matter.
  assert.deepEqual(
    codes(
      await proof(w.root, {
        changed: new Map([[DROPIN, enc.encode('PasswordAuthentication no\nKbdInteractiveAuthentication no\nStrictModes no\n')]]),
      }),
    ),
    [],
  );
});

test('a key type sshd does not accept (ssh-dss) does not count', async (t) => {
  const w = fixtureRoot(t);
  giveRootKey(w.root, 'ssh-dss AAAAB3NzaC1kc3MAAACBAP== old\n');
  const r = await proof(w.root);
  assert.deepEqual(codes(r), ['ssh-no-key']);
  assert.match(r[0]!.message, /no key of a type sshd accepts \(only ssh-dss\)/);
  giveRootKey(w.root, `restrict,command="/bin/true" ${publicKey()}\n`);
  assert.deepEqual(codes(await proof(w.root)), []);
});

test('root login off too: an admin in group sudo with a key is needed', async (t) => {
  const w = fixtureRoot(t);
  giveRootKey(w.root);
  const both = new Map([[DROPIN, enc.encode('PermitRootLogin no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n')]]);
  const r = await proof(w.root, { changed: both });
  assert.deepEqual(codes(r), ['ssh-no-key']);
  assert.match(r[0]!.message, /root: PermitRootLogin no/);
  giveAdminKey(w.root);
  assert.deepEqual(codes(await proof(w.root, { changed: both })), []);
});

test('AllowUsers that excludes the operator (SUDO_USER), AllowGroups naming an empty group', async (t) => {
  const w = fixtureRoot(t);
  giveRootKey(w.root);
  giveAdminKey(w.root);
  const env = { SUDO_USER: 'admin' };
  const allow = (line: string) => new Map([[DROPIN, enc.encode(`${line}\n`)]]);
  assert.deepEqual(codes(await proof(w.root, { env, changed: allow('AllowUsers root') })), ['ssh-excluded']);
  assert.deepEqual(codes(await proof(w.root, { env, changed: allow('AllowUsers root admin') })), []);
  assert.deepEqual(codes(await proof(w.root, { env, changed: allow('AllowGroups sudo nosuchgroup') })), ['ssh-empty-group']);
  assert.deepEqual(codes(await proof(w.root, { env, changed: allow('AllowGroups sudo root') })), []);
  // The SSH_CONNECTION user when not under sudo.
  const sshEnv = { SSH_CONNECTION: '192.0.2.10 50000 192.0.2.1 22', USER: 'admin' };
  assert.deepEqual(codes(await proof(w.root, { env: sshEnv, changed: allow('AllowUsers root') })), ['ssh-excluded']);
});

test('firewall: ufw default deny + enable without allowing the sshd port from the client is refused', async (t) => {
  const w = fixtureRoot(t);
  const env = { SSH_CONNECTION: '192.0.2.10 50000 192.0.2.1 22' };
  const none = new Map<string, Uint8Array>();
  const deny = [
    ['ufw', 'default', 'deny', 'incoming'],
    ['ufw', '--force', 'enable'],
  ];
  assert.deepEqual(codes(await proof(w.root, { env, changed: none, commands: deny })), ['firewall-port']);
  assert.deepEqual(codes(await proof(w.root, { env, changed: none, commands: [['ufw', 'limit', '22/tcp'], ...deny] })), []);
  assert.deepEqual(
    codes(
      await proof(w.root, { env, changed: none, commands: [['ufw', 'allow', 'from', '10.0.0.0/8', 'to', 'any', 'port', '22'], ...deny] }),
    ),
    ['firewall-port'],
    'allowed only from another network',
  );
  // sshd on another port: the rule for 22 is not enough.
  const port = new Map([[DROPIN, enc.encode('Port 2222\n')]]);
  assert.deepEqual(codes(await proof(w.root, { env, changed: port, commands: [['ufw', 'limit', '22/tcp'], ...deny] })), ['firewall-port']);
  assert.deepEqual(codes(await proof(w.root, { env, changed: port, commands: [['ufw', 'allow', '2222/tcp'], ...deny] })), []);
});

test('firewall: an nftables.conf whose input chain drops without accepting sshd from the client', async (t) => {
  const w = fixtureRoot(t);
  const env = { SSH_CONNECTION: '192.0.2.10 50000 192.0.2.1 22' };
  const conf = (rule: string) =>
    new Map([
      [
        '/etc/nftables.conf',
        enc.encode(
          `table inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    ct state established,related accept\n${rule}\n  }\n}\n`,
        ),
      ],
    ]);
  assert.deepEqual(codes(await proof(w.root, { env, changed: conf('    tcp dport 80 accept') })), ['firewall-port']);
  assert.deepEqual(codes(await proof(w.root, { env, changed: conf('    ip saddr 10.0.0.0/8 tcp dport 22 accept') })), ['firewall-port']);
  assert.deepEqual(codes(await proof(w.root, { env, changed: conf('    tcp dport { 22, 80 } accept') })), []);
});

test('fail2ban: an ignoreip that does not cover the current client', async (t) => {
  const w = fixtureRoot(t);
  const env = { SSH_CONNECTION: '192.0.2.10 50000 192.0.2.1 22' };
  const jail = (ignore: string) =>
    new Map([['/etc/fail2ban/jail.d/00-rampart.local', enc.encode(`[DEFAULT]\nignoreip = ${ignore}\n\n[sshd]\nenabled = true\n`)]]);
  assert.deepEqual(codes(await proof(w.root, { env, changed: jail('127.0.0.1/8 ::1') })), ['fail2ban-ignoreip']);
  assert.deepEqual(codes(await proof(w.root, { env, changed: jail('127.0.0.1/8 192.0.2.0/24') })), []);
  // No SSH client (a console): nothing to protect.
  assert.deepEqual(codes(await proof(w.root, { env: {}, changed: jail('127.0.0.1/8') })), []);
});

test('PAM: a change with no second root session open is refused (live)', async (t) => {
  const w = fixtureRoot(t);
  writeFileSync(join(w.dir, 'x'), '');
  const pam = new Map([['/etc/pam.d/common-password', enc.encode('password requisite pam_pwquality.so retry=3\n')]]);
  assert.deepEqual(codes(await proof(w.root, { live: true, changed: pam, otherRootSessions: () => Promise.resolve(0) })), ['pam-session']);
  assert.deepEqual(codes(await proof(w.root, { live: true, changed: pam, otherRootSessions: () => Promise.resolve(1) })), []);
  const offline = await proof(w.root, { live: false, changed: pam });
  assert.deepEqual(codes(offline), []);
  assert.equal(offline[0]?.code, 'pam-session');
});
