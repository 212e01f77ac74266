/**
 * Attestations: a person's recorded answer for a process requirement or a checklist box
 * (`rampart attest`). They live in the state directory of the machine running Rampart, keyed by
 * target name and id; the CLI loads those of the audited target into the snapshot, so a replayed
 * snapshot gives the same results.
 */
export type AttestedStatus = 'pass' | 'fail';

export interface Attestation {
  /** The target's name (report target.name) the answer is about. */
  target: string;
  /** A requirement id, or a checklist box: checklist.pre.N / checklist.post.N (1-based). */
  id: string;
  status: AttestedStatus;
  by: string;
  /** YYYY-MM-DD: the date of the attested event (the last restore test, the last scan). */
  date: string;
  /** YYYY-MM-DD: the last day the attestation holds, inclusive, UTC. */
  expires: string;
  note: string | null;
  /** A URL or reference to the evidence (minutes, ticket, scan report). */
  evidence: string | null;
  /** When it was recorded (ISO 8601). */
  recordedAt: string;
}

export interface AttestationFacts {
  /** Where the attestations are kept (for evidence), e.g. /var/lib/rampart/attestations.json. */
  store: string;
  target: string;
  /** The current attestation per id (the last one recorded for the target), sorted by id. */
  attestations: Attestation[];
}
