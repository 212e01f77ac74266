// `rampart rollback RUN`: every file the run changed back to its exact bytes, mode, owner and group;
// files it created removed; what it reloaded reloaded. A file changed after the fix is refused (with
// the three-way difference) unless force.
import { FixError, readState, type FileState } from './fs-ops.js';
import { threeWayDiff, type Version } from './diff.js';
import { isRunId } from './plan.js';
import { Journal, acquireLock, readJournal, readManifest, readRunFile, runDirOf, type FileEntry } from './receipt.js';
import { changedSinceCommands } from './command-run.js';
import { recoverLocked, type RecoveryReport } from './recover.js';
import { isFixed, isOriginal, runCommand, type CommandRunner } from './restore.js';
import { ranCommands, rollbackFiles, undoneCommands, type StepHook } from './rollback-core.js';

export interface RefusedFile {
  path: string;
  reason: string;
  /** original → as fixed, as fixed → now (unified diffs). */
  diff: string;
}

export interface RollbackOptions {
  force?: boolean;
  hooks?: { run?: CommandRunner; step?: StepHook };
}

export type RollbackResult =
  | {
      /** rolled-back: every file is original again; partial: the refused files are not. */
      status: 'rolled-back' | 'partial';
      runId: string;
      restored: string[];
      removed: string[];
      /** Recipe commands undone (argv joined). */
      undone: string[];
      refused: RefusedFile[];
      warnings: string[];
      recovered: RecoveryReport[];
    }
  | { status: 'refused'; runId: string; reason: string; refused: RefusedFile[]; recovered: RecoveryReport[] }
  | { status: 'rollback-failed'; runId: string; problems: string[]; recovered: RecoveryReport[] };

function versionOf(label: string, s: FileState): Version {
  return s.exists ? { label, content: s.content, meta: { mode: s.mode, uid: s.uid, gid: s.gid } } : { label, content: null, meta: null };
}

function refusal(runDir: string, e: FileEntry, cur: FileState): RefusedFile {
  let diff: string;
  try {
    const original: Version =
      e.original && e.backup
        ? { label: 'original', content: readRunFile(runDir, e.backup, e.original.sha256), meta: e.original }
        : { label: 'original', content: null, meta: null };
    const fixed: Version = { label: 'as fixed', content: readRunFile(runDir, e.content, e.fixed.sha256), meta: e.fixed };
    diff = threeWayDiff(e.path, original, fixed, versionOf('now', cur));
  } catch (err) {
    diff = `(no difference shown: ${(err as Error).message})\n`;
  }
  const what = !cur.exists ? 'was removed' : cur.sha256 !== e.fixed.sha256 ? 'content changed' : 'mode or owner changed';
  return { path: e.path, reason: `${e.path} changed after the fix (${what}): not restored; --force restores it anyway`, diff };
}

export async function rollbackRun(stateDir: string, runId: string, opts: RollbackOptions = {}): Promise<RollbackResult> {
  if (!isRunId(runId)) return { status: 'refused', runId, reason: `bad run id ${JSON.stringify(runId)}`, refused: [], recovered: [] };
  let release: () => void;
  try {
    release = acquireLock(stateDir);
  } catch (e) {
    if (e instanceof FixError) return { status: 'refused', runId, reason: e.message, refused: [], recovered: [] };
    throw e;
  }
  try {
    return await rollbackLocked(stateDir, runId, opts);
  } finally {
    release();
  }
}

/** rollbackRun with the state directory's lock already held (the dead-man switch's end holds it across). */
export async function rollbackLocked(stateDir: string, runId: string, opts: RollbackOptions = {}): Promise<RollbackResult> {
  const run = opts.hooks?.run ?? runCommand;
  const recovered = await recoverLocked(stateDir, run);
  const runDir = runDirOf(stateDir, runId);
  const manifest = readManifest(runDir);
  if (!manifest) return { status: 'refused', runId, reason: `no receipt for run ${runId} in ${stateDir}`, refused: [], recovered };
  if (manifest.state === 'rolled-back')
    return { status: 'refused', runId, reason: `run ${runId} is already rolled back`, refused: [], recovered };
  if (manifest.state === 'applying')
    return { status: 'refused', runId, reason: `run ${runId} is still open (its recovery failed)`, refused: [], recovered };
  const todo: number[] = [];
  const refused: RefusedFile[] = [];
  for (const [i, e] of manifest.files.entries()) {
    let cur: FileState;
    try {
      cur = readState(e.path);
    } catch (err) {
      if (!(err instanceof FixError)) throw err;
      refused.push({ path: e.path, reason: err.message, diff: '' });
      continue;
    }
    if (isOriginal(cur, e)) continue;
    if (isFixed(cur, e) || opts.force === true) todo.push(i);
    else refused.push(refusal(runDir, e, cur));
  }
  // Commands are undone newest first, each back to the state before it: one changed since refuses them all.
  const records = readJournal(runDir);
  const undone = undoneCommands(records);
  let commands = manifest.commands?.length ? ranCommands(records).filter((k) => !undone.has(k)) : [];
  let commandsLeft = false;
  if (opts.force !== true && commands.length > 0) {
    const why = await changedSinceCommands(runDir, commands);
    if (why) {
      refused.push({
        path: `commands: ${commands.map((k) => manifest.commands![k]!.argv.join(' ')).join('; ')}`,
        reason: `${why}: undoing the commands would overwrite that; --force undoes them anyway`,
        diff: '',
      });
      commands = [];
      commandsLeft = true;
    }
  }
  if (todo.length === 0 && commands.length === 0 && refused.length > 0)
    return { status: 'refused', runId, reason: `everything run ${runId} left changed after the fix`, refused, recovered };
  const journal = new Journal(runDir);
  try {
    const out = await rollbackFiles({
      runDir,
      manifest,
      journal,
      files: todo,
      commands,
      commandsLeft,
      force: opts.force === true,
      reason: opts.force === true ? 'rollback --force' : 'rollback',
      reload: todo.length > 0,
      run,
      step: opts.hooks?.step ?? (() => {}),
    });
    if (out.problems.length > 0) return { status: 'rollback-failed', runId, problems: out.problems, recovered };
    return {
      status: refused.length > 0 ? 'partial' : 'rolled-back',
      runId,
      restored: out.restored,
      removed: out.removed,
      undone: out.undone,
      refused,
      warnings: out.warnings,
      recovered,
    };
  } finally {
    journal.close();
  }
}
