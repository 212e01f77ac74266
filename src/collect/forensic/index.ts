import { promises as fsp } from 'node:fs';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { runToFile, which, type CommandRecord } from './commands.js';
import { LineWriter, OutDir, oneLine, sha256File } from './out-dir.js';
import { writeProcesses } from './proc.js';
import { writeTarGz } from './tar.js';
import { redactSecrets } from '../../util/redact.js';

/**
 * A collection travels (to a responder, a ticket): secrets in what it copies — a cron line's
 * PGPASSWORD=, a `--password` in a unit or a log line, URL passwords — are replaced by the shared
 * redactor (issue 13), byte for byte elsewhere (latin1 round trip). The notes say so.
 */
function redactBytes(b: Buffer): Buffer {
  const text = b.toString('latin1');
  const red = redactSecrets(text);
  return red === text ? b : Buffer.from(red, 'latin1');
}

/** Docker's JSON with every string value redacted (a text redaction could break the JSON). */
function redactJson(body: string): string {
  try {
    const walk = (v: unknown): unknown =>
      typeof v === 'string'
        ? redactSecrets(v)
        : Array.isArray(v)
          ? v.map(walk)
          : v !== null && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
            : v;
    return JSON.stringify(walk(JSON.parse(body)));
  } catch {
    return redactSecrets(body);
  }
}

/**
 * Forensic collection (guide 9.1), strictly read-only on the host: every output goes into a new
 * directory, in order of volatility (processes, network, logins, authentication failures, scheduled
 * jobs, kernel modules, recent changes under /etc, SUID/SGID files, Docker containers), then
 * collection.json (what was collected, when, by whom, which commands were missing), manifest.sha256
 * (sha256sum format) and an archive of all of it, rampart-collection.tar.gz.
 */

export interface ForensicOptions {
  out: string;
  /** Where files are read (default '/'). */
  root?: string;
  /** The /proc tree (default ROOT/proc). */
  procRoot?: string;
  /** PATH for the commands (no shell). */
  path: string;
  commandTimeoutMs?: number;
  /** `find` over the whole file system takes longer. */
  findTimeoutMs?: number;
  /** The Docker Engine socket (default /var/run/docker.sock under ROOT); null skips Docker. */
  dockerSocket?: string | null;
  /** Files under /etc changed within this many days are listed (default 7). */
  etcDays?: number;
  collector: { user: string; uid: number; host: string; toolVersion: string };
}

export type ItemStatus = 'ok' | 'partial' | 'absent' | 'missing' | 'error';

export interface ItemRecord {
  name: string;
  startedAt: string;
  endedAt: string;
  status: ItemStatus;
  files: string[];
  commands: CommandRecord[];
  notes: string[];
}

export interface Collection {
  tool: { name: 'rampart'; version: string };
  collector: ForensicOptions['collector'];
  startedAt: string;
  endedAt: string;
  out: string;
  root: string;
  procRoot: string;
  items: ItemRecord[];
}

export interface ForensicResult {
  out: string;
  collection: Collection;
  manifest: string;
  archive: string;
}

const DAY_MS = 86_400_000;
const TAIL_BYTES = 8 * 1024 * 1024;

class Item {
  readonly rec: ItemRecord;
  constructor(name: string) {
    this.rec = { name, startedAt: new Date().toISOString(), endedAt: '', status: 'ok', files: [], commands: [], notes: [] };
  }
  file(name: string) {
    this.rec.files.push(name);
  }
  note(s: string) {
    this.rec.notes.push(s);
  }
  command(c: CommandRecord) {
    this.rec.commands.push(c);
    if (c.file !== null) this.rec.files.push(c.file);
  }
  finish(): ItemRecord {
    const cmds = this.rec.commands;
    if (this.rec.status === 'ok' && cmds.length > 0) {
      const failed = cmds.filter((c) => c.status !== 'ok');
      if (failed.length === cmds.length && this.rec.files.length === 0)
        this.rec.status = failed.every((c) => c.status === 'missing') ? 'missing' : 'error';
      else if (failed.length > 0) this.rec.status = 'partial';
    }
    this.rec.endedAt = new Date().toISOString();
    return this.rec;
  }
}

async function exists(p: string): Promise<boolean> {
  return fsp.lstat(p).then(
    () => true,
    () => false,
  );
}

