import type { AuditCoverage } from '../../facts/ids.js';
import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn, type Evidence } from '../verdict.js';

/** The files the guide (section 5.2) wants watched for writes. */
const WATCHED = ['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow', '/etc/sudoers', '/etc/sudoers.d', '/etc/ssh/sshd_config'];

/** What the coverage lacks, named as the guide names it. */
export function missingWatches(c: AuditCoverage): string[] {
  const out = Object.entries(c.identity)
    .filter(([, r]) => r === null)
    .map(([p]) => p);
  if (!c.sshdConfig) out.push('/etc/ssh/sshd_config');
  if (c.privileged.length === 0) out.push('privileged command use (sudo / setuid binaries with perm=x, or execve with euid=0)');
  return out;
}

const ruleEvidence = (c: AuditCoverage): Evidence[] => [
  ...Object.entries(c.identity).flatMap(([p, r]) => (r ? [{ ...r.source, message: `watches ${p}` }] : [])),
  ...(c.sshdConfig ? [{ ...c.sshdConfig.source, message: 'watches /etc/ssh/sshd_config' }] : []),
  ...c.privileged.slice(0, 3).map((r) => ({ ...r.source, message: 'records privileged command use' })),
];

export default defineCheck({
  id: 'ids.auditd',
  remediation:
    'Install auditd, add watch rules for identity files, sudoers, sshd_config and privileged commands in /etc/audit/rules.d/*.rules (strict: end with -e 2), run augenrules --load and enable auditd.',
  fix: {
    fixes: ['ids.auditd'],
    risk: 'safe',
    steps: [
      { kind: 'command', argv: ['apt-get', 'install', '-y', 'auditd'], purpose: 'install and start auditd' },
      { kind: 'command', argv: ['systemctl', 'enable', '--now', 'auditd'], purpose: 'start auditd at boot' },
      ...WATCHED.map((p) => ({
        kind: 'set-directive' as const,
        service: 'auditd' as const,
        directive: 'rule',
        value: `-w ${p} -p wa -k ${p === '/etc/ssh/sshd_config' ? 'sshd' : 'identity'}`,
      })),
      {
        kind: 'set-directive',
        service: 'auditd',
        directive: 'rule',
        value: '-a always,exit -F path=/usr/bin/sudo -F perm=x -F auid>=1000 -F auid!=unset -k privileged',
      },
    ],
    note: 'Installs the daemon and adds the watches the guide asks for (identity files, sudoers, sshd_config, sudo use) in /etc/audit/rules.d/50-rampart.rules; -e 2 (immutable, strict profile) is left to the operator: it needs a reboot to undo.',
  },
  needs: ['ids'],
  evaluate({ ids: { auditd: a } }, ctx) {
    if (!a.installed)
      return fail('auditd is not installed', { path: '/var/lib/dpkg/status', message: 'no auditd package, no /sbin/auditd' });
    const boot: Evidence[] =
      a.boot.evidence.length > 0
        ? a.boot.evidence
        : [
            {
              path: a.boot.unitFile ?? '/etc/systemd/system',
              message: a.boot.unitFile ? 'no enablement symlink in *.wants/' : 'no auditd.service and no SysV start link',
            },
          ];
    if (!a.boot.enabledAtBoot) return fail(`auditd is ${a.boot.masked ? 'masked' : 'not enabled at boot'}`, boot);
    if (ctx.live && a.processes !== null && a.processes.length === 0)
      return fail('auditd is enabled at boot but no auditd process runs', [
        { ...a.processesSource, message: 'no auditd process' },
        ...boot,
      ]);
    const files = a.files;
    const where =
      files.from === 'rules.d'
        ? `${files.rulesDir}/*.rules (merged as augenrules does)`
        : files.from === 'audit.rules'
          ? '/etc/audit/audit.rules'
          : 'no rules file';
    const errs: Evidence[] = files.errors.map((e) => ({
      ...e.source,
      message: `${e.message}: auditctl -R stops here, later rules are not loaded`,
    }));
    const missing = missingWatches(files.coverage);
    if (missing.length > 0)
      return fail(`the audit rules in ${where} do not watch ${missing.join(', ')}`, [
        ...errs,
        ...ruleEvidence(files.coverage),
        { path: files.from === 'audit.rules' ? '/etc/audit/audit.rules' : files.rulesDir, message: `${files.ruleCount} rule(s)` },
      ]);
    const e = files.coverage.enableFlag;
    const immutable = e?.value === '2' && (a.kernel.state !== 'ok' || a.kernel.enabled === 2);
    const eEv: Evidence = e ? { ...e.source, message: `-e ${e.value}` } : { path: files.rulesDir, message: 'no -e line' };
    if (ctx.profile === 'strict' && !immutable)
      return fail(
        `the audit rules are not immutable: ${e ? `last -e is ${e.value}` : 'no -e 2'}${a.kernel.state === 'ok' ? `, kernel enabled ${a.kernel.enabled ?? '?'}` : ''} (strict profile requires -e 2)`,
        [eEv],
      );
    const note = immutable ? 'immutable (-e 2)' : 'not immutable (-e 2 is required only in the strict profile)';
    const ev = [...ruleEvidence(files.coverage), eEv, ...boot];
    if (a.kernel.state === 'offline' || !ctx.live)
      return pass(
        `the rules in ${where} watch identity files, sudoers, sshd_config and privileged commands; ${note} (offline: loaded rules cannot be checked)`,
        ev,
      );
    if (a.kernel.state === 'unavailable')
      return unknown(`the rules in ${where} watch what the guide lists, but whether they are loaded is unknown: ${a.kernel.detail}`, [
        { ...a.kernel.source, message: a.kernel.detail },
        ...ev,
      ]);
    const kEv: Evidence = { ...a.kernel.source, message: a.kernel.detail };
    if (a.kernel.enabled === 0)
      return fail(`kernel auditing is disabled (auditctl -s: enabled 0) although the rules on disk are complete`, [kEv, ...ev]);
    const notLoaded = a.kernel.coverage ? missingWatches(a.kernel.coverage) : [];
    if (notLoaded.length > 0)
      return warn(
        `the rules on disk are complete but the loaded rules do not watch ${notLoaded.join(', ')} (run augenrules --load${files.auditRulesStale ? '; audit.rules is older than rules.d' : ''})`,
        [kEv, ...ev],
      );
    return pass(`loaded rules (${a.kernel.ruleCount ?? 0}) watch identity files, sudoers, sshd_config and privileged commands; ${note}`, [
      kEv,
      ...ev,
    ]);
  },
});
