export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type RequirementKind = 'automated' | 'evidence' | 'attestation';
export type Mode = 'live' | 'offline';
export type Profile = 'guide' | 'strict';
export type Framework = 'iso27001:2013' | 'iso27001:2022' | 'gdpr';
export type Controls = Record<Framework, string[]>;

export interface RequirementSpec {
  id: string;
  section: string;
  title: string;
  expect?: string;
  kind: RequirementKind;
  severity: Severity;
  modes: Mode[];
  profile: Profile;
  controls: Controls;
}

export interface ChecklistBox {
  text: string;
  requirements: string[];
  note?: string;
}
export interface ChecklistSpec {
  pre: ChecklistBox[];
  post: ChecklistBox[];
}

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Titles of the guide's sections, for grouping reports. */
export const SECTION_TITLES: Readonly<Record<string, string>> = {
  '2.1': 'Patch management',
  '2.2': 'User account management',
  '2.3': 'File system security',
  '3.1': 'Firewall configuration',
  '3.2': 'SSH hardening',
  '3.3': 'Fail2Ban',
  '4.1': 'Docker security',
  '4.2': 'PostgreSQL hardening',
  '4.3': 'Redis hardening',
  '5.1': 'Log collection',
  '5.2': 'Security monitoring',
  '7.1': 'GDPR / privacy compliance',
  '7.2': 'ISO 27001 controls',
  '8': 'Verification',
  '9.1': 'Incident response plan',
  '9.2': 'Backup security',
  '10': 'Documentation',
};
