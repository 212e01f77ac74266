import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/fw/ssh-admin-sources.js';
import { runCheck } from '../../../src/evaluate/engine.js';
import { ctx, snapshotOf } from '../../helpers.js';
import { fixtureFacts, sshdOn } from '../../firewall/fixture-facts.js';
import { DEFAULT_CONFIG } from '../../../src/config/schema.js';

const cases: { fixture: string; status: string; summary?: RegExp; config?: Parameters<typeof ctx>[0] }[] = [
  { fixture: 'ufw-ssh-admin-source.pass', status: 'pass', summary: /198.51.100.0\/24/ },
  { fixture: 'nft-default-drop.pass', status: 'pass', summary: /198.51.100.0\/24/ },
  { fixture: 'ufw-guide.pass', status: 'fail', summary: /open to anywhere/ },
  {
    fixture: 'ufw-ssh-admin-source.pass',
    status: 'fail',
    summary: /outside ssh_admin_sources/,
    config: { config: { ...DEFAULT_CONFIG, ssh_admin_sources: ['192.0.2.0/24'] } },
  },
  // The whole opened range must lie inside ssh_admin_sources, not just its first address.
  {
    fixture: 'ufw-ssh-admin-source.pass',
    status: 'fail',
    summary: /outside ssh_admin_sources/,
    config: { config: { ...DEFAULT_CONFIG, ssh_admin_sources: ['198.51.100.0/25'] } },
  },
  { fixture: 'ufw-ssh-admin-source.pass', status: 'pass', config: { config: { ...DEFAULT_CONFIG, ssh_admin_sources: ['198.51.0.0/16'] } } },
  { fixture: 'no-firewall.fail', status: 'fail' },
  { fixture: 'malformed-rules.fail', status: 'unknown' },
];

for (const c of cases) {
  test(`fw.ssh-admin-sources ${c.fixture} → ${c.status}`, async () => {
    const snap = snapshotOf({ firewall: await fixtureFacts(c.fixture), sshd: sshdOn([22]) }, false);
    const v = runCheck(check, snap, ctx({ live: false, ...c.config }));
    assert.equal(v.status, c.status, v.summary);
    if (c.summary) assert.match(v.summary, c.summary);
    if (v.status === 'fail' || v.status === 'warn') assert.ok(v.findings.length > 0, 'a failure carries evidence');
  });
}
