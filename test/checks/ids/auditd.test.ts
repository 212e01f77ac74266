import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ids/auditd.js';
import type { IdsFacts } from '../../../src/facts/ids.js';
import { ctx } from '../../helpers.js';
import { fullCoverage, ids } from '../../ids/check-facts.js';

const a = ids().auditd;
const noSshd = { ...fullCoverage(), sshdConfig: null };
const cases: { name: string; facts: IdsFacts; live?: boolean; profile?: 'guide' | 'strict'; status: string; summary: RegExp }[] = [
  { name: 'live: rules loaded, not immutable noted', facts: ids(), status: 'pass', summary: /loaded rules \(8\).*not immutable/ },
  {
    name: 'strict: -e 2 on disk and in the kernel',
    facts: ids({ auditd: { files: { ...a.files, coverage: fullCoverage('2') }, kernel: { ...a.kernel, enabled: 2 } } }),
    profile: 'strict',
    status: 'pass',
    summary: /immutable \(-e 2\)/,
  },
  { name: 'strict: no -e 2', facts: ids(), profile: 'strict', status: 'fail', summary: /not immutable.*strict/ },
  {
    name: 'offline: judged from files',
    facts: ids({ auditd: { processes: null, kernel: { ...a.kernel, state: 'offline', enabled: null, coverage: null } } }),
    live: false,
    status: 'pass',
    summary: /offline: loaded rules cannot be checked/,
  },
  { name: 'not installed', facts: ids({ auditd: { installed: false, installedEvidence: [] } }), status: 'fail', summary: /not installed/ },
  {
    name: 'not enabled at boot',
    facts: ids({ auditd: { boot: { unitFile: '/lib/systemd/system/auditd.service', enabledAtBoot: false, masked: false, evidence: [] } } }),
    status: 'fail',
    summary: /not enabled at boot/,
  },
  { name: 'live: not running', facts: ids({ auditd: { processes: [] } }), status: 'fail', summary: /no auditd process/ },
  {
    name: 'Debian default rules watch nothing',
    facts: ids({
      auditd: {
        files: {
          ...a.files,
          coverage: {
            identity: Object.fromEntries(Object.keys(fullCoverage().identity).map((k) => [k, null])),
            sshdConfig: null,
            privileged: [],
            enableFlag: null,
          },
        },
      },
    }),
    status: 'fail',
    summary: /do not watch \/etc\/passwd.*privileged command use/,
  },
  {
    name: 'sshd_config not watched',
    facts: ids({ auditd: { files: { ...a.files, coverage: noSshd } } }),
    status: 'fail',
    summary: /do not watch \/etc\/ssh\/sshd_config/,
  },
  {
    name: 'live: kernel audit state not readable (container): loaded part unknown',
    facts: ids({
      auditd: {
        kernel: {
          ...a.kernel,
          state: 'unavailable',
          detail: 'the kernel audit state cannot be read: Error sending status request (Operation not permitted)',
          enabled: null,
          coverage: null,
        },
      },
    }),
    status: 'unknown',
    summary: /whether they are loaded is unknown.*Operation not permitted/,
  },
  {
    name: 'live: kernel auditing disabled',
    facts: ids({ auditd: { kernel: { ...a.kernel, enabled: 0 } } }),
    status: 'fail',
    summary: /enabled 0/,
  },
  {
    name: 'live: rules on disk not loaded (drift)',
    facts: ids({ auditd: { files: { ...a.files, auditRulesStale: true }, kernel: { ...a.kernel, coverage: noSshd } } }),
    status: 'warn',
    summary: /loaded rules do not watch \/etc\/ssh\/sshd_config.*augenrules --load/,
  },
];
for (const c of cases) {
  test(`ids.auditd ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ ids: c.facts }, ctx({ live: c.live ?? true, profile: c.profile ?? 'guide' }));
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail' || v.status === 'warn')
      assert.ok(
        v.findings.some((f) => f.path || f.command),
        'a fail carries evidence',
      );
  });
}
