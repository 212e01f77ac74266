// The rollback of a run, journaled: shared by the automatic rollback after a failed step, the
// recovery of an interrupted run and `rampart rollback`.
import { FixError } from './fs-ops.js';
import { readState } from './fs-ops.js';
import { writeManifest, type Journal, type JournalRecord, type Manifest } from './receipt.js';
import { isOriginal, reloadAll, removeTemps, restoreEntry, type CommandRunner } from './restore.js';
import { undoCommand } from './command-run.js';

export type StepHook = (step: string) => void | Promise<void>;

export interface RollbackOutcome {
  restored: string[];
  removed: string[];
  /** Files that could not be put back: the run stays open and the next invocation retries. */
  problems: string[];
  /** Reload failures after the files were put back; commands that have no undo. */
  warnings: string[];
  /** The commands undone (argv joined). */
  undone: string[];
}

export interface RollbackArgs {
  runDir: string;
  manifest: Manifest | null;
  journal: Journal;
  files: number[];
  /** Commands of the run that had started (a `cmd-run` record): undone in reverse order, after the files. */
  commands?: number[];
  force: boolean;
  reason: string;
  /** Commands of the run left as they are (their undo was refused): the run is then only partly rolled back. */
  commandsLeft?: boolean;
  /** Whether the live files had been replaced (then the services are reloaded). */
  reload: boolean;
  run: CommandRunner;
  step: StepHook;
}

export async function rollbackFiles(a: RollbackArgs): Promise<RollbackOutcome> {
  const out: RollbackOutcome = { restored: [], removed: [], problems: [], warnings: [], undone: [] };
  const commands = a.commands ?? [];
  // A journal that cannot be written (full disk) does not stop the files from being put back: the run
  // then stays open and the next invocation finishes it.
  const append = (rec: JournalRecord): void => {
    try {
      a.journal.append(rec);
    } catch (err) {
      out.problems.push(`cannot write the journal: ${(err as Error).message}`);
    }
  };
  append({ op: 'rollback', reason: a.reason, files: a.files, force: a.force, ...(commands.length ? { commands } : {}) });
  await a.step('rollback');
  for (const e of a.manifest?.files ?? []) {
    try {
      removeTemps(e, a.manifest!.runId);
    } catch (err) {
      out.problems.push(`cannot remove the candidate beside ${e.path}: ${(err as Error).message}`);
    }
  }
  for (const i of a.files) {
    const e = a.manifest?.files[i];
    if (!a.manifest || !e) {
      out.problems.push(`file ${i} is not in the manifest`);
      continue;
    }
    try {
      const r = restoreEntry(a.runDir, a.manifest.runId, e, a.force);
      if (r === 'restored') out.restored.push(e.path);
      if (r === 'removed') out.removed.push(e.path);
      append({ op: 'restored', i });
      await a.step(`restored:${i}`);
    } catch (err) {
      if (!(err instanceof FixError) && !isErrno(err)) throw err;
      out.problems.push((err as Error).message);
    }
  }
  for (const k of [...commands].sort((x, y) => y - x)) {
    const c = a.manifest?.commands?.[k];
    if (!a.manifest || !c) {
      out.problems.push(`command ${k} is not in the manifest`);
      continue;
    }
    const what = c.argv.join(' ');
    if (!c.restores.length && !c.restoresKernelFirewall && !c.undo) {
      out.warnings.push(`not undone: ${what} (it has no undo)`);
      continue;
    }
    try {
      const problems = await undoCommand(a.runDir, a.manifest.runId, k, c, a.run);
      if (problems.length) {
        out.problems.push(...problems.map((p) => `undo of ${what}: ${p}`));
        continue;
      }
      out.undone.push(what);
      append({ op: 'undone', k });
      await a.step(`undone:${k}`);
    } catch (err) {
      if (!(err instanceof FixError) && !isErrno(err)) throw err;
      out.problems.push(`undo of ${what}: ${(err as Error).message}`);
    }
  }
  if (a.reload && a.manifest && a.manifest.reload.length > 0) {
    out.warnings.push(...(await reloadAll(a.manifest.reload, a.run)));
    await a.step('rollback-reloaded');
  }
  if (out.problems.length > 0) return out;
  try {
    if (a.manifest) {
      const m = a.manifest;
      const all = a.commandsLeft !== true && m.files.every((e) => isOriginal(readState(e.path), e));
      writeManifest(a.runDir, { ...m, state: all ? 'rolled-back' : 'partially-rolled-back' });
    }
  } catch (err) {
    out.problems.push(`cannot update the manifest: ${(err as Error).message}`);
    return out;
  }
  append({ op: 'rolled-back', files: a.files });
  await a.step('rolled-back');
  return out;
}

function isErrno(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

export type OpenPhase =
  null | { kind: 'apply' } | { kind: 'rollback'; files: number[]; commands: number[]; force: boolean; reason: string };

/** What a run's journal leaves open: an apply that neither committed nor rolled back, or a rollback not finished. */
export function openPhase(j: readonly JournalRecord[]): OpenPhase {
  let committed = false;
  let rollback: Extract<JournalRecord, { op: 'rollback' }> | null = null;
  for (const r of j) {
    if (r.op === 'committed') committed = true;
    else if (r.op === 'rollback') rollback = r;
    else if (r.op === 'rolled-back') rollback = null;
  }
  if (rollback)
    return { kind: 'rollback', files: rollback.files, commands: rollback.commands ?? [], force: rollback.force, reason: rollback.reason };
  const last = j.at(-1);
  if (committed || last?.op === 'rolled-back') return null;
  return { kind: 'apply' };
}

/** The files the run had replaced or begun to replace (a rename intent in the journal): the others were never touched. */
export function replacedFiles(j: readonly JournalRecord[]): number[] {
  return [...new Set(j.flatMap((r) => (r.op === 'rename' ? [r.i] : [])))];
}

/** The commands the run had started (a `cmd-run` record): each may have had its effect. */
export function ranCommands(j: readonly JournalRecord[]): number[] {
  return [...new Set(j.flatMap((r) => (r.op === 'cmd-run' ? [r.k] : [])))];
}

/** The commands a rollback already undid (an `undone` record). */
export function undoneCommands(j: readonly JournalRecord[]): Set<number> {
  return new Set(j.flatMap((r) => (r.op === 'undone' ? [r.k] : [])));
}
