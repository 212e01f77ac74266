import type { Target } from '../../target/types.js';
import { readAccountDb, type AccountDb } from './accounts.js';
import { readMounts, type MountTable } from './mounts.js';
import { listProcesses, type ProcessInfo } from './processes.js';
import { UnitStore } from './units.js';

/**
 * What several collectors ask of the host, each with one owner and read once per collection run:
 * units and boot state, the account database, the processes, the mount table. Collectors get it as
 * `hostOf(ctx)`; nothing here judges.
 */
export interface HostServices {
  readonly units: UnitStore;
  accounts(): Promise<AccountDb>;
  /** Live: the processes from /proc; offline, or /proc not listable: null (unknown). */
  processes(): Promise<ProcessInfo[] | null>;
  mounts(): Promise<MountTable>;
}

function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => (p ??= f());
}

export function createHost(target: Target): HostServices {
  return {
    units: new UnitStore(target),
    accounts: once(() => readAccountDb(target)),
    processes: once(() => listProcesses(target)),
    mounts: once(() => readMounts(target)),
  };
}

const byContext = new WeakMap<object, HostServices>();

/**
 * The host services of a collection run: `ctx.host` when the runner gave one, else one per context
 * object (every collector of a run gets the same context, so they share it; a test that calls a
 * collector directly gets its own).
 */
export function hostOf(ctx: { target: Target; host?: HostServices }): HostServices {
  if (ctx.host) return ctx.host;
  let h = byContext.get(ctx);
  if (!h) byContext.set(ctx, (h = createHost(ctx.target)));
  return h;
}

export type { AccountDb, AccountTable } from './accounts.js';
export type { MountTable } from './mounts.js';
export type { ProcessInfo } from './processes.js';
export type { BootState, UnitLink, WantsLink } from './units.js';
