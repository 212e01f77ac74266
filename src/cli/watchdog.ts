import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { assembleSnapshot } from '../audit.js';
import { failed, type Fact } from '../facts/fact.js';
import type { FactsSnapshot } from '../facts/index.js';
import type { CollectProgress } from '../collect/run.js';
import type { Target } from '../target/types.js';
import type { CollectJob, WorkerMessage } from './collect-worker.js';

/**
 * `--timeout` as a wall-clock bound (issue 13). The collectors run in a worker thread; this thread only
 * waits. Inside the worker each collector still has its own timer (a collector waiting on a file or a
 * command is failed after N s and the others go on). A collector stuck in synchronous code blocks the
 * worker's event loop, so no timer there can fire: the watchdog here terminates the worker N s (plus
 * GRACE_MS) after the collectors started, keeps the facts that were posted, and fails every other one
 * with "timed out after N s". Checks that need a failed fact are `unknown` with that reason.
 */
export const GRACE_MS = 1000;
/**
 * Before the collectors start: the worker loads the code and names the target (/etc/hostname). That
 * is not a collector's time, and loading can be slow on a loaded machine (from the TypeScript sources,
 * seconds): it gets this much more than the timeout.
 */
export const STARTUP_MS = 60_000;

/** The worker's script: the bundle's loader (bin/rampart.js runs collectWorkerMain in a worker thread), or the module itself from the sources. */
function workerScript(): { file: string; eval: boolean } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.cjs')) return { file: join(dirname(here), '..', 'bin', 'rampart.js'), eval: false };
  const mod = join(dirname(here), here.endsWith('.ts') ? 'collect-worker.ts' : 'collect-worker.js');
  if (!existsSync(mod)) throw new Error(`the collection worker ${mod} is missing`);
  // From the TypeScript sources (the suite runs them through tsx), the worker registers tsx first:
  // Node 20 does not carry a parent's module hooks into a worker.
  const tsx = here.endsWith('.ts')
    ? `await (await import(${JSON.stringify(
        pathToFileURL(
          createRequire(here)
            .resolve('tsx/esm/api')
            .replace(/\.cjs$/, '.mjs'),
        ).href,
      )})).register();`
    : '';
  const code = `(async () => { ${tsx} (await import(${JSON.stringify(pathToFileURL(mod).href)})).collectWorkerMain(); })()`;
  return { file: code, eval: true };
}

export interface WatchedCollection {
  snapshot: FactsSnapshot;
  /** The facts the watchdog failed (the worker was stopped before they were posted). */
  stopped: string[];
}

/** Collects `job` in a worker thread under the watchdog; never waits longer than the timeout allows. */
export async function collectWatched(
  job: CollectJob,
  /** The target as this thread built it (its kind, root and liveness go into a stopped run's snapshot). */
  target: Pick<Target, 'kind' | 'root' | 'live'>,
  onProgress?: (p: CollectProgress) => void,
): Promise<WatchedCollection> {
  const script = workerScript();
  const worker = new Worker(script.file, { eval: script.eval, workerData: job, stdout: false, stderr: false });
  const t0 = performance.now();
  const facts: Record<string, Fact<unknown>> = {};
  const timings: Record<string, number> = {};
  let start: Extract<WorkerMessage, { type: 'start' }> | null = null;
  const running = new Set<string>();
  const report = (total: number) => onProgress?.({ done: total - running.size, total, running: [...running] });

  const outcome = await new Promise<{ kind: 'done'; snapshot: FactsSnapshot } | { kind: 'stopped'; why: string }>((resolve) => {
    let timer: NodeJS.Timeout;
    const arm = (extra: number) => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          resolve({ kind: 'stopped', why: `timed out after ${job.collectorTimeoutMs / 1000} s (--timeout; the collection was stopped)` }),
        job.collectorTimeoutMs + GRACE_MS + extra,
      );
    };
    arm(STARTUP_MS);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') {
        start = m;
        for (const k of m.keys) running.add(k);
        report(m.keys.length);
        arm(0); // the collectors start now: each has N s from here
      } else if (m.type === 'fact') {
        facts[m.key] = m.fact as Fact<unknown>;
        timings[m.key] = m.ms;
        running.delete(m.key);
        if (start) report(start.keys.length);
      } else if (m.type === 'done') {
        clearTimeout(timer);
        resolve({ kind: 'done', snapshot: m.snapshot as FactsSnapshot });
      } else {
        clearTimeout(timer);
        resolve({ kind: 'stopped', why: `was not collected: ${m.message}` });
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      resolve({ kind: 'stopped', why: `was not collected: the collection failed (${e.message})` });
    });
    worker.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ kind: 'stopped', why: `was not collected: the collection ended early (exit ${code})` });
    });
  });
  await worker.terminate();
  if (outcome.kind === 'done') return { snapshot: outcome.snapshot, stopped: [] };
  const begun = start as Extract<WorkerMessage, { type: 'start' }> | null;
  if (begun === null) throw new Error(`collecting from the target ${outcome.why} before any collector started`);
  const elapsed = Math.round(performance.now() - t0);
  const stopped = begun.keys.filter((k) => facts[k] === undefined).sort();
  for (const k of stopped) {
    facts[k] = failed(`collecting ${k} ${outcome.why}`);
    timings[k] = elapsed;
  }
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  const snapshot = assembleSnapshot(
    target,
    job.config,
    { name: begun.name, nameFrom: begun.nameFrom, collectedAt: begun.collectedAt },
    { facts: sorted(facts), timings: sorted(timings), batch: undefined, state: job.state },
  );
  return { snapshot, stopped };
}
