// Recovery: a run the journal leaves open (the process was killed, the disk filled, the rollback
// failed) is rolled back by the next invocation, before anything else is done.
import { acquireLock, Journal, listRuns, readJournal, readManifest, runDirOf } from './receipt.js';
import { openPhase, ranCommands, replacedFiles, rollbackFiles, type StepHook } from './rollback-core.js';
import { runCommand, type CommandRunner } from './restore.js';

export interface RecoveryReport {
  runId: string;
  /** What was left open: an apply (rolled back now) or a rollback (finished now). */
  phase: 'apply' | 'rollback';
  restored: string[];
  removed: string[];
  /** Non-empty: the run is still open (a file could not be put back); nothing new is applied until it is resolved. */
  problems: string[];
  warnings: string[];
  /** Commands undone. */
  undone: string[];
}

export async function recoverInterrupted(
  stateDir: string,
  hooks: { run?: CommandRunner; step?: StepHook } = {},
): Promise<RecoveryReport[]> {
  const release = acquireLock(stateDir);
  try {
    return await recoverLocked(stateDir, hooks.run ?? runCommand, hooks.step);
  } finally {
    release();
  }
}

/** recoverInterrupted with the state directory's lock already held. */
export async function recoverLocked(stateDir: string, run: CommandRunner, step: StepHook = () => {}): Promise<RecoveryReport[]> {
  const out: RecoveryReport[] = [];
  for (const runId of listRuns(stateDir)) {
    const dir = runDirOf(stateDir, runId);
    const records = readJournal(dir);
    const phase = openPhase(records);
    if (!phase) continue;
    const manifest = readManifest(dir);
    // Killed between creating the run directory and its first record: nothing was touched.
    if (records.length === 0 && !manifest) continue;
    const report: RecoveryReport = { runId, phase: phase.kind, restored: [], removed: [], problems: [], warnings: [], undone: [] };
    out.push(report);
    let journal: Journal;
    try {
      journal = new Journal(dir);
    } catch (e) {
      report.problems.push(`cannot open the journal of ${runId}: ${(e as Error).message}`);
      continue;
    }
    try {
      const r = await rollbackFiles({
        runDir: dir,
        manifest,
        journal,
        // Only the files with a rename intent were touched (the candidates of the others are removed).
        files: phase.kind === 'rollback' ? phase.files : replacedFiles(records),
        commands: phase.kind === 'rollback' ? phase.commands : ranCommands(records),
        force: phase.kind === 'rollback' ? phase.force : false,
        reason: phase.kind === 'rollback' ? phase.reason : `recovery: the run was interrupted after "${records.at(-1)?.op ?? 'start'}"`,
        reload: replacedFiles(records).length > 0,
        run,
        step,
      });
      Object.assign(report, { restored: r.restored, removed: r.removed, problems: r.problems, warnings: r.warnings, undone: r.undone });
    } catch (e) {
      report.problems.push((e as Error).message);
    } finally {
      journal.close();
    }
  }
  return out;
}
