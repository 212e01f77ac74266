import type { Fail2banFacts } from '../../facts/fail2ban.js';
import { defineCheck } from '../define.js';
import { fail, na, pass, unknown, warn, type Evidence, type Verdict } from '../verdict.js';
import type { LoggingFacts } from '../../facts/logging.js';
import { logRoutes, sshdJailRefusal, type LogRoutes } from './running.js';

const GUIDE_AUTHLOG = '/var/log/auth.log';

function journalVerdict(f: Fail2banFacts, l: LogRoutes, backendAt: Evidence) {
  if (!l.journald.present)
    return fail('the sshd jail uses backend systemd but there is no systemd journal (systemd-journald) on this host', [
      backendAt,
      l.journald.source,
    ]);
  if (l.journald.storage === 'none')
    return fail('the sshd jail uses backend systemd but journald keeps nothing (Storage=none)', [
      backendAt,
      { ...l.journald.source, message: 'Storage=none' },
    ]);
  if (!f.pythonSystemd.present)
    return fail('the sshd jail uses backend systemd but python3-systemd is missing: the jail cannot start', [
      backendAt,
      f.pythonSystemd.source,
    ]);
  const live = f.sshdStatus?.journalMatches ? `; the server reads the journal (${f.sshdStatus.journalMatches})` : '';
  return pass(`the sshd jail reads the systemd journal, where sshd logs${live}`, [backendAt, l.journald.source]);
}

/**
 * Whether the sshd jail's log source is real: the file exists and sshd's messages reach it, or the
 * systemd backend on a host with a journal. Only a `pass` is a source that works; f2b.log-source
 * reports it and log.security-events counts the jail as a monitor only then.
 */
export function sshdJailLogSource(f: Fail2banFacts, logging: LoggingFacts): Verdict {
  const routes = logRoutes(logging);
  const v = logSourceOf(f, routes);
  if (v.status !== 'pass' && v.status !== 'warn') return v;
  // A real source is no monitor when the jail does not run (skipped, or fail2ban does not start).
  const refused = sshdJailRefusal(f, routes);
  return refused ? fail(`the sshd jail watches nothing: ${refused.reason}`, refused.evidence) : v;
}

function logSourceOf(f: Fail2banFacts, routes: LogRoutes): Verdict {
  if (f.config.status !== 'ok') return unknown(`the jail configuration is ${f.config.status}: ${f.config.reason}`, f.config.source);
  const j = f.sshdJail;
  if (!j || !j.enabled.value) return na('the sshd jail is not enabled (see f2b.sshd-jail)');
  const backend = j.backend.value ?? '';
  const backendAt: Evidence = { ...j.backend.source, message: `backend = ${j.backend.text}` };
  if (backend.startsWith('systemd')) return journalVerdict(f, routes, backendAt);
  const pathAt: Evidence = { ...j.logpath.source, message: `logpath = ${(j.logpath.value ?? []).join(' ')}` };
  if (j.logFiles.length === 0) return fail(`the sshd jail (backend ${backend}) has no logpath`, [backendAt, pathAt]);
  const found = j.logFiles.flatMap((l) => l.matches);
  const patterns = j.logFiles.map((l) => l.pattern).join(', ');
  if (found.length === 0) {
    const rsyslog = routes.rsyslog.authFiles.find((a) => j.logFiles.some((l) => l.pattern === a.path));
    if (rsyslog)
      return warn(`logpath ${patterns} does not exist yet; rsyslog writes authpriv messages there, so it appears once rsyslog runs`, [
        pathAt,
        { ...rsyslog.source, message: 'rsyslog rule' },
      ]);
    const guide =
      j.logFiles.some((l) => l.pattern === GUIDE_AUTHLOG) && !routes.rsyslog.installed
        ? `: Debian 12 has no ${GUIDE_AUTHLOG} without rsyslog (sshd logs to the journal only), so the guide's \`logpath = ${GUIDE_AUTHLOG}\` leaves fail2ban unable to start the jail; use backend = systemd`
        : ': fail2ban cannot start the jail ("Have not found any log file for sshd jail")';
    return fail(`the sshd jail (backend ${backend}) reads ${patterns}, which does not exist${guide}`, [pathAt, backendAt]);
  }
  const withSshd = found.filter((m) => (m.sshdLines ?? 0) > 0);
  if (withSshd.length > 0)
    return pass(`the sshd jail reads ${withSshd.map((m) => `${m.path} (${m.sshdLines} sshd lines)`).join(', ')}`, [
      pathAt,
      ...withSshd.map((m) => ({ path: m.path, message: `${m.sshdLines} sshd lines` })),
    ]);
  const routed = found.filter((m) => routes.rsyslog.authFiles.some((a) => a.path === m.path));
  if (routed.length > 0)
    return pass(
      `the sshd jail reads ${routed.map((m) => m.path).join(', ')}, where rsyslog writes authpriv messages (no sshd line seen yet)`,
      [pathAt, ...routes.rsyslog.authFiles.map((a) => ({ ...a.source, message: 'rsyslog rule' }))],
    );
  return warn(
    `the sshd jail reads ${found.map((m) => m.path).join(', ')}, which holds no sshd message and nothing routes sshd's messages there`,
    [pathAt, ...found.map((m) => ({ path: m.path, message: m.error ?? 'no sshd line' }))],
  );
}

export default defineCheck({
  id: 'f2b.log-source',
  remediation:
    'On Debian 12 without rsyslog set `backend = systemd` in the [sshd] jail (python3-systemd installed); otherwise point logpath at the file rsyslog writes authpriv messages to.',
  fix: {
    fixes: ['f2b.log-source', 'f2b.running', 'f2b.sshd-jail', 'log.security-events'],
    risk: 'safe',
    steps: [
      {
        kind: 'command',
        argv: ['apt-get', 'install', '-y', 'python3-systemd'],
        purpose: "fail2ban's systemd backend needs python3-systemd",
      },
      { kind: 'set-directive', service: 'fail2ban', section: 'sshd', directive: 'backend', value: 'systemd' },
      { kind: 'set-directive', service: 'fail2ban', section: 'sshd', directive: 'enabled', value: 'true' },
      { kind: 'set-directive', service: 'fail2ban', section: 'sshd', directive: 'maxretry', value: '3' },
      { kind: 'set-directive', service: 'fail2ban', section: 'sshd', directive: 'findtime', value: '10m' },
      { kind: 'set-directive', service: 'fail2ban', section: 'sshd', directive: 'bantime', value: '1h' },
    ],
    note: "The [sshd] jail with the guide's values (maxretry 3, findtime 10m, bantime 1h) reads the journal (jail.d/zz-rampart.local): right where sshd logs to the journal only (Debian 12 without rsyslog).",
  },
  needs: ['fail2ban', 'logging'],
  evaluate: ({ fail2ban: f, logging }) => sshdJailLogSource(f, logging),
});
