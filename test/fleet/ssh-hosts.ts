// Real sshd instances as test hosts for the fleet tests: each on its own loopback address 127.0.1.K,
// port 22, with its own config and host key; a client key and a private known_hosts; plus a host that
// refuses auth, one that hangs (accepts TCP, never answers) and one whose host key changed.
//
// OpenSSH 9.2's sshd refuses to start without its compiled-in privsep directory /run/sshd, which this
// machine does not have and which a test never creates: every sshd runs in a private mount namespace
// (unshare -m) where a fresh tmpfs is mounted on /run and /run/sshd made inside it. The host's /run is
// untouched; inside the namespace (the test host's sessions) /run is that empty tmpfs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SshHostKind = 'ok' | 'refuse-auth' | 'hang' | 'changed-key' | 'forced';

export interface SshHost {
  /** Alias in the lab's ssh config (`ssh -F lab.sshConfig NAME`). */
  name: string;
  kind: SshHostKind;
  address: string;
  port: 22;
}

export interface SshLab {
  dir: string;
  /** ssh_config for `ssh -F`: identity, known_hosts, strict host-key checking, BatchMode, ControlPath. */
  sshConfig: string;
  clientKey: string;
  knownHosts: string;
  hosts: SshHost[];
  host(kind: SshHostKind, index?: number): SshHost;
  /** `ssh -F CONFIG [OPTIONS] NAME`: append the remote command (one ControlMaster connection per host). */
  sshArgv(host: SshHost, ...extra: string[]): string[];
  stop(): Promise<void>;
}

export interface SshLabOptions {
  /** How many working hosts (default 1). */
  ok?: number;
  refuseAuth?: boolean;
  hang?: boolean;
  changedKey?: boolean;
  /** Extra sshd_config lines for the working hosts (e.g. 'MaxSessions 1'). */
  sshdExtra?: string[];
  /** Hostile hosts: name → the command their authorized_keys forces (whatever the client asks, this runs). */
  forced?: Record<string, string>;
  /**
   * Shell commands run inside each sshd's private mount namespace before sshd starts (e.g. bind mounts
   * of a passwd/shadow/sudoers.d with test accounts: test/fleet/lab-users.ts), the same for every host
   * or per host. This machine's files are untouched; only the lab's sessions see them.
   */
  nsSetup?: string | ((host: SshHost) => string);
}

const SSHD = '/usr/sbin/sshd';

function keygen(path: string): string {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rampart-test', '-f', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return readFileSync(`${path}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
}

/** Whether nothing listens on ADDRESS:22 (bind test; the kernel routes all of 127/8 to lo). */
function isFree(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(22, address, () => s.close(() => resolve(true)));
  });
}

function canConnect(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: address, port: 22 });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

async function freeAddresses(n: number): Promise<string[]> {
  // A random start per lab so parallel test files rarely pick the same addresses; a bind test decides.
  const out: string[] = [];
  const start = 10 + ((process.pid * 7 + Date.now()) % 200);
  for (let i = 0; i < 240 && out.length < n; i++) {
    const address = `127.0.1.${10 + ((start + i) % 240)}`;
    if (await isFree(address)) out.push(address);
  }
  if (out.length < n) throw new Error(`ssh lab: no ${n} free loopback addresses 127.0.1.K:22`);
  return out;
}

function startSshd(dir: string, name: string, address: string, hostKey: string, lines: string[], nsSetup = ''): Promise<ChildProcess> {
  const config = join(dir, `${name}.sshd_config`);
  writeFileSync(
    config,
    [
      `ListenAddress ${address}:22`,
      `HostKey ${hostKey}`,
      'PidFile none',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      // The client key lives in a temp dir under /tmp (mode 1777): StrictModes would refuse it.
      'StrictModes no',
      'LogLevel VERBOSE',
      // The sessions' temp files (payload temp dirs) go to the lab's own dir, not this machine's /tmp
      // where parallel tests count theirs.
      `SetEnv TMPDIR=${join(dir, 'remote-tmp')}`,
      ...lines,
      '',
    ].join('\n'),
  );
  const setup = nsSetup === '' ? '' : `{ ${nsSetup}\n} && `;
  const script = `mount -t tmpfs -o mode=755 rampart-sshd /run && mkdir -m 755 /run/sshd && ${setup}exec "$0" -D -e -f "$1"`;
  const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, SSHD, config], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = async (): Promise<void> => {
      if (child.exitCode !== null) return reject(new Error(`sshd ${name} (${address}) exited ${child.exitCode}: ${log.trim()}`));
      if (log.includes('Server listening') && (await canConnect(address))) return resolve(child);
      if (Date.now() > deadline) {
        killGroup(child);
        return reject(new Error(`sshd ${name} (${address}) did not start in 10 s: ${log.trim()}`));
      }
      setTimeout(() => void poll(), 50);
    };
    void poll();
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}