/** Copies readable files into one text file, each under a "==> path <==" header with its metadata. */
async function copyFiles(out: OutDir, name: string, paths: readonly string[], root: string, item: Item): Promise<void> {
  const fh = await out.open(name);
  const w = new LineWriter(fh);
  try {
    for (const p of paths) {
      const shown = `/${relative(root, p)}`;
      try {
        const st = await fsp.lstat(p);
        if (!st.isFile()) continue;
        await w.line(
          `==> ${oneLine(shown)} (mode ${(st.mode & 0o7777).toString(8)}, uid ${st.uid}, gid ${st.gid}, ${st.size} bytes, mtime ${new Date(st.mtimeMs).toISOString()}) <==`,
        );
        await w.flush();
        if (st.size > TAIL_BYTES) {
          item.note(`${shown}: ${st.size} bytes, only the first ${TAIL_BYTES} copied`);
        }
        const src = await fsp.open(p, 'r');
        try {
          const buf = Buffer.alloc(Math.min(st.size, TAIL_BYTES));
          const { bytesRead } = await src.read(buf, 0, buf.length, 0);
          await fh.write(redactBytes(buf.subarray(0, bytesRead)));
        } finally {
          await src.close();
        }
        await w.line('');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') continue; // not there: nothing to collect
        item.note(`${shown}: ${code ?? (e as Error).message}`);
        item.rec.status = 'partial';
      }
    }
    await w.flush();
  } finally {
    await fh.close();
  }
  item.file(name);
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dir)).sort().map((n) => join(dir, n));
  } catch {
    return [];
  }
}

/** The last `max` bytes of a file, from the start of a line. */
async function tail(path: string, max: number): Promise<Buffer> {
  const fh = await fsp.open(path, 'r');
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - max);
    const buf = Buffer.alloc(size - start);
    const { bytesRead } = await fh.read(buf, 0, buf.length, start);
    const b = buf.subarray(0, bytesRead);
    const nl = start > 0 ? b.indexOf(10) : -1;
    return nl >= 0 ? b.subarray(nl + 1) : b;
  } finally {
    await fh.close();
  }
}

async function walkRecent(dir: string, since: number, dev: number, w: LineWriter, root: string, depth = 0): Promise<void> {
  if (depth > 64) return;
  let entries: string[];
  try {
    entries = (await fsp.readdir(dir)).sort();
  } catch {
    return;
  }
  for (const name of entries) {
    const p = join(dir, name);
    let st;
    try {
      st = await fsp.lstat(p);
    } catch {
      continue;
    }
    if (st.mtimeMs >= since) {
      const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFile() ? 'f' : 'o';
      await w.line(
        [
          new Date(st.mtimeMs).toISOString(),
          new Date(st.ctimeMs).toISOString(),
          type,
          (st.mode & 0o7777).toString(8),
          st.uid,
          st.gid,
          st.size,
          oneLine(`/${relative(root, p)}`),
        ].join('\t'),
      );
    }
    if (st.isDirectory() && st.dev === dev) await walkRecent(p, since, dev, w, root, depth + 1);
  }
}

