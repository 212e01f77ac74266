import check from '../../../src/checks/f2b/log-source.js';
import type { F2bLogFile } from '../../../src/facts/fail2ban.js';
import { f2b, jail, opt } from './facts.js';
import { runCases } from '../run-cases.js';

const fileJail = (files: F2bLogFile[]) =>
  jail({ backend: opt('auto', 'auto', 8), logpath: opt(['/var/log/auth.log'], '/var/log/auth.log', 9), logFiles: files });
const noAuthLog: F2bLogFile = { pattern: '/var/log/auth.log', matches: [] };
const authLog = (sshdLines: number | null, error: string | null = null): F2bLogFile => ({
  pattern: '/var/log/auth.log',
  matches: [{ path: '/var/log/auth.log', size: 4096, sshdLines, error }],
});
const rsyslog = { installed: true, authFiles: [{ path: '/var/log/auth.log', source: { path: '/etc/rsyslog.conf', line: 3 } }] };
const base = f2b().logging;

runCases(
  check,
  {
    pass: [
      { name: 'backend systemd, journald and python3-systemd present', facts: f2b(), summary: /reads the systemd journal/ },
      { name: 'auth.log with sshd lines', facts: f2b({ sshdJail: fileJail([authLog(12)]) }), summary: /12 sshd lines/ },
      {
        name: 'exists, no sshd lines, rsyslog routes authpriv there',
        facts: f2b({ sshdJail: fileJail([authLog(0)]), logging: { ...base, rsyslog } }),
        summary: /rsyslog writes authpriv/,
      },
    ],
    fail: [
      {
        name: 'backend systemd without python3-systemd',
        facts: f2b({ logging: { ...base, pythonSystemd: { present: false, source: { note: 'missing' } } } }),
        summary: /python3-systemd is missing/,
      },
      {
        name: 'backend systemd, journald Storage=none',
        facts: f2b({
          logging: { ...base, journald: { present: true, storage: 'none', source: { path: '/etc/systemd/journald.conf', line: 2 } } },
        }),
        summary: /Storage=none/,
      },
      {
        name: "the guide's snippet on Debian 12 without rsyslog",
        facts: f2b({ sshdJail: fileJail([noAuthLog]) }),
        summary: /Debian 12 has no \/var\/log\/auth.log without rsyslog.*backend = systemd/,
      },
      {
        name: 'missing log file, rsyslog installed but not routing there',
        facts: f2b({ sshdJail: fileJail([noAuthLog]), logging: { ...base, rsyslog: { installed: true, authFiles: [] } } }),
        summary: /Have not found any log file/,
      },
    ],
    warn: [
      {
        name: 'missing but rsyslog writes it',
        facts: f2b({ sshdJail: fileJail([noAuthLog]), logging: { ...base, rsyslog } }),
        summary: /appears once rsyslog runs/,
      },
      {
        name: 'exists but receives no sshd messages',
        facts: f2b({ sshdJail: fileJail([authLog(0)]) }),
        summary: /holds no sshd message/,
      },
      {
        name: 'exists, too large to scan',
        facts: f2b({ sshdJail: fileJail([authLog(null, 'over the read limit')]) }),
        summary: /auth.log/,
      },
    ],
    na: [{ name: 'jail disabled', facts: f2b({ sshdJail: jail({ enabled: opt(false, 'false', 2) }) }), summary: /not enabled/ }],
    unknown: [
      {
        name: 'configuration invalid',
        facts: f2b({
          config: { status: 'invalid', reason: 'file contains no section headers', source: { path: '/etc/fail2ban/jail.local', line: 1 } },
        }),
        summary: /no section headers/,
      },
    ],
  },
  { key: 'fail2ban' },
);
