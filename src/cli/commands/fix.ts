// `rampart fix` (issue 12): the dry-run plan (default), `--apply` as one transaction with the lockout
// proof first and a re-audit of the touched requirements after, the dead-man switch
// (`--confirm-within`, `--confirm RUN`).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { evaluateSnapshot } from '../../audit.js';
import { CHECKS } from '../../checks/index.js';
import type { Config } from '../../config/schema.js';
import { selectChecks } from '../../evaluate/select.js';
import { applyPlan, type ApplyResult, type CommandOutput } from '../../fix/apply.js';
import { emit, emitPlanOf, EmitError, type EmitModeChange } from '../../fix/emit/index.js';
import type { FixPlan } from '../../fix/plan.js';
import type { PlannerOutput } from '../../fix/planned.js';
import { armDeadman, confirmDeadman, fireDeadman, parseWindow } from '../../fix/deadman.js';
import { lockoutProof } from '../../fix/lockout.js';
import { liveSshdPorts, simulateUfwCandidate } from '../../fix/fw-simulate.js';
import type { PlannedFix } from '../../fix/planned.js';
import { planFixes } from '../../fix/planner.js';
import { fixRunner } from '../../fix/runner.js';
import { resolveStateDir } from '../../store/state-dir.js';
import { FsTarget } from '../../target/fs-target.js';
import { clockOf, wallClock } from '../clock.js';
import { parseWholeNumber } from '../timeout.js';
import { TargetError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { snapshotFromArgs } from '../snapshot-source.js';
import type { CommandSpec, Parsed } from '../spec.js';

function splitList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The argv that runs this rampart again (the dead-man timer): RAMPART_SELF (a JSON argv) or node + this script. */
function selfArgv(io: Io): string[] {
  const s = io.env.RAMPART_SELF;
  if (s) {
    const a = JSON.parse(s) as unknown;
    if (Array.isArray(a) && a.length > 0 && a.every((x) => typeof x === 'string')) return a;
    throw new UsageError('RAMPART_SELF must be a JSON array of strings (an argv)');
  }
  return [process.execPath, process.argv[1] ?? 'rampart'];
}

function newRunId(now: Date): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

export function renderPlan(p: PlannedFix): string {
  const out: string[] = [];
  out.push(`rampart fix: ${p.host}${p.root ? ` (offline root ${p.root})` : ''}, risk ${p.risk}`);
  const planned = p.requirements.filter((r) => r.disposition === 'planned');
  out.push(`${planned.length} requirement(s) planned, ${p.requirements.length - planned.length} not:`);
  for (const r of p.requirements)
    out.push(
      `  ${r.disposition === 'planned' ? '+' : '-'} ${r.id} [${r.risk}] ${r.status}: ${r.disposition}${r.reason ? ` (${r.reason})` : ''}`,
    );
  if (p.values.length) {
    out.push('', 'Effective values:');
    for (const v of p.values)
      out.push(`  ${v.directive}: ${v.before ?? '(unset)'} → ${v.after}  (decided by ${v.decidedBy.path}:${v.decidedBy.line})`);
  }
  if (p.notes.length) out.push('', 'Notes:', ...p.notes.map((n) => `  ${n}`));
  if (p.files.length) {
    out.push('', 'Changes:');
    for (const f of p.files) {
      out.push(
        `  ${f.action} ${f.path}${f.mode ? ` (mode ${f.mode} owner ${f.owner}:${f.group})` : ''}${f.validate ? `; validated by ${f.validate.join(' ')}` : ''}`,
      );
    }
    out.push('');
    for (const f of p.files) if (f.diff) out.push(f.diff.trimEnd());
  }
  const steps = p.commands.filter((c) => c.kind === 'step');
  const reloads = p.commands.filter((c) => c.kind === 'reload');
  if (steps.length)
    out.push(
      '',
      'Commands (run by --apply in this order, after the backups and before any file is replaced; argv, no shell):',
      ...steps.map(
        (c) => `  ${c.argv.join(' ')}  (${c.purpose}${c.requirement ? `; for ${c.requirement}` : ''})\n      undo: ${c.undo ?? 'none'}`,
      ),
    );
  if (reloads.length) out.push('', 'Reloads:', ...reloads.map((c) => `  ${c.argv.join(' ')}  (${c.purpose})`));
  if (p.mode === 'root') out.push('', 'Offline root: --apply runs no command on this host (no recipe command, no reload).');
  if (p.lockout.length)
    out.push('', 'Lockout proof:', ...p.lockout.map((l) => `  ${l.level === 'refuse' ? 'REFUSED' : 'warning'} [${l.code}] ${l.message}`));
  out.push('', p.refused ? `--apply would be refused: ${p.refused}` : 'Dry run: nothing written (use --apply).');
  return `${out.join('\n')}\n`;
}

function commandLines(cs: readonly CommandOutput[]): string {
  return cs
    .map((c) => {
      const out = c.output.trim();
      return `ran ${c.argv.join(' ')}: exit ${c.code ?? 'abnormal'}${
        out
          ? `\n${out
              .split('\n')
              .slice(0, 20)
              .map((l) => `    ${l}`)
              .join('\n')}`
          : ''
      }\n`;
    })
    .join('');
}

function applyText(r: ApplyResult): string {
  switch (r.status) {
    case 'applied':
      return `${commandLines(r.commands)}applied: run ${r.runId}, ${r.files.length} file(s) changed, ${r.commands.length} command(s) run (receipt ${r.runDir}); undo with rampart rollback ${r.runId}\n`;
    case 'rolled-back':
      return `${commandLines(r.commands)}rolled back at ${r.failedStep}: ${r.reason}\nrestored ${r.restored.length}, removed ${r.removed.length}, undid ${r.undone.length} command(s)${r.warnings.length ? `; ${r.warnings.join('; ')}` : ''}\n`;
    case 'rollback-failed':
      return `the rollback failed at ${r.failedStep} (${r.reason}): ${r.problems.join('; ')}; the next rampart fix retries it\n`;
    case 'refused':
      return `refused: ${r.reason}\n`;
  }
}

async function runFix(args: Parsed, io: Io): Promise<number> {
  const v = args.values;
  const str = (k: string) => (typeof v[k] === 'string' ? v[k] : undefined);
  const flag = (k: string) => v[k] === true;
  const stateSrc = resolveStateDir(str('state-dir'), io.env, io.cwd);
  const stateDir = stateSrc.dir;
  const clock = clockOf(io, str('now'));
  const now = clock.given ? clock.now : wallClock();

  // Internal: the dead-man timer's end (a detached process sleeps first).
  const fire = str('deadman-fire');
  if (fire !== undefined) {
    const wait = parseWholeNumber(str('deadman-wait') ?? '0', '--deadman-wait', 0, 86_400_000);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const r = await fireDeadman(stateDir, fire);
    io.stdout(`dead-man ${fire}: ${r.action}${r.state?.result ? ` (${r.state.result})` : ''}\n`);
    return r.action === 'rolled-back' && r.state?.state !== 'rolled-back' ? 1 : 0;
  }
  const confirm = str('confirm');
  if (confirm !== undefined) {
    const r = await confirmDeadman(stateDir, confirm, io.env, wallClock);
    if (!r.ok) {
      io.stderr(`rampart: ${r.reason}\n`);
      return 1;
    }
    io.stdout(`confirmed run ${confirm} from ${r.state.confirmedBy}: the dead-man switch is disarmed\n`);
    return 0;
  }

  const format = str('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  const apply = flag('apply');
  const windowText = str('confirm-within');
  const windowMs = windowText === undefined ? null : parseWindow(windowText);
  if (windowText !== undefined && windowMs === null)
    throw new UsageError(`--confirm-within takes a duration such as 2m or 90s (1s to 24h), not "${windowText}"`);
  if (windowMs !== null && !apply) throw new UsageError('--confirm-within arms the dead-man switch of an --apply');
  const sel = selectChecks(CHECKS, {
    profile: 'guide',
    only: splitList(v.only as string[] | undefined),
    skip: splitList(v.skip as string[] | undefined),
  });
  if (!sel.ok) throw new UsageError(sel.message);
  const rootArg = str('root');
  let rootDir: string | null = null;
  if (rootArg !== undefined) {
    rootDir = resolve(io.cwd, rootArg);
    if (!existsSync(rootDir) || !statSync(rootDir).isDirectory()) throw new TargetError(`--root ${rootArg}: not a directory`);
  }
  const target = rootDir ? new FsTarget({ root: rootDir, name: rootArg! }) : new FsTarget({ name: hostname() });
  let auditConfig: Config | undefined;
  const audit = async (checks = sel.checks) => {
    const t0 = performance.now();
    const { snapshot, config } = await snapshotFromArgs({ root: rootArg, config: str('config') }, io, {
      checks,
      now: clock.given ? clock.now : undefined,
      timeoutS: 60,
      state: stateSrc,
    });
    auditConfig = config;
    return evaluateSnapshot(snapshot, config, clock.given ? clock.now : new Date(snapshot.collectedAt), {
      checks,
      profile: 'guide',
      startedAt: now,
      durationMs: Math.round(performance.now() - t0),
    });
  };
  const report = await audit();
  const runId = newRunId(wallClock());
  const out = await planFixes({
    target,
    rootDir,
    report,
    checks: sel.checks,
    allowDisruptive: flag('allow-disruptive'),
    runId,
    ...(auditConfig ? { config: auditConfig } : {}),
  });
  const changed = new Map<string, Uint8Array>();
  if (out.plan) for (const [i, c] of out.plan.changes.entries()) changed.set(out.planned.files[i]!.path, c.content);
  const commands = (out.plan?.commands ?? []).map((c) => c.argv);
  const lockout = await lockoutProof({
    target,
    live: rootDir === null,
    env: io.env,
    changed,
    commands,
    ...(rootDir === null ? { simulateFirewall: simulateUfwCandidate, listeningPorts: liveSshdPorts } : {}),
  });
  const refusedBy = lockout.find((l) => l.level === 'refuse');
  const planned: PlannedFix = {
    ...out.planned,
    lockout,
    refused: out.planned.refused ?? (refusedBy ? `lockout proof: ${refusedBy.message}` : null),
  };
  const emitAs = str('emit');
  if (emitAs !== undefined) {
    if (emitAs !== 'ansible' && emitAs !== 'sh') throw new UsageError(`--emit takes ansible or sh, not "${emitAs}"`);
    if (apply) throw new UsageError('--emit writes the plan as a playbook or a script; it does not go with --apply');
    if (planned.refused) io.stderr(`rampart: warning: --apply would be refused here: ${planned.refused}\n`);
    if (!out.plan) {
      io.stderr('rampart: nothing to change: no playbook or script emitted\n');
      return 0;
    }
    try {
      io.stdout(emitArtefact(out, emitAs));
    } catch (e) {
      if (e instanceof EmitError) throw new UsageError(`--emit ${emitAs}: ${e.message}`);
      throw e;
    }
    return 0;
  }
  if (!apply) {
    io.stdout(format === 'json' ? `${JSON.stringify(planned, null, 2)}\n` : renderPlan(planned));
    return 0;
  }
  if (format === 'text')
    io.stdout(renderPlan({ ...planned, refused: planned.refused }).replace(/\nDry run: nothing written \(use --apply\)\.\n$/, '\n'));
  if (planned.refused || !out.plan) {
    const why = planned.refused ?? 'nothing to change';
    if (format === 'json') io.stdout(`${JSON.stringify({ plan: planned, apply: { status: 'refused', reason: why } }, null, 2)}\n`);
    else io.stderr(`rampart: not applied: ${why}\n`);
    return why === 'nothing to change' ? 0 : 1;
  }
  // The re-check: the touched requirements, re-collected and re-audited, must pass.
  const plannedIds = new Set(out.planned.requirements.filter((r) => r.disposition === 'planned').map((r) => r.id));
  const touched = new Set([...plannedIds, ...sel.checks.filter((c) => plannedIds.has(c.id)).flatMap((c) => c.fix?.fixes ?? [])]);
  const verify = async (): Promise<string | null> => {
    const checks = sel.checks.filter((c) => touched.has(c.id));
    const again = await audit(checks);
    const bad = again.results.filter((r) => touched.has(r.id) && r.status !== 'pass');
    return bad.length ? bad.map((r) => `${r.id} is ${r.status}: ${r.summary}`).join('; ') : null;
  };
  const result = await applyPlan(out.plan, { stateDir, runId, now, hooks: { run: fixRunner, verify } });
  let deadman: ReturnType<typeof armDeadman> | null = null;
  if (result.status === 'applied' && windowMs !== null)
    deadman = armDeadman({
      stateDir,
      runId,
      windowMs,
      now: wallClock(),
      env: io.env,
      self: selfArgv(io),
      forceDetached: io.env.RAMPART_DEADMAN_DETACHED === '1',
    });
  if (format === 'json') io.stdout(`${JSON.stringify({ plan: planned, apply: result, ...(deadman ? { deadman } : {}) }, null, 2)}\n`);
  else {
    io.stdout(applyText(result));
    if (deadman)
      io.stdout(
        `dead-man switch armed (${deadman.how}): unless \`rampart fix --confirm ${runId}\` runs from a NEW ssh login before ${deadman.deadline}, the run is rolled back\n`,
      );
  }
  return result.status === 'applied' ? 0 : 1;
}

/**
 * The plan as an artefact for another tool to apply (`--emit`): target paths (an offline root's plan
 * applies to hosts made from it), the service's standalone validators (PlannedFile.validate: the sshd
 * tree validator runs in-process and is not an argv), the current bytes as each file's guard, mode-only
 * changes as such, recipe command steps, reloads only for a live host. A redacted (secret) file is refused.
 */
function emitArtefact(out: PlannerOutput, format: 'ansible' | 'sh'): string {
  const plan = out.plan!;
  const originals = new Map<string, Uint8Array | null>();
  const modes: EmitModeChange[] = [];
  const changes: FixPlan['changes'][number][] = [];
  const secretPaths = new Set<string>();
  for (const [i, c] of plan.changes.entries()) {
    const f = out.planned.files[i]!;
    let orig: Uint8Array | null = null;
    try {
      orig = readFileSync(c.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new TargetError(`${c.path}: ${(e as Error).message}`);
    }
    if (f.action === 'mode') {
      modes.push({
        path: f.path,
        mode: f.mode!,
        ...(f.owner !== undefined ? { owner: f.owner } : {}),
        ...(f.group !== undefined ? { group: f.group } : {}),
      });
      continue;
    }
    if (f.redacted) secretPaths.add(f.path);
    originals.set(f.path, orig);
    const { setMeta: _ignored, validate: _inProcess, ...rest } = c;
    changes.push({ ...rest, path: f.path, ...(f.validate ? { validate: f.validate } : {}) });
  }
  const commands = out.commandSteps.filter((c) => c.kind === 'step').map((c) => ({ argv: c.argv, purpose: c.purpose }));
  return emit(emitPlanOf({ ...plan, changes }, { originals, modes, commands, secretPaths }), format);
}

export const fixSpec: CommandSpec = {
  name: 'fix',
  summary: 'plan (dry run) or apply the recipes of failing requirements, as one transaction that rolls back on failure',
  usage: [
    'fix [--root DIR] [--only IDS] [--skip IDS] [--format text|json]',
    'fix --apply [--allow-disruptive] [--confirm-within 2m] [--root DIR] [--state-dir DIR]',
    'fix --confirm RUN',
  ],
  options: {
    root: { type: 'string', arg: 'DIR', help: 'fix an offline root (image, chroot): no reloads, validators run against the root' },
    only: { type: 'string', multiple: true, arg: 'IDS', help: 'only these requirements (ids or sections, comma-separated)' },
    skip: { type: 'string', multiple: true, arg: 'IDS', help: 'leave these requirements alone' },
    apply: { type: 'boolean', help: 'write the changes (default: a dry run that writes nothing)' },
    emit: {
      type: 'string',
      arg: 'FORMAT',
      choices: ['ansible', 'sh'],
      help: 'print the plan as an Ansible playbook or a POSIX script (guards, validators, backups) instead',
    },
    'allow-disruptive': {
      type: 'boolean',
      help: 'also apply disruptive recipes (may cut access or restart a service), after the lockout proof',
    },
    format: { type: 'string', arg: 'FORMAT', choices: ['text', 'json'], help: 'text (default) or json (the plan as data)' },
    'state-dir': { type: 'string', arg: 'DIR', help: 'where receipts are kept (<state>/runs/<run>/); default as for audit' },
    'confirm-within': {
      type: 'string',
      arg: 'DURATION',
      help: 'arm a dead-man switch: roll back unless confirmed from a new SSH login in time (2m, 90s)',
    },
    confirm: { type: 'string', arg: 'RUN', help: 'confirm run RUN from a new SSH login: disarms its dead-man switch' },
    config: { type: 'string', arg: 'FILE', help: 'configuration file (as for audit)' },
    now: { type: 'string', arg: 'DATE', help: 'evaluate as of this time (as for audit)' },
    'deadman-fire': { type: 'string', arg: 'RUN', help: '(internal) the dead-man timer: roll RUN back unless confirmed' },
    'deadman-wait': { type: 'string', arg: 'MS', help: '(internal) wait this long before --deadman-fire' },
  },
  examples: [
    { cmd: 'rampart fix', what: 'show the plan for this host: diffs, values before → after, validations, risk' },
    { cmd: 'rampart fix --root /mnt/image --apply', what: 'fix an offline image (no reloads)' },
    { cmd: 'rampart fix --emit ansible > harden.yml', what: 'the same plan as an idempotent playbook' },
    {
      cmd: 'rampart fix --apply --allow-disruptive --confirm-within 2m',
      what: 'apply everything; roll back unless confirmed from a new login',
    },
  ],
  exitCodes: ['0 planned or applied', '1 refused (lockout proof, validator, re-check) or rolled back'],
  run: runFix,
};
