import { CHECKLIST } from '../catalog/requirements.js';
import { SEVERITIES, type ChecklistBox, type Severity } from '../catalog/types.js';
import { isAttestationExpired, parseDay } from '../checks/attestation.js';
import type { Status } from '../checks/verdict.js';
import type { Attestation } from '../facts/attestations.js';
import type { TargetInfo } from '../facts/index.js';
import type { Report } from './report.js';

/**
 * The guide's section 6 checklist, ticked from an audit report and the boxes' own attestations
 * (`rampart attest checklist.pre.N`). Pure; src/report/checklist.ts renders it.
 *
 * A box lists requirement ids (CHECKLIST, src/catalog/requirements.ts). Its requirements are
 * - satisfied: `pass`, `waived` (an accepted failure), `na` (nothing there to verify);
 * - failing: `fail`, `warn`;
 * - open: `manual`, `unknown`, or not in the report (not implemented yet, or not run).
 * A box is ticked when none of its requirements fails and either none is open or the box itself is
 * attested `pass` (an attestation covers what the audit cannot decide, never a failure it found).
 * A box attested `fail` is never ticked. An attestation counts from its date to its expiry
 * (inclusive, UTC) at the evaluation time.
 *
 * The post-deployment box "Test security configurations" (its note: "ticked by a complete audit run
 * with no failure at or above high severity") is ticked when the audit ran every check of its
 * profile and no result of severity high or critical is `fail`, `warn` or `unknown` (an undetermined
 * high requirement could hide a failure); its own requirements are shown as evidence.
 */

export const COMPLETE_RUN_NOTE = 'ticked by a complete audit run with no failure at or above high severity';
const COMPLETE_RUN_SEVERITY: Severity = 'high';

export type Phase = 'pre' | 'post';

export interface ChecklistRequirement {
  id: string;
  /** `not-run`: no result in the report (not implemented yet, or not selected). */
  status: Status | 'not-run';
  summary: string;
}

export interface ChecklistItem {
  /** checklist.pre.N / checklist.post.N, 1-based in the guide's order: the id `rampart attest` takes. */
  id: string;
  text: string;
  note: string | null;
  ticked: boolean;
  /** Why the box is (not) ticked. */
  reason: string;
  requirements: ChecklistRequirement[];
  attestation: (Pick<Attestation, 'status' | 'by' | 'date' | 'expires' | 'note' | 'evidence'> & { counts: boolean }) | null;
}

export interface Checklist {
  kind: 'rampart-checklist';
  version: 1;
  tool: { name: 'rampart'; version: string };
  target: TargetInfo;
  profile: string;
  collectedAt: string;
  /** The evaluation time (the audit's collection time or --now). */
  evaluatedAt: string;
  phases: { phase: Phase; items: ChecklistItem[] }[];
}

export interface ChecklistInput {
  report: Report;
  /** The target's attestations (those of checklist boxes are used). */
  attestations: readonly Attestation[];
  now: Date;
  /** Whether the audit ran every check of its profile (no --only/--skip). */
  complete: boolean;
  phases: readonly Phase[];
}

const SATISFIED: ReadonlySet<string> = new Set(['pass', 'waived', 'na']);
const FAILING: ReadonlySet<string> = new Set(['fail', 'warn']);

function atLeast(s: Severity, floor: Severity): boolean {
  return SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(floor);
}

function boxItem(box: ChecklistBox, id: string, input: ChecklistInput): ChecklistItem {
  const byId = new Map(input.report.results.map((r) => [r.id, r]));
  const requirements: ChecklistRequirement[] = box.requirements.map((rid) => {
    const r = byId.get(rid);
    return r
      ? { id: rid, status: r.status, summary: r.summary }
      : { id: rid, status: 'not-run', summary: 'not in this audit (not implemented yet, or not selected)' };
  });
  const a = input.attestations.find((x) => x.id === id);
  const counts = a !== undefined && parseDay(a.date) <= input.now.getTime() && !isAttestationExpired(a, input.now);
  const attestation = a
    ? { status: a.status, by: a.by, date: a.date, expires: a.expires, note: a.note, evidence: a.evidence, counts }
    : null;
  const item = (ticked: boolean, reason: string): ChecklistItem => ({
    id,
    text: box.text,
    note: box.note ?? null,
    ticked,
    reason,
    requirements,
    attestation,
  });
  const attestedFail = a !== undefined && counts && a.status === 'fail';
  const expiredNote =
    a !== undefined && !counts
      ? ` (its attestation ${isAttestationExpired(a, input.now) ? `expired on ${a.expires}` : `is dated ${a.date}, after the evaluation`})`
      : '';

  if (box.note === COMPLETE_RUN_NOTE) {
    const high = input.report.results.filter((r) => atLeast(r.severity, COMPLETE_RUN_SEVERITY));
    const failing = high.filter((r) => FAILING.has(r.status)).map((r) => r.id);
    const unknown = high.filter((r) => r.status === 'unknown').map((r) => r.id);
    if (!input.complete) return item(false, 'the audit did not run every check of its profile');
    if (failing.length > 0) return item(false, `failing at or above ${COMPLETE_RUN_SEVERITY} severity: ${failing.join(', ')}`);
    if (unknown.length > 0) return item(false, `undetermined at or above ${COMPLETE_RUN_SEVERITY} severity: ${unknown.join(', ')}`);
    if (attestedFail) return item(false, `attested fail by ${a.by} on ${a.date}`);
    return item(
      true,
      `complete audit run: no failure at or above ${COMPLETE_RUN_SEVERITY} severity among ${input.report.results.length} requirements`,
    );
  }

  const failing = requirements.filter((r) => FAILING.has(r.status)).map((r) => r.id);
  const open = requirements.filter((r) => !SATISFIED.has(r.status) && !FAILING.has(r.status)).map((r) => r.id);
  if (failing.length > 0) return item(false, `failing: ${failing.join(', ')}`);
  if (attestedFail) return item(false, `attested fail by ${a.by} on ${a.date}`);
  if (open.length === 0)
    return item(
      true,
      requirements.every((r) => r.status === 'na') ? 'nothing to verify: every requirement is not applicable' : 'every requirement passes',
    );
  if (a !== undefined && counts && a.status === 'pass')
    return item(true, `attested pass by ${a.by} on ${a.date} for what the audit cannot decide: ${open.join(', ')}`);
  return item(
    false,
    `not decided by the audit: ${open.join(', ')}; attest the box: rampart attest ${id} --status pass --by NAME${expiredNote}`,
  );
}

export function buildChecklist(input: ChecklistInput): Checklist {
  const r = input.report;
  return {
    kind: 'rampart-checklist',
    version: 1,
    tool: r.tool,
    target: r.target,
    profile: r.profile,
    collectedAt: r.collectedAt,
    evaluatedAt: input.now.toISOString(),
    phases: input.phases.map((phase) => ({
      phase,
      items: CHECKLIST[phase].map((box, i) => boxItem(box, `checklist.${phase}.${i + 1}`, input)),
    })),
  };
}

export function allTicked(c: Checklist): boolean {
  return c.phases.every((p) => p.items.every((i) => i.ticked));
}
