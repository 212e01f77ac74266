import type { Report } from '../evaluate/report.js';

/**
 * The fleet document (issue 11): `rampart audit --host/--inventory/--facts DIR --format json` prints one.
 * A host that could not be assessed carries an error, never a report (and never counts as passing).
 */
export const FLEET_SCHEMA_VERSION = 1;

/** Why a host is not assessed. */
export type HostErrorKind =
  | 'unreachable'
  | 'auth'
  | 'host-key'
  | 'timeout'
  | 'protocol' // garbage, oversize or truncated payload output
  | 'become' // sudo -n refused
  | 'unsupported' // the remote lacks what the payload needs
  | 'facts' // a --facts file that cannot be read or is not a snapshot
  | 'internal';

export interface HostError {
  kind: HostErrorKind;
  message: string;
}

export type FleetHost = { name: string; report: Report } | { name: string; error: HostError };

export interface FleetSummary {
  hosts: number;
  assessed: number;
  notAssessed: number;
  /** Hosts whose exit code would be 1 under the run's --fail-on (fail/warn at or above it). */
  failing: number;
  /** Per requirement id: how many assessed hosts have each status. */
  byRequirement: Record<string, Record<string, number>>;
}

export interface FleetDocument {
  schemaVersion: typeof FLEET_SCHEMA_VERSION;
  kind: 'fleet';
  generatedAt: string;
  hosts: FleetHost[];
  summary: FleetSummary;
}
