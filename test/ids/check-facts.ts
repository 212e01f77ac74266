import type { AuditCoverage, IdsFacts } from '../../src/facts/ids.js';

const rule = (text: string, line: number) => ({ text, source: { path: '/etc/audit/rules.d/40-local.rules', line } });
export const fullCoverage = (enable: string | null = null): AuditCoverage => ({
  identity: Object.fromEntries(
    ['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow', '/etc/sudoers', '/etc/sudoers.d'].map((p, i) => [
      p,
      rule(`-w ${p} -p wa`, i + 1),
    ]),
  ),
  sshdConfig: rule('-w /etc/ssh/sshd_config -p wa', 7),
  privileged: [rule('-a always,exit -F path=/usr/bin/sudo -F perm=x -F auid>=1000', 8)],
  enableFlag: enable ? { value: enable, source: { path: '/etc/audit/rules.d/99-finalize.rules', line: 3 } } : null,
});
const enabled = {
  unitFile: '/lib/systemd/system/x.service',
  enabledAtBoot: true,
  masked: false,
  evidence: [{ path: '/etc/systemd/system/multi-user.target.wants/x.service' }],
};

/** A host where all three pass (live); override what a case needs. */
export function ids(
  over: { hids?: Partial<IdsFacts['hids']>; auditd?: Partial<IdsFacts['auditd']>; fileIntegrity?: Partial<IdsFacts['fileIntegrity']> } = {},
): IdsFacts {
  return {
    hids: {
      product: 'wazuh-agent',
      installedEvidence: [{ path: '/var/lib/dpkg/status', line: 10, excerpt: 'wazuh-agent 4.7.0-1' }],
      boot: enabled,
      processes: [{ pid: 812, comm: 'wazuh-agentd', user: 'wazuh' }],
      processesSource: { path: '/proc' },
      config: {
        path: '/var/ossec/etc/ossec.conf',
        state: 'ok',
        detail: null,
        managers: [{ address: '10.0.0.5', port: '1514', protocol: 'tcp', source: { path: '/var/ossec/etc/ossec.conf', line: 10 } }],
      },
      ...over.hids,
    },
    auditd: {
      installed: true,
      installedEvidence: [{ path: '/var/lib/dpkg/status', line: 5 }],
      boot: enabled,
      processes: [{ pid: 300, user: 'root' }],
      processesSource: { path: '/proc' },
      files: {
        from: 'rules.d',
        rulesDir: '/etc/audit/rules.d',
        rulesFiles: ['/etc/audit/rules.d/40-local.rules'],
        auditRulesStale: false,
        errors: [],
        coverage: fullCoverage(),
        ruleCount: 8,
      },
      kernel: {
        state: 'ok',
        detail: 'enabled 1, 8 rule(s) loaded',
        enabled: 1,
        coverage: fullCoverage(),
        ruleCount: 8,
        source: { command: 'auditctl -s; auditctl -l' },
      },
      ...over.auditd,
    },
    fileIntegrity: {
      tool: 'aide',
      installedEvidence: [{ path: '/var/lib/dpkg/status', line: 3 }],
      config: { path: '/etc/aide/aide.conf', state: 'ok', detail: null },
      database: {
        path: '/var/lib/aide/aide.db',
        source: { path: '/etc/aide/aide.conf', line: 4 },
        exists: true,
        size: 1234,
        mtime: '2026-11-27T01:50:00.000Z',
        detail: 'an AIDE database (@@begin_db)',
      },
      schedule: {
        entries: [
          {
            kind: 'systemd-timer',
            active: true,
            detail: 'dailyaidecheck.timer is enabled',
            source: { path: '/etc/systemd/system/timers.target.wants/dailyaidecheck.timer' },
          },
        ],
      },
      ...over.fileIntegrity,
    },
  };
}
