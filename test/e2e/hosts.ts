import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

const HOSTS = join(import.meta.dirname, '..', 'fixtures', 'hosts');
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'rampart.js');

/** Copies a fixture host to a temp dir and applies its modes manifest (git keeps only the x bit). */
export function hostRoot(name: string, t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), `rampart-host-${name}-`));
  cpSync(join(HOSTS, name), dir, { recursive: true, verbatimSymlinks: true });
  let manifest = '';
  try {
    manifest = readFileSync(join(HOSTS, `${name}.modes`), 'utf8');
  } catch {
    // no manifest: modes as checked out
  }
  for (const line of manifest.split('\n')) {
    const m = /^(\S+)\s+(0[0-7]{3,4})$/.exec(line.trim());
    if (m) chmodSync(join(dir, m[1]!), parseInt(m[2]!, 8));
  }
  hostKeys(dir);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The fixtures keep only the public host keys (no private key in git): a fresh pair of each type is
 * put in the copy, as openssh-server's postinst does on an installed host, so sshd -t (and the file
 * model) see a host that can start sshd. Each type is generated once per test process and copied
 * (RSA 3072 takes a while; every hostRoot needs the keys).
 */
function hostKeys(root: string): void {
  const dir = join(root, 'etc', 'ssh');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const m = /^ssh_host_(rsa|ecdsa|ed25519)_key\.pub$/.exec(name);
    const key = join(dir, name.slice(0, -'.pub'.length));
    if (!m || existsSync(key)) continue;
    const made = keyPair(m[1]!);
    cpSync(made, key);
    cpSync(`${made}.pub`, `${key}.pub`);
    chmodSync(key, 0o600);
  }
}

let keyDir: string | null = null;
function keyPair(type: string): string {
  if (keyDir === null) {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-hostkeys-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    keyDir = dir;
  }
  const key = join(keyDir, `ssh_host_${type}_key`);
  if (!existsSync(key)) execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'root@fixture', '-f', key]);
  return key;
}

let stateDir: string | null = null;
/** A history store per test process (removed at exit): the suite never writes to /var/lib/rampart. */
function e2eStateDir(): string {
  if (stateDir === null) {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-state-e2e-'));
    chmodSync(dir, 0o777);
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    stateDir = dir;
  }
  return stateDir;
}

/** Runs the built CLI (bin/rampart.js → dist/) as a separate process. */
export function rampart(args: string[], opts: { env?: Record<string, string>; user?: string } = {}) {
  const argv = opts.user ? ['runuser', '-u', opts.user, '--', process.execPath, BIN, ...args] : [process.execPath, BIN, ...args];
  const env = { ...process.env, NO_COLOR: '1', RAMPART_STATE_DIR: join(e2eStateDir(), opts.user ?? 'self'), ...opts.env };
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
