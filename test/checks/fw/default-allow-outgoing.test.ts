import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/fw/default-allow-outgoing.js';
import { runCheck } from '../../../src/evaluate/engine.js';
import { ctx, snapshotOf } from '../../helpers.js';
import { fixtureFacts, sshdOn } from '../../firewall/fixture-facts.js';

const cases: { fixture: string; status: string; summary?: RegExp; config?: Parameters<typeof ctx>[0] }[] = [
  { fixture: 'ufw-guide.pass', status: 'pass', summary: /allowed by default/ },
  { fixture: 'nft-default-drop.pass', status: 'pass', summary: /allowed by default/ },
  { fixture: 'egress-restricted.pass', status: 'pass', summary: /stricter/ },
  { fixture: 'malformed-rules.fail', status: 'unknown' },
  // No 'fail' exists for this check: stricter egress passes with a note (requirements.yaml).
  { fixture: 'no-firewall.fail', status: 'pass' },
];

for (const c of cases) {
  test(`fw.default-allow-outgoing ${c.fixture} → ${c.status}`, async () => {
    const snap = snapshotOf({ firewall: await fixtureFacts(c.fixture), sshd: sshdOn([22]) }, false);
    const v = runCheck(check, snap, ctx({ live: false, ...c.config }));
    assert.equal(v.status, c.status, v.summary);
    if (c.summary) assert.match(v.summary, c.summary);
    if (v.status === 'fail' || v.status === 'warn') assert.ok(v.findings.length > 0, 'a failure carries evidence');
  });
}
