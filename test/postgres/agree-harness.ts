// The agreement harness for PostgreSQL: each generated case (conf-gen.ts) is judged by Rampart's
// collector on the files (no server) and by the real PostgreSQL 15: `postgres -C` (does it accept the
// configuration files?), then a real start on a shared initdb data directory (does it start: pg_hba.conf,
// ssl files, libraries?) and pg_settings over the case's socket for the running values (postgres -C per
// parameter when the case's pg_hba.conf lets no local connection in). Shared by agree.test.ts and
// bench/agree-pg.ts. Needs root (the server runs as the postgres user).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { collectPostgres } from '../../src/collect/postgres.js';
import { pgChecks } from '../../src/checks/pg/index.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { PgCluster } from '../../src/facts/postgres.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { ctx, freePort } from '../helpers.js';
import { tallyCase, type CaseResult, type ItemResult, type Summary } from '../redis/agree-harness.js';
import { pgCase, type PgGenCase } from './conf-gen.js';
import { initdb, pgBinDir } from './pg-server.js';

/** The settings Rampart judges and the real server is asked for. */
export const PG_ITEMS = [
  'listen_addresses',
  'port',
  'ssl',
  'ssl_cert_file',
  'ssl_key_file',
  'ssl_min_protocol_version',
  'password_encryption',
  'log_connections',
  'log_disconnections',
  'log_statement',
  'log_line_prefix',
  'shared_preload_libraries',
] as const;

interface Env {
  bin: string;
  data: string;
  certs: string;
  base: string;
  hba: string;
  uid: number;
  gid: number;
}

let env: Env | null = null;
function setup(): Env {
  if (env) return env;
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL 15 binaries not found');
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  const top = mkdtempSync(join(tmpdir(), 'rampart-pg-agree-'));
  process.on('exit', () => rmSync(top, { recursive: true, force: true }));
  chmodSync(top, 0o755);
  chownSync(top, uid, gid);
  const data = join(top, 'data');
  initdb(bin, data);
  const certs = join(top, 'certs');
  mkdirSync(certs);
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
      '/CN=rampart-agree',
      '-keyout',
      join(certs, 'server.key'),
      '-out',
      join(certs, 'server.crt'),
    ],
    { stdio: 'pipe' },
  );
  copyFileSync(join(certs, 'server.key'), join(certs, 'open.key'));
  for (const f of ['server.key', 'server.crt', 'open.key']) chownSync(join(certs, f), uid, gid);
  chmodSync(join(certs, 'server.key'), 0o600);
  chmodSync(join(certs, 'open.key'), 0o644);
  chmodSync(certs, 0o755);
  env = {
    bin,
    data,
    certs,
    base: readFileSync(join(data, 'postgresql.conf'), 'latin1'),
    hba: readFileSync(join(data, 'pg_hba.conf'), 'latin1'),
    uid,
    gid,
  };
  return env;
}

const lastLog = (text: string) =>
  text
    .split('\n')
    .map((l) => l.replace(/^.*?(LOG|FATAL|ERROR|HINT|DETAIL):\s+/, '$1: ').trim())
    .filter((l) => /^(LOG|FATAL|ERROR):/.test(l) && !/contains errors|shutting down|database system is shut down|skipping missing/.test(l))
    .pop() ??
  text.trim().split('\n').pop() ??
  '';

interface Truth {
  refused: string | null;
  values: Map<string, string> | null;
}

