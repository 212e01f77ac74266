import { SECTION_TITLES, SEVERITIES, type Framework, type Severity } from '../catalog/types.js';
import { STATUSES, type Status } from '../checks/verdict.js';
import { score } from '../evaluate/engine.js';
import type { AppliedWaiver, Result } from '../evaluate/report.js';

/** Shared views of a Report for the renderers: grouping, compliance, labels. Pure. */

export const FRAMEWORKS: readonly { id: Framework; label: string }[] = [
  { id: 'iso27001:2013', label: 'ISO/IEC 27001:2013' },
  { id: 'iso27001:2022', label: 'ISO/IEC 27001:2022' },
  { id: 'gdpr', label: 'GDPR' },
];

export { STATUSES, SEVERITIES };
export type { Status, Severity };

export function sectionLabel(section: string): string {
  const title = SECTION_TITLES[section];
  return title ? `${section} ${title}` : section;
}

export interface SectionGroup {
  section: string;
  label: string;
  results: Result[];
  /** Severity-weighted score of this section after waivers (null when nothing was decided). */
  score: number | null;
  counts: Record<Status, number>;
}

export function emptyCounts(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

/** Results grouped by guide section, in the order the report has them. */
export function groupBySection(results: readonly Result[]): SectionGroup[] {
  const groups = new Map<string, SectionGroup>();
  for (const r of results) {
    let g = groups.get(r.section);
    if (!g) {
      g = { section: r.section, label: sectionLabel(r.section), results: [], score: null, counts: emptyCounts() };
      groups.set(r.section, g);
    }
    g.results.push(r);
    g.counts[r.status]++;
  }
  for (const g of groups.values()) g.score = score(g.results, true);
  return [...groups.values()];
}

/** The part of a requirement id before the first dot: `ssh.root-login-disabled` → `ssh`. */
export function areaOf(id: string): string {
  const i = id.indexOf('.');
  return i === -1 ? id : id.slice(0, i);
}

// Which status a control shows when its results disagree: the worst one.
const CONTROL_ORDER: readonly Status[] = ['fail', 'warn', 'unknown', 'manual', 'waived', 'na', 'pass'];

export interface ControlRow {
  control: string;
  /** `pass` only when every result mapped to the control passes; otherwise the worst status among them. */
  status: Status;
  results: Result[];
}

/** Compares control ids and articles with numbers in numeric order (A.9.2.3 < A.12.6.1, 8.2 < 8.10). */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function controlView(results: readonly Result[], framework: Framework): ControlRow[] {
  const rows = new Map<string, Result[]>();
  for (const r of results) {
    for (const c of r.controls[framework]) {
      const list = rows.get(c);
      if (list) list.push(r);
      else rows.set(c, [r]);
    }
  }
  return [...rows.entries()]
    .sort(([a], [b]) => naturalCompare(a, b))
    .map(([control, list]) => ({ control, results: list, status: controlStatus(list) }));
}

export function controlStatus(results: readonly Pick<Result, 'status'>[]): Status {
  if (results.length > 0 && results.every((r) => r.status === 'pass')) return 'pass';
  for (const s of CONTROL_ORDER) if (s !== 'pass' && results.some((r) => r.status === s)) return s;
  return 'unknown';
}

export function waiverText(w: AppliedWaiver): string {
  const parts = [w.reason];
  if (w.approvedBy) parts.push(`approved by ${w.approvedBy}`);
  parts.push(w.expires ? `${w.state === 'expired' ? 'expired' : 'expires'} ${w.expires}` : 'no expiry');
  if (w.source) parts.push(`configured at ${w.source}`);
  return parts.join('; ');
}

export function modeLabel(live: boolean): string {
  return live ? 'live' : 'offline';
}

export function targetLabel(t: { kind: string; name: string; root: string }): string {
  switch (t.kind) {
    case 'root':
      return `offline root ${t.root}`;
    case 'facts':
      return `saved facts of ${t.name}`;
    case 'ssh':
      return `${t.name} over SSH`;
    default:
      return `${t.name} (this host)`;
  }
}

export function scoreText(s: number | null): string {
  return s === null ? 'n/a' : `${s.toFixed(1)}%`;
}

export function durationText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
