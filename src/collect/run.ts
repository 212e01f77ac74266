import { failed, type Fact } from '../facts/fact.js';
import type { FactMap, TargetFactKey, TargetFactValues } from '../facts/index.js';
import type { CollectContext, Collector } from './types.js';
import { PermissionDenied } from './paths.js';
import { gathersOf, Prefetcher, type BatchStats } from './batch.js';
import { gathersOfAll } from './gathers.js';

export type CollectorRegistry = { [K in TargetFactKey]: Collector<K> };

/** What a collection reports as it goes: how many collectors ended of how many, and which still run. */
export interface CollectProgress {
  done: number;
  total: number;
  running: readonly string[];
}

/**
 * Runs the collectors for `keys` concurrently; none can hang the run or crash it. What they declare
 * they gather is fetched in one batch, and they read through that prefetched view (the reads it
 * misses are batched per wave); `batch` says how many round trips, requests and bytes it took.
 */
export async function collectFacts(
  registry: CollectorRegistry,
  keys: readonly TargetFactKey[],
  ctx: CollectContext,
  collectorTimeoutMs: number,
  /** Told of each fact as it is collected (the watchdog keeps what finished if the run is stopped). */
  onFact?: (key: TargetFactKey, fact: Fact<unknown>, ms: number) => void,
): Promise<{ facts: FactMap; timings: Record<string, number>; batch: BatchStats }> {
  const facts: FactMap = {};
  const timings: Record<string, number> = {};
  const selected = [...new Set(keys)];
  const prefetcher = new Prefetcher(ctx.target);
  const gctx = { config: ctx.config, live: ctx.target.live, commandTimeoutMs: ctx.commandTimeoutMs };
  prefetcher.prefetch(gathersOfAll(...selected.map((k) => gathersOf(registry[k].gathers, gctx))));
  const view: CollectContext = { ...ctx, target: prefetcher.target };
  await Promise.all(
    selected.map(async (key) => {
      const t0 = performance.now();
      const fact = await guarded(registry[key] as Collector<typeof key>, view, collectorTimeoutMs);
      timings[key] = Math.round(performance.now() - t0);
      (facts as Record<string, Fact<TargetFactValues[TargetFactKey]>>)[key] = fact;
      onFact?.(key, fact, timings[key]);
    }),
  );
  return { facts: sortKeys(facts), timings: sortKeys(timings), batch: { ...prefetcher.stats, batches: [...prefetcher.stats.batches] } };
}

async function guarded<K extends TargetFactKey>(
  c: Collector<K>,
  ctx: CollectContext,
  timeoutMs: number,
): Promise<Fact<TargetFactValues[K]>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Fact<TargetFactValues[K]>>((resolve) => {
    timer = setTimeout(() => resolve(failed(`collecting ${c.key} timed out after ${timeoutMs / 1000} s (--timeout)`)), timeoutMs);
  });
  try {
    return await Promise.race([
      c.collect(ctx).catch((e: unknown) =>
        // Permission denied is not an internal error: the fact cannot be seen, and the reason names the path.
        failed<TargetFactValues[K]>(
          e instanceof PermissionDenied
            ? e.message
            : `internal error while collecting ${c.key}: ${e instanceof Error ? e.message : String(e)}`,
        ),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))) as T;
}