function dashC(e: Env, conf: string, name: string) {
  return spawnSync(join(e.bin, 'postgres'), ['-D', e.data, '-c', `config_file=${conf}`, '-C', name], {
    uid: e.uid,
    gid: e.gid,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

async function runReal(e: Env, dir: string, conf: string, port: number): Promise<Truth> {
  const c = dashC(e, conf, 'ssl');
  if (c.status !== 0) return { refused: `postgres -C: ${lastLog(c.stderr)}`.slice(0, 200), values: null };
  const child = spawn(join(e.bin, 'postgres'), ['-D', e.data, '-c', `config_file=${conf}`], {
    uid: e.uid,
    gid: e.gid,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let ready = false;
  for (let i = 0; i < 1000 && !ready && child.exitCode === null && child.signalCode === null; i++) {
    ready = /ready to accept connections/.test(err);
    if (!ready) await new Promise((r) => setTimeout(r, 10));
  }
  if (!ready) {
    if (child.exitCode === null) child.kill('SIGQUIT');
    await exited;
    return { refused: `start: ${lastLog(err)}`.slice(0, 200), values: null };
  }
  let values: Map<string, string> | null = null;
  const q = spawnSync(
    'psql',
    [
      '-h',
      dir,
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-XAtq',
      '-F',
      '\x1f',
      '-R',
      '\x1e',
      '-c',
      `select name, setting from pg_settings where name in (${PG_ITEMS.map((n) => `'${n}'`).join(',')})`,
    ],
    {
      uid: e.uid,
      gid: e.gid,
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PGCONNECT_TIMEOUT: '5' },
    },
  );
  // Unit and record separators: a value may hold a tab or a newline.
  if (q.status === 0)
    values = new Map(
      q.stdout
        .replace(/\n$/, '')
        .split('\x1e')
        .filter(Boolean)
        .map((l) => l.split('\x1f') as [string, string]),
    );
  child.kill('SIGINT');
  await exited;
  if (!values) {
    values = new Map();
    for (const n of PG_ITEMS) {
      const r = dashC(e, conf, n);
      if (r.status === 0) values.set(n, r.stdout.replace(/\n$/, ''));
    }
  }
  return { refused: null, values };
}

function statuses(c: PgCluster): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ch of pgChecks)
    out[ch.id] = ch.evaluate({ postgres: { installed: true, installedEvidence: [], clusters: [c] } }, ctx({ live: false })).status;
  return out;
}

const fill = (s: string, dir: string, port: number, certs: string) =>
  s.replaceAll('@CASE@', dir).replaceAll('@PORT@', String(port)).replaceAll('@CERTS@', certs);

export async function judgePgCase(c: PgGenCase): Promise<CaseResult> {
  const e = setup();
  const dir = mkdtempSync(join(tmpdir(), 'rampart-pg-case-'));
  try {
    chmodSync(dir, 0o755);
    chownSync(dir, e.uid, e.gid);
    const port = await freePort();
    for (const [rel, text] of Object.entries(c.files)) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      chownSync(dirname(p), e.uid, e.gid);
      writeFileSync(p, Buffer.from(fill(text, dir, port, e.certs), 'latin1'));
      chownSync(p, e.uid, e.gid);
    }
    const conf = join(dir, 'postgresql.conf');
    const f = await collectPostgres(
      { target: new FsTarget({ name: 'local' }), config: DEFAULT_CONFIG, commandTimeoutMs: 5000 },
      { env: {}, clusters: [{ configFile: conf, dataDir: e.data, version: '15' }] },
    );
    if (f.state !== 'collected') throw new Error(`collect: ${JSON.stringify(f)}`);
    const cl = f.value.clusters[0]!;
    const errs = cl.problems.filter((p) => p.level === 'error');
    const rampartRefusal = errs.length ? errs[0]!.message : null;
    const truth = await runReal(e, dir, conf, port);
    const items: ItemResult[] = [
      { item: 'valid', rampart: rampartRefusal ? 'refused' : 'starts', real: truth.refused ? 'refused' : 'starts' },
    ];
    const got = statuses(cl);
    const falsePasses: string[] = [];
    if (truth.refused) {
      for (const [id, s] of Object.entries(got))
        if (s === 'pass') falsePasses.push(`${id} passes a configuration PostgreSQL refuses (${truth.refused})`);
    } else if (!rampartRefusal && truth.values) {
      const x: PgCluster = structuredClone(cl);
      for (const n of PG_ITEMS) {
        const real = truth.values.get(n);
        if (real === undefined) continue;
        items.push({ item: n, rampart: cl.settings[n]?.value ?? '(null)', real });
        x.settings[n] = { ...x.settings[n]!, value: real, text: real };
      }
      const want = statuses(x);
      for (const [id, s] of Object.entries(got))
        if (s === 'pass' && want[id] !== 'pass') falsePasses.push(`${id} passes, the running values give ${want[id] ?? '?'}`);
    }
    return { name: c.name, mutations: c.mutations, items, falsePasses, realRefusal: truth.refused, rampartRefusal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runPgAgreement(seed: number, cases: number): Promise<Summary> {
  const e = setup();
  const s: Summary = { cases, items: 0, agree: 0, falsePass: 0, classes: new Map(), falsePassExamples: [] };
  for (let k = 0; k < cases; k++) {
    tallyCase(s, await judgePgCase(pgCase(seed, k, e.base, e.hba)), 'postgres');
  }
  return s;
}
