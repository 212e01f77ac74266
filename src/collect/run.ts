import { failed, type Fact } from '../facts/fact.js';
import type { FactMap, TargetFactKey, TargetFactValues } from '../facts/index.js';
import type { CollectContext, Collector } from './types.js';
import { PermissionDenied } from './paths.js';

export type CollectorRegistry = { [K in TargetFactKey]: Collector<K> };

/** Runs the collectors for `keys` concurrently; none can hang the run or crash it. */
export async function collectFacts(
  registry: CollectorRegistry,
  keys: readonly TargetFactKey[],
  ctx: CollectContext,
  collectorTimeoutMs: number,
): Promise<{ facts: FactMap; timings: Record<string, number> }> {
  const facts: FactMap = {};
  const timings: Record<string, number> = {};
  await Promise.all(
    [...new Set(keys)].map(async (key) => {
      const t0 = performance.now();
      const fact = await guarded(registry[key] as Collector<typeof key>, ctx, collectorTimeoutMs);
      timings[key] = Math.round(performance.now() - t0);
      (facts as Record<string, Fact<TargetFactValues[TargetFactKey]>>)[key] = fact;
    }),
  );
  return { facts: sortKeys(facts), timings: sortKeys(timings) };
}

async function guarded<K extends TargetFactKey>(
  c: Collector<K>,
  ctx: CollectContext,
  timeoutMs: number,
): Promise<Fact<TargetFactValues[K]>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Fact<TargetFactValues[K]>>((resolve) => {
    timer = setTimeout(() => resolve(failed(`collecting ${c.key} took longer than ${timeoutMs} ms`)), timeoutMs);
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