function dockerGet(socket: string, path: string, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path, method: 'GET', headers: { Host: 'docker' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 64 * 1024 * 1024) req.destroy(new Error('response larger than 64 MiB'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function collectForensics(opts: ForensicOptions): Promise<ForensicResult> {
  const root = opts.root ?? '/';
  const procRoot = opts.procRoot ?? join(root, 'proc');
  const timeoutMs = opts.commandTimeoutMs ?? 30_000;
  const run = { path: opts.path, timeoutMs };
  const startedAt = new Date().toISOString();
  const out = await OutDir.create(opts.out);
  const items: ItemRecord[] = [];
  const step = async (name: string, fn: (item: Item) => Promise<void>) => {
    const item = new Item(name);
    try {
      await fn(item);
    } catch (e) {
      item.rec.status = 'error';
      item.note(e instanceof Error ? e.message : String(e));
    }
    items.push(item.finish());
  };

  await step('processes', async (item) => {
    const fh = await out.open('01-processes.tsv');
    try {
      const n = await writeProcesses(procRoot, join(root, 'etc/passwd'), new LineWriter(fh));
      item.note(`${n} processes from ${procRoot}`);
    } finally {
      await fh.close();
    }
    item.file('01-processes.tsv');
  });

  await step('network', async (item) => {
    item.command(await runToFile(out, '02-ss-tanup.txt', ['ss', '-tanup'], run));
    item.command(await runToFile(out, '02-ss-uanp.txt', ['ss', '-uanp'], run));
    const nets = ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6', 'unix'].map((n) => join(procRoot, 'net', n));
    await copyFiles(out, '02-proc-net.txt', nets, procRoot === join(root, 'proc') ? root : procRoot, item);
  });

  await step('logins', async (item) => {
    item.command(await runToFile(out, '03-who.txt', ['who', '-a'], run));
    if (await which('last', opts.path)) item.command(await runToFile(out, '03-last.txt', ['last', '-n', '200', '-F', '-w'], run));
    else item.note('last is not installed: recent logins only from utmp');
    for (const [src, dst] of [
      ['var/run/utmp', '03-utmp.bin'],
      ['var/log/wtmp', '03-wtmp.bin'],
    ] as const) {
      const p = join(root, src);
      if (!(await exists(p))) {
        item.note(`/${src} does not exist`);
        continue;
      }
      try {
        await out.write(dst, await tail(p, TAIL_BYTES));
        item.file(dst);
      } catch (e) {
        item.note(`/${src}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
  });

  await step('auth-failures', async (item) => {
    if (await which('journalctl', opts.path)) {
      const c = await runToFile(
        out,
        '04-journal-ssh.txt',
        ['journalctl', '--no-pager', '-o', 'short-iso', '-u', 'ssh.service', '-u', 'sshd.service', '--since', '-24h'],
        run,
      );
      item.command(c);
      if (c.status === 'ok' && c.exitCode === 0) return;
      item.note('journalctl gave no journal: falling back to /var/log/auth.log');
    } else {
      item.note('journalctl is not installed: the tail of /var/log/auth.log instead');
    }
    const log = join(root, 'var/log/auth.log');
    if (!(await exists(log))) {
      item.note('/var/log/auth.log does not exist');
      if (item.rec.files.length === 0) item.rec.status = 'absent';
      return;
    }
    await out.write('04-auth-log-tail.txt', redactBytes(await tail(log, TAIL_BYTES)));
    item.file('04-auth-log-tail.txt');
  });

  await step('scheduled-jobs', async (item) => {
    const cron = [join(root, 'etc/crontab')];
    for (const d of ['etc/cron.d', 'etc/cron.hourly', 'etc/cron.daily', 'etc/cron.weekly', 'etc/cron.monthly', 'var/spool/cron/crontabs'])
      cron.push(...(await listDir(join(root, d))));
    await copyFiles(out, '05-crontabs.txt', cron, root, item);
    const timers: string[] = [];
    for (const d of [
      'etc/systemd/system',
      'run/systemd/system',
      'usr/local/lib/systemd/system',
      'lib/systemd/system',
      'usr/lib/systemd/system',
    ]) {
      for (const p of await listDir(join(root, d))) {
        if (!p.endsWith('.timer')) continue;
        timers.push(p);
        const service = `${p.slice(0, -'.timer'.length)}.service`;
        if (await exists(service)) timers.push(service);
      }
    }
    await copyFiles(out, '05-systemd-timers.txt', timers, root, item);
    item.note(`${cron.length} cron files, ${timers.length} timer and service units`);
  });

  await step('kernel-modules', async (item) => {
    const modules = await fsp.readFile(join(procRoot, 'modules')).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    if (modules === null) {
      item.rec.status = 'absent';
      item.note(`${join(procRoot, 'modules')} does not exist (a kernel without loadable modules)`);
      return;
    }
    await out.write('06-modules.txt', modules);
    item.file('06-modules.txt');
  });

  await step('etc-recent-changes', async (item) => {
    const days = opts.etcDays ?? 7;
    const etc = join(root, 'etc');
    const fh = await out.open('07-etc-changed.tsv');
    try {
      const w = new LineWriter(fh);
      await w.line(['mtime', 'ctime', 'type', 'mode', 'uid', 'gid', 'size', 'path'].join('\t'));
      await walkRecent(etc, Date.now() - days * DAY_MS, (await fsp.stat(etc)).dev, w, root);
      await w.flush();
      item.note(`${w.lines - 1} entries under /etc changed within ${days} days`);
    } finally {
      await fh.close();
    }
    item.file('07-etc-changed.tsv');
  });

  await step('suid-sgid', async (item) => {
    const argv = [
      'find',
      root,
      '-xdev',
      '(',
      '-perm',
      '-4000',
      '-o',
      '-perm',
      '-2000',
      ')',
      '-type',
      'f',
      '-printf',
      '%m\\t%u\\t%g\\t%s\\t%TY-%Tm-%TdT%TH:%TM:%TSZ\\t%p\\n',
    ];
    item.command(await runToFile(out, '08-suid-sgid.tsv', argv, { path: opts.path, timeoutMs: opts.findTimeoutMs ?? 300_000 }));
  });

  await step('docker', async (item) => {
    const socket = opts.dockerSocket === undefined ? join(root, 'var/run/docker.sock') : opts.dockerSocket;
    const st = socket === null ? null : await fsp.stat(socket).catch(() => null);
    if (socket === null || st === null || !st.isSocket()) {
      item.rec.status = 'absent';
      item.note(socket === null ? 'Docker skipped' : `no Docker Engine socket at ${socket}`);
      return;
    }
    const r = await dockerGet(socket, '/containers/json?all=1', timeoutMs);
    await out.write('09-docker-containers.json', r.status === 200 ? redactJson(r.body.toString('utf8')) : redactBytes(r.body));
    item.file('09-docker-containers.json');
    item.note(`GET /containers/json?all=1 on ${socket}: HTTP ${r.status}`);
    if (r.status !== 200) item.rec.status = 'partial';
  });

  const collection: Collection = {
    tool: { name: 'rampart', version: opts.collector.toolVersion },
    collector: opts.collector,
    startedAt,
    endedAt: new Date().toISOString(),
    out: out.path,
    root,
    procRoot,
    items,
  };
  await out.write('collection.json', `${JSON.stringify(collection, null, 2)}\n`);
  const names = [...out.written()];
  const lines: string[] = [];
  for (const n of names) lines.push(`${await sha256File(out.file(n))}  ${n}`);
  await out.write('manifest.sha256', `${lines.join('\n')}\n`);
  const archive = out.file('rampart-collection.tar.gz');
  await writeTarGz(out.path, [...names, 'manifest.sha256'], archive);
  return { out: out.path, collection, manifest: out.file('manifest.sha256'), archive };
}
