// A copy of the Debian 12 default host fixture (test/fixtures/hosts/debian12-default) in a temp dir,
// with helpers to give root an authorized key and to add cloud-init's drop-in: the roots the `rampart
// fix` tests plan and apply on.
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'hosts', 'debian12-default');

export function fixtureRoot(t: TestContext): { dir: string; root: string; state: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-fixcli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'root');
  cpSync(FIXTURE, root, { recursive: true });
  chmodSync(root, 0o755);
  return { dir, root, state: join(dir, 'state') };
}

let cachedKey: string | null = null;
/** An ed25519 public key line (generated once per process). */
export function publicKey(): string {
  if (cachedKey) return cachedKey;
  const d = mkdtempSync(join(tmpdir(), 'rampart-key-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'fix-test', '-f', join(d, 'k')]);
  cachedKey = readFileSync(join(d, 'k.pub'), 'utf8').trim();
  rmSync(d, { recursive: true, force: true });
  return cachedKey;
}

/** root/.ssh/authorized_keys with `content` (default: one ed25519 key), modes as sshd wants unless given. */
export function giveRootKey(root: string, content = `${publicKey()}\n`, fileMode = 0o600, dirMode = 0o700): void {
  mkdirSync(join(root, 'root', '.ssh'), { recursive: true });
  chmodSync(join(root, 'root'), 0o700);
  chmodSync(join(root, 'root', '.ssh'), dirMode);
  writeFileSync(join(root, 'root', '.ssh', 'authorized_keys'), content);
  chmodSync(join(root, 'root', '.ssh', 'authorized_keys'), fileMode);
}

/** An admin account `admin` (uid 1000, in group sudo) with an authorized key (or `content`) under /home/admin/.ssh. */
export function giveAdminKey(root: string, content = `${publicKey()}\n`, fileMode = 0o600): void {
  appendFileSync(join(root, 'etc/passwd'), 'admin:x:1000:1000:Admin:/home/admin:/bin/bash\n');
  appendFileSync(join(root, 'etc/group'), 'admin1000:x:1000:\n');
  const g = join(root, 'etc/group');
  writeFileSync(
    g,
    readFileSync(g, 'utf8').replace(/^sudo:x:27:(.*)$/m, (_m, members: string) => `sudo:x:27:${members ? `${members},` : ''}admin`),
  );
  const ssh = join(root, 'home', 'admin', '.ssh');
  mkdirSync(ssh, { recursive: true });
  writeFileSync(join(ssh, 'authorized_keys'), content);
  chmodSync(join(ssh, 'authorized_keys'), fileMode);
  chmodSync(ssh, 0o700);
  chmodSync(join(root, 'home', 'admin'), 0o755);
  for (const p of [join(root, 'home', 'admin'), ssh, join(ssh, 'authorized_keys')]) chownSync(p, 1000, 1000);
}

export const CLOUD_INIT = 'PasswordAuthentication yes\n';
