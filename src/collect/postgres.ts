import { posix } from 'node:path';
import { loadPackage } from '../util/load-package.js';
import type * as pg from 'pg';
import { TargetSocket } from '../target/streams.js';
import { z } from 'zod';
import { absent, collected } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type { PgCluster, PgFileStat, PgHbaRule, PgLive, PgProblem, PgRole, PgSetting, PgValue, PostgresFacts } from '../facts/postgres.js';
import type { Target } from '../target/types.js';
import { dpkgInstalled, DPKG_STATUS } from './dpkg.js';
import { hostOf, type ProcessInfo } from './host/index.js';
import { parsePgConf, splitPgList, type PgConfEntry } from './parse/pg-conf.js';
import { PG15_DEFAULTS, PG_WATCHED } from './parse/pg-defaults.js';
import { validatePgValue } from './parse/pg-values.js';
import { interpretHbaFields, parseHbaAddress, tokenizePgHba, type HbaToken } from './parse/pg-hba.js';
import { enablingLinks, type UnitStore } from './host/units.js';
import { defineCollector, type CollectContext } from './types.js';
import { DPKG_GATHER } from './gathers.js';

/** ParseConfigFile / tokenize_auth_file refuse to nest deeper (CONF_FILE_MAX_DEPTH). */
const MAX_DEPTH = 10;
/** Files read in all, each include counting again: a bound on fan-out the depth alone does not give. */
const MAX_INCLUDED_FILES = 4096;
const MAX_CONF_BYTES = 4 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

export interface PostgresCollectOptions {
  /** libpq's PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGPASSFILE). */
  env?: Record<string, string | undefined>;
  /** Connect and query timeout of the live probe (default 5 s). */
  timeoutMs?: number;
  /** Clusters to audit instead of discovering them: postgresql.conf and the data directory (-D). */
  clusters?: { configFile: string; dataDir: string; version: string }[];
}

// ---------------------------------------------------------------- postgresql.conf (offline semantics)

/**
 * The file as PostgreSQL's lexer sees it: UTF-8 with a byte-order mark kept (guc-file.l reads it as
 * identifier bytes, so a BOM before the first line is a syntax error; TextDecoder would drop it).
 */
async function readConfText(t: Target, path: string): Promise<{ ok: true; text: string } | { ok: false; error: string; message: string }> {
  const r = await t.readBytes(path, { maxBytes: MAX_CONF_BYTES });
  if (!r.ok) return r;
  return { ok: true, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(r.bytes) };
}

class ConfLoader {
  readonly files: string[] = [];
  readonly entries: PgConfEntry[] = [];
  readonly problems: PgProblem[] = [];
  private stopped = false;
  private reads = 0;

  constructor(private readonly t: Target) {}

  private error(message: string, source: Source) {
    this.problems.push({ message, source, level: 'error' });
  }

  /** ParseConfigFile: `strict` false is include_if_exists (a missing file is skipped with a note). */
  async file(path: string, depth: number, strict: boolean, from: Source | null): Promise<void> {
    const at = from ?? { path };
    if (this.stopped) return;
    // The first overflow is an error (the server refuses the configuration) and ends the reading:
    // eight self-includes would be 8^10 reads before the depth stops them.
    if (depth > MAX_DEPTH || ++this.reads > MAX_INCLUDED_FILES) {
      this.stopped = true;
      return this.error(
        depth > MAX_DEPTH
          ? `could not open configuration file "${path}": maximum nesting depth exceeded`
          : `more than ${MAX_INCLUDED_FILES} configuration files included in all (an include bomb?): not read further`,
        at,
      );
    }
    const r = await readConfText(this.t, path);
    if (!r.ok) {
      if (r.error === 'missing' && !strict) {
        this.problems.push({ message: `skipping missing configuration file "${path}" (include_if_exists)`, source: at, level: 'note' });
        return;
      }
      return this.error(
        r.error === 'missing'
          ? `could not open configuration file "${path}": No such file or directory`
          : `cannot read "${path}": ${r.message}`,
        at,
      );
    }
    this.files.push(path);
    const parsed = parsePgConf(r.text, path);
    for (const e of parsed.errors) this.error(e.message, { path: e.path, line: e.line });
    const dir = posix.dirname(path);
    for (const e of parsed.entries) {
      if (this.stopped) return;
      const src = { path: e.path, line: e.line, excerpt: e.excerpt };
      const rel = (p: string) => (p.startsWith('/') ? p : posix.join(dir, p));
      if (e.name === 'include') await this.file(rel(e.value), depth + 1, true, src);
      else if (e.name === 'include_if_exists') await this.file(rel(e.value), depth + 1, false, src);
      else if (e.name === 'include_dir') await this.dir(rel(e.value), depth + 1, src);
      else this.entries.push(e);
    }
  }

  /** ParseConfigDirectory: regular files ending in .conf, not starting with ".", in strcmp order. */
  private async dir(path: string, depth: number, from: Source): Promise<void> {
    const l = await this.t.list(path);
    if (!l.ok)
      return this.error(
        `could not open configuration directory "${path}": ${l.error === 'missing' ? 'No such file or directory' : l.message}`,
        from,
      );
    const names = l.entries.map((e) => e.name).filter((n) => !n.startsWith('.') && n.endsWith('.conf'));
    names.sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.compare(Buffer.from(a), Buffer.from(b))));
    for (const n of names) {
      if (this.stopped) return;
      const p = posix.join(path, n);
      const s = await this.t.stat(p);
      if (s.ok && s.type === 'dir') continue;
      await this.file(p, depth, true, from);
    }
  }
}

/** The value as PostgreSQL shows it (booleans on/off, enums canonical, units in the base unit); null when refused. */
function normalise(name: string, text: string): string | null {
  const r = validatePgValue(name, text);
  return r.ok ? r.value : null;
}

// ---------------------------------------------------------------- the postmaster's command line

interface Postmaster {
  proc: ProcessInfo;
  dataOpt: string | null;
  overrides: Map<string, string>;
  excerpt: string;
}

const WITH_ARG = new Set('BcCDdfhkNprStW'.split(''));

