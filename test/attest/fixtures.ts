import assert from 'node:assert/strict';
import type { Attestation, AttestationFacts } from '../../src/facts/attestations.js';
import type { Check, EvalContext } from '../../src/checks/define.js';
import type { Status } from '../../src/checks/verdict.js';
import { absent, type Fact } from '../../src/facts/fact.js';
import { runCases as sharedRunCases, type CaseStatus, type CheckCase } from '../checks/run-cases.js';

/** ctx().now is 2026-11-28T10:00:00Z. */
export function attestation(over: Partial<Attestation> & Pick<Attestation, 'id'>): Attestation {
  return {
    target: 'test',
    status: 'pass',
    by: 'alice',
    date: '2026-11-20',
    expires: '2027-02-18',
    note: null,
    evidence: null,
    recordedAt: '2026-11-20T09:00:00.000Z',
    ...over,
  };
}

export function attestationFacts(...list: Attestation[]): AttestationFacts {
  return { store: '/state/attestations.json', target: 'test', attestations: list };
}

export interface Case {
  name: string;
  facts: AttestationFacts | undefined;
  status: Status;
  summary?: RegExp;
  ctx?: EvalContext;
}

/** The cases every attestation check shares: none → manual, attested pass/fail, expiry (inclusive), future dates. */
export function commonCases(id: string): Case[] {
  return [
    { name: 'no attestation', facts: attestationFacts(), status: 'manual', summary: /Needs an attestation/ },
    { name: 'only another id is attested', facts: attestationFacts(attestation({ id: 'ir.plan-x' })), status: 'manual' },
    {
      name: 'attested pass',
      facts: attestationFacts(attestation({ id, note: 'minutes in the wiki', evidence: 'https://wiki.example/x' })),
      status: 'pass',
      summary: /alice/,
    },
    {
      name: 'attested fail',
      facts: attestationFacts(attestation({ id, status: 'fail', note: 'not done yet' })),
      status: 'fail',
      summary: /Attested fail by alice.*not done yet/,
    },
    {
      name: 'expired yesterday',
      facts: attestationFacts(attestation({ id, date: '2026-08-01', expires: '2026-11-27' })),
      status: 'fail',
      summary: /attestation expired on 2026-11-27/,
    },
    {
      name: 'expires today (inclusive)',
      facts: attestationFacts(attestation({ id, date: '2026-11-01', expires: '2026-11-28' })),
      status: 'pass',
    },
    {
      name: 'dated after the evaluation time',
      facts: attestationFacts(attestation({ id, date: '2026-11-29', expires: '2027-02-27' })),
      status: 'manual',
    },
  ];
}

/**
 * An attestation check's cases through the shared tester (test/checks/run-cases.ts): no facts is an
 * unreadable store (absent → manual); the evidence of an attested pass/fail is the attestation record
 * (a note naming `rampart attest --list`, no file line), which the finding must name.
 */
export function runCases(check: Check, cases: readonly Case[]): void {
  type F = AttestationFacts | Fact<AttestationFacts>;
  const table: Partial<Record<CaseStatus, CheckCase<F>[]>> = {};
  for (const c of cases) {
    const one: CheckCase<F> = {
      name: c.name,
      facts: c.facts ?? absent('no attestation store could be read'),
      ...(c.summary ? { summary: c.summary } : {}),
      ...(c.ctx ? { now: c.ctx.now, config: c.ctx.config, live: c.ctx.live, profile: c.ctx.profile } : {}),
      evidence: 'note',
      verify: (r) => {
        if (r.status === 'pass' || r.status === 'fail')
          assert.ok(
            r.findings.length > 0 && /attested (pass|fail) by alice/.test(r.findings[0]!.message),
            'evidence names the attestation',
          );
      },
    };
    (table[c.status as CaseStatus] ??= []).push(one);
  }
  sharedRunCases(check, table, { key: 'attestations' });
}
