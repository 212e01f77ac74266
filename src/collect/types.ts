import type { Config } from '../config/schema.js';
import type { Fact } from '../facts/fact.js';
import type { TargetFactKey, TargetFactValues } from '../facts/index.js';
import type { HostServices } from './host/index.js';
import type { RunOptions, Target } from '../target/types.js';

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

/** A file to read up front: its bytes (up to `maxBytes`, default 4 MiB), stat and lstat. */
export type FileGather = string | { path: string; maxBytes?: number };
/** A path only probed (stat and lstat): binaries, directories, things whose content is not read. */
export type PathGather = string;
/** A glob(3) pattern: its expansion, and each match read (`read: false`: stat and lstat only). */
export type GlobGather = string | { pattern: string; read?: boolean; maxBytes?: number };
/**
 * A directory listing, and each entry read (`read: false`: stat and lstat only); with `depth`, the
 * subdirectories too, that many levels down (a tree a collector walks), leaving out names in `skip`.
 */
export type DirGather = string | { path: string; read?: boolean; maxBytes?: number; depth?: number; skip?: readonly string[] };
/** A command of a live target, with exactly the options the collector runs it with. */
export interface CommandGather {
  argv: string[];
  opts?: RunOptions;
}

/**
 * What a collector reads, declared up front so that a runner fetches the union in one round trip.
 * A declaration only makes reads cheaper: a read it misses still goes to the target (counted).
 */
export interface Gathers {
  files?: readonly FileGather[];
  paths?: readonly PathGather[];
  globs?: readonly GlobGather[];
  dirs?: readonly DirGather[];
  commands?: readonly CommandGather[];
}

/** What a declaration may depend on. */
export interface GatherContext {
  config: Config;
  live: boolean;
  commandTimeoutMs: number;
}

export interface Collector<K extends TargetFactKey> {
  key: K;
  /** What it reads (DESIGN.md: collectors declare the files and commands they need). */
  gathers: Gathers | ((ctx: GatherContext) => Gathers);
  /** Return `absent` when the component is not installed, `failed` with a reason when it cannot be determined. */
  collect(ctx: CollectContext): Promise<Fact<TargetFactValues[K]>>;
}

export function defineCollector<K extends TargetFactKey>(c: Collector<K>): Collector<K> {
  return c;
}
