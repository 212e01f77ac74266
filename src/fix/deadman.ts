// The dead-man switch (issue 12): `rampart fix --apply --confirm-within 2m` arms, after a disruptive
// apply, a timer that rolls the run back unless `rampart fix --confirm RUN` is run in time from a NEW
// SSH login — proof that a fresh login still works. The arming session cannot disarm: its
// SSH_CONNECTION (client address and port, server address and port) is recorded, and a confirmation
// from the same one, or from no SSH login at all, is refused.
//
// The timer: a transient systemd timer (`systemd-run --on-active`) where systemd is PID 1, else a
// detached process (setsid, stdio closed, unref'd: it survives the session that armed it) that sleeps
// until the deadline. Both run `rampart fix --deadman-fire RUN`, which rolls back unless confirmed.
// The state is <state>/runs/<run>/deadman.json (0600), replaced atomically.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, runDirOf } from './receipt.js';
import { FixError } from './fs-ops.js';
import { rollbackLocked, type RollbackResult } from './rollback.js';

export interface DeadmanState {
  runId: string;
  armedAt: string;
  deadline: string;
  /** SSH_CONNECTION of the arming session ('' when it was not an SSH login). */
  armedBy: string;
  how: 'systemd' | 'detached';
  pid?: number;
  /** `firing`: the timer's end took the lock and is rolling back (a confirm is too late from then on). */
  state: 'armed' | 'firing' | 'confirmed' | 'rolled-back' | 'rollback-failed';
  confirmedBy?: string;
  result?: string;
}

/** `2m`, `90s`, `1h`, or bare seconds → milliseconds; null when not a duration (1 s … 24 h). */
export function parseWindow(s: string): number | null {
  const m = /^(\d+)(s|m|h)?$/.exec(s.trim());
  if (!m) return null;
  const ms = Number(m[1]) * (m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1000);
  return ms >= 1000 && ms <= 86_400_000 ? ms : null;
}

const fileOf = (stateDir: string, runId: string) => join(runDirOf(stateDir, runId), 'deadman.json');

export function readDeadman(stateDir: string, runId: string): DeadmanState | null {
  try {
    return JSON.parse(readFileSync(fileOf(stateDir, runId), 'utf8')) as DeadmanState;
  } catch {
    return null;
  }
}

