import { spawn } from 'node:child_process';
import { constants, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { OutDir } from './out-dir.js';

export interface CommandRecord {
  argv: string[];
  /** ok: ran (whatever its exit code); missing: not on PATH; timeout: killed after the timeout; error: could not run. */
  status: 'ok' | 'missing' | 'timeout' | 'error';
  exitCode: number | null;
  /** The output file (standard output), or null when the command did not run. */
  file: string | null;
  stderr: string;
  startedAt: string;
  endedAt: string;
}

const MAX_STDERR = 16 * 1024;

/** The executable's path on PATH (no shell), or null. */
export async function which(cmd: string, path: string): Promise<string | null> {
  for (const dir of path.split(':').filter(Boolean)) {
    const p = join(dir, cmd);
    try {
      await fsp.access(p, constants.X_OK);
      if ((await fsp.stat(p)).isFile()) return p;
    } catch {
      // next
    }
  }
  return null;
}

/**
 * Runs argv without a shell, standard output streamed into a new file of the collection (bounded
 * memory), standard error kept up to 16 KiB; killed (SIGKILL) after `timeoutMs`. A command that is not
 * on PATH creates no file and is recorded as missing.
 */
export async function runToFile(
  out: OutDir,
  name: string,
  argv: string[],
  opts: { path: string; timeoutMs: number },
): Promise<CommandRecord> {
  const startedAt = new Date().toISOString();
  const done = (r: Omit<CommandRecord, 'argv' | 'startedAt' | 'endedAt'>): CommandRecord => ({
    argv,
    startedAt,
    endedAt: new Date().toISOString(),
    ...r,
  });
  const exe = await which(argv[0]!, opts.path);
  if (exe === null) return done({ status: 'missing', exitCode: null, file: null, stderr: `${argv[0]!}: not found on PATH` });
  const fh = await out.open(name);
  try {
    return await new Promise<CommandRecord>((resolve) => {
      let stderr = '';
      let timedOut = false;
      const child = spawn(exe, argv.slice(1), { stdio: ['ignore', fh.fd, 'pipe'], env: { PATH: opts.path, LC_ALL: 'C', TZ: 'UTC' } });
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, opts.timeoutMs);
      child.stderr?.on('data', (d: Buffer) => {
        if (stderr.length < MAX_STDERR) stderr += d.toString('utf8').slice(0, MAX_STDERR - stderr.length);
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve(done({ status: 'error', exitCode: null, file: name, stderr: e.message }));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve(done({ status: timedOut ? 'timeout' : 'ok', exitCode: code, file: name, stderr: stderr.trim() }));
      });
    });
  } finally {
    await fh.close();
  }
}