/** postmaster.c's getopt("B:bc:C:D:d:EeFf:h:ijk:lN:nOPp:r:S:sTt:W:-:") for the options that set GUCs. */
export function parsePostmasterArgv(argv: string[]): { dataOpt: string | null; overrides: Map<string, string> } {
  const overrides = new Map<string, string>();
  let dataOpt: string | null = null;
  const setKv = (kv: string) => {
    const i = kv.indexOf('=');
    if (i > 0) overrides.set(kv.slice(0, i).replace(/-/g, '_').toLowerCase(), kv.slice(i + 1));
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      setKv(a.slice(2));
      continue;
    }
    if (!a.startsWith('-') || a.length < 2) continue;
    const opt = a[1]!;
    let val: string | null = null;
    if (WITH_ARG.has(opt)) val = a.length > 2 ? a.slice(2) : (argv[++i] ?? null);
    if (val === null && WITH_ARG.has(opt)) continue;
    if (opt === 'D') dataOpt = val;
    else if (opt === 'c') setKv(val!);
    else if (opt === 'p') overrides.set('port', val!);
    else if (opt === 'k') overrides.set('unix_socket_directories', val!);
    else if (opt === 'h') overrides.set('listen_addresses', val!);
    else if (opt === 'i') overrides.set('listen_addresses', '*');
    else if (opt === 'l') overrides.set('ssl', 'on');
  }
  return { dataOpt, overrides };
}

/** The postmasters among the processes; null when the process list cannot be read (not: none runs). */
async function postmasters(ctx: CollectContext): Promise<Postmaster[] | null> {
  const procs = await hostOf(ctx).processes();
  if (procs === null) return null;
  return procs
    .filter((p) => /(^|\/)(postgres|postmaster)$/.test(p.argv[0] ?? '') && p.argv.length > 1)
    .map((proc) => ({ proc, ...parsePostmasterArgv(proc.argv), excerpt: proc.argv.join(' ') }))
    .filter((p) => p.dataOpt !== null || p.overrides.has('config_file'));
}

// ---------------------------------------------------------------- pg_hba.conf (offline semantics)

interface HbaLoad {
  rules: PgHbaRule[];
  errors: { message: string; source: Source }[];
  unreadable: string | null;
  notes: PgProblem[];
}

async function loadHba(t: Target, path: string, version: number | null): Promise<HbaLoad> {
  const out: HbaLoad = { rules: [], errors: [], unreadable: null, notes: [] };
  const r = await readConfText(t, path);
  if (!r.ok) {
    out.unreadable =
      r.error === 'missing' ? `could not open file "${path}": No such file or directory` : `cannot read "${path}": ${r.message}`;
    return out;
  }
  await hbaFile(t, r.text, path, version, 0, out);
  return out;
}

/** Expands @file tokens: the named file's tokens (all its lines) become items of the field. */
async function expandAt(t: Target, tok: HbaToken, dir: string, depth: number, src: Source, out: HbaLoad): Promise<HbaToken[]> {
  if (tok.quoted || !tok.text.startsWith('@') || tok.text.length === 1) return [tok];
  const p = tok.text.slice(1).startsWith('/') ? tok.text.slice(1) : posix.join(dir, tok.text.slice(1));
  if (depth > MAX_DEPTH) {
    out.errors.push({ message: `could not open file "${p}": maximum nesting depth exceeded`, source: src });
    return [];
  }
  const r = await readConfText(t, p);
  // PostgreSQL logs the missing file and treats the list as empty.
  if (!r.ok) {
    out.notes.push({
      message: `could not open secondary authentication file "@${tok.text.slice(1)}" as "${p}": ${r.message}`,
      source: src,
      level: r.error === 'missing' ? 'note' : 'error',
    });
    return [];
  }
  const toks: HbaToken[] = [];
  for (const line of tokenizePgHba(r.text, p))
    for (const f of line.fields)
      for (const x of f) toks.push(...(await expandAt(t, x, posix.dirname(p), depth + 1, { path: p, line: line.line }, out)));
  return toks;
}

async function hbaFile(t: Target, text: string, path: string, version: number | null, depth: number, out: HbaLoad): Promise<void> {
  const dir = posix.dirname(path);
  for (const raw of tokenizePgHba(text, path)) {
    const source: Source = { path, line: raw.line, excerpt: raw.excerpt };
    if (raw.error) {
      out.errors.push({ message: raw.error, source });
      continue;
    }
    const fields: HbaToken[][] = [];
    for (const [i, f] of raw.fields.entries()) {
      if (i === 1 || i === 2) {
        const exp: HbaToken[] = [];
        for (const tok of f) exp.push(...(await expandAt(t, tok, dir, depth + 1, source, out)));
        fields.push(exp);
      } else fields.push(f);
    }
    const rec = interpretHbaFields(fields);
    if (rec.kind === 'error') out.errors.push({ message: rec.message, source });
    else if (rec.kind === 'include') {
      if (version !== null && version < 16) {
        out.errors.push({
          message: `invalid connection type "${rec.directive}": include directives in pg_hba.conf need PostgreSQL 16 (this cluster is ${version})`,
          source,
        });
        continue;
      }
      const target = rec.target.startsWith('/') ? rec.target : posix.join(dir, rec.target);
      if (depth >= MAX_DEPTH) {
        out.errors.push({ message: `could not open file "${target}": maximum nesting depth exceeded`, source });
        continue;
      }
      const files: string[] = [];
      if (rec.directive === 'include_dir') {
        const l = await t.list(target);
        if (!l.ok) out.errors.push({ message: `could not open directory "${target}": ${l.message}`, source });
        else
          files.push(
            ...l.entries
              .filter((e) => e.name.endsWith('.conf') && !e.name.startsWith('.') && e.type !== 'dir')
              .map((e) => posix.join(target, e.name))
              .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
          );
      } else files.push(target);
      for (const f of files) {
        const r = await readConfText(t, f);
        if (!r.ok) {
          if (rec.directive === 'include_if_exists' && r.error === 'missing')
            out.notes.push({ message: `skipping missing authentication file "${f}"`, source, level: 'note' });
          else out.errors.push({ message: `could not open file "${f}": ${r.message}`, source });
          continue;
        }
        await hbaFile(t, r.text, f, version, depth + 1, out);
      }
    } else
      out.rules.push({
        source,
        type: rec.type,
        databases: rec.databases,
        users: rec.users,
        address: rec.address,
        method: rec.method,
        options: rec.options,
      });
  }
}

