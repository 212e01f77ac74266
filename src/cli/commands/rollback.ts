// `rampart rollback [RUN]` (issue 12): every file a fix run changed back to its exact bytes, mode and
// owner; created files removed; reloads re-run. A file changed after the fix is refused with the
// three-way difference (secrets redacted) unless --force. Without RUN: the latest applied run.
import { resolve } from 'node:path';
import { listRuns, readManifest, runDirOf } from '../../fix/receipt.js';
import { redactText } from '../../fix/planner.js';
import { rollbackRun } from '../../fix/rollback.js';
import { resolveStateDir } from '../../store/state-dir.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommandSpec, Parsed } from '../spec.js';
import { fixRunner } from '../../fix/runner.js';

async function runRollback(args: Parsed, io: Io): Promise<number> {
  const v = args.values;
  const stateDir = resolveStateDir(typeof v['state-dir'] === 'string' ? v['state-dir'] : undefined, io.env, io.cwd).dir;
  const root = typeof v.root === 'string' ? resolve(io.cwd, v.root) : null;
  let runId = args.positionals[0];
  const manifests = listRuns(stateDir)
    .map((id) => ({ id, m: readManifest(runDirOf(stateDir, id)) }))
    .filter((x) => x.m !== null);
  if (runId === undefined) {
    const applied = manifests.filter((x) => x.m!.state === 'applied').sort((a, b) => a.m!.startedAt.localeCompare(b.m!.startedAt));
    const last = applied[applied.length - 1];
    if (!last) throw new UsageError(`no applied fix run in ${stateDir}/runs`);
    runId = last.id;
  }
  const m = manifests.find((x) => x.id === runId)?.m;
  if (!m) throw new UsageError(`no fix run ${runId} in ${stateDir}/runs`);
  if (root !== null && m.files.some((f) => !f.path.startsWith(`${root}/`)))
    throw new UsageError(`run ${runId} changed files outside --root ${root}: not the run of this root`);
  const r = await rollbackRun(stateDir, runId, { force: v.force === true, hooks: { run: fixRunner } });
  switch (r.status) {
    case 'rolled-back':
    case 'partial':
      io.stdout(
        `${r.status === 'rolled-back' ? 'rolled back' : 'partly rolled back'} run ${runId}: restored ${r.restored.length}, removed ${r.removed.length}${r.undone.length ? `, undid ${r.undone.length} command(s)` : ''}\n`,
      );
      for (const u of r.undone) io.stdout(`undone: ${u}\n`);
      for (const w of r.warnings) io.stdout(`warning: ${w}\n`);
      for (const f of r.refused) io.stdout(`refused: ${f.reason}\n${redactText(f.diff, true).text}`);
      return r.status === 'rolled-back' ? 0 : 1;
    case 'refused':
      io.stderr(`rampart: rollback refused: ${r.reason}\n`);
      for (const f of r.refused) io.stderr(`${f.reason}\n${redactText(f.diff, true).text}`);
      return 1;
    case 'rollback-failed':
      io.stderr(`rampart: rollback failed: ${r.problems.join('; ')}\n`);
      return 1;
  }
}

export const rollbackSpec: CommandSpec = {
  name: 'rollback',
  summary: 'restore every file a fix run changed to its exact bytes, mode and owner',
  usage: ['rollback [RUN] [--root DIR] [--force] [--state-dir DIR]'],
  options: {
    root: { type: 'string', arg: 'DIR', help: "the offline root the run fixed (a check that the run is this root's)" },
    force: { type: 'boolean', help: 'restore files changed after the fix too (their later changes are lost)' },
    'state-dir': { type: 'string', arg: 'DIR', help: 'where the receipts are (as for fix)' },
  },
  positionals: [{ name: 'RUN', help: 'the run id (default: the latest applied run)', optional: true }],
  examples: [
    { cmd: 'rampart rollback', what: 'undo the latest fix run' },
    { cmd: 'rampart rollback 20261203T101500Z-a1b2c3 --force', what: 'undo that run even where files changed since' },
  ],
  exitCodes: ['0 every file restored', '1 a file was refused or the rollback failed'],
  run: runRollback,
};
