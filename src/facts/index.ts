import type { Config } from '../config/schema.js';
import type { Fact } from './fact.js';
import type { HostFacts } from './host.js';
import type { SshdFacts } from './sshd.js';
import type { Fail2banFacts } from './fail2ban.js';
import type { FirewallFacts } from './firewall.js';
import type { ListenerFacts } from './listeners.js';
import type { AccountsFacts } from './accounts.js';
import type { PackageFacts } from './packages.js';
import type { WorldWritableFacts } from './world-writable.js';
import type { AppPermissionFacts } from './app-permissions.js';
import type { MacFacts } from './mac.js';
import type { StorageFacts } from './storage.js';
import type { DockerFacts } from './docker.js';
import type { PostgresFacts } from './postgres.js';
import type { RedisFacts } from './redis.js';
import type { LoggingFacts } from './logging.js';
import type { IdsFacts } from './ids.js';
import type { WebFacts } from './web.js';
import type { BackupFacts } from './backups.js';
import type { ServiceFacts } from './services.js';
import type { AttestationFacts } from './attestations.js';
import type { SignoffFacts } from './signoffs.js';

/** The fact families read from the target, by key: each is plain JSON data, produced by one collector (src/collect/index.ts). */
export interface TargetFactValues {
  host: HostFacts;
  sshd: SshdFacts;
  fail2ban: Fail2banFacts;
  firewall: FirewallFacts;
  listeners: ListenerFacts;
  accounts: AccountsFacts;
  packages: PackageFacts;
  worldWritable: WorldWritableFacts;
  appPermissions: AppPermissionFacts;
  mac: MacFacts;
  storage: StorageFacts;
  docker: DockerFacts;
  postgres: PostgresFacts;
  redis: RedisFacts;
  logging: LoggingFacts;
  ids: IdsFacts;
  web: WebFacts;
  backups: BackupFacts;
  services: ServiceFacts;
}

/**
 * The fact families of the machine running Rampart, not of the target: its state directory's
 * attestations and sign-offs for the target's name (src/store/state-facts.ts). No collector gathers
 * them; the audit pipeline (src/audit.ts) adds them to the snapshot, so a `--facts` replay sees the same.
 */
export interface StateFactValues {
  attestations: AttestationFacts;
  signoffs: SignoffFacts;
}

/** Every fact family a check may need, by key. */
export interface FactValues extends TargetFactValues, StateFactValues {}
export type FactKey = keyof FactValues;
export type TargetFactKey = keyof TargetFactValues;
export type StateFactKey = keyof StateFactValues;

/** Every state fact key (a record, so a new StateFactValues member must be listed here). */
const STATE_KEYS: Record<StateFactKey, true> = { attestations: true, signoffs: true };
export const STATE_FACT_KEYS = Object.keys(STATE_KEYS) as readonly StateFactKey[];

export function isStateFactKey(key: FactKey): key is StateFactKey {
  return (STATE_FACT_KEYS as readonly FactKey[]).includes(key);
}
export type FactMap = { [K in FactKey]?: Fact<FactValues[K]> };

export const SNAPSHOT_VERSION = 1;

export interface TargetInfo {
  kind: 'local' | 'root' | 'ssh' | 'facts';
  name: string;
  /** Where the name came from ('/etc/hostname', '--target-name', 'kernel hostname', 'root path (…)'); absent in older snapshots. */
  nameFrom?: string;
  root: string;
}

/** The contract between collection and judgement: serialisable, versioned, replayable. */
export interface FactsSnapshot {
  schemaVersion: typeof SNAPSHOT_VERSION;
  tool: { name: 'rampart'; version: string };
  collectedAt: string;
  target: TargetInfo;
  live: boolean;
  config: Config;
  /** How long each collector took (ms), for --verbose and the bench. */
  timings: Record<string, number>;
  /** How the collection reached the target (absent in snapshots saved before it was recorded). */
  batch?: BatchStats;
  facts: FactMap;
}

/** Round trips of a collection (collect/batch.ts): the first batch holds what the collectors declare. */
export interface BatchStats {
  /** Batches sent plus calls a batch cannot carry (`direct`). */
  roundTrips: number;
  /** Requests per batch, in the order sent. */
  batches: number[];
  /** Requests of every batch. */
  requests: number;
  /** Bytes read and printed by commands. */
  bytes: number;
  /** Target calls answered from a batch that was sent for other calls (declared, or asked at the same time). */
  served: number;
  /** Calls of methods a batch does not carry, by method (each its own round trip). */
  direct: Record<string, number>;
}