// ---------------------------------------------------------------- the live probe

const SETTINGS_SQL = `SELECT coalesce(json_agg(json_build_object('name', name, 'setting', setting, 'source', source, 'sourcefile', sourcefile, 'sourceline', sourceline, 'pending_restart', pending_restart)), '[]')::text FROM pg_settings WHERE name IN (${PG_WATCHED.map((n) => `'${n}'`).join(', ')})`;
const HBA_SQL = `SELECT coalesce(json_agg(json_build_object('line', line_number, 'type', type, 'database', database, 'user_name', user_name, 'address', address, 'netmask', netmask, 'method', auth_method, 'options', options, 'error', error) ORDER BY line_number), '[]')::text FROM pg_hba_file_rules`;
// Only the hash prefix is looked at, inside the server; neither hash nor password leaves it.
const ROLES_SQL = `SELECT coalesce(json_agg(json_build_object('name', rolname, 'canlogin', rolcanlogin, 'validuntil', rolvaliduntil, 'password', CASE WHEN rolpassword IS NULL THEN 'none' WHEN rolpassword = '' THEN 'empty' WHEN left(rolpassword, 3) = 'md5' THEN 'md5' WHEN left(rolpassword, 14) = 'SCRAM-SHA-256$' THEN 'scram-sha-256' ELSE 'other' END) ORDER BY rolname), '[]')::text FROM pg_authid`;
const ROLES_FALLBACK_SQL = `SELECT coalesce(json_agg(json_build_object('name', rolname, 'canlogin', rolcanlogin, 'validuntil', rolvaliduntil, 'password', 'hidden') ORDER BY rolname), '[]')::text FROM pg_roles`;
const VERSION_SQL = `SELECT current_setting('server_version_num')`;

const SettingRow = z.object({
  name: z.string(),
  setting: z.string().nullable(),
  source: z.string(),
  sourcefile: z.string().nullable().optional(),
  sourceline: z.number().nullable().optional(),
  pending_restart: z.boolean(),
});
const HbaRow = z.object({
  line: z.number(),
  type: z.string().nullable(),
  database: z.array(z.string()).nullable(),
  user_name: z.array(z.string()).nullable(),
  address: z.string().nullable(),
  netmask: z.string().nullable(),
  method: z.string().nullable(),
  options: z.array(z.string()).nullable(),
  error: z.string().nullable(),
});
const RoleRow = z.object({
  name: z.string(),
  canlogin: z.boolean(),
  validuntil: z.string().nullable(),
  password: z.enum(['none', 'empty', 'md5', 'scram-sha-256', 'other', 'hidden']),
});

type QueryResult = { ok: true; text: string } | { ok: false; error: string };

interface Transport {
  via: 'url' | 'env' | 'peer';
  source: Source;
  /** Shown as the command of a query's evidence. */
  describe(sql: string): string;
  connect(): Promise<string | null>;
  query(sql: string): Promise<QueryResult>;
  close(): Promise<void>;
}

const scrub = (s: string, secret: string | null) => (secret ? s.split(secret).join('********') : s);

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(onTimeout), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

const errorText = (e: unknown) => (e instanceof Error ? e.message || e.constructor.name : String(e));

