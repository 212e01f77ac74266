import type { Config } from '../config/schema.js';
import type { Fact } from '../facts/fact.js';
import type { TargetFactKey, TargetFactValues } from '../facts/index.js';
import type { Target } from '../target/types.js';
import type { HostServices } from './host/index.js';

export interface CollectContext {
  target: Target;
  config: Config;
  /** Default timeout for each command a collector runs (ms). */
  commandTimeoutMs: number;
  /** The environment Rampart runs in (the CLI's io.env): libpq's PG* variables, for instance. */
  env?: Record<string, string | undefined>;
  /**
   * Units and boot state, the account database, processes, mounts: read once per run and shared by
   * every collector. Collectors read it through hostOf(ctx) (host/index.ts), which creates it when absent.
   */
  host?: HostServices;
}

export interface Collector<K extends TargetFactKey> {
  key: K;
  /** Return `absent` when the component is not installed, `failed` with a reason when it cannot be determined. */
  collect(ctx: CollectContext): Promise<Fact<TargetFactValues[K]>>;
}

export function defineCollector<K extends TargetFactKey>(c: Collector<K>): Collector<K> {
  return c;
}
