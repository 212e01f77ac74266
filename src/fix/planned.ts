// The plan as data (issue 12): what `rampart fix` shows in a dry run, gives with `--format json`, and
// what `--emit ansible|sh` turns into tasks. Plain data, no I/O. Built by src/fix/planner.ts; the apply
// engine runs `PlannedFix.plan` (the FixPlan of ./plan.ts) as one transaction.
import type { RecipeStep, RiskTier } from '../checks/recipe.js';
import type { FixPlan } from './plan.js';

export const PLANNED_FIX_VERSION = 1;

/** One file the plan writes, as shown. Paths are target paths (`/etc/ssh/sshd_config`), also for an offline root. */
export interface PlannedFile {
  path: string;
  /** `create`: the file does not exist yet; `modify`: its content changes; `mode`: only mode/owner change. */
  action: 'create' | 'modify' | 'mode';
  /** Unified diff (the `diff` library), secrets redacted. '' for a mode-only change. */
  diff: string;
  /** The full new content, secrets redacted (for --emit's `copy:`/heredoc; never a secret). */
  contentRedacted: string;
  /** True when the content held a secret that was redacted (emit must then refuse to write it blindly). */
  redacted: boolean;
  /** Mode/owner of a created file, or the wanted mode of a file-mode step (octal text '0600'). */
  mode?: string;
  owner?: string;
  group?: string;
  /** The service's own checker, argv with `{candidate}` (CANDIDATE of ./plan.ts) for the candidate path. */
  validate?: readonly string[];
  /** Which requirement ids this file's change is for. */
  for: readonly string[];
}

/** The effective value of one directive, before → after, with the file:line that will decide it. */
export interface PlannedValue {
  requirement: string;
  service: string;
  directive: string;
  section?: string;
  /** What the audit saw (with where it came from), or null when not known/unset. */
  before: string | null;
  after: string;
  decidedBy: { path: string; line: number };
}

/** A command the plan would run (never a shell line). */
export interface PlannedCommand {
  argv: readonly string[];
  purpose: string;
  /** `reload`: after the files are in place (live hosts only); `step`: a recipe's command step. */
  kind: 'reload' | 'step';
  requirement?: string;
  /** A step's undo in words (`none` when it has none). */
  undo?: string;
  timeoutMs?: number;
}

/** One failing requirement and what the plan does about it. */
export interface PlannedRequirement {
  id: string;
  title: string;
  status: string;
  risk: RiskTier;
  /** `planned`: in the plan; `skipped-disruptive`: needs --allow-disruptive; `refused`: a writer or the lockout proof refused; `no-writer`: no writer for its service yet. */
  disposition: 'planned' | 'skipped-disruptive' | 'refused' | 'no-writer';
  reason?: string;
  steps: readonly RecipeStep[];
  note?: string;
}

/** A lockout-proof finding (src/fix/lockout.ts). */
export interface LockoutFinding {
  /** `refuse`: the apply is refused; `warn`: shown, not blocking. */
  level: 'refuse' | 'warn';
  code: string;
  message: string;
  /** The requirement whose change triggers it. */
  requirement?: string;
}

export interface PlannedFix {
  schemaVersion: typeof PLANNED_FIX_VERSION;
  host: string;
  /** 'live': this host (reloads); 'root': an offline root (no reloads), `root` its directory. */
  mode: 'live' | 'root';
  root: string | null;
  /** The audit time the plan is based on (ISO). */
  auditedAt: string;
  requirements: readonly PlannedRequirement[];
  files: readonly PlannedFile[];
  values: readonly PlannedValue[];
  commands: readonly PlannedCommand[];
  /** Writers' notes: a later drop-in neutralised, a Match block that still overrides… */
  notes: readonly string[];
  lockout: readonly LockoutFinding[];
  /** The highest risk among planned requirements ('safe' when none is disruptive). */
  risk: RiskTier;
  /** Whether `--apply` would be refused, and why (lockout proof, nothing to do). */
  refused: string | null;
}

/** The planner's whole output: the data above, and the FixPlan the engine applies (host paths, real bytes). */
export interface PlannerOutput {
  planned: PlannedFix;
  /** null when there is nothing to write. Paths are host paths (under the root for an offline root). */
  plan: FixPlan | null;
  /** Recipe `command` steps (live mode only): run by the transaction (FixPlan.commands), emitted by --emit. */
  commandSteps: readonly PlannedCommand[];
}
