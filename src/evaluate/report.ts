import type { Controls, Profile, RequirementKind, Severity } from '../catalog/types.js';
import type { Finding } from '../facts/evidence.js';
import type { TargetInfo } from '../facts/index.js';
import type { Status } from '../checks/verdict.js';

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
  results: Result[];
  summary: Summary;
}