function startHang(address: string): Promise<{ server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(22, address, () => resolve({ server, sockets }));
  });
}

export async function startSshLab(opts: SshLabOptions = {}): Promise<SshLab> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-ssh-'));
  mkdirSync(join(dir, 'remote-tmp'), { mode: 0o700 });
  const clientKey = join(dir, 'client');
  keygen(clientKey);
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${clientKey}.pub`), { mode: 0o600 });
  const knownHosts = join(dir, 'known_hosts');
  const sshConfig = join(dir, 'ssh_config');

  const kinds: SshHostKind[] = [
    ...Array.from({ length: opts.ok ?? 1 }, () => 'ok' as const),
    ...(opts.refuseAuth ? (['refuse-auth'] as const) : []),
    ...(opts.hang ? (['hang'] as const) : []),
    ...(opts.changedKey ? (['changed-key'] as const) : []),
    ...Object.keys(opts.forced ?? {}).map(() => 'forced' as const),
  ];
  const forcedNames = Object.keys(opts.forced ?? {});
  const addresses = await freeAddresses(kinds.length);
  const hosts: SshHost[] = [];
  const children: ChildProcess[] = [];
  const hangs: { server: Server; sockets: Set<Socket> }[] = [];
  const known: string[] = [];
  const counts: Record<string, number> = {};
  const lab: SshLab = {
    dir,
    sshConfig,
    clientKey,
    knownHosts,
    hosts,
    host(kind, index = 0) {
      const h = hosts.filter((x) => x.kind === kind)[index];
      if (!h) throw new Error(`ssh lab: no ${kind} host #${index}`);
      return h;
    },
    sshArgv(host, ...extra) {
      return ['ssh', '-F', sshConfig, ...extra, host.name];
    },
    async stop() {
      for (const h of hosts) {
        if (h.kind === 'ok' || h.kind === 'forced')
          spawnSync('ssh', ['-F', sshConfig, '-O', 'exit', h.name], { stdio: 'ignore', timeout: 5000 });
      }
      for (const c of children) killGroup(c);
      for (const h of hangs) {
        for (const s of h.sockets) s.destroy();
        await new Promise<void>((r) => h.server.close(() => r()));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (const [i, kind] of kinds.entries()) {
      const address = addresses[i] as string;
      counts[kind] = (counts[kind] ?? 0) + 1;
      const name = kind === 'ok' ? `host${counts[kind]}` : kind === 'forced' ? (forcedNames[(counts[kind] ?? 1) - 1] as string) : kind;
      hosts.push({ name, kind, address, port: 22 });
      if (kind === 'hang') {
        hangs.push(await startHang(address));
        continue;
      }
      const hostKey = join(dir, `${name}.hostkey`);
      const pub = keygen(hostKey);
      if (kind === 'changed-key') {
        // known_hosts holds the key the host had before; the one it serves now is new.
        known.push(`${address} ${keygen(join(dir, `${name}.oldkey`))}`);
      } else known.push(`${address} ${pub}`);
      let keys = authorized;
      if (kind === 'forced') {
        keys = join(dir, `${name}.authorized_keys`);
        const command = (opts.forced ?? {})[name] as string;
        const quoted = command.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
        writeFileSync(keys, `command="${quoted}",restrict ${readFileSync(`${clientKey}.pub`, 'utf8')}`, { mode: 0o600 });
      }
      const lines = kind === 'refuse-auth' ? ['AuthorizedKeysFile none'] : [`AuthorizedKeysFile ${keys}`, ...(opts.sshdExtra ?? [])];
      const setup = typeof opts.nsSetup === 'function' ? opts.nsSetup(hosts[hosts.length - 1]!) : opts.nsSetup;
      children.push(await startSshd(dir, name, address, hostKey, lines, setup));
    }
  } catch (e) {
    await lab.stop();
    throw e;
  }
  writeFileSync(knownHosts, known.join('\n') + '\n');
  const config = hosts.flatMap((h) => [`Host ${h.name}`, `  HostName ${h.address}`, '']);
  config.push(
    'Host *',
    '  User root',
    `  IdentityFile ${clientKey}`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile ${knownHosts}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  UpdateHostKeys no',
    '  BatchMode yes',
    '  ConnectTimeout 3',
    '  ControlMaster auto',
    `  ControlPath ${dir}/cm-%C`,
    '  ControlPersist 30',
    '  LogLevel ERROR',
    '',
  );
  writeFileSync(sshConfig, config.join('\n'));
  return lab;
}
