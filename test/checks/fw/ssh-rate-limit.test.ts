import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/fw/ssh-rate-limit.js';
import { runCheck } from '../../../src/evaluate/engine.js';
import { ctx, snapshotOf } from '../../helpers.js';
import { fixtureFacts, sshdOn } from '../../firewall/fixture-facts.js';

const cases: { fixture: string; status: string; summary?: RegExp; config?: Parameters<typeof ctx>[0] }[] = [
  { fixture: 'ufw-guide.pass', status: 'pass', summary: /user.rules:21/ },
  { fixture: 'iptables-guide-ratelimit.pass', status: 'pass', summary: /rules.v4:8/ },
  { fixture: 'nft-default-drop.pass', status: 'pass', summary: /nftables.conf:13/ },
  { fixture: 'iptables-no-ratelimit.fail', status: 'fail', summary: /without a rate limit/ },
  { fixture: 'ufw-inactive.fail', status: 'fail' },
  { fixture: 'no-firewall.fail', status: 'fail' },
  { fixture: 'malformed-rules.fail', status: 'unknown' },
];

for (const c of cases) {
  test(`fw.ssh-rate-limit ${c.fixture} → ${c.status}`, async () => {
    const snap = snapshotOf({ firewall: await fixtureFacts(c.fixture), sshd: sshdOn([22]) }, false);
    const v = runCheck(check, snap, ctx({ live: false, ...c.config }));
    assert.equal(v.status, c.status, v.summary);
    if (c.summary) assert.match(v.summary, c.summary);
    if (v.status === 'fail' || v.status === 'warn') assert.ok(v.findings.length > 0, 'a failure carries evidence');
  });
}
