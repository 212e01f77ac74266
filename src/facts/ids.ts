import type { Source } from './evidence.js';

/** Boot enablement of a service: systemd unit symlinks in *.wants, else SysV start links. */
export interface BootState {
  unitFile: string | null;
  enabledAtBoot: boolean;
  masked: boolean;
  evidence: Source[];
}

export interface HidsFacts {
  /** null: neither OSSEC nor Wazuh is installed. */
  product: 'wazuh-agent' | 'ossec-hids-agent' | 'ossec' | null;
  installedEvidence: Source[];
  boot: BootState;
  /** Live: the agent daemon processes; offline: null. */
  processes: { pid: number; comm: string; user: string | null }[] | null;
  processesSource: Source;
  config: {
    path: string;
    state: 'ok' | 'missing' | 'unreadable' | 'invalid';
    detail: string | null;
    /** <client><server><address> (Wazuh) or <client><server-ip>/<server-hostname> (OSSEC 2.x). */
    managers: { address: string; port: string | null; protocol: string | null; source: Source }[];
  };
}

/** A kernel audit rule as written in a rules file or printed by `auditctl -l`. */
export interface AuditRuleFact {
  text: string;
  source: Source;
}

export interface AuditCoverage {
  /** Watched path → the rule that watches it for writes (null: not watched). */
  identity: Record<string, AuditRuleFact | null>;
  sshdConfig: AuditRuleFact | null;
  /** Rules that record privileged command use (sudo, setuid binaries, execve as euid 0). */
  privileged: AuditRuleFact[];
  /** The last -e: 2 makes the configuration immutable until reboot. */
  enableFlag: { value: string; source: Source } | null;
}

export interface AuditdFacts {
  installed: boolean;
  installedEvidence: Source[];
  boot: BootState;
  processes: { pid: number; user: string | null }[] | null;
  processesSource: Source;
  /** Rules the next start loads: augenrules' merge of rules.d (auditd.service runs `augenrules --load`), else audit.rules. */
  files: {
    from: 'rules.d' | 'audit.rules' | 'none';
    rulesDir: string;
    rulesFiles: string[];
    /** audit.rules differs from what augenrules would generate now (it rewrites it at the next start). */
    auditRulesStale: boolean | null;
    errors: { message: string; source: Source }[];
    coverage: AuditCoverage;
    ruleCount: number;
  };
  /** `auditctl -s` / `auditctl -l`; state not-available when the kernel or environment refuses. */
  kernel: {
    state: 'ok' | 'offline' | 'unavailable';
    detail: string;
    /** 0 disabled, 1 enabled, 2 enabled and immutable. */
    enabled: number | null;
    coverage: AuditCoverage | null;
    ruleCount: number | null;
    source: Source;
  };
}

export interface FileIntegrityFacts {
  tool: 'aide' | 'tripwire' | null;
  installedEvidence: Source[];
  config: { path: string; state: 'ok' | 'missing' | 'unreadable'; detail: string | null };
  database: {
    path: string | null;
    source: Source;
    /** null: its stat was denied (a directory on the way cannot be searched), so it cannot be told. */
    exists: boolean | null;
    size: number | null;
    mtime: string | null;
    detail: string;
  };
  schedule: {
    /** Each way a periodic check is set up, with whether it runs. */
    entries: { kind: 'systemd-timer' | 'cron.daily' | 'crontab'; active: boolean; detail: string; source: Source }[];
  };
}

export interface IdsFacts {
  hids: HidsFacts;
  auditd: AuditdFacts;
  fileIntegrity: FileIntegrityFacts;
}
