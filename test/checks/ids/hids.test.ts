import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ids/hids.js';
import type { IdsFacts } from '../../../src/facts/ids.js';
import { ctx } from '../../helpers.js';
import { ids } from '../../ids/check-facts.js';

const base = ids().hids;
const cases: { name: string; facts: IdsFacts; live?: boolean; status: string; summary: RegExp }[] = [
  {
    name: 'live: agent runs, manager set, enabled',
    facts: ids(),
    status: 'pass',
    summary: /wazuh-agentd runs \(pid 812\), reports to 10\.0\.0\.5/,
  },
  {
    name: 'offline: enabled, manager set, liveness noted',
    facts: ids({ hids: { processes: null } }),
    live: false,
    status: 'pass',
    summary: /offline/,
  },
  {
    name: 'nothing installed',
    facts: ids({ hids: { product: null, installedEvidence: [] } }),
    status: 'fail',
    summary: /no OSSEC or Wazuh agent/,
  },
  {
    name: "upstream template address placeholder (Wazuh can't run here)",
    facts: ids({
      hids: { config: { ...base.config, managers: [], detail: 'the manager address is still the template placeholder "IP" (line 10)' } },
    }),
    status: 'fail',
    summary: /no manager address.*placeholder "IP"/,
  },
  {
    name: 'ossec.conf invalid XML',
    facts: ids({ hids: { config: { ...base.config, state: 'invalid', detail: 'unclosed <ossec_config>', managers: [] } } }),
    status: 'fail',
    summary: /invalid/,
  },
  {
    name: 'ossec.conf unreadable',
    facts: ids({ hids: { config: { ...base.config, state: 'unreadable', detail: 'permission denied', managers: [] } } }),
    status: 'unknown',
    summary: /cannot be read/,
  },
  {
    name: 'not enabled at boot',
    facts: ids({
      hids: {
        boot: {
          unitFile: '/usr/lib/systemd/system/wazuh-agent.service',
          enabledAtBoot: false,
          masked: false,
          evidence: [{ path: '/usr/lib/systemd/system/wazuh-agent.service' }],
        },
      },
    }),
    status: 'fail',
    summary: /not enabled at boot/,
  },
  {
    name: 'live: the process list was not read (no pass on what was not seen)',
    facts: ids({ hids: { processes: null } }),
    live: true,
    status: 'unknown',
    summary: /whether it runs was not seen/,
  },
  {
    name: 'live: no agent process',
    facts: ids({ hids: { processes: [] } }),
    status: 'fail',
    summary: /no wazuh-agentd\/ossec-agentd process/,
  },
];
for (const c of cases) {
  test(`ids.hids ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ ids: c.facts }, ctx({ live: c.live ?? true }));
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail')
      assert.ok(
        v.findings.some((f) => f.path || f.command),
        'a fail carries evidence',
      );
  });
}
