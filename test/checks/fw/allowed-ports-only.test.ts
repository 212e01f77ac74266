import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/fw/allowed-ports-only.js';
import { runCheck } from '../../../src/evaluate/engine.js';
import { ctx, snapshotOf } from '../../helpers.js';
import { fixtureFacts, sshdOn } from '../../firewall/fixture-facts.js';
import { DEFAULT_CONFIG } from '../../../src/config/schema.js';

const cases: { fixture: string; status: string; summary?: RegExp; config?: Parameters<typeof ctx>[0] }[] = [
  { fixture: 'ufw-guide.pass', status: 'pass' },
  { fixture: 'nft-default-drop.pass', status: 'pass' },
  { fixture: 'iptables-guide-ratelimit.pass', status: 'pass' },
  { fixture: 'ufw-extra-port-open.fail', status: 'fail', summary: /6379\/tcp/ },
  {
    fixture: 'ufw-guide.pass',
    status: 'fail',
    summary: /80\/tcp|443\/tcp/,
    config: { config: { ...DEFAULT_CONFIG, allowed_ports: ['22/tcp'] } },
  },
  { fixture: 'nft-accept-policy.fail', status: 'fail', summary: /every unlisted tcp port/ },
  { fixture: 'no-firewall.fail', status: 'fail' },
  { fixture: 'malformed-rules.fail', status: 'unknown' },
];

for (const c of cases) {
  test(`fw.allowed-ports-only ${c.fixture} → ${c.status}`, async () => {
    const snap = snapshotOf({ firewall: await fixtureFacts(c.fixture), sshd: sshdOn([22]) }, false);
    const v = runCheck(check, snap, ctx({ live: false, ...c.config }));
    assert.equal(v.status, c.status, v.summary);
    if (c.summary) assert.match(v.summary, c.summary);
    if (v.status === 'fail' || v.status === 'warn') assert.ok(v.findings.length > 0, 'a failure carries evidence');
  });
}
