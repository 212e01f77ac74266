export {
  CANDIDATE,
  validatorArgv,
  planProblem,
  isRunId,
  type FixPlan,
  type FileChange,
  type CommandStep,
  type NewFileMeta,
} from './plan.js';
export { applyPlan, type ApplyHooks, type ApplyOptions, type ApplyResult } from './apply.js';
export { rollbackRun, type RollbackOptions, type RollbackResult, type RefusedFile } from './rollback.js';
export { recoverInterrupted, type RecoveryReport } from './recover.js';
export { unifiedDiff, threeWayDiff } from './diff.js';
export { runDirOf, readManifest, readJournal, type Manifest, type FileEntry, type JournalRecord } from './receipt.js';
