import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/fw/enabled.js';
import { runCheck } from '../../../src/evaluate/engine.js';
import { ctx, snapshotOf } from '../../helpers.js';
import { fixtureFacts, FIXTURES, sshdOn } from '../../firewall/fixture-facts.js';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTarget } from '../../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../../src/config/schema.js';
import { firewallCollector } from '../../../src/collect/firewall.js';

const cases: { fixture: string; status: string; summary?: RegExp; config?: Parameters<typeof ctx>[0] }[] = [
  { fixture: 'ufw-guide.pass', status: 'pass', summary: /ufw is active/ },
  { fixture: 'nft-default-drop.pass', status: 'pass', summary: /nftables/ },
  { fixture: 'iptables-guide-ratelimit.pass', status: 'pass', summary: /iptables-persistent/ },
  { fixture: 'ufw-inactive.fail', status: 'fail', summary: /inactive/ },
  { fixture: 'nft-accept-policy.fail', status: 'fail', summary: /accept everything/ },
  { fixture: 'no-firewall.fail', status: 'fail', summary: /No host firewall/ },
  { fixture: 'malformed-rules.fail', status: 'unknown', summary: /could not be read/ },
];

for (const c of cases) {
  test(`fw.enabled ${c.fixture} → ${c.status}`, async () => {
    const snap = snapshotOf({ firewall: await fixtureFacts(c.fixture), sshd: sshdOn([22]) }, false);
    const v = runCheck(check, snap, ctx({ live: false, ...c.config }));
    assert.equal(v.status, c.status, v.summary);
    if (c.summary) assert.match(v.summary, c.summary);
    if (v.status === 'fail' || v.status === 'warn') assert.ok(v.findings.length > 0, 'a failure carries evidence');
  });
}

test('fw.enabled: ufw enabled at boot is the host bootState — a dangling link (unit file gone) or a mask does not load the rules', async (t) => {
  const verdict = async (change: (root: string) => void) => {
    const root = mkdtempSync(join(tmpdir(), 'rampart-fw-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    cpSync(join(FIXTURES, 'ufw-guide.pass'), root, { recursive: true, verbatimSymlinks: true });
    change(root);
    const f = await firewallCollector.collect({
      target: new FsTarget({ root, name: 'img' }),
      config: DEFAULT_CONFIG,
      commandTimeoutMs: 5000,
    });
    return runCheck(check, snapshotOf({ firewall: f, sshd: sshdOn([22]) }, false), ctx({ live: false }));
  };
  assert.equal((await verdict(() => {})).status, 'pass');
  const dangling = await verdict((root) => rmSync(join(root, 'lib/systemd/system/ufw.service')));
  assert.equal(dangling.status, 'fail', dangling.summary);
  const masked = await verdict((root) => symlinkSync('/dev/null', join(root, 'etc/systemd/system/ufw.service')));
  assert.equal(masked.status, 'fail', masked.summary);
});
