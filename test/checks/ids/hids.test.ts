import check from '../../../src/checks/ids/hids.js';
import { ids } from '../../ids/check-facts.js';
import { runCases } from '../run-cases.js';

const base = ids().hids;
runCases(
  check,
  {
    pass: [
      {
        name: 'live: agent runs, manager set, enabled',
        facts: ids(),
        summary: /wazuh-agentd runs \(pid 812\), reports to 10\.0\.0\.5/,
      },
      {
        name: 'offline: enabled, manager set, liveness noted',
        facts: ids({ hids: { processes: null } }),
        live: false,
        summary: /offline/,
      },
    ],
    fail: [
      {
        name: 'nothing installed',
        facts: ids({ hids: { product: null, installedEvidence: [] } }),
        summary: /no OSSEC or Wazuh agent/,
      },
      {
        name: "upstream template address placeholder (Wazuh can't run here)",
        facts: ids({
          hids: {
            config: { ...base.config, managers: [], detail: 'the manager address is still the template placeholder "IP" (line 10)' },
          },
        }),
        summary: /no manager address.*placeholder "IP"/,
      },
      {
        name: 'ossec.conf invalid XML',
        facts: ids({ hids: { config: { ...base.config, state: 'invalid', detail: 'unclosed <ossec_config>', managers: [] } } }),
        summary: /invalid/,
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
        summary: /not enabled at boot/,
      },
      {
        name: 'live: no agent process',
        facts: ids({ hids: { processes: [] } }),
        summary: /no wazuh-agentd\/ossec-agentd process/,
      },
    ],
    unknown: [
      {
        name: 'ossec.conf unreadable',
        facts: ids({ hids: { config: { ...base.config, state: 'unreadable', detail: 'permission denied', managers: [] } } }),
        summary: /cannot be read/,
      },
      {
        name: 'live: the process list was not read (no pass on what was not seen)',
        facts: ids({ hids: { processes: null } }),
        live: true,
        summary: /whether it runs was not seen/,
      },
    ],
  },
  { key: 'ids' },
);
