// The fleet document (`audit --host/--inventory --format json`) and its text summary.
import { SEVERITIES, type Severity } from '../catalog/types.js';
import type { Report } from '../evaluate/report.js';
import { FLEET_SCHEMA_VERSION, type FleetDocument, type FleetHost } from './types.js';

/** Whether a host's report makes exit code 1 under --fail-on (fail or warn at or above it; unknown too with --fail-on-unknown). */
export function reportFails(report: Report, failOn: Severity, failOnUnknown = false): boolean {
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  return report.results.some(
    (r) => (r.status === 'fail' || r.status === 'warn' || (failOnUnknown && r.status === 'unknown')) && rank(r.severity) <= rank(failOn),
  );
}

/** The document for these hosts (in the order given), its summary computed. */
export function buildFleetDocument(
  hosts: readonly FleetHost[],
  failOn: Severity,
  opts: { failOnUnknown?: boolean; generatedAt?: string } = {},
): FleetDocument {
  const byRequirement: Record<string, Record<string, number>> = {};
  let assessed = 0;
  let failing = 0;
  for (const h of hosts) {
    if (!('report' in h)) continue;
    assessed++;
    if (reportFails(h.report, failOn, opts.failOnUnknown)) failing++;
    for (const r of h.report.results) {
      const counts = (byRequirement[r.id] ??= {});
      counts[r.status] = (counts[r.status] ?? 0) + 1;
    }
  }
  const sorted = Object.fromEntries(
    Object.keys(byRequirement)
      .sort()
      .map((k) => [k, byRequirement[k]!]),
  );
  return {
    schemaVersion: FLEET_SCHEMA_VERSION,
    kind: 'fleet',
    generatedAt: opts.generatedAt ?? new Date().toISOString(),
    hosts: [...hosts],
    summary: { hosts: hosts.length, assessed, notAssessed: hosts.length - assessed, failing, byRequirement: sorted },
  };
}

/** The fleet's exit code: 3 when a host is not assessed (as a target that cannot be read), else 1 when a host fails, else 0. */
export function fleetExitCode(doc: FleetDocument): number {
  if (doc.summary.notAssessed > 0) return 3;
  return doc.summary.failing > 0 ? 1 : 0;
}

const COLUMNS = ['pass', 'fail', 'warn', 'unknown', 'manual', 'waived', 'na'] as const;

/** The text view: one line per host (its counts and score), then why the others were not assessed. */
export function renderFleetText(doc: FleetDocument): string {
  const rows: string[][] = [['HOST', 'STATUS', 'SCORE', ...COLUMNS.map((c) => c.toUpperCase())]];
  const failed: string[] = [];
  for (const h of doc.hosts) {
    if ('report' in h) {
      const s = h.report.summary as Record<string, number>;
      const score = h.report.score.afterWaivers;
      rows.push([h.name, 'assessed', score === null ? '-' : String(score), ...COLUMNS.map((c) => String(s[c] ?? 0))]);
    } else {
      rows.push([h.name, 'NOT ASSESSED', '-', ...COLUMNS.map(() => '-')]);
      failed.push(`  ${h.name}: ${h.error.kind}: ${h.error.message}`);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const s = doc.summary;
  lines.push('', `${s.hosts} hosts: ${s.assessed} assessed (${s.failing} failing), ${s.notAssessed} not assessed`);
  if (failed.length > 0) lines.push('', 'Not assessed:', ...failed);
  return `${lines.join('\n')}\n`;
}
