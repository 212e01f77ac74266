// `rampart fix --emit ansible|sh` (issue 12): the plan as a playbook or a POSIX script that another tool
// (or an operator) runs. Pure: text in, text out. The emitted artefact carries the same validations as
// the apply engine and a guard per file: it refuses a file whose sha256 is neither the one the plan was
// made against nor the planned result (someone changed it since), and skips a file already as planned.
import { createHash } from 'node:crypto';
import { CANDIDATE, type FixPlan } from '../plan.js';
import { emitAnsible } from './ansible.js';
import { emitSh } from './sh.js';

export type EmitFormat = 'ansible' | 'sh';

/** A plan cannot be emitted as asked (a redacted secret, binary content for a playbook, no baseline). */
export class EmitError extends Error {
  override name = 'EmitError';
}

export interface EmitFile {
  path: string;
  content: Uint8Array;
  /** sha256 (hex) of the content the plan was made against; null: the file did not exist. */
  baseline: string | null;
  /** Mode/owner for a file the plan creates (an existing file keeps its own). */
  create?: { mode: number; owner: string | number; group: string | number };
  validate?: readonly string[];
}

/** A mode/owner-only change (recipe `file-mode` step). */
export interface EmitModeChange {
  path: string;
  /** Octal text, '0600'. */
  mode: string;
  owner?: string;
  group?: string;
}

/**
 * A recipe `command` step. Guards, so that a second run changes nothing: `unless` (argv; exit 0 means
 * already done: the command is skipped), or `creates` (a path; present means done). With neither, the
 * command runs (and reports a change) on every run.
 */
export interface EmitCommand {
  argv: readonly string[];
  purpose: string;
  unless?: readonly string[];
  creates?: string;
}

export interface EmitPlan {
  host: string;
  files: readonly EmitFile[];
  modes: readonly EmitModeChange[];
  /** Run once after the files are in place, only when a file changed. */
  reload: readonly (readonly string[])[];
  commands: readonly EmitCommand[];
}

export interface FromFixPlanExtras {
  /** Current content of every path the plan writes (null: absent) at planning time: the guard's baseline. */
  originals: ReadonlyMap<string, Uint8Array | null>;
  modes?: readonly EmitModeChange[];
  commands?: readonly EmitCommand[];
  /** Paths whose content holds a secret (PlannedFile.redacted): refused, a secret never goes into an artefact. */
  secretPaths?: ReadonlySet<string>;
}

export function sha256Hex(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** The emit input from the engine's FixPlan plus what the planner knows (originals, mode and command steps). */
export function emitPlanOf(plan: FixPlan, extras: FromFixPlanExtras): EmitPlan {
  const files = plan.changes.map((c): EmitFile => {
    if (extras.secretPaths?.has(c.path))
      throw new EmitError(
        `${c.path}: the new content holds a secret; it is not written into an emitted artefact (apply it with rampart fix --apply)`,
      );
    if (!extras.originals.has(c.path)) throw new EmitError(`${c.path}: no baseline content given for the guard`);
    const orig = extras.originals.get(c.path) ?? null;
    if (orig === null && !c.create) throw new EmitError(`${c.path}: a new file needs a mode and owner`);
    return {
      path: c.path,
      content: c.content,
      baseline: orig === null ? null : sha256Hex(orig),
      ...(orig === null && c.create ? { create: { mode: c.create.mode, owner: c.create.uid, group: c.create.gid } } : {}),
      ...(c.validate ? { validate: c.validate } : {}),
    };
  });
  return {
    host: plan.host,
    files,
    modes: extras.modes ?? [],
    reload: plan.reload.map((r) => r.argv),
    commands: extras.commands ?? [],
  };
}

/** Why the emit plan is malformed, or null. */
export function emitProblem(p: EmitPlan): string | null {
  const seen = new Set<string>();
  for (const f of [...p.files.map((x) => x.path), ...p.modes.map((m) => m.path)]) {
    if (!f.startsWith('/') || f.includes('\0') || f.includes('\n') || f.endsWith('/') || f.split('/').some((s) => s === '.' || s === '..'))
      return `not a plain absolute path: ${JSON.stringify(f)}`;
  }
  for (const f of p.files) {
    if (seen.has(f.path)) return `${f.path} is written twice`;
    seen.add(f.path);
    if (f.baseline !== null && !/^[0-9a-f]{64}$/.test(f.baseline)) return `${f.path}: baseline is not a sha256`;
    if (f.create && (!Number.isInteger(f.create.mode) || f.create.mode < 0 || f.create.mode > 0o7777)) return `${f.path}: bad mode`;
    if (f.validate && f.validate.length === 0) return `${f.path}: empty validator`;
  }
  for (const m of p.modes) if (!/^0?[0-7]{3,4}$/.test(m.mode)) return `${m.path}: bad mode ${JSON.stringify(m.mode)}`;
  for (const r of p.reload) if (r.length === 0) return 'empty reload command';
  for (const c of p.commands) if (c.argv.length === 0 || c.unless?.length === 0) return 'empty command';
  const all = [...p.reload, ...p.commands.flatMap((c) => [c.argv, c.unless ?? []]), ...p.files.map((f) => f.validate ?? [])];
  if (all.some((argv) => argv.some((a) => a.includes('\0')))) return 'a NUL byte in a command';
  return null;
}

export function hasCandidate(argv: readonly string[]): boolean {
  return argv.some((a) => a.includes(CANDIDATE));
}

export function emit(plan: EmitPlan, format: EmitFormat): string {
  const problem = emitProblem(plan);
  if (problem) throw new EmitError(problem);
  return format === 'ansible' ? emitAnsible(plan) : emitSh(plan);
}
