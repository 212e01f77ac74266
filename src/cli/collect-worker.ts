import { parentPort, workerData } from 'node:worker_threads';
import { collectSnapshot } from '../audit.js';
import { CHECKS } from '../checks/index.js';
import type { Config } from '../config/schema.js';
import type { StateSource } from '../store/state-facts.js';
import { FsTarget } from '../target/fs-target.js';
import { wallClock } from './clock.js';

/** What the watchdog (src/cli/watchdog.ts) hands the collection worker: plain, cloneable data. */
export interface CollectJob {
  /** An offline root, or null for this host. */
  root: string | null;
  /** FsTarget's name (the root as given, or this host's name). */
  name: string;
  config: Config;
  checkIds: string[];
  targetName: string | undefined;
  state: StateSource;
  now: Date | undefined;
  collectorTimeoutMs: number;
  commandTimeoutMs: number;
  env: Record<string, string | undefined>;
}

/** Messages from the worker, in order: start, fact…, then done or error. */
export type WorkerMessage =
  | { type: 'start'; name: string; nameFrom: string; collectedAt: string; keys: string[] }
  | { type: 'fact'; key: string; fact: unknown; ms: number }
  | { type: 'done'; snapshot: unknown }
  | { type: 'error'; message: string };

/**
 * The collection worker's body: the collectors run here, so that a collector stuck in synchronous code
 * (a parser that spins) blocks this thread only; the main thread's watchdog stops it at the deadline.
 * Each fact is posted as it finishes, so what finished in time is kept.
 */
export async function collectWorkerMain(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('collectWorkerMain runs in a worker thread');
  const job = workerData as CollectJob;
  const post = (m: WorkerMessage) => port.postMessage(m);
  try {
    const target = job.root === null ? new FsTarget({ name: job.name }) : new FsTarget({ root: job.root, name: job.name });
    const ids = new Set(job.checkIds);
    const snapshot = await collectSnapshot(target, job.config, {
      checks: CHECKS.filter((c) => ids.has(c.id)),
      targetName: job.targetName,
      state: job.state,
      clock: wallClock,
      now: job.now,
      collectorTimeoutMs: job.collectorTimeoutMs,
      commandTimeoutMs: job.commandTimeoutMs,
      env: job.env,
      onStart: (s) => post({ type: 'start', ...s }),
      onFact: (key, fact, ms) => post({ type: 'fact', key, fact, ms }),
    });
    post({ type: 'done', snapshot });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}
