// A run's receipt under <state>/runs/<run>/ (0700): manifest.json (what the run changes, with the
// original and fixed state of every file), files/ (the backups and the new contents, 0600) and
// journal.jsonl (every step, fsynced before the step's effect, so the next invocation can finish or
// undo a run killed at any point). One lock per state directory: one transaction at a time.
import {
  closeSync,
  constants,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  chmodSync,
  writeSync,
  lstatSync,
} from 'node:fs';
import { join } from 'node:path';
import type { CommandAction, CommandStep } from './plan.js';
import { FixError, fsyncDir, readState, removeIfFile, replace, writeExclusive, type FileMeta } from './fs-ops.js';

export interface FileEntry {
  path: string;
  existed: boolean;
  /** The state before the run (existed) or null. */
  original: (FileMeta & { sha256: string; size: number; atimeMs: number; mtimeMs: number }) | null;
  /** The state the run puts in place. */
  fixed: FileMeta & { sha256: string; size: number };
  /** Backup of the original, relative to the run directory (existed only). */
  backup: string | null;
  /** The new content, relative to the run directory. */
  content: string;
  validate: readonly string[] | null;
}

/** A recipe command of the run: what it is, and where its saved prior state goes (commands/<k>.saved.json). */
export interface CommandEntry {
  argv: string[];
  purpose: string;
  requirement?: string;
  timeoutMs: number;
  restores: string[];
  restoresKernelFirewall: boolean;
  undo: string[] | null;
}

export function commandEntryOf(c: CommandAction, timeoutMs: number): CommandEntry {
  return {
    argv: [...c.argv],
    purpose: c.purpose,
    ...(c.requirement ? { requirement: c.requirement } : {}),
    timeoutMs: c.timeoutMs ?? timeoutMs,
    restores: [...(c.restores ?? [])],
    restoresKernelFirewall: c.restoresKernelFirewall === true,
    undo: c.undo ? [...c.undo] : null,
  };
}

export type RunState = 'applying' | 'applied' | 'rolled-back' | 'partially-rolled-back';

export interface Manifest {
  schemaVersion: 1;
  runId: string;
  host: string;
  startedAt: string;
  state: RunState;
  files: FileEntry[];
  reload: CommandStep[];
  /** Recipe commands (absent in receipts written before commands were run). */
  commands?: CommandEntry[];
}

export type JournalRecord =
  | { op: 'begin'; pid: number }
  | { op: 'backup'; i: number }
  | { op: 'manifest' }
  | { op: 'temp'; i: number; temp: string }
  | { op: 'validated'; i: number }
  | { op: 'rename'; i: number }
  | { op: 'renamed'; i: number }
  | { op: 'reloaded'; k: number }
  | { op: 'cmd-saved'; k: number }
  | { op: 'cmd-run'; k: number }
  | { op: 'cmd-done'; k: number; code: number }
  | { op: 'verified' }
  | { op: 'committed' }
  | { op: 'rollback'; reason: string; files: number[]; force: boolean; commands?: number[] }
  | { op: 'restored'; i: number }
  | { op: 'undone'; k: number }
  | { op: 'rolled-back'; files: number[] };

export function runsDir(stateDir: string): string {
  return join(stateDir, 'runs');
}

export function runDirOf(stateDir: string, runId: string): string {
  return join(runsDir(stateDir), runId);
}

function mkdirPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const l = lstatSync(dir);
  if (!l.isDirectory()) throw new FixError(`${dir} is not a directory`);
  chmodSync(dir, 0o700);
}

/** Creates <state>/runs/<run>/ and its files/ (0700); refuses a run id already used. */
export function createRunDir(stateDir: string, runId: string): string {
  mkdirPrivate(stateDir);
  mkdirPrivate(runsDir(stateDir));
  const dir = runDirOf(stateDir, runId);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    throw new FixError(`cannot create the run directory ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  chmodSync(dir, 0o700);
  mkdirSync(join(dir, 'files'), { mode: 0o700 });
  chmodSync(join(dir, 'files'), 0o700);
  fsyncDir(runsDir(stateDir));
  fsyncDir(dir);
  return dir;
}

/** Appends records to journal.jsonl, each fsynced before the call returns. */
export class Journal {
  private fd: number | null;
  constructor(readonly runDir: string) {
    this.fd = openSync(
      join(runDir, 'journal.jsonl'),
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
      0o600,
    );
    fsyncDir(runDir);
  }
  append(rec: JournalRecord): void {
    if (this.fd === null) throw new FixError('the journal is closed');
    const line = Buffer.from(`${JSON.stringify(rec)}\n`);
    let off = 0;
    while (off < line.length) off += writeSync(this.fd, line, off, line.length - off);
    fsyncSync(this.fd);
  }
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }
}

/** The journal's complete records (a last line cut by a crash is dropped). */
export function readJournal(runDir: string): JournalRecord[] {
  let text: string;
  try {
    text = readFileSync(join(runDir, 'journal.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const out: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      out.push(JSON.parse(line) as JournalRecord);
    } catch {
      break;
    }
  }
  return out;
}

/** Writes a file of the run directory durably (candidate, fsync, rename, fsync the directory). */
export function writeRunFile(runDir: string, rel: string, content: Uint8Array): void {
  const path = join(runDir, rel);
  const tmp = `${path}.tmp`;
  removeIfFile(tmp);
  writeExclusive(tmp, content, { mode: 0o600, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 });
  replace(tmp, path);
  fsyncDir(join(path, '..'));
}

export function writeManifest(runDir: string, m: Manifest): void {
  writeRunFile(runDir, 'manifest.json', Buffer.from(`${JSON.stringify(m, null, 2)}\n`));
}

export function readManifest(runDir: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
    return m.schemaVersion === 1 && Array.isArray(m.files) ? m : null;
  } catch {
    return null;
  }
}

/** A file of the receipt (a backup or a new content), checked against the sha256 the manifest recorded. */
export function readRunFile(runDir: string, rel: string, sha: string): Buffer {
  const s = readState(join(runDir, rel));
  if (!s.exists || s.sha256 !== sha) throw new FixError(`the receipt file ${join(runDir, rel)} is missing or damaged (sha256 differs)`);
  return s.content;
}

export function listRuns(stateDir: string): string[] {
  try {
    return readdirSync(runsDir(stateDir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes <state>/fix.lock holding our pid: written to a private file first and linked into place, so
 * the lock is never seen without its pid. A lock whose process is gone is taken over. Returns the release.
 */
export function acquireLock(stateDir: string): () => void {
  mkdirPrivate(stateDir);
  const path = join(stateDir, 'fix.lock');
  const mine = `${path}.${process.pid}`;
  removeIfFile(mine);
  writeExclusive(mine, Buffer.from(`${process.pid}\n`), { mode: 0o600, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, path);
        return () => removeIfFile(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new FixError(`cannot take the lock ${path}: ${(e as Error).message}`);
        let pid = NaN;
        try {
          pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
        } catch {
          // unreadable: treated as stale below
        }
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid))
          throw new FixError(`another rampart fix or rollback (pid ${pid}) holds ${path}: wait for it to finish`);
        removeIfFile(path);
      }
    }
    throw new FixError(`cannot take the lock ${path}`);
  } finally {
    removeIfFile(mine);
  }
}
