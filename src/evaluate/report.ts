import type { Controls, Profile, RequirementKind, Severity } from '../catalog/types.js';
import type { Finding } from '../facts/evidence.js';
import type { BatchStats, TargetInfo } from '../facts/index.js';
import type { Status } from '../checks/verdict.js';
import type { Compliance } from './compliance.js';

export const REPORT_VERSION = 1;

export interface Result {
  id: string;
  section: string;
  title: string;
  severity: Severity;
  kind: RequirementKind;
  status: Status;
  summary: string;
  findings: Finding[];
  remediation: string;
  controls: Controls;
  /**
   * Wall time in ms of the slowest collector this check needed (they run concurrently, so the verdict
   * could not be known sooner); absent when the snapshot has no timings for its facts.
   */
  collectMs?: number;
  /** Set when a waiver covers this requirement (status `waived`), or covered it and has expired (status back to `fail`). */
  waiver?: AppliedWaiver;
}

export interface AppliedWaiver {
  reason: string;
  approvedBy: string | null;
  /** Inclusive, UTC (YYYY-MM-DD), or null for no expiry. */
  expires: string | null;
  state: 'active' | 'expired';
  /** Where the waiver is configured (config file:line). */
  source: string | null;
}

/** Severity-weighted share of decided requirements that pass, 0–100 (DESIGN.md); null when nothing was decided. */
export interface Score {
  beforeWaivers: number | null;
  afterWaivers: number | null;
}

export interface TrendPoint {
  runId: string;
  startedAt: string;
  score: number | null;
  summary: Summary;
}

export type Summary = Record<Status, number>;

export interface Report {
  schemaVersion: typeof REPORT_VERSION;
  tool: { name: 'rampart'; version: string };
  target: TargetInfo;
  profile: Profile;
  live: boolean;
  startedAt: string;
  collectedAt: string;
  durationMs: number;
  /** Round trips, requests and bytes of the collection (the snapshot's), beside the duration. */
  batch?: BatchStats;
  results: Result[];
  summary: Summary;
  score: Score;
  /** The last runs of this target from the history store, oldest first, this run last (empty with --no-store). */
  trend: TrendPoint[];
  /** Results grouped by the controls of one framework: only with `audit --compliance FRAMEWORK`. */
  compliance?: Compliance;
}
