// The apply engine: one plan, one transaction. Back up every file, write each new file to a candidate
// beside it, validate the candidate with the service's own checker, rename the candidates into place,
// reload, re-check; on any failure put every file back byte for byte and reload. Every step is in the
// journal before its effect, so a process killed anywhere is rolled back by the next invocation.
import { dirname } from 'node:path';
import { FixError, checkParent, fsyncDir, readState, replace, sha256, tempPathOf, writeExclusive, type FileMeta } from './fs-ops.js';
import { isRunId, planProblem, validatorArgv, type FixPlan } from './plan.js';
import {
  Journal,
  acquireLock,
  commandEntryOf,
  createRunDir,
  writeManifest,
  writeRunFile,
  type FileEntry,
  type Manifest,
} from './receipt.js';
import { recordAfterCommand, runRecipeCommand, saveBeforeCommand } from './command-run.js';
import { recoverLocked, type RecoveryReport } from './recover.js';
import { rollbackFiles, type StepHook } from './rollback-core.js';

/** What a recipe command printed (secrets redacted), as the receipt keeps it. */
export interface CommandOutput {
  argv: string[];
  code: number | null;
  output: string;
}
import { DEFAULT_TIMEOUT_MS, isOriginal, runCommand, type CommandRunner } from './restore.js';

export interface ApplyHooks {
  /** Called after each step with its name (`backup:0`, `temp:0`, `validated:0`, `renamed:0`, `reloaded:0`, `verified`, `committed`…): the fault-injection point. A throw fails that step. */
  step?: StepHook;
  /** Runs validators and reload commands (default: spawn without a shell, with a timeout). */
  run?: CommandRunner;
  /** The re-check after the reload: null when the change is verified, else why not (then everything is rolled back). */
  verify?: () => Promise<string | null>;
}

export interface ApplyOptions {
  stateDir: string;
  runId: string;
  hooks?: ApplyHooks;
  now?: Date;
}

export type ApplyResult =
  | { status: 'applied'; runId: string; runDir: string; files: FileEntry[]; commands: CommandOutput[]; recovered: RecoveryReport[] }
  | {
      status: 'rolled-back';
      runId: string;
      runDir: string;
      failedStep: string;
      reason: string;
      restored: string[];
      removed: string[];
      undone: string[];
      warnings: string[];
      commands: CommandOutput[];
      recovered: RecoveryReport[];
    }
  | {
      /** The rollback itself failed: the run stays open; the next invocation retries it. */
      status: 'rollback-failed';
      runId: string;
      runDir: string;
      failedStep: string;
      reason: string;
      problems: string[];
      recovered: RecoveryReport[];
    }
  | { status: 'refused'; reason: string; recovered: RecoveryReport[] };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function applyPlan(plan: FixPlan, opts: ApplyOptions): Promise<ApplyResult> {
  const problem = planProblem(plan) ?? (isRunId(opts.runId) ? null : `bad run id ${JSON.stringify(opts.runId)}`);
  if (problem) return { status: 'refused', reason: problem, recovered: [] };
  let release: () => void;
  try {
    release = acquireLock(opts.stateDir);
  } catch (e) {
    if (e instanceof FixError) return { status: 'refused', reason: e.message, recovered: [] };
    throw e;
  }
  try {
    return await applyLocked(plan, opts);
  } finally {
    release();
  }
}

