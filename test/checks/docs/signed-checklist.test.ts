import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/docs/signed-checklist.js';
import type { SignoffFacts } from '../../../src/facts/signoffs.js';
import type { SignedDocument } from '../../../src/sign/signoff.js';
import type { Status } from '../../../src/checks/verdict.js';
import { ctx } from '../../helpers.js';
import { alice, mallory, signed } from '../../sign/fixtures.js';

const facts = (...docs: (SignedDocument | null)[]): SignoffFacts => ({
  store: '/state/signoffs/test',
  target: 'test',
  signoffs: docs.map((doc, i) => ({ file: `/state/signoffs/test/${i}.signoff.json`, doc, error: doc ? null : 'not JSON' })),
});
const trusted = ctx({ config: { signers: [{ name: 'alice', public_key: alice.publicPem }] } });
const tampered = (d: SignedDocument): SignedDocument => ({ ...d, signoff: { ...d.signoff, signedAt: '2026-11-27T12:00:00.000Z' } });

const cases: { name: string; facts: SignoffFacts; status: Status; summary: RegExp; c?: typeof trusted }[] = [
  { name: 'a verified sign-off 7 days old', facts: facts(signed()), status: 'pass', summary: /signed off by alice \(security lead\) on 2026-11-20, 7 days ago/ },
  { name: 'the newest verified one counts', facts: facts(signed({ signedAt: '2026-01-01T00:00:00.000Z' }), signed()), status: 'pass', summary: /7 days ago/ },
  { name: 'no sign-off', facts: facts(), status: 'fail', summary: /No sign-off for test/ },
  { name: 'older than periods.signoff (90)', facts: facts(signed({ signedAt: '2026-08-01T00:00:00.000Z' })), status: 'fail', summary: /119 days old: older than 90 days/ },
  { name: 'signed by a key that is not alice\'s', facts: facts(signed({}, mallory.privatePem)), status: 'fail', summary: /None of the 1 sign-off/ },
  { name: 'envelope changed after signing', facts: facts(tampered(signed())), status: 'fail', summary: /None of the 1/ },
  { name: 'unknown signer', facts: facts(signed({ signer: { name: 'bob', role: null } })), status: 'fail', summary: /None of the 1/ },
  { name: 'no signers configured', facts: facts(signed()), status: 'fail', summary: /0 trusted signer/, c: ctx() },
  { name: 'a sign-off of another host', facts: facts(signed({ host: 'web-2' })), status: 'fail', summary: /None/ },
  { name: 'signed after the evaluation time', facts: facts(signed({ signedAt: '2026-12-01T00:00:00.000Z' })), status: 'fail', summary: /None/ },
  { name: 'a malformed file beside a good one', facts: facts(null, signed()), status: 'pass', summary: /7 days ago/ },
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
