import assert from 'node:assert/strict';
import type { Attestation, AttestationFacts } from '../../src/facts/attestations.js';
import type { Check, EvalContext } from '../../src/checks/define.js';
import type { Status } from '../../src/checks/verdict.js';
import { ctx } from '../helpers.js';

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

export function runCases(check: Check, cases: readonly Case[]): void {
  for (const c of cases) {
    const v = check.evaluate(c.facts === undefined ? {} : { attestations: c.facts }, c.ctx ?? ctx());
    assert.equal(v.status, c.status, `${check.id}: ${c.name}: ${v.summary}`);
    if (c.summary) assert.match(v.summary, c.summary, `${check.id}: ${c.name}`);
    if (v.status === 'pass' || v.status === 'fail')
      assert.ok(
        v.findings.length > 0 && /attested (pass|fail) by alice/.test(v.findings[0]!.message),
        `${check.id}: ${c.name}: evidence names the attestation`,
      );
  }
}