/** A connection through the `pg` client (config URL or PG* variables); the password is never shown. */
function clientTransport(
  t: Target,
  via: 'url' | 'env',
  config: pg.ClientConfig,
  label: string,
  timeoutMs: number,
  secret: string | null,
): Transport {
  // The client library is loaded only when a server is there to talk to.
  let client: pg.Client | undefined;
  let connected = false;
  return {
    via,
    source: { note: `pg client connection to ${label}` },
    describe: (sql) => `${label}: ${sql.replace(/^SELECT .* FROM /, 'SELECT … FROM ')}`,
    async connect() {
      const pgm = loadPackage('pg') as typeof import('pg');
      client = new pgm.Client({
        ...config,
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs,
        statement_timeout: timeoutMs,
        application_name: 'rampart',
        options: '-c default_transaction_read_only=on',
        // The connection is the target's (pg calls connect(port, host) or connect(socket path) on it).
        stream: () => new TargetSocket(t, timeoutMs),
      });
      client.on('error', () => undefined);
      const r = await withTimeout(
        client.connect().then(
          () => null,
          (e: unknown) => scrub(errorText(e), secret),
        ),
        timeoutMs + 1000,
        `no answer within ${timeoutMs} ms`,
      );
      connected = r === null;
      return r;
    },
    async query(sql) {
      const r = await withTimeout<QueryResult>(
        (client
          ? client.query<Record<string, unknown>>({ text: sql, rowMode: 'array' } as pg.QueryConfig)
          : Promise.reject(new Error('not connected'))
        ).then(
          (res) => {
            const cell = (res.rows[0] as unknown[] | undefined)?.[0];
            return { ok: true, text: typeof cell === 'string' ? cell : cell === undefined || cell === null ? '' : JSON.stringify(cell) };
          },
          (e: unknown) => ({ ok: false, error: scrub(errorText(e), secret) }),
        ),
        timeoutMs + 1000,
        { ok: false, error: `no answer within ${timeoutMs} ms` },
      );
      return r;
    },
    async close() {
      if (!client) return;
      if (connected)
        await withTimeout(
          client.end().catch(() => undefined),
          1000,
          undefined,
        );
      else {
        // A half-open connection (a listener that never answers) is torn down, not awaited.
        (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      }
    },
  };
}

/** As root on a local cluster: peer authentication as the postgres OS user over the Unix socket. */
function peerTransport(t: Target, socketDir: string, port: string, timeoutMs: number): Transport {
  const base = ['runuser', '-u', 'postgres', '--', 'psql', '-XAtq', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', port, '-d', 'postgres'];
  const run = (sql: string) =>
    t.run([...base, '-c', sql], {
      timeoutMs: timeoutMs * 2,
      env: {
        PGCONNECT_TIMEOUT: String(Math.max(2, Math.ceil(timeoutMs / 1000))),
        PGAPPNAME: 'rampart',
        PGOPTIONS: '-c default_transaction_read_only=on',
      },
    });
  const query = async (sql: string): Promise<QueryResult> => {
    const r = await run(sql);
    if (!r.ok) return { ok: false, error: r.message };
    if (r.code !== 0)
      return { ok: false, error: (r.stderr.trim().split('\n').pop() ?? `exit code ${r.code}`).replace(/^psql: error: /, '') };
    return { ok: true, text: r.stdout.trim() };
  };
  return {
    via: 'peer',
    source: { command: `${base.join(' ')} -c 'SELECT …'` },
    describe: (sql) => `${base.join(' ')} -c '${sql.replace(/^SELECT .* FROM /, 'SELECT … FROM ')}'`,
    async connect() {
      const r = await query('SELECT 1');
      return r.ok ? null : r.error;
    },
    query,
    close: () => Promise.resolve(),
  };
}

interface LiveData {
  live: PgLive;
  settings: Map<string, z.infer<typeof SettingRow>> | null;
  settingsCommand: string;
  hba: { rows: z.infer<typeof HbaRow>[]; command: string } | null;
}

function parseJson<T>(schema: z.ZodType<T>, text: string): { ok: true; value: T } | { ok: false; error: string } {
  try {
    const r = z.array(schema).safeParse(JSON.parse(text));
    return r.success
      ? { ok: true, value: r.data as T }
      : { ok: false, error: `unexpected answer: ${r.error.issues[0]?.message ?? 'invalid'}` };
  } catch {
    return { ok: false, error: 'the answer is not JSON' };
  }
}

function toIso(v: string | null): string | null {
  if (v === null || v === 'infinity') return null;
  if (v === '-infinity') return '0001-01-01T00:00:00.000Z';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

async function probe(tr: Transport): Promise<LiveData> {
  const fail = (detail: string): LiveData => ({
    live: { state: 'failed', detail, via: tr.via, source: tr.source, serverVersion: null, roles: null },
    settings: null,
    settingsCommand: '',
    hba: null,
  });
  try {
    const err = await tr.connect();
    if (err !== null) return fail(`cannot connect: ${err}`);
    const ver = await tr.query(VERSION_SQL);
    const s = await tr.query(SETTINGS_SQL);
    if (!s.ok) return fail(`pg_settings: ${s.error}`);
    const sp = parseJson(SettingRow, s.text);
    if (!sp.ok) return fail(`pg_settings: ${sp.error}`);
    const settings = new Map((sp.value as unknown as z.infer<typeof SettingRow>[]).map((r) => [r.name, r]));
    const h = await tr.query(HBA_SQL);
    const hp = h.ok ? parseJson(HbaRow, h.text) : h;
    let roles: PgLive['roles'];
    let rr = await tr.query(ROLES_SQL);
    let rolesSql = ROLES_SQL;
    if (!rr.ok && /permission denied/.test(rr.error)) {
      rolesSql = ROLES_FALLBACK_SQL;
      rr = await tr.query(ROLES_FALLBACK_SQL);
    }
    const rp = rr.ok ? parseJson(RoleRow, rr.text) : rr;
    if (rp.ok) {
      const list: PgRole[] = (rp.value as unknown as z.infer<typeof RoleRow>[]).map((r) => ({
        name: r.name,
        canLogin: r.canlogin,
        validUntil: toIso(r.validuntil),
        password: r.password,
      }));
      roles = {
        state: 'ok',
        detail:
          rolesSql === ROLES_SQL
            ? `${list.length} role(s) from pg_authid`
            : `${list.length} role(s) from pg_roles (pg_authid not readable: password kinds hidden)`,
        list,
        source: { command: tr.describe(rolesSql) },
      };
    } else roles = { state: 'error', detail: `pg_authid: ${rp.error}`, list: [], source: { command: tr.describe(rolesSql) } };
    const serverVersion = ver.ok ? ver.text : null;
    return {
      live: {
        state: 'connected',
        detail: `connected (${tr.via === 'peer' ? 'peer authentication as postgres' : tr.via === 'url' ? 'config postgres.url' : 'PG* environment'})`,
        via: tr.via,
        source: tr.source,
        serverVersion,
        roles,
      },
      settings,
      settingsCommand: tr.describe(SETTINGS_SQL),
      hba: hp.ok ? { rows: hp.value as unknown as z.infer<typeof HbaRow>[], command: tr.describe(HBA_SQL) } : null,
    };
  } catch (e) {
    return fail(`the live probe failed: ${errorText(e)}`);
  } finally {
    await tr.close();
  }
}

// ---------------------------------------------------------------- credentials

interface Explicit {
  via: 'url' | 'env';
  /** Scrubbed from every error message. */
  secret: string | null;
  config: pg.ClientConfig;
  label: string;
  port: string;
}

async function explicitCredentials(
  ctx: CollectContext,
  env: Record<string, string | undefined>,
): Promise<Explicit | { error: string } | null> {
  const c = ctx.config.postgres;
  let password: string | undefined;
  if (c.password_file) {
    const r = await ctx.target.readText(c.password_file, { maxBytes: 64 * 1024 });
    if (!r.ok) return { error: `postgres.password_file: ${r.message}` };
    password = r.text.replace(/\r?\n$/, '');
  }
  if (c.url) {
    let u: URL;
    try {
      u = new URL(c.url);
    } catch {
      return { error: 'postgres.url is not a URL (expected postgresql://USER@HOST:PORT/DB)' };
    }
    const host = u.searchParams.get('host') ?? decodeURIComponent(u.hostname);
    const port = u.port || u.searchParams.get('port') || '5432';
    const label = `postgresql://${u.username ? `${decodeURIComponent(u.username)}@` : ''}${host || 'localhost'}:${port}${u.pathname}`;
    // pg lets the connection string override a separate password: the file's password goes into the URL.
    if (password !== undefined) u.password = encodeURIComponent(password);
    const secret = password ?? (u.password ? decodeURIComponent(u.password) : null);
    return { via: 'url', secret: secret || null, config: { connectionString: u.toString() }, label, port };
  }
  const keys = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGPASSFILE', 'PGSERVICE'];
  if (!keys.some((k) => env[k] !== undefined && env[k] !== '')) return null;
  const port = env.PGPORT || '5432';
  const host = env.PGHOST || 'localhost';
  const config: pg.ClientConfig = {
    host,
    port: Number(port),
    ...(env.PGUSER ? { user: env.PGUSER } : {}),
    ...(env.PGDATABASE ? { database: env.PGDATABASE } : {}),
  };
  const pw = password ?? env.PGPASSWORD;
  if (pw !== undefined) config.password = pw;
  return { via: 'env', secret: pw || null, config, label: `${env.PGUSER ?? 'user'}@${host}:${port} (PG* environment)`, port };
}

// ---------------------------------------------------------------- discovery and assembly

interface Seed {
  name: string;
  version: string | null;
  configFile: string | null;
  /** -D, or the directory standing in for it (Debian: the data directory; a config dir). */
  dataOpt: string | null;
  fallbackDataDir: string | null;
  discoveredBy: Source[];
  pm: Postmaster | null;
}

async function readPasswdUser(t: Target, name: string): Promise<{ uid: number | null; gid: number | null }> {
  const r = await t.readText('/etc/passwd', { maxBytes: 4 * 1024 * 1024 });
  const line = r.ok ? r.text.split('\n').find((l) => l.startsWith(`${name}:`)) : undefined;
  const f = line?.split(':');
  return f && f.length >= 4 ? { uid: Number(f[2]), gid: Number(f[3]) } : { uid: null, gid: null };
}

async function statFile(t: Target, path: string, source: Source): Promise<PgFileStat> {
  const s = await t.stat(path);
  if (!s.ok)
    return {
      path,
      source,
      state: s.error === 'missing' ? 'missing' : 'error',
      detail: s.message,
      type: null,
      mode: null,
      uid: null,
      gid: null,
    };
  const r = s.type === 'file' ? await t.readBytes(path, { maxBytes: 1024 * 1024, binaryOk: true }) : null;
  const readable = r?.ok === true;
  return {
    path,
    source,
    state: readable ? 'ok' : 'error',
    detail: readable ? null : s.type !== 'file' ? `${path} is not a regular file` : r && !r.ok ? r.message : null,
    type: s.type,
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
  };
}

async function enabledAtBoot(t: Target, units: UnitStore, version: string, name: string): Promise<PgCluster['enabledAtBoot']> {
  // postgresql.service (the umbrella unit) starts every cluster start.conf leaves on auto; postgresql@V-N.service one cluster.
  const boot = await Promise.all([units.bootState('postgresql.service'), units.bootState(`postgresql@${version}-${name}.service`)]);
  const start = await t.readText(`/etc/postgresql/${version}/${name}/start.conf`, { maxBytes: 64 * 1024 });
  const mode = start.ok
    ? (start.text
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim())
        .find(Boolean) ?? 'auto')
    : 'auto';
  if (mode !== 'auto') return { value: false, source: { path: `/etc/postgresql/${version}/${name}/start.conf`, excerpt: mode } };
  const mask = boot.find((b) => b.mask)?.mask;
  if (mask) return { value: false, source: mask };
  const link = boot.flatMap(enablingLinks)[0];
  return link
    ? { value: true, source: { path: link.path, note: 'enablement symlink; start.conf says auto' } }
    : { value: false, source: { note: 'no postgresql*.service link in /etc/systemd/system/*.wants/' } };
}

function settingFromFiles(
  name: string,
  entries: PgConfEntry[],
  overrides: Map<string, string>,
  pm: Postmaster | null,
): { v: PgValue; from: PgSetting['from'] } {
  const o = overrides.get(name);
  if (o !== undefined && pm)
    return {
      v: {
        value: normalise(name, o),
        text: o,
        source: { command: pm.excerpt, excerpt: `${name}=${o}`, note: `postmaster command line (pid ${pm.proc.pid})` },
      },
      from: 'command-line',
    };
  const e = entries.filter((x) => x.name === name).pop();
  if (e)
    return {
      v: { value: normalise(name, e.value), text: e.value, source: { path: e.path, line: e.line, excerpt: e.excerpt } },
      from: 'files',
    };
  const d = PG15_DEFAULTS[name];
  return {
    v: { value: d ? normalise(name, d.value) : null, text: d?.value ?? '', source: { note: d?.note ?? `${name} is not set` } },
    from: 'default',
  };
}

/**
 * What stops the postmaster after the configuration is read (postgres -C does not see these): a data
 * directory that is not there, pg_hba.conf errors ("could not load pg_hba.conf"), and with ssl on a
 * certificate or key that cannot be read or a key with group/other access (be-secure-common.c).
 */
async function startRefusals(
  t: Target,
  entries: PgConfEntry[],
  version: string | null,
  dataDir: string | null,
  settings: Record<string, PgSetting>,
  hba: PgCluster['hba'],
  ssl: PgCluster['sslFiles'],
  user: PgCluster['serviceUser'],
): Promise<PgProblem[]> {
  const out: PgProblem[] = [];
  if (dataDir) {
    const st = await t.stat(dataDir);
    if (!st.ok && st.error === 'missing')
      out.push({
        message: `data directory "${dataDir}" does not exist: the server cannot start`,
        source: settings.data_directory?.source ?? { path: dataDir },
        level: 'error',
      });
  }
  // PostmasterMain's cross-checks (postmaster.c), on the values the files give.
  const val = (n: string, def: string) => normalise(n, entries.filter((e) => e.name === n).pop()?.value ?? def);
  const walLevel = val('wal_level', 'replica');
  const at = (n: string): Source => {
    const e = entries.filter((x) => x.name === n).pop();
    return e ? { path: e.path, line: e.line, excerpt: e.excerpt } : { note: `${n} (default)` };
  };
  if (walLevel === 'minimal' && Number(val('max_wal_senders', '10')) > 0)
    out.push({
      message: 'WAL streaming (max_wal_senders > 0) requires wal_level "replica" or "logical": the server cannot start',
      source: at('wal_level'),
      level: 'error',
    });
  if (walLevel === 'minimal' && (val('archive_mode', 'off') ?? 'off') !== 'off')
    out.push({
      message: 'WAL archival cannot be enabled when wal_level is "minimal": the server cannot start',
      source: at('archive_mode'),
      level: 'error',
    });
  if (Number(val('superuser_reserved_connections', '3')) >= Number(val('max_connections', '100')))
    out.push({
      message: `superuser_reserved_connections must be less than max_connections: the server cannot start`,
      source: at('superuser_reserved_connections'),
      level: 'error',
    });
  // process_shared_preload_libraries: a bare name is $libdir/NAME.so (Debian: /usr/lib/postgresql/N/lib).
  for (const lib of splitPgList(settings.shared_preload_libraries?.text ?? '')) {
    const path = lib.includes('/')
      ? lib.endsWith('.so')
        ? lib
        : `${lib}.so`
      : `/usr/lib/postgresql/${version ?? '15'}/lib/${lib.replace(/^\$libdir\//, '')}.so`;
    const st = await t.stat(path.replace(/^\$libdir/, `/usr/lib/postgresql/${version ?? '15'}/lib`));
    if (!st.ok && st.error === 'missing')
      out.push({
        message: `could not access file "${lib}": No such file or directory (shared_preload_libraries): the server cannot start`,
        source: settings.shared_preload_libraries!.source,
        level: 'error',
      });
  }
  const first = hba.errors[0];
  if (hba.state === 'invalid' && first)
    out.push({
      message: `${first.message}: could not load pg_hba.conf, the server refuses to start (a reload keeps the old rules)`,
      source: first.source,
      level: 'error',
    });
  if (settings.ssl?.value === 'on' && ssl) {
    const at = (f: PgFileStat, message: string): PgProblem => ({
      message: `${message}: FATAL at start with ssl = on`,
      source: { path: f.path, note: `set by ${describeSource(f.source)}` },
      level: 'error',
    });
    if (ssl.cert.state === 'missing' || ssl.cert.type !== 'file')
      out.push(at(ssl.cert, `could not load server certificate file "${ssl.cert.path}": ${ssl.cert.detail ?? 'not a regular file'}`));
    if (ssl.key.state === 'missing' || ssl.key.type !== 'file')
      out.push(at(ssl.key, `could not load private key file "${ssl.key.path}": ${ssl.key.detail ?? 'not a regular file'}`));
    else if (ssl.key.mode !== null && ssl.key.uid !== null) {
      const m = ssl.key.mode & 0o777;
      if (ssl.key.uid === 0 ? (m & 0o037) !== 0 : ssl.key.uid === user.uid ? (m & 0o077) !== 0 : user.uid !== null)
        out.push(
          at(
            ssl.key,
            ssl.key.uid !== 0 && ssl.key.uid !== user.uid
              ? `private key file "${ssl.key.path}" must be owned by the database user or root`
              : `private key file "${ssl.key.path}" has group or world access (mode 0${m.toString(8)})`,
          ),
        );
    }
  }
  return out;
}

const describeSource = (s: Source) => (s.path ? `${s.path}${s.line ? `:${s.line}` : ''}` : (s.note ?? s.command ?? 'default'));

async function buildCluster(
  ctx: CollectContext,
  seed: Seed,
  serviceUser: PgCluster['serviceUser'],
  transport: Transport | null,
): Promise<PgCluster> {
  const t = ctx.target;
  const problems: PgProblem[] = [];
  const loader = new ConfLoader(t);
  const overrides = seed.pm?.overrides ?? new Map<string, string>();
  if (seed.configFile) await loader.file(seed.configFile, 0, true, null);
  // postgresql.auto.conf (ALTER SYSTEM) is read last, from the data directory; its data_directory is ignored.
  const dataDirEntry = overrides.get('data_directory') ?? loader.entries.filter((e) => e.name === 'data_directory').pop()?.value ?? null;
  const dataDir = dataDirEntry ?? seed.dataOpt ?? seed.fallbackDataDir;
  if (dataDir && seed.configFile) {
    const auto = new ConfLoader(t);
    await auto.file(posix.join(dataDir, 'postgresql.auto.conf'), 0, false, null);
    loader.files.push(...auto.files);
    loader.entries.push(...auto.entries.filter((e) => e.name !== 'data_directory'));
    loader.problems.push(...auto.problems.filter((p) => p.level === 'error'));
  }
  problems.push(...loader.problems);
  // ProcessConfigFile: every name must exist; of a name set twice only the last value is applied and
  // checked (checked with postgres 15: "log_statement = wrong" then "log_statement = ddl" starts).
  const lastOf = new Map(loader.entries.map((e) => [e.name, e]));
  for (const e of loader.entries) {
    const r = validatePgValue(e.name, e.value);
    if (r.ok || (lastOf.get(e.name) !== e && !/^unrecognized/.test(r.message))) continue;
    problems.push({
      message: `${r.message} in file "${e.path}" line ${e.line}`,
      source: { path: e.path, line: e.line, excerpt: e.excerpt },
      level: 'error',
    });
  }
  for (const [name, text] of seed.pm ? overrides : []) {
    const r = validatePgValue(name, text);
    if (!r.ok)
      problems.push({
        message: `${r.message} (postmaster command line)`,
        source: { command: seed.pm!.excerpt, excerpt: `${name}=${text}` },
        level: 'error',
      });
  }
  let version = seed.version;
  if (!version && dataDir) {
    const v = await t.readText(posix.join(dataDir, 'PG_VERSION'), { maxBytes: 64 });
    if (v.ok) version = v.text.trim();
  }
  const major = version ? Number.parseInt(version, 10) : null;

  const data = transport ? await probe(transport) : null;
  const settings: Record<string, PgSetting> = {};
  for (const name of PG_WATCHED) {
    const f = settingFromFiles(name, loader.entries, overrides, seed.pm);
    const row = data?.settings?.get(name);
    let setting: PgSetting = { ...f.v, from: f.from, file: f.v, live: null, drift: null };
    if (row && row.setting !== null) {
      const src: Source = {
        command: data!.settingsCommand,
        excerpt: `${name} = ${row.setting} (source: ${row.source}${row.sourcefile ? `, ${row.sourcefile}:${row.sourceline ?? '?'}` : ''})`,
        ...(row.sourcefile ? { path: row.sourcefile, line: row.sourceline ?? 0 } : {}),
      };
      const live = {
        value: normalise(name, row.setting),
        text: row.setting,
        source: src,
        pgSource: row.source,
        pendingRestart: row.pending_restart,
      };
      setting = { ...live, from: 'live', file: f.v, live: { ...live }, drift: null };
      const comparable =
        ['configuration file', 'default', 'command line'].includes(row.source) &&
        !['config_file', 'data_directory', 'hba_file'].includes(name);
      const fileDesc = `${JSON.stringify(f.v.text)} (${f.v.source.path ? `${f.v.source.path}:${f.v.source.line ?? ''}` : (f.v.source.note ?? 'default')})`;
      const liveDesc = `${JSON.stringify(row.setting)} (pg_settings, source ${row.source}${row.sourcefile ? ` ${row.sourcefile}:${row.sourceline ?? '?'}` : ''})`;
      if (row.pending_restart)
        setting.drift = `${name}: the files say ${fileDesc}, the server runs with ${liveDesc}: changed on disk, pending a restart`;
      else if (comparable && seed.configFile && live.value !== f.v.value)
        setting.drift = `${name}: the files say ${fileDesc}, the server runs with ${liveDesc}: changed on disk (or by ALTER SYSTEM) and not reloaded`;
    }
    settings[name] = setting;
  }

  const hbaPath =
    settings.hba_file?.value && settings.hba_file.from !== 'default'
      ? settings.hba_file.value
      : seed.dataOpt
        ? posix.join(seed.dataOpt, 'pg_hba.conf')
        : seed.configFile
          ? posix.join(posix.dirname(seed.configFile), 'pg_hba.conf')
          : null;
  let hba: PgCluster['hba'];
  if (data?.hba) {
    const fileHba = hbaPath ? await loadHba(t, hbaPath, major) : null;
    const rules: PgHbaRule[] = [];
    const errors: PgCluster['hba']['errors'] = [];
    for (const r of data.hba.rows) {
      const excerpt = fileHba?.rules.find((x) => x.source.path === hbaPath && x.source.line === r.line)?.source.excerpt;
      const source: Source = {
        ...(hbaPath ? { path: hbaPath } : {}),
        line: r.line,
        command: data.hba.command,
        ...(excerpt ? { excerpt } : {}),
      };
      if (r.error) {
        // hba.c keeps loading the file; the record is inert.
        if (/cannot match because SSL is disabled/.test(r.error))
          problems.push({ message: `${r.error}: ${source.excerpt ?? `line ${r.line}`}`, source, level: 'note' });
        else errors.push({ message: r.error, source });
        continue;
      }
      const addr = r.address === null ? null : parseHbaAddress(r.address, r.netmask);
      rules.push({
        source,
        type: r.type ?? '',
        databases: r.database ?? [],
        users: r.user_name ?? [],
        address: addr && !('error' in addr) ? addr : null,
        method: r.method ?? '',
        options: r.options ?? [],
      });
    }
    hba = {
      state: errors.length ? 'invalid' : 'ok',
      from: 'live',
      path: hbaPath,
      detail: 'pg_hba_file_rules (PostgreSQL parses the file on disk)',
      rules,
      errors,
    };
  } else if (hbaPath) {
    const h = await loadHba(t, hbaPath, major);
    problems.push(...h.notes);
    // parse_hba_line: with ssl off a hostssl record "cannot match"; PostgreSQL logs it and loads the rest.
    const sslOff = settings.ssl?.value !== 'on';
    for (const r of sslOff ? h.rules.filter((x) => x.type === 'hostssl') : [])
      problems.push({
        message: `hostssl record cannot match because SSL is disabled: ${r.source.excerpt ?? ''}`,
        source: r.source,
        level: 'note',
      });
    const rules = sslOff ? h.rules.filter((x) => x.type !== 'hostssl') : h.rules;
    hba = h.unreadable
      ? { state: 'unreadable', from: 'files', path: hbaPath, detail: h.unreadable, rules: [], errors: [] }
      : { state: h.errors.length ? 'invalid' : 'ok', from: 'files', path: hbaPath, detail: null, rules, errors: h.errors };
  } else hba = { state: 'unreadable', from: 'files', path: null, detail: 'the pg_hba.conf location is not known', rules: [], errors: [] };

  const resolve = (p: string) => (p.startsWith('/') ? p : dataDir ? posix.join(dataDir, p) : null);
  const certPath = resolve(settings.ssl_cert_file?.text ?? 'server.crt');
  const keyPath = resolve(settings.ssl_key_file?.text ?? 'server.key');
  const sslFiles =
    certPath && keyPath
      ? {
          cert: await statFile(t, certPath, settings.ssl_cert_file!.source),
          key: await statFile(t, keyPath, settings.ssl_key_file!.source),
        }
      : null;

  if (!data) problems.push(...(await startRefusals(t, loader.entries, version, dataDir, settings, hba, sslFiles, serviceUser)));

  let live: PgLive;
  if (data) live = data.live;
  else if (!t.live)
    live = {
      state: 'offline',
      detail: 'offline root: the server cannot be queried; effective values from the files',
      via: null,
      source: { note: 'offline' },
      serverVersion: null,
      roles: null,
    };
  else
    live = {
      state: 'not-running',
      detail: 'no running postmaster for this cluster: the files are what it will use when started',
      via: null,
      source: { note: 'no postgres process with this configuration in /proc' },
      serverVersion: null,
      roles: null,
    };

  return {
    name: seed.name,
    version,
    configFile: seed.configFile,
    dataDir,
    discoveredBy: seed.discoveredBy,
    running: seed.pm ? { pid: seed.pm.proc.pid, source: { path: `/proc/${seed.pm.proc.pid}/cmdline`, excerpt: seed.pm.excerpt } } : null,
    enabledAtBoot:
      seed.version && seed.configFile?.startsWith('/etc/postgresql/')
        ? await enabledAtBoot(t, hostOf(ctx).units, seed.version, seed.name.split('/')[1] ?? 'main')
        : null,
    files: loader.files,
    problems,
    settings,
    hba,
    sslFiles,
    serviceUser,
    live,
  };
}

export async function collectPostgres(ctx: CollectContext, opts: PostgresCollectOptions = {}) {
  const t = ctx.target;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const evidence: Source[] = [];
  const pkgs = await dpkgInstalled(t);
  for (const p of pkgs?.values() ?? [])
    if (/^postgresql-\d+$/.test(p.name)) evidence.push({ path: DPKG_STATUS, line: p.line, excerpt: `${p.name} ${p.version}` });
  for (const b of await t.glob('/usr/lib/postgresql/*/bin/postgres')) evidence.push({ path: b });
  const confs = await t.glob('/etc/postgresql/*/*/postgresql.conf');
  const listed = await postmasters(ctx);
  const pms = listed ?? [];
  if (evidence.length === 0 && confs.length === 0 && pms.length === 0) {
    return absent<PostgresFacts>(
      'PostgreSQL is not installed (no postgresql-N package, no /usr/lib/postgresql/*/bin/postgres, no /etc/postgresql/*/*/postgresql.conf, no postgres process)',
    );
  }

  const seeds: Seed[] = opts.clusters
    ? opts.clusters.map((c) => ({
        name: c.configFile,
        version: c.version,
        configFile: c.configFile,
        dataOpt: c.dataDir,
        fallbackDataDir: c.dataDir,
        discoveredBy: [{ path: c.configFile, note: 'cluster given to the collector' }],
        pm: null,
      }))
    : confs.map((c) => {
        const [, , , version = '', name = ''] = c.split('/');
        return {
          name: `${version}/${name}`,
          version,
          configFile: c,
          dataOpt: null,
          fallbackDataDir: `/var/lib/postgresql/${version}/${name}`,
          discoveredBy: [{ path: c }],
          pm: null,
        };
      });
  for (const pm of opts.clusters ? [] : pms) {
    const cf = pm.overrides.get('config_file') ?? (pm.dataOpt ? posix.join(pm.dataOpt, 'postgresql.conf') : null);
    const src: Source = { path: `/proc/${pm.proc.pid}/cmdline`, excerpt: pm.excerpt };
    const hit = seeds.find((s) => s.configFile === cf);
    if (hit) {
      hit.pm = pm;
      hit.dataOpt = pm.dataOpt;
      hit.discoveredBy.push(src);
    } else
      seeds.push({
        name: pm.dataOpt ?? cf ?? `pid ${pm.proc.pid}`,
        version: null,
        configFile: cf,
        dataOpt: pm.dataOpt,
        fallbackDataDir: null,
        discoveredBy: [src],
        pm,
      });
  }

  const serviceUser = { name: 'postgres', ...(await readPasswdUser(t, 'postgres')) };
  const explicit = t.live ? await explicitCredentials(ctx, opts.env ?? {}) : null;
  const clusters: PgCluster[] = [];
  let explicitUsed = false;
  const running = seeds.filter((s) => s.pm);
  for (const seed of seeds) {
    let transport: Transport | null = null;
    if (seed.pm && t.live) {
      // The port and socket the postmaster uses: its command line, else its files.
      const pre = await buildPortAndSocket(t, seed);
      if (explicit && !('error' in explicit) && explicit.port === pre.port) {
        transport = clientTransport(t, explicit.via, explicit.config, explicit.label, timeoutMs, explicit.secret);
        explicitUsed = true;
      } else if (explicit && 'error' in explicit && running.length === 1 && !explicitUsed) {
        clusters.push(failedCluster(await buildCluster(ctx, seed, serviceUser, null), explicit.error));
        explicitUsed = true;
        continue;
      } else if (pre.socket) transport = peerTransport(t, pre.socket, pre.port, timeoutMs);
    }
    const cluster = await buildCluster(ctx, seed, serviceUser, transport);
    // Without the process list (a recorded payload without /proc, an unreadable /proc), "no running
    // postmaster" is not known: what runs may differ from the files, so nothing is judged from them.
    clusters.push(t.live && listed === null && cluster.live.state === 'not-running' ? failedCluster(cluster, PROCESSES_UNKNOWN) : cluster);
  }
  if (explicit && !explicitUsed) {
    // Credentials that name no discovered cluster: probe them anyway, so a wrong URL is visible.
    const seed: Seed = {
      name: 'error' in explicit ? 'postgres (configured connection)' : `postgres at ${explicit.label}`,
      version: null,
      configFile: null,
      dataOpt: null,
      fallbackDataDir: null,
      discoveredBy: [{ note: 'config postgres.url / PG* environment' }],
      pm: null,
    };
    if ('error' in explicit) clusters.push(failedCluster(await buildCluster(ctx, seed, serviceUser, null), explicit.error));
    else
      clusters.push(
        await buildCluster(
          ctx,
          seed,
          serviceUser,
          clientTransport(t, explicit.via, explicit.config, explicit.label, timeoutMs, explicit.secret),
        ),
      );
  }
  return collected<PostgresFacts>({
    installed: true,
    installedEvidence: evidence.length ? evidence : (clusters[0]?.discoveredBy ?? []),
    clusters,
  });
}

const PROCESSES_UNKNOWN = 'the process list (/proc) could not be read: whether this cluster runs, and with which values, is not known';

function failedCluster(c: PgCluster, reason: string): PgCluster {
  return {
    ...c,
    live: {
      state: 'failed',
      detail: reason,
      via: null,
      source: { note: 'rampart configuration (postgres)' },
      serverVersion: null,
      roles: null,
    },
  };
}

async function buildPortAndSocket(t: Target, seed: Seed): Promise<{ port: string; socket: string | null }> {
  const loader = new ConfLoader(t);
  if (seed.configFile) await loader.file(seed.configFile, 0, true, null);
  const dataDir = loader.entries.filter((e) => e.name === 'data_directory').pop()?.value ?? seed.dataOpt;
  if (dataDir) await loader.file(posix.join(dataDir, 'postgresql.auto.conf'), 0, false, null);
  const get = (n: string) => settingFromFiles(n, loader.entries, seed.pm?.overrides ?? new Map<string, string>(), seed.pm).v.text;
  const socket =
    get('unix_socket_directories')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)[0] ?? null;
  return { port: get('port'), socket };
}

export const postgresCollector = defineCollector({
  key: 'postgres',
  gathers: {
    files: [DPKG_GATHER],
    globs: [
      { pattern: '/usr/lib/postgresql/*/bin/postgres', read: false },
      { pattern: '/etc/postgresql/*/*/*.conf', maxBytes: MAX_CONF_BYTES },
    ],
  },
  // CollectContext carries no environment; libpq's PG* variables are read here, the one place.
  collect: (ctx) => collectPostgres(ctx, { env: ctx.env ?? {} }),
});
