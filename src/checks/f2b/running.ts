import type { Source } from '../../facts/evidence.js';
import type { Fail2banFacts } from '../../facts/fail2ban.js';
import type { LoggingFacts } from '../../facts/logging.js';
import { defineCheck } from '../define.js';
import { fail, pass, unknown } from '../verdict.js';
import type { Evidence } from '../verdict.js';

/** What fail2ban's log sources depend on, from the logging facts: the journal, and the files rsyslog writes auth messages to. */
export interface LogRoutes {
  journald: { present: boolean; storage: string; source: Source };
  rsyslog: { installed: boolean; authFiles: { path: string; source: Source }[] };
}

export function logRoutes(l: LoggingFacts): LogRoutes {
  const rsyslog = l.shippers.find((s) => s.kind === 'rsyslog') ?? null;
  const authFiles = rsyslog
    ? l.logFiles
        .filter((f) => f.kind === 'auth' && f.writtenBy.path !== undefined && rsyslog.configFiles.includes(f.writtenBy.path))
        .map((f) => ({ path: f.path, source: f.writtenBy }))
    : [];
  const j = l.journald;
  const source: Source =
    j.storage.source.path !== undefined
      ? j.storage.source
      : j.present
        ? { ...j.evidence, note: 'journald present, Storage= not set (default auto)' }
        : { note: 'no systemd-journald unit' };
  return { journald: { present: j.present, storage: j.storage.value, source }, rsyslog: { installed: rsyslog !== null, authFiles } };
}

/**
 * Offline, "would it start?" from the files: fail2ban-server refuses to start a jail that has no log
 * file to read ("Have not found any log file for sshd jail") or whose systemd backend cannot load
 * (no python3-systemd), and `fail2ban-client start` then fails as a whole.
 */
export function startRefusal(f: Fail2banFacts, routes: LogRoutes): { reason: string; evidence: Evidence[] } | null {
  const other = f.startBlockers[0];
  if (other) return { reason: other.reason, evidence: f.startBlockers.map((b) => ({ ...b.source, message: b.reason })) };
  const j = f.sshdJail;
  // A skipped jail is never converted, so its log files are never looked for.
  if (f.config.status !== 'ok' || !j || j.enabled.value !== true || j.configError) return null;
  const backend = j.backend.value ?? '';
  if (backend.startsWith('systemd')) {
    return f.pythonSystemd.present
      ? null
      : {
          reason: 'the sshd jail uses backend systemd and python3-systemd is missing',
          evidence: [{ ...j.backend.source, message: `backend = ${j.backend.text}` }, f.pythonSystemd.source],
        };
  }
  if (j.logFiles.length > 0 && j.logFiles.every((l) => l.matches.length === 0)) {
    const patterns = j.logFiles.map((l) => l.pattern).join(', ');
    const routed = routes.rsyslog.authFiles.some((a) => j.logFiles.some((l) => l.pattern === a.path));
    if (routed) return null;
    return {
      reason: `the sshd jail (backend ${backend}) reads ${patterns}, which does not exist and nothing writes ("Have not found any log file for sshd jail")`,
      evidence: [{ ...j.logpath.source, message: `logpath = ${(j.logpath.value ?? []).join(' ')}` }],
    };
  }
  return null;
}

/**
 * Why the sshd jail would not be running with this configuration: fail2ban skips it (its filter or
 * action cannot be read) or the whole start fails. f2b.sshd-jail and f2b.log-source judge the jail
 * only when this is null, so no item passes on a configuration fail2ban refuses.
 */
export function sshdJailRefusal(f: Fail2banFacts, routes: LogRoutes): { reason: string; evidence: Evidence[] } | null {
  const ce = f.sshdJail?.configError;
  if (f.sshdJail?.enabled.value === true && ce)
    return {
      reason: `fail2ban skips the sshd jail ("Jail 'sshd' skipped, because of wrong configuration"): ${ce.reason}`,
      evidence: [{ ...ce.source, message: ce.reason }],
    };
  const r = startRefusal(f, routes);
  return r ? { reason: `fail2ban does not start with this configuration: ${r.reason}`, evidence: r.evidence } : null;
}

export default defineCheck({
  id: 'f2b.running',
  remediation: 'Enable and start the service (systemctl enable --now fail2ban) after `fail2ban-client -t` accepts the configuration.',
  needs: ['fail2ban', 'logging'],
  evaluate({ fail2ban: f, logging }, ctx) {
    const boot: Evidence[] =
      f.service.evidence.length > 0 ? f.service.evidence : [{ note: 'no fail2ban.service unit file and no SysV start link' }];
    const bootText = f.service.masked ? 'masked' : f.service.enabledAtBoot ? 'enabled at boot' : 'not enabled at boot';
    const installed: Evidence = { ...f.installedEvidence, message: 'fail2ban is installed' };
    if (f.config.status === 'invalid' && f.server.state !== 'running') {
      return fail(`fail2ban is ${bootText} but its configuration is invalid, so it cannot start: ${f.config.reason}`, [
        { ...f.config.source, message: f.config.reason },
        ...boot,
      ]);
    }
    if (!ctx.live || f.server.state === 'offline') {
      const refusal = startRefusal(f, logRoutes(logging));
      if (refusal)
        return fail(`fail2ban is ${bootText} but could not start with this configuration: ${refusal.reason}`, [
          ...refusal.evidence,
          ...boot,
        ]);
      return f.service.enabledAtBoot
        ? pass(
            'fail2ban is installed and enabled at boot, and its sshd jail has a log source (offline: whether it runs cannot be checked)',
            [installed, ...boot],
          )
        : fail(`fail2ban is installed but ${bootText}`, [installed, ...boot]);
    }
    if (f.server.state === 'error')
      return unknown(`whether the fail2ban server runs is not known: ${f.server.detail}`, { ...f.server.source, message: f.server.detail });
    const live: Evidence = { ...f.server.source, message: f.server.detail };
    if (f.server.state === 'not-running')
      return fail(`the fail2ban server does not answer on ${f.server.socket} (${f.server.detail}); it is ${bootText}`, [live, ...boot]);
    return f.service.enabledAtBoot
      ? pass('the fail2ban server answers ping and is enabled at boot', [live, ...boot])
      : fail(`the fail2ban server runs but is ${bootText}: it will not come back after a reboot`, [live, ...boot]);
  },
});
