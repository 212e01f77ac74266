import type { Severity } from '../catalog/types.js';
import type { Status } from '../checks/verdict.js';
import type { Report, Result } from '../evaluate/report.js';
import type { Finding } from '../facts/evidence.js';

/**
 * What changed between two runs of a target, requirement by requirement (README, History and drift).
 * Every requirement whose status changed lands in exactly one list:
 *
 * - expiredWaivers: the result's waiver expired since the older run (it fails again);
 * - regressed: both decided and worse (pass → warn, pass → fail, warn → fail);
 * - newFailures: fail or warn now, not decided before (absent, na, unknown, manual) or waived before
 *   by a waiver that is gone;
 * - fixed: pass now, fail/warn/waived before;
 * - improved: fail → warn;
 * - newlyWaived: waived now, not before;
 * - otherChanges: any other status change (e.g. pass → unknown), or a requirement in only one run.
 *
 * changedEvidence lists requirements with the same status whose findings differ (added/removed,
 * compared by location and message).
 */

export interface StatusChange {
  id: string;
  title: string;
  severity: Severity;
  /** null: the requirement is not in that run (profile, --only/--skip). */
  from: Status | null;
  to: Status | null;
  summary: string;
  /** For waiver changes: the waiver's reason and expiry. */
  waiver?: { reason: string; expires: string | null };
}

export interface EvidenceChange {
  id: string;
  title: string;
  severity: Severity;
  status: Status;
  added: Finding[];
  removed: Finding[];
}

export interface RunRef {
  runId: string;
  startedAt: string;
  score: Report['score'];
}

export interface RunDiff {
  target: string;
  from: RunRef;
  to: RunRef;
  newFailures: StatusChange[];
  regressed: StatusChange[];
  expiredWaivers: StatusChange[];
  fixed: StatusChange[];
  improved: StatusChange[];
  newlyWaived: StatusChange[];
  otherChanges: StatusChange[];
  changedEvidence: EvidenceChange[];
}

const RANK: Partial<Record<Status, number>> = { pass: 0, warn: 1, fail: 2 };
const isBad = (s: Status | null) => s === 'fail' || s === 'warn';

function findingKey(f: Finding): string {
  return JSON.stringify([f.path, f.line, f.command, f.message]);
}

function change(a: Result | undefined, b: Result | undefined): StatusChange {
  const r = (b ?? a)!;
  const w = b?.waiver ?? a?.waiver;
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    from: a?.status ?? null,
    to: b?.status ?? null,
    summary: r.summary,
    ...(w && (b?.status === 'waived' || b?.waiver?.state === 'expired') ? { waiver: { reason: w.reason, expires: w.expires } } : {}),
  };
}

/** Whether this diff should make `rampart diff` exit 1: new failures, regressions or expired waivers. */
export function hasRegression(d: RunDiff): boolean {
  return d.newFailures.length + d.regressed.length + d.expiredWaivers.length > 0;
}

export function diffReports(a: Report & { runId: string }, b: Report & { runId: string }): RunDiff {
  const d: RunDiff = {
    target: b.target.name,
    from: { runId: a.runId, startedAt: a.startedAt, score: a.score },
    to: { runId: b.runId, startedAt: b.startedAt, score: b.score },
    newFailures: [],
    regressed: [],
    expiredWaivers: [],
    fixed: [],
    improved: [],
    newlyWaived: [],
    otherChanges: [],
    changedEvidence: [],
  };
  const before = new Map(a.results.map((r) => [r.id, r]));
  const after = new Map(b.results.map((r) => [r.id, r]));
  const ids = [...after.keys(), ...[...before.keys()].filter((id) => !after.has(id))];
  for (const id of ids) {
    const ra = before.get(id);
    const rb = after.get(id);
    const from = ra?.status ?? null;
    const to = rb?.status ?? null;
    if (ra && rb && from === to) {
      const keysA = new Set(ra.findings.map(findingKey));
      const keysB = new Set(rb.findings.map(findingKey));
      const added = rb.findings.filter((f) => !keysA.has(findingKey(f)));
      const removed = ra.findings.filter((f) => !keysB.has(findingKey(f)));
      if (rb.waiver?.state === 'expired' && ra.waiver?.state !== 'expired') d.expiredWaivers.push(change(ra, rb));
      else if (added.length || removed.length)
        d.changedEvidence.push({ id, title: rb.title, severity: rb.severity, status: rb.status, added, removed });
      continue;
    }
    const c = change(ra, rb);
    const ra_ = from === null ? undefined : RANK[from];
    const rb_ = to === null ? undefined : RANK[to];
    if (isBad(to) && rb?.waiver?.state === 'expired' && ra?.waiver?.state !== 'expired') d.expiredWaivers.push(c);
    else if (ra_ !== undefined && rb_ !== undefined && rb_ > ra_) d.regressed.push(c);
    else if (isBad(to) && ra_ === undefined) d.newFailures.push(c);
    else if (to === 'pass' && (isBad(from) || from === 'waived')) d.fixed.push(c);
    else if (from === 'fail' && to === 'warn') d.improved.push(c);
    else if (to === 'waived') d.newlyWaived.push(c);
    else d.otherChanges.push(c);
  }
  return d;
}