async function applyLocked(plan: FixPlan, opts: ApplyOptions): Promise<ApplyResult> {
  const run = opts.hooks?.run ?? runCommand;
  const step: StepHook = opts.hooks?.step ?? (() => {});
  const recovered = await recoverLocked(opts.stateDir, run);
  const stuck = recovered.filter((r) => r.problems.length > 0);
  if (stuck.length > 0)
    return {
      status: 'refused',
      reason: `an earlier run could not be rolled back: ${stuck.map((r) => `${r.runId}: ${r.problems.join('; ')}`).join(' | ')}`,
      recovered,
    };
  let runDir: string;
  let journal: Journal;
  try {
    runDir = createRunDir(opts.stateDir, opts.runId);
    journal = new Journal(runDir);
  } catch (e) {
    return { status: 'refused', reason: `cannot start the run: ${message(e)}`, recovered };
  }
  let at = 'begin';
  let manifest: Manifest | null = null;
  const replaced: number[] = [];
  const started: number[] = [];
  const outputs: CommandOutput[] = [];
  try {
    journal.append({ op: 'begin', pid: process.pid });
    await step(at);

    const entries: FileEntry[] = [];
    for (const [i, c] of plan.changes.entries()) {
      at = `backup:${i}`;
      checkParent(c.path);
      const cur = readState(c.path);
      if (!cur.exists && !c.create) throw new FixError(`${c.path} does not exist and the plan gives no mode and owner to create it`);
      const meta: FileMeta = c.setMeta ?? (cur.exists ? { mode: cur.mode, uid: cur.uid, gid: cur.gid } : c.create!);
      const content = Buffer.from(c.content);
      if (cur.exists) writeRunFile(runDir, `files/${i}.orig`, cur.content);
      writeRunFile(runDir, `files/${i}.new`, content);
      entries.push({
        path: c.path,
        existed: cur.exists,
        original: cur.exists
          ? { mode: cur.mode, uid: cur.uid, gid: cur.gid, sha256: cur.sha256, size: cur.size, atimeMs: cur.atimeMs, mtimeMs: cur.mtimeMs }
          : null,
        fixed: { ...meta, sha256: sha256(content), size: content.length },
        backup: cur.exists ? `files/${i}.orig` : null,
        content: `files/${i}.new`,
        validate: c.validate ?? null,
      });
      journal.append({ op: 'backup', i });
      await step(at);
    }
    at = 'manifest';
    manifest = {
      schemaVersion: 1,
      runId: opts.runId,
      host: plan.host,
      startedAt: (opts.now ?? new Date()).toISOString(),
      state: 'applying',
      files: entries,
      reload: plan.reload.map((r) => ({ ...r, argv: [...r.argv] })),
      ...(plan.commands?.length ? { commands: plan.commands.map((c) => commandEntryOf(c, DEFAULT_TIMEOUT_MS)) } : {}),
    };
    writeManifest(runDir, manifest);
    journal.append({ op: 'manifest' });
    await step(at);

    // Recipe commands (a package install, ufw): before the candidates, whose validators may need them.
    for (const [k, c] of (manifest.commands ?? []).entries()) {
      at = `cmd-saved:${k}`;
      await saveBeforeCommand(runDir, k, c);
      journal.append({ op: 'cmd-saved', k });
      await step(at);
      at = `cmd-intent:${k}`;
      journal.append({ op: 'cmd-run', k });
      started.push(k);
      await step(at);
      at = `cmd-done:${k}`;
      const r = await runRecipeCommand(runDir, k, c, run);
      outputs.push({ argv: c.argv, code: r.code, output: r.output });
      if (r.code !== 0) throw new FixError(`${c.argv.join(' ')} failed (exit ${r.code ?? 'abnormal'}): ${r.output.trim().slice(0, 2000)}`);
      await recordAfterCommand(runDir, k, c);
      journal.append({ op: 'cmd-done', k, code: r.code });
      await step(at);
    }

    for (const [i, e] of entries.entries()) {
      const c = plan.changes[i]!;
      const temp = tempPathOf(e.path, opts.runId, 'new');
      at = `temp-intent:${i}`;
      journal.append({ op: 'temp', i, temp });
      await step(at);
      at = `temp:${i}`;
      writeExclusive(temp, c.content, e.fixed);
      await step(at);
      if (c.validate) {
        at = `validated:${i}`;
        const argv = validatorArgv(c.validate, temp);
        const r = await run(argv, DEFAULT_TIMEOUT_MS);
        if (r.code !== 0)
          throw new FixError(
            `${argv.join(' ')} refused the new ${e.path} (exit ${r.code ?? 'abnormal'}): ${r.output.trim().slice(0, 2000)}`,
          );
        journal.append({ op: 'validated', i });
        await step(at);
      }
    }

    for (const [i, e] of entries.entries()) {
      at = `rename-intent:${i}`;
      // Changed by someone else since the backup: replacing it would lose that change.
      if (!isOriginal(readState(e.path), e)) throw new FixError(`${e.path} changed while the fix was running: not replaced`);
      journal.append({ op: 'rename', i });
      replaced.push(i);
      await step(at);
      at = `renamed:${i}`;
      replace(tempPathOf(e.path, opts.runId, 'new'), e.path);
      await step(at);
      at = `dir-synced:${i}`;
      fsyncDir(dirname(e.path));
      journal.append({ op: 'renamed', i });
      await step(at);
    }

    for (const [k, r] of plan.reload.entries()) {
      at = `reloaded:${k}`;
      const res = await run(r.argv, r.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      if (res.code !== 0)
        throw new FixError(`reload ${r.argv.join(' ')} failed (exit ${res.code ?? 'abnormal'}): ${res.output.trim().slice(0, 2000)}`);
      journal.append({ op: 'reloaded', k });
      await step(at);
    }

    at = 'verified';
    for (const e of entries) {
      const s = readState(e.path);
      if (!s.exists || s.sha256 !== e.fixed.sha256 || s.mode !== e.fixed.mode || s.uid !== e.fixed.uid || s.gid !== e.fixed.gid)
        throw new FixError(`${e.path} is not as written after the reload`);
    }
    const why = opts.hooks?.verify ? await opts.hooks.verify() : null;
    if (why !== null) throw new FixError(`the re-check failed: ${why}`);
    journal.append({ op: 'verified' });
    await step(at);

    at = 'committed';
    manifest = { ...manifest, state: 'applied' };
    writeManifest(runDir, manifest);
    journal.append({ op: 'committed' });
    await step(at);
    journal.close();
    return { status: 'applied', runId: opts.runId, runDir, files: entries, commands: outputs, recovered };
  } catch (e) {
    const reason = message(e);
    try {
      const out = await rollbackFiles({
        runDir,
        manifest,
        journal,
        files: replaced,
        commands: started,
        force: false,
        reason: `${at}: ${reason}`,
        reload: replaced.length > 0,
        run,
        step,
      });
      if (out.problems.length > 0)
        return { status: 'rollback-failed', runId: opts.runId, runDir, failedStep: at, reason, problems: out.problems, recovered };
      return {
        status: 'rolled-back',
        runId: opts.runId,
        runDir,
        failedStep: at,
        reason,
        restored: out.restored,
        removed: out.removed,
        undone: out.undone,
        warnings: out.warnings,
        commands: outputs,
        recovered,
      };
    } catch (e2) {
      return { status: 'rollback-failed', runId: opts.runId, runDir, failedStep: at, reason, problems: [message(e2)], recovered };
    } finally {
      journal.close();
    }
  }
}
