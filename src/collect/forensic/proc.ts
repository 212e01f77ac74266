import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { LineWriter, oneLine } from './out-dir.js';
import { redactSecrets } from '../../util/redact.js';

/**
 * Processes from a /proc tree (the proc root is a parameter so a fixture tree can stand in for it).
 * Streams one tab-separated line per process: memory stays bounded whatever the number of processes.
 * Start times: /proc/PID/stat field 22 (clock ticks since boot, USER_HZ = 100 on Linux) + btime of
 * /proc/stat (proc(5)).
 */

const USER_HZ = 100;
const BATCH = 64;

export const PROCESS_COLUMNS = ['pid', 'ppid', 'uid', 'user', 'state', 'start_time', 'exe', 'cmdline'];

async function readSmall(path: string, max = 64 * 1024): Promise<string | null> {
  let fh: fsp.FileHandle | null = null;
  try {
    fh = await fsp.open(path, 'r');
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } catch {
    return null;
  } finally {
    await fh?.close();
  }
}

export async function readBtime(procRoot: string): Promise<number | null> {
  const stat = await readSmall(join(procRoot, 'stat'));
  const m = stat === null ? null : /^btime (\d+)$/m.exec(stat);
  return m ? Number(m[1]) : null;
}

export async function readUsers(passwdPath: string): Promise<Map<number, string>> {
  const users = new Map<number, string>();
  const text = await readSmall(passwdPath, 4 * 1024 * 1024);
  for (const line of (text ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && /^\d+$/.test(f[2]!)) users.set(Number(f[2]), f[0]!);
  }
  return users;
}

async function processLine(procRoot: string, pid: string, btime: number | null, users: Map<number, string>): Promise<string | null> {
  const dir = join(procRoot, pid);
  const [stat, status, cmdline, exe] = await Promise.all([
    readSmall(join(dir, 'stat')),
    readSmall(join(dir, 'status')),
    readSmall(join(dir, 'cmdline'), 256 * 1024),
    fsp.readlink(join(dir, 'exe')).catch((e: NodeJS.ErrnoException) => `(${e.code ?? 'unreadable'})`),
  ]);
  if (stat === null && status === null) return null; // exited meanwhile
  // stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses: split after the last ')'.
  const rest =
    stat === null
      ? []
      : stat
          .slice(stat.lastIndexOf(')') + 2)
          .trim()
          .split(' ');
  const state = rest[0] ?? '?';
  const ppid = rest[1] ?? '?';
  const ticks = rest[19];
  const start =
    btime !== null && ticks !== undefined && /^\d+$/.test(ticks) ? new Date((btime + Number(ticks) / USER_HZ) * 1000).toISOString() : '?';
  const uidM = status === null ? null : /^Uid:\s+(\d+)/m.exec(status);
  const uid = uidM ? Number(uidM[1]) : null;
  const comm = stat === null ? '' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  // argv can carry a secret (PGPASSWORD=… sh -c, --password x): the shared redactor, as for audits
  const cmd = cmdline === null ? '' : redactSecrets(cmdline.replace(/\0+$/, '').split('\0').join(' '));
  return [pid, ppid, uid ?? '?', uid === null ? '?' : (users.get(uid) ?? uid), state, start, exe, cmd === '' ? `[${comm}]` : cmd]
    .map((x) => oneLine(String(x)))
    .join('\t');
}

/** Writes the process table; returns how many processes were listed. */
export async function writeProcesses(procRoot: string, passwdPath: string, w: LineWriter): Promise<number> {
  const btime = await readBtime(procRoot);
  const users = await readUsers(passwdPath);
  await w.line(PROCESS_COLUMNS.join('\t'));
  let n = 0;
  let batch: string[] = [];
  const flush = async () => {
    const lines = await Promise.all(batch.map((pid) => processLine(procRoot, pid, btime, users)));
    batch = [];
    for (const l of lines) {
      if (l === null) continue;
      await w.line(l);
      n++;
    }
  };
  const dir = await fsp.opendir(procRoot, { bufferSize: 256 });
  for await (const e of dir) {
    if (!/^\d+$/.test(e.name)) continue;
    batch.push(e.name);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await w.flush();
  return n;
}
