import { findAttestation, judgeAttestation } from '../checks/attestation.js';
import type { AttestationFacts } from '../facts/attestations.js';
import { withResults } from './engine.js';
import type { Report, Result } from './report.js';

/**
 * Applies attestations to evaluated results, after the checks and before waivers. Pure; time is the
 * evaluation's `now`.
 *
 * Only results that are `manual` are decided by an attestation: host evidence wins wherever the check
 * itself decided (pass, fail, warn, na, unknown). This is what lets an `evidence` requirement whose
 * check finds nothing on the host (say an alert destination kept outside it) be attested; the
 * `attestation` requirements' own checks already read their attestation (src/checks/attestation.ts),
 * and for them this step changes nothing. An attestation that does not count at `now` (dated later)
 * leaves the result `manual`; an expired one makes it `fail` ("attestation expired on …").
 */
export function attestResults(results: Result[], facts: AttestationFacts | null, now: Date): Result[] {
  if (facts === null || facts.attestations.length === 0) return results;
  return results.map((r): Result => {
    if (r.status !== 'manual' || r.kind === 'automated') return r;
    const v = judgeAttestation(findAttestation(facts, r.id), now, facts.store, null);
    if (v === null) return r;
    return { ...r, status: v.status, summary: v.summary, findings: [...v.findings, ...r.findings] };
  });
}

/** attestResults on a report, its summary and score recomputed (one step alone; the pipeline scores once). */
export function applyAttestations(report: Report, facts: AttestationFacts | null, now: Date): Report {
  const results = attestResults(report.results, facts, now);
  if (results.every((r, i) => r === report.results[i])) return report;
  return withResults(report, results);
}
