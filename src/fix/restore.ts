// Putting one file of a run back to its original state: shared by the automatic rollback, the
// recovery of an interrupted run and `rampart rollback`.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { FixError, fsyncDir, isState, readState, removeIfFile, restoreFile, tempPathOf, type FileState } from './fs-ops.js';
import { readRunFile, type FileEntry } from './receipt.js';
import type { CommandStep } from './plan.js';

export type RestoreOutcome = 'restored' | 'removed' | 'unchanged';

/** Whether the file is in the state the run put in place. */
export function isFixed(cur: FileState, e: FileEntry): boolean {
  return isState(cur, e.fixed);
}

export function isOriginal(cur: FileState, e: FileEntry): boolean {
  return e.original === null ? !cur.exists : isState(cur, e.original);
}

/** Removes the run's candidate files beside `e.path` (a crash may leave one). */
export function removeTemps(e: FileEntry, runId: string): void {
  let removed = removeIfFile(tempPathOf(e.path, runId, 'new'));
  removed = removeIfFile(tempPathOf(e.path, runId, 'restore')) || removed;
  if (removed) fsyncDir(dirname(e.path));
}

/**
 * Restores `e` to its original bytes, mode, owner, group and times (or removes it if the run created
 * it). `force: false` refuses a file that is neither original nor as the run left it.
 */
export function restoreEntry(runDir: string, runId: string, e: FileEntry, force: boolean): RestoreOutcome {
  removeTemps(e, runId);
  const cur = readState(e.path);
  if (isOriginal(cur, e)) return 'unchanged';
  if (!force && !isFixed(cur, e)) throw new FixError(`${e.path} changed after the fix: not restored (rollback --force restores it anyway)`);
  if (e.original === null) {
    removeIfFile(e.path);
    fsyncDir(dirname(e.path));
    return 'removed';
  }
  if (e.backup === null) throw new FixError(`no backup recorded for ${e.path}`);
  restoreFile(e.path, runId, readRunFile(runDir, e.backup, e.original.sha256), e.original);
  return 'restored';
}

export interface CommandResult {
  code: number | null;
  output: string;
}

export type CommandRunner = (argv: readonly string[], timeoutMs: number) => Promise<CommandResult>;

const OUTPUT_LIMIT = 64 * 1024;

/**
 * Runs argv (no shell, stdin closed, killed after the timeout) and keeps stdout up to `stdoutLimit`
 * bytes, stderr up to 64 KiB. `overLimit: 'fail'` kills the command when stdout is over the limit and
 * gives code null (a ruleset saved in part would restore the wrong rules); 'cut' keeps the start.
 */
export function capture(
  argv: readonly string[],
  timeoutMs: number,
  opts: { stdoutLimit: number; overLimit: 'fail' | 'cut' } = { stdoutLimit: 64 * 1024 * 1024, overLimit: 'fail' },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) return resolve({ code: null, stdout: '', stderr: 'empty command' });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let over = false;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size <= opts.stdoutLimit) out.push(b);
      else if (opts.overLimit === 'fail' && !over) {
        over = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < OUTPUT_LIMIT) err += b.toString('utf8');
    });
    child.on('error', (e) => resolve({ code: null, stdout: '', stderr: e.message }));
    child.on('close', (code, signal) =>
      resolve({
        code: over ? null : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: over ? `output over ${opts.stdoutLimit} bytes` : signal ? `${err}killed by ${signal} (timeout ${timeoutMs} ms)` : err,
      }),
    );
  });
}

/** Runs argv without a shell, stdin closed, output (stdout, then stderr) kept up to 64 KiB, killed after the timeout. */
export const runCommand: CommandRunner = async (argv, timeoutMs) => {
  const r = await capture(argv, timeoutMs, { stdoutLimit: OUTPUT_LIMIT, overLimit: 'cut' });
  return { code: r.code, output: `${r.stdout}${r.stderr}`.slice(0, OUTPUT_LIMIT) };
};

export const DEFAULT_TIMEOUT_MS = 60_000;

/** Runs the reload steps; the problems (none when all succeed). */
export async function reloadAll(steps: readonly CommandStep[], run: CommandRunner): Promise<string[]> {
  const problems: string[] = [];
  for (const s of steps) {
    const r = await run(s.argv, s.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    if (r.code !== 0) problems.push(`${s.argv.join(' ')} exited ${r.code ?? 'abnormally'}: ${r.output.trim().slice(0, 2000)}`);
  }
  return problems;
}
