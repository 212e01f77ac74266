import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/docs/signed-checklist.js';
import type { SignoffFacts } from '../../../src/facts/signoffs.js';
import type { SignedDocument } from '../../../src/sign/signoff.js';
import type { Status } from '../../../src/checks/verdict.js';
import type { ChecklistBoxState } from '../../../src/sign/checklist-boxes.js';
import { ctx } from '../../helpers.js';
import { alice, mallory, signed } from '../../sign/fixtures.js';

/** The guide's pre-deployment boxes; the last is decided by this requirement itself. */
const BOXES = [
  'Verify firewall rules are configured correctly',
  'Confirm SSH hardening is in place',
  'Check that all services run with minimal privileges',
  'Validate SSL/TLS certificates',
  'Test backup and restore procedures',
  'Review user accounts and permissions',
  'Verify logging is enabled and working',
  'Run a vulnerability scan',
  'Document security configuration',
];
const boxes = (ticked: (i: number) => boolean): ChecklistBoxState[] =>
  BOXES.map((text, i) => ({
    id: `checklist.pre.${i + 1}`,
    text,
    ticked: ticked(i),
    requirements: i === 8 ? ['docs.signed-checklist'] : [`x.req-${i}`],
  }));
const ALL = boxes(() => true);
const facts = (...docs: (SignedDocument | null)[]): SignoffFacts => factsWith(ALL, ...docs);
const factsWith = (b: ChecklistBoxState[] | null, ...docs: (SignedDocument | null)[]): SignoffFacts => ({
  store: '/state/signoffs/test',
  target: 'test',
  signoffs: docs.map((doc, i) => ({
    file: `/state/signoffs/test/${i}.signoff.json`,
    doc,
    error: doc ? null : 'not JSON',
    boxes: doc?.signoff.document.kind === 'checklist' ? b : null,
    boxesError: b === null ? 'the signed checklist was not kept' : null,
  })),
});
const report = (over: Parameters<typeof signed>[0] = {}) =>
  signed({
    document: { kind: 'report', file: 'r.json', digest: 'jcs', sha256: 'b'.repeat(64), collectedAt: '2026-11-20T10:00:00.000Z' },
    ...over,
  });
const trusted = ctx({ config: { signers: [{ name: 'alice', public_key: alice.publicPem }] } });
const tampered = (d: SignedDocument): SignedDocument => ({ ...d, signoff: { ...d.signoff, signedAt: '2026-11-27T12:00:00.000Z' } });

const cases: { name: string; facts: SignoffFacts; status: Status; summary: RegExp; c?: typeof trusted }[] = [
  {
    name: 'a verified sign-off 7 days old',
    facts: facts(signed()),
    status: 'pass',
    summary: /signed off by alice \(security lead\) on 2026-11-20, 7 days ago/,
  },
  {
    name: 'the newest verified one counts',
    facts: facts(signed({ signedAt: '2026-01-01T00:00:00.000Z' }), signed()),
    status: 'pass',
    summary: /7 days ago/,
  },
  { name: 'no sign-off', facts: facts(), status: 'fail', summary: /No sign-off for test/ },
  {
    name: 'older than periods.signoff (90)',
    facts: facts(signed({ signedAt: '2026-08-01T00:00:00.000Z' })),
    status: 'fail',
    summary: /119 days old: older than 90 days/,
  },
  {
    name: "signed by a key that is not alice's",
    facts: facts(signed({}, mallory.privatePem)),
    status: 'fail',
    summary: /None of the 1 sign-off/,
  },
  { name: 'envelope changed after signing', facts: facts(tampered(signed())), status: 'fail', summary: /None of the 1/ },
  { name: 'unknown signer', facts: facts(signed({ signer: { name: 'bob', role: null } })), status: 'fail', summary: /None of the 1/ },
  { name: 'no signers configured', facts: facts(signed()), status: 'fail', summary: /0 trusted signer/, c: ctx() },
  { name: 'a sign-off of another host', facts: facts(signed({ host: 'web-2' })), status: 'fail', summary: /None/ },
  {
    name: 'signed after the evaluation time',
    facts: facts(signed({ signedAt: '2026-12-01T00:00:00.000Z' })),
    status: 'fail',
    summary: /None/,
  },
  { name: 'a malformed file beside a good one', facts: facts(null, signed()), status: 'pass', summary: /7 days ago/ },
  {
    name: 'every box ticked (the box of this sign-off itself aside)',
    facts: factsWith(
      boxes((i) => i < 8),
      signed(),
    ),
    status: 'pass',
    summary: /all 8 boxes ticked \(the box this sign-off itself decides not counted\)/,
  },
  // issue 9 §5: a signed checklist with 8 of 9 boxes unticked is not "completed and signed off".
  {
    name: 'signed with 8 of 9 boxes unticked',
    facts: factsWith(
      boxes((i) => i === 0),
      signed(),
    ),
    status: 'fail',
    summary: /7 of 8 boxes are unticked: "Confirm SSH hardening is in place", .*"Run a vulnerability scan"$/,
  },
  {
    name: 'one box unticked',
    facts: factsWith(
      boxes((i) => i !== 4),
      signed(),
    ),
    status: 'fail',
    summary: /1 of 8 boxes are unticked: "Test backup and restore procedures"$/,
  },
  {
    name: 'the boxes of the signed checklist are not kept',
    facts: factsWith(null, signed()),
    status: 'unknown',
    summary: /its boxes are not seen: the signed checklist was not kept/,
  },
  {
    name: 'a signed report, no signed checklist',
    facts: facts(report()),
    status: 'unknown',
    summary: /A report was signed off .*no signed checklist: whether the checklist was completed is not seen/,
  },
  {
    name: 'a newer signed report does not hide an incomplete signed checklist',
    facts: factsWith(
      boxes(() => false),
      signed(),
      report({ signedAt: '2026-11-25T12:00:00.000Z' }),
    ),
    status: 'fail',
    summary: /8 of 8 boxes are unticked/,
  },
];

for (const c of cases) {
  test(`docs.signed-checklist: ${c.name} → '${c.status}'`, () => {
    const v = check.evaluate({ signoffs: c.facts }, c.c ?? trusted);
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail') assert.ok(v.findings.length > 0, 'a failure carries evidence');
  });
}

test('docs.signed-checklist: why a sign-off was rejected is in the findings', () => {
  const v = check.evaluate({ signoffs: facts(tampered(signed()), signed({ signer: { name: 'bob', role: null } })) }, trusted);
  assert.match(v.findings[0]!.message, /bad signature/);
  assert.match(v.findings[1]!.message, /unknown signer "bob"/);
});
