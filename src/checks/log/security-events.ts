import type { Fact } from '../../facts/fact.js';
import type { Source } from '../../facts/evidence.js';
import type { Fail2banFacts } from '../../facts/fail2ban.js';
import type { FailedLogins, LoggingFacts, MonitorState } from '../../facts/logging.js';
import { sshdJailLogSource } from '../f2b/log-source.js';
import { defineCheck } from '../define.js';
import { fail, pass, type Evidence } from '../verdict.js';

const DAY_MS = 86_400_000;
const TOP = 5;

/** Failed logins in the 24 h before `now`, by address and user (counts only). */
export function summarizeFailedLogins(f: FailedLogins, now: Date): { text: string; evidence: Evidence } {
  if (f.state !== 'ok') return { text: `failed-login summary unavailable: ${f.detail}`, evidence: { ...f.source, message: f.detail } };
  const from = now.getTime() - DAY_MS;
  const recent = f.buckets.filter((b) => {
    const t = Date.parse(b.hour);
    return t + 3_600_000 > from && t <= now.getTime();
  });
  const total = recent.reduce((n, b) => n + b.count, 0);
  const tally = (key: (b: (typeof recent)[number]) => string) => {
    const m = new Map<string, number>();
    for (const b of recent) m.set(key(b), (m.get(key(b)) ?? 0) + b.count);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  };
  const addrs = tally((b) => b.address ?? '?');
  const users = tally((b) => b.user);
  const list = (xs: [string, number][]) =>
    xs
      .slice(0, TOP)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') + (xs.length > TOP ? `, … (${xs.length - TOP} more)` : '');
  const text =
    total === 0
      ? 'no failed SSH logins in the last 24 h'
      : `${total} failed SSH login(s) in the last 24 h from ${addrs.length} address(es) (${list(addrs)}); users: ${list(users)}`;
  return { text, evidence: { ...f.source, message: `${text} [${f.from === 'journal' ? 'journal' : 'auth log file'}: ${f.detail}]` } };
}

/** Whether the fail2ban sshd jail is configured in fail2ban (on) and counts as a monitor of the authentication log. */
export function fail2banOn(f: Fact<Fail2banFacts>): f is Extract<Fact<Fail2banFacts>, { state: 'collected' }> {
  return f.state === 'collected' && f.value.config.status === 'ok' && f.value.sshdJail?.enabled.value === true;
}

/** The fail2ban sshd jail as a monitor of the authentication log, from the fail2ban facts (any state) and the logging facts. */
export function fail2banMonitor(f: Fact<Fail2banFacts>, logging: LoggingFacts): MonitorState {
  if (f.state === 'absent')
    return {
      installed: false,
      watchesAuth: false,
      enabledAtBoot: null,
      evidence: [{ note: f.reason }],
      detail: 'fail2ban is not installed',
    };
  if (f.state === 'failed')
    return {
      installed: true,
      watchesAuth: false,
      enabledAtBoot: null,
      evidence: [{ note: f.reason }],
      detail: `fail2ban could not be read: ${f.reason}`,
    };
  const v = f.value;
  const j = v.sshdJail;
  const on = fail2banOn(f);
  // A jail watches only what reaches it: the same rule as f2b.log-source (the file exists and sshd's
  // messages are written there, or the systemd backend with a journal), not "enabled".
  const source = on ? sshdJailLogSource(v, logging) : null;
  const real = source?.status === 'pass';
  const detail =
    v.config.status !== 'ok'
      ? `fail2ban configuration is ${v.config.status}: ${v.config.reason}`
      : !j
        ? 'no [sshd] jail'
        : !on
          ? 'the fail2ban sshd jail is not enabled'
          : real
            ? `the fail2ban sshd jail is enabled and ${source.summary.replace(/^the sshd jail /, '')}`
            : `the fail2ban sshd jail is enabled but its log source is not real (${source!.summary})`;
  const sourceEvidence: Source[] = source
    ? source.findings
        .filter((e) => e.path !== null)
        .slice(0, 2)
        .map((e) => ({ path: e.path!, ...(e.line !== null ? { line: e.line } : {}), note: e.message }))
    : [];
  return {
    installed: true,
    watchesAuth: real,
    enabledAtBoot: v.service.enabledAtBoot,
    evidence: [
      ...(j ? [{ ...j.enabled.source, excerpt: `[sshd] enabled = ${j.enabled.text}` }] : []),
      ...sourceEvidence,
      ...v.service.evidence,
    ],
    detail,
  };
}

const NAMES = { fail2ban: 'fail2ban sshd jail', wazuh: 'Wazuh/OSSEC', auditd: 'auditd login rules' } as const;

export default defineCheck({
  id: 'log.security-events',
  remediation:
    'Watch the authentication log: enable the fail2ban [sshd] jail (see f2b.sshd-jail), or a Wazuh/OSSEC <localfile> for /var/log/auth.log or journald, or auditd rules such as `-w /var/log/lastlog -p wa -k logins` and `-w /var/run/faillock -p wa -k logins`; enable the monitor at boot.',
  needs: ['logging', 'fail2ban'],
  optional: ['fail2ban'],
  evaluate({ logging: l, fail2ban }, ctx) {
    const monitors: [keyof typeof NAMES, MonitorState][] = [
      ['fail2ban', fail2banMonitor(fail2ban, l)],
      ['wazuh', l.monitors.wazuh],
      ['auditd', l.monitors.auditd],
    ];
    const logins = summarizeFailedLogins(l.failedLogins, ctx.now);
    const active = monitors.filter(([, m]) => m.installed && m.watchesAuth && m.enabledAtBoot === true);
    if (active.length > 0) {
      return pass(
        `${active.map(([k]) => NAMES[k]).join(' and ')} ${active.length > 1 ? 'watch' : 'watches'} the authentication log; ${logins.text}`,
        [
          ...active.flatMap(([k, m]) => m.evidence.slice(0, 3).map((e) => ({ ...e, message: `${NAMES[k]}: ${m.detail}` }))),
          logins.evidence,
        ],
      );
    }
    const idle = monitors.filter(([, m]) => m.installed && m.watchesAuth);
    const installed = monitors.filter(([, m]) => m.installed);
    const why =
      idle.length > 0
        ? `${idle.map(([k]) => NAMES[k]).join(' and ')} ${idle.length > 1 ? 'watch' : 'watches'} the authentication log but ${idle.length > 1 ? 'are' : 'is'} not enabled at boot`
        : installed.length > 0
          ? `no monitor watches the authentication log (${installed.map(([k, m]) => `${k}: ${m.detail}`).join('; ')})`
          : 'no monitor (fail2ban, Wazuh/OSSEC, auditd) is installed';
    const evidence: Evidence[] =
      installed.length > 0
        ? installed.flatMap(([k, m]) => m.evidence.slice(0, 3).map((e) => ({ ...e, message: `${NAMES[k]}: ${m.detail}` })))
        : [{ note: 'fail2ban, Wazuh/OSSEC and auditd are not installed' }];
    return fail(`${why}; ${logins.text}`, [...evidence, logins.evidence]);
  },
});
