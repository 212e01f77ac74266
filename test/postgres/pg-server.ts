// A real PostgreSQL for tests: initdb as the postgres user into a temp dir, started on a random
// loopback port with its own socket directory, stopped with `pg_ctl stop -m immediate`.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort, isRoot, requireCommands } from '../helpers.js';

const BIN_DIRS = [
  '/usr/lib/postgresql/15/bin',
  ...(existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort()
        .reverse()
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : []),
];

/** The PostgreSQL server binaries (not on PATH on Debian); null when missing. */
export function pgBinDir(): string | null {
  return BIN_DIRS.find((d) => ['initdb', 'postgres', 'pg_ctl'].every((b) => existsSync(join(d, b)))) ?? null;
}

/**
 * Like requireCommands for the server binaries in /usr/lib/postgresql/N/bin, plus runuser/psql and
 * root (initdb runs as the postgres user): skipped on a developer machine, a failure in CI.
 */
export function requirePostgres(t: TestContext): string | null {
  const dir = pgBinDir();
  const missing = [
    dir ? null : 'initdb/postgres/pg_ctl in /usr/lib/postgresql/*/bin',
    isRoot() ? null : 'root (to run initdb as postgres)',
  ].filter((x): x is string => x !== null);
  if (missing.length) {
    if (process.env.CI === 'true') throw new Error(`CI: required component missing: ${missing.join(', ')}`);
    t.skip(`needs ${missing.join(', ')}`);
    return null;
  }
  if (!requireCommands(t, 'runuser', 'psql', 'openssl')) return null;
  return dir;
}

export { freePort };

const pgUid = () => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
const pgGid = () => Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());

/** A directory the postgres user owns. */
export function postgresDir(t: TestContext, prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  chownSync(d, pgUid(), pgGid());
  chmodSync(d, 0o755);
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

export function chownTree(path: string): void {
  execFileSync('chown', ['-R', 'postgres:postgres', path]);
}

/** initdb (peer locally, scram over TCP) as the postgres user. */
export function initdb(bin: string, dataDir: string): void {
  execFileSync(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      join(bin, 'initdb'),
      '-D',
      dataDir,
      '--auth-local=peer',
      '--auth-host=scram-sha-256',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '-U',
      'postgres',
    ],
    { stdio: 'pipe', timeout: 120_000 },
  );
}

/** A self-signed certificate and key (0600, postgres) in `dir`. */
export function makeCert(dir: string): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=rampart-test',
      '-keyout',
      join(dir, 'server.key'),
      '-out',
      join(dir, 'server.crt'),
    ],
    { stdio: 'pipe' },
  );
  chownSync(join(dir, 'server.key'), pgUid(), pgGid());
  chownSync(join(dir, 'server.crt'), pgUid(), pgGid());
  chmodSync(join(dir, 'server.key'), 0o600);
}

export interface Server {
  port: number;
  socketDir: string;
  dataDir: string;
  /** Runs SQL as postgres over the socket (peer), returns stdout. */
  psql(sql: string): string;
  stop(): void;
}

/** Starts `postgres -D DATA -k SOCK -p PORT -c listen_addresses=127.0.0.1 …extra` and waits for it. */
export async function startServer(t: TestContext, bin: string, dataDir: string, extra: string[] = []): Promise<Server> {
  const socketDir = postgresDir(t, 'rampart-pgsock-');
  const port = await freePort();
  const log = join(socketDir, 'server.log');
  const opts = ['-D', dataDir, '-k', socketDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', ...extra]
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const r = spawnSync(
    'runuser',
    ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', dataDir, '-l', log, '-w', '-t', '60', '-o', opts, 'start'],
    { encoding: 'utf8', timeout: 90_000 },
  );
  if (r.status !== 0) {
    const text = spawnSync('cat', [log], { encoding: 'utf8' }).stdout;
    throw new Error(`postgres did not start: ${r.stderr}\n${text}`);
  }
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = () => {
    spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', '-w', 'stop'], {
      stdio: 'ignore',
      timeout: 60_000,
    });
    // The data directory may already be gone: then the postmaster (this pid only) gets SIGQUIT, immediate shutdown.
    if (alive()) process.kill(pid, 'SIGQUIT');
    for (let i = 0; i < 100 && alive(); i++) spawnSync('sleep', ['0.1']);
  };
  t.after(stop);
  return {
    port,
    socketDir,
    dataDir,
    psql: (sql) =>
      execFileSync(
        'runuser',
        [
          '-u',
          'postgres',
          '--',
          'psql',
          '-XAtq',
          '-v',
          'ON_ERROR_STOP=1',
          '-h',
          socketDir,
          '-p',
          String(port),
          '-d',
          'postgres',
          '-c',
          sql,
        ],
        { encoding: 'utf8', timeout: 30_000 },
      ),
    stop,
  };
}
