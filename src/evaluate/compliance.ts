import type { Framework } from '../catalog/types.js';
import type { Result } from './report.js';

/**
 * Compliance view (`audit --compliance FRAMEWORK`): results grouped by the controls the catalog maps
 * them to (result.controls). Pure.
 *
 * A control is `pass` only when all its requirements pass (`waived` counts as pass: an accepted,
 * documented exception; an attested requirement is already `pass` or `fail`); `na` requirements are
 * ignored. Any `fail` or `warn` makes it `fail`; else any `manual` or `unknown` makes it
 * `incomplete`; a control whose requirements are all `na` is `na`.
 */

export const FRAMEWORKS: readonly Framework[] = ['iso27001:2013', 'iso27001:2022', 'gdpr'];

export type ControlStatus = 'pass' | 'fail' | 'incomplete' | 'na';

export interface ComplianceControl {
  id: string;
  status: ControlStatus;
  /** The requirement ids mapped to the control, in report order. */
  requirements: string[];
}

export interface Compliance {
  framework: Framework;
  controls: ComplianceControl[];
}

export function isFramework(s: string): s is Framework {
  return (FRAMEWORKS as readonly string[]).includes(s);
}

function controlStatus(results: readonly Pick<Result, 'status'>[]): ControlStatus {
  const s = results.map((r) => r.status).filter((x) => x !== 'na');
  if (s.length === 0) return 'na';
  if (s.some((x) => x === 'fail' || x === 'warn')) return 'fail';
  if (s.some((x) => x === 'manual' || x === 'unknown')) return 'incomplete';
  return 'pass';
}

/** Control ids and articles in numeric order (A.9.2.3 < A.12.6.1, Art. 5(1)(e) < Art. 17). */
function compareControls(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function complianceView(results: readonly Result[], framework: Framework): Compliance {
  const byControl = new Map<string, Result[]>();
  for (const r of results) for (const c of r.controls[framework]) byControl.set(c, [...(byControl.get(c) ?? []), r]);
  const controls = [...byControl.entries()]
    .sort(([a], [b]) => compareControls(a, b))
    .map(([id, rs]) => ({ id, status: controlStatus(rs), requirements: rs.map((r) => r.id) }));
  return { framework, controls };
}
