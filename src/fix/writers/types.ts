import type { ConfigService, SetDirectiveStep } from '../../checks/recipe.js';
import type { Config } from '../../config/schema.js';
import type { Target } from '../../target/types.js';
import type { NewFileMeta } from '../plan.js';

/**
 * A service writer (issue 12): how a `set-directive` recipe step becomes a file change for one service,
 * with that service's file semantics (sshd: first value wins, a drop-in that sorts first; Redis: last
 * value wins; fail2ban: jail.d/*.local; PostgreSQL: postgresql.auto.conf overrides…). Pure with respect
 * to the host: it reads through the Target and returns content; the planner diffs it and the apply
 * engine (src/fix/apply.ts) writes, validates and reloads.
 */
export interface WriterInput {
  /** The audited host or offline root, read-only. Paths are target paths (`/etc/ssh/sshd_config`). */
  target: Target;
  /** 'live' applies to this host (reloads allowed); 'root' to an offline root (no reloads). */
  mode: 'live' | 'root';
  step: SetDirectiveStep;
  /** Files an earlier step of the same plan already changed (target path → new content): steps compose. */
  pending: ReadonlyMap<string, Uint8Array>;
  /** The audit's configuration, where a writer must find what the audit found (compose_search_dirs…). */
  config?: Config;
  /** The offline root's directory on this machine (mode 'root'): a validator naming other files uses host paths. */
  rootDir?: string | null;
}

export interface WriterChange {
  /** Target path of the file to write. */
  path: string;
  content: Uint8Array;
  /** Needed when the file does not exist yet. */
  create?: NewFileMeta;
  /** The service's own checker on the candidate (CANDIDATE from ../plan.js stands for its path). */
  validate?: readonly string[];
}

export interface WriterResult {
  changes: WriterChange[];
  /** Commands to run after the files are in place (live mode only): `systemctl reload ssh`… */
  reload: readonly (readonly string[])[];
  /** The file and line that will decide the effective value once applied. */
  decidedBy: { path: string; line: number };
  /** The effective value before, with where it came from (`yes (50-cloud-init.conf:1)`). */
  before?: string;
  /** The effective value after, when it is not the step's value as written (a maxage kept unset: no limit). */
  after?: string;
  /** Things the operator must know: a later drop-in neutralised, a Match block that still overrides. */
  notes: string[];
}

export type WriterOutcome = { ok: true; result: WriterResult } | { ok: false; refused: string };

export interface DirectiveWriter {
  service: ConfigService;
  write(input: WriterInput): Promise<WriterOutcome>;
}
