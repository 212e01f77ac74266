import check from '../../../src/checks/ids/auditd.js';
import { fullCoverage, ids } from '../../ids/check-facts.js';
import { runCases } from '../run-cases.js';

const a = ids().auditd;
const noSshd = { ...fullCoverage(), sshdConfig: null };
runCases(
  check,
  {
    pass: [
      { name: 'live: rules loaded, not immutable noted', facts: ids(), summary: /loaded rules \(8\).*not immutable/ },
      {
        name: 'strict: -e 2 on disk and in the kernel',
        facts: ids({ auditd: { files: { ...a.files, coverage: fullCoverage('2') }, kernel: { ...a.kernel, enabled: 2 } } }),
        profile: 'strict',
        summary: /immutable \(-e 2\)/,
      },
      {
        name: 'offline: judged from files',
        facts: ids({ auditd: { processes: null, kernel: { ...a.kernel, state: 'offline', enabled: null, coverage: null } } }),
        live: false,
        summary: /offline: loaded rules cannot be checked/,
      },
    ],
    fail: [
      { name: 'strict: no -e 2', facts: ids(), profile: 'strict', summary: /not immutable.*strict/ },
      { name: 'not installed', facts: ids({ auditd: { installed: false, installedEvidence: [] } }), summary: /not installed/ },
      {
        name: 'not enabled at boot',
        facts: ids({
          auditd: { boot: { unitFile: '/lib/systemd/system/auditd.service', enabledAtBoot: false, masked: false, evidence: [] } },
        }),
        summary: /not enabled at boot/,
      },
      { name: 'live: not running', facts: ids({ auditd: { processes: [] } }), summary: /no auditd process/ },
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
        summary: /do not watch \/etc\/passwd.*privileged command use/,
      },
      {
        name: 'sshd_config not watched',
        facts: ids({ auditd: { files: { ...a.files, coverage: noSshd } } }),
        summary: /do not watch \/etc\/ssh\/sshd_config/,
      },
      {
        name: 'live: kernel auditing disabled',
        facts: ids({ auditd: { kernel: { ...a.kernel, enabled: 0 } } }),
        summary: /enabled 0/,
      },
    ],
    warn: [
      {
        name: 'live: rules on disk not loaded (drift)',
        facts: ids({ auditd: { files: { ...a.files, auditRulesStale: true }, kernel: { ...a.kernel, coverage: noSshd } } }),
        summary: /loaded rules do not watch \/etc\/ssh\/sshd_config.*augenrules --load/,
      },
    ],
    unknown: [
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
        summary: /whether they are loaded is unknown.*Operation not permitted/,
      },
    ],
  },
  { key: 'ids' },
);