function writeDeadman(stateDir: string, s: DeadmanState): void {
  const f = fileOf(stateDir, s.runId);
  const tmp = `${f}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, f);
}

export function systemdIsPid1(): boolean {
  try {
    return readlinkSync('/proc/1/exe').endsWith('/systemd') || readFileSync('/proc/1/comm', 'utf8').trim() === 'systemd';
  } catch {
    return false;
  }
}

export interface ArmOptions {
  stateDir: string;
  runId: string;
  windowMs: number;
  now: Date;
  env: Record<string, string | undefined>;
  /** argv that runs this rampart (`[node, /usr/bin/rampart]`): the timer runs SELF fix --deadman-fire RUN. */
  self: readonly string[];
  /** Force the detached process even under systemd (tests). */
  forceDetached?: boolean;
  /** Whether systemd is PID 1 (default: /proc/1) and how systemd-run is run (tests record the argv). */
  systemd?: { isPid1: boolean; run: SystemdRun };
}

/** The transient systemd timer's argv (`systemd-run --on-active`), which runs `fire` when the window ends. */
export function systemdRunArgv(runId: string, windowMs: number, fire: readonly string[]): string[] {
  const secs = Math.ceil(windowMs / 1000);
  return ['systemd-run', '--unit', `rampart-deadman-${runId}`, `--on-active=${secs}s`, '--timer-property=AccuracySec=1s', ...fire];
}

/** Runs systemd-run (replaceable in tests: PID 1 is not systemd there). */
export type SystemdRun = (argv: readonly string[]) => { status: number | null };

const spawnSystemdRun: SystemdRun = (argv) => spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 15_000 });

export function armDeadman(o: ArmOptions): DeadmanState {
  const deadline = new Date(o.now.getTime() + o.windowMs);
  const base: DeadmanState = {
    runId: o.runId,
    armedAt: o.now.toISOString(),
    deadline: deadline.toISOString(),
    armedBy: o.env.SSH_CONNECTION?.trim() ?? '',
    how: 'detached',
    state: 'armed',
  };
  writeDeadman(o.stateDir, base);
  const fire = [...o.self, 'fix', '--deadman-fire', o.runId, '--state-dir', o.stateDir];
  const systemd = o.systemd ?? { isPid1: systemdIsPid1(), run: spawnSystemdRun };
  if (!o.forceDetached && systemd.isPid1) {
    const r = systemd.run(systemdRunArgv(o.runId, o.windowMs, fire));
    if (r.status === 0) {
      const s = { ...base, how: 'systemd' as const };
      writeDeadman(o.stateDir, s);
      return s;
    }
  }
  const child = spawn(fire[0]!, [...fire.slice(1), '--deadman-wait', String(o.windowMs)], {
    detached: true,
    stdio: 'ignore',
    env: { ...o.env, RAMPART_DEADMAN: '1' },
  });
  child.unref();
  const s = { ...base, how: 'detached' as const, ...(child.pid !== undefined ? { pid: child.pid } : {}) };
  writeDeadman(o.stateDir, s);
  return s;
}

export type ConfirmResult = { ok: true; state: DeadmanState } | { ok: false; reason: string };

/** Takes the state directory's lock, waiting while the timer's end holds it (its rollback takes a moment). */
async function lockWaiting(stateDir: string, waitMs: number): Promise<() => void> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      return acquireLock(stateDir);
    } catch (e) {
      if (!(e instanceof FixError) || Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * The confirmation, under the state directory's lock: the timer's end takes the same lock, so exactly
 * one of them wins — a confirm before the end sees `armed` and disarms; after it, it sees `firing` or
 * `rolled-back` and is refused. `now` is read once the lock is held.
 */
export async function confirmDeadman(
  stateDir: string,
  runId: string,
  env: Record<string, string | undefined>,
  now: () => Date,
): Promise<ConfirmResult> {
  let release: () => void;
  try {
    release = await lockWaiting(stateDir, 120_000);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  try {
    return confirmLocked(stateDir, runId, env, now());
  } finally {
    release();
  }
}

function confirmLocked(stateDir: string, runId: string, env: Record<string, string | undefined>, now: Date): ConfirmResult {
  const s = readDeadman(stateDir, runId);
  if (!s) return { ok: false, reason: `run ${runId} has no dead-man switch armed` };
  if (s.state !== 'armed') return { ok: false, reason: `run ${runId}: the dead-man switch is ${s.state}, not armed` };
  if (now.getTime() > new Date(s.deadline).getTime())
    return { ok: false, reason: `run ${runId}: too late, the deadline was ${s.deadline}` };
  const conn = env.SSH_CONNECTION?.trim() ?? '';
  if (conn === '')
    return {
      ok: false,
      reason: 'confirm from a new SSH login: this session is not an SSH login (no SSH_CONNECTION), so it proves nothing about logging in',
    };
  if (conn === s.armedBy)
    return {
      ok: false,
      reason: `this is the session that armed the switch (${conn}): log in again over SSH and confirm from that new login`,
    };
  const next: DeadmanState = { ...s, state: 'confirmed', confirmedBy: conn };
  writeDeadman(stateDir, next);
  return { ok: true, state: next };
}

/**
 * The timer's end: roll back unless confirmed. The lock is held from reading the state to writing the
 * outcome, so a confirmation cannot slip in between (it waits, then sees the outcome).
 */
export async function fireDeadman(
  stateDir: string,
  runId: string,
  hooks: { afterFiring?: () => void | Promise<void> } = {},
): Promise<{ action: 'none' | 'rolled-back'; state: DeadmanState | null; result?: RollbackResult }> {
  const release = await lockWaiting(stateDir, 600_000);
  try {
    const s = readDeadman(stateDir, runId);
    if (!s || s.state !== 'armed') return { action: 'none', state: s };
    writeDeadman(stateDir, { ...s, state: 'firing' });
    await hooks.afterFiring?.();
    const result = await rollbackLocked(stateDir, runId, {});
    const ok = result.status === 'rolled-back';
    const next: DeadmanState = {
      ...s,
      state: ok ? 'rolled-back' : 'rollback-failed',
      result: ok
        ? 'rolled back: not confirmed in time'
        : `${result.status}: ${'reason' in result ? result.reason : JSON.stringify(result)}`,
    };
    writeDeadman(stateDir, next);
    return { action: 'rolled-back', state: next, result };
  } finally {
    release();
  }
}
