// The plan the apply engine executes: plain data, no I/O. Remedies build it; src/fix/apply.ts runs it
// as one transaction per host.

/** Stands for the temporary candidate file in a validator's argv (`['sshd', '-t', '-f', CANDIDATE]`). */
export const CANDIDATE = '{candidate}';

/** Mode and owner of a file the plan creates (an existing file keeps its own). */
export interface NewFileMeta {
  mode: number;
  uid: number;
  gid: number;
}

export interface FileChange {
  /** Absolute path of the file to write (the parent directory must exist). */
  path: string;
  /** The whole new content. */
  content: Uint8Array;
  /** Required when the file does not exist yet; ignored when it does. */
  create?: NewFileMeta;
  /** Mode and owner the file gets whether or not it exists (a file-mode step); rollback restores the original ones. */
  setMeta?: NewFileMeta;
  /** The service's own checker, run on the candidate before it replaces the file; CANDIDATE is its path. */
  validate?: readonly string[];
}

export interface CommandStep {
  argv: readonly string[];
  timeoutMs?: number;
}

/**
 * A recipe's command run inside the transaction (argv, never a shell). Its undo, where one exists:
 * the exact prior state of `restores` (bytes, mode, owner, group; or absence) and, with
 * `restoresKernelFirewall`, the kernel's iptables/ip6tables rulesets, both saved just before it runs;
 * then `undo`, an inverse command. A command with none of them cannot be undone (the plan says so).
 */
export interface CommandAction {
  argv: readonly string[];
  /** Why, in the plan's words. */
  purpose: string;
  /** The requirement it is for. */
  requirement?: string;
  timeoutMs?: number;
  /** Absolute host paths whose exact state is saved before the command and put back by its undo. */
  restores?: readonly string[];
  /** Save `iptables-save`/`ip6tables-save` before the command; the undo loads them back (and drops tables the command created). */
  restoresKernelFirewall?: boolean;
  /** An inverse command, run by the undo after the saved state is back. */
  undo?: readonly string[];
}

export interface FixPlan {
  /** The host the plan is for (the receipt names it). */
  host: string;
  changes: readonly FileChange[];
  /** Run after every file is in place (and again after a rollback that had replaced a file). None for an offline root. */
  reload: readonly CommandStep[];
  /** Recipe commands, run in order after the backups and before the candidates are written (never for an offline root). */
  commands?: readonly CommandAction[];
}

/** The argv of a validator with CANDIDATE replaced by the candidate's path. */
export function validatorArgv(argv: readonly string[], candidate: string): string[] {
  return argv.map((a) => a.split(CANDIDATE).join(candidate));
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isRunId(id: string): boolean {
  return RUN_ID.test(id) && !id.includes('..');
}

/** Why a plan cannot be applied as given, or null. */
export function planProblem(plan: FixPlan): string | null {
  if (plan.changes.length === 0 && (plan.commands?.length ?? 0) === 0) return 'the plan changes no file and runs no command';
  const seen = new Set<string>();
  for (const c of plan.changes) {
    if (!c.path.startsWith('/') || c.path.includes('\0') || c.path.endsWith('/'))
      return `not an absolute file path: ${JSON.stringify(c.path)}`;
    if (c.path.split('/').some((part) => part === '.' || part === '..')) return `path with . or ..: ${c.path}`;
    if (seen.has(c.path)) return `the plan writes ${c.path} twice`;
    seen.add(c.path);
    if (c.create && (!Number.isInteger(c.create.mode) || c.create.mode < 0 || c.create.mode > 0o7777))
      return `bad mode for ${c.path}: ${c.create.mode}`;
    if (c.setMeta && (!Number.isInteger(c.setMeta.mode) || c.setMeta.mode < 0 || c.setMeta.mode > 0o7777))
      return `bad mode for ${c.path}: ${c.setMeta.mode}`;
    if (c.validate && c.validate.length === 0) return `empty validator for ${c.path}`;
  }
  for (const r of plan.reload) if (r.argv.length === 0) return 'empty reload command';
  for (const c of plan.commands ?? []) {
    if (c.argv.length === 0) return 'empty command';
    if (c.undo && c.undo.length === 0) return `empty undo for ${c.argv.join(' ')}`;
    for (const p of c.restores ?? [])
      if (!p.startsWith('/') || p.includes('\0') || p.split('/').some((part) => part === '.' || part === '..'))
        return `not an absolute file path: ${JSON.stringify(p)}`;
  }
  return null;
}
