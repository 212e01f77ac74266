import type { Config } from '../config/schema.js';
import type { Attestation, AttestationFacts } from '../facts/attestations.js';
import { defineCheck, type Check } from './define.js';
import { fail, manual, pass, type Evidence, type Verdict } from './verdict.js';

/**
 * Attestations (DESIGN.md, Statuses): an `attestation` requirement is `manual` until a person records
 * an answer (`rampart attest ID`); then it has the recorded status. Dates are calendar days in UTC:
 * `expires` is the last day the answer holds, inclusive (2027-01-31 holds until
 * 2027-01-31T23:59:59.999Z); after it the result is `fail` ("attestation expired on 2027-01-31").
 * An attestation dated after the evaluation time (`now`) does not count yet.
 */

const DAY_MS = 86_400_000;

export function parseDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/** Whole calendar days (UTC) from `date` to the day of `now`. */
export function ageInDays(date: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((today - parseDay(date)) / DAY_MS);
}

export function isAttestationExpired(a: Pick<Attestation, 'expires'>, now: Date): boolean {
  return now.getTime() >= parseDay(a.expires) + DAY_MS;
}

export function findAttestation(facts: AttestationFacts | undefined, id: string): Attestation | undefined {
  return facts?.attestations.find((a) => a.id === id);
}

export function describeAttestation(a: Attestation): string {
  return [
    `attested ${a.status} by ${a.by}, dated ${a.date}, recorded ${a.recordedAt}, expires ${a.expires}`,
    a.note !== null ? `note: ${a.note}` : null,
    a.evidence !== null ? `evidence: ${a.evidence}` : null,
  ]
    .filter((s) => s !== null)
    .join('; ');
}

export function attestationEvidence(a: Attestation, store: string): Evidence {
  return {
    note: `rampart attest --list (${store})`,
    message: describeAttestation(a),
    ...(a.evidence !== null ? { excerpt: a.evidence } : {}),
  };
}

export interface MaxAge {
  /** The period (days) in config.periods that bounds the age of the attested date. */
  period: keyof Config['periods'];
  /** What the date is, e.g. "last vulnerability scan". */
  event: string;
}

/**
 * The verdict an attestation gives, or null when there is none that counts at `now` (then the
 * requirement stays `manual`). With `maxAge`, a date older than the period fails: the date holds for
 * `period` whole days after it (a scan on 2026-11-01 with 31 days holds through 2026-12-02).
 */
export function judgeAttestation(
  a: Attestation | undefined,
  now: Date,
  store: string,
  config: Config | null,
  maxAge?: MaxAge,
): Verdict | null {
  if (!a || ageInDays(a.date, now) < 0) return null;
  const ev = attestationEvidence(a, store);
  const note = a.note !== null ? `: ${a.note}` : '';
  if (a.status === 'fail') return fail(`Attested fail by ${a.by} on ${a.date}${note}`, ev);
  if (isAttestationExpired(a, now)) return fail(`attestation expired on ${a.expires} (attested pass by ${a.by} on ${a.date})`, ev);
  if (maxAge && config) {
    const limit = config.periods[maxAge.period];
    const age = ageInDays(a.date, now);
    if (age > limit)
      return fail(
        `The ${maxAge.event} was on ${a.date}, ${age} days ago: older than ${limit} days (periods.${maxAge.period}; attested by ${a.by})`,
        ev,
      );
    return pass(`The ${maxAge.event} was on ${a.date}, ${age} days ago (limit ${limit} days; attested by ${a.by})${note}`, ev);
  }
  return pass(`Attested pass by ${a.by} on ${a.date} (holds until ${a.expires})${note}`, ev);
}

/**
 * A requirement that no host state can prove: `manual` until a person attests it, then the
 * attestation's verdict. With `maxAge`, the attested date is the event's date and must be recent.
 */
export function attestationCheck(id: string, what: string, maxAge?: MaxAge): Check {
  const todo = `Needs an attestation: no host state shows this (${what.replace(/\.$/, '')})`;
  const dated = maxAge ? ` --date YYYY-MM-DD (the date of the ${maxAge.event})` : '';
  return defineCheck({
    id,
    remediation: `${what} Then record it: rampart attest ${id} --status pass --by NAME${dated}.`,
    needs: ['attestations'],
    onAbsent: { attestations: (reason) => manual(`${todo}; no attestations could be read: ${reason}`) },
    evaluate({ attestations }, ctx) {
      const v = judgeAttestation(findAttestation(attestations, id), ctx.now, attestations?.store ?? '', ctx.config, maxAge);
      return v ?? manual(todo);
    },
  });
}
