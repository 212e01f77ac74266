import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/f2b/log-source.js';
import type { Fail2banFacts, F2bLogFile } from '../../../src/facts/fail2ban.js';
import { ctx } from '../../helpers.js';
import type { LoggingFacts } from '../../../src/facts/logging.js';
import { f2b, jail, opt } from './facts.js';
import { authFile, journald, logging, shipper } from '../log/facts.js';

const fileJail = (files: F2bLogFile[]) =>
  jail({ backend: opt('auto', 'auto', 8), logpath: opt(['/var/log/auth.log'], '/var/log/auth.log', 9), logFiles: files });
const noAuthLog: F2bLogFile = { pattern: '/var/log/auth.log', matches: [] };
const authLog = (sshdLines: number | null, error: string | null = null): F2bLogFile => ({
  pattern: '/var/log/auth.log',
  matches: [{ path: '/var/log/auth.log', size: 4096, sshdLines, error }],
});
/** rsyslog installed; with `routes`, its rule writes authpriv to /var/log/auth.log (the logging facts). */
const rsyslog = (routes: boolean) => logging({ shippers: [shipper()], logFiles: routes ? [authFile(null)] : [] });

const cases: { name: string; facts: Fail2banFacts; logging?: LoggingFacts; status: string; summary: RegExp }[] = [
  { name: 'backend systemd, journald and python3-systemd present', facts: f2b(), status: 'pass', summary: /reads the systemd journal/ },
  {
    name: 'backend systemd without python3-systemd',
    facts: f2b({ pythonSystemd: { present: false, source: { note: 'missing' } } }),
    status: 'fail',
    summary: /python3-systemd is missing/,
  },
  {
    name: 'backend systemd, journald Storage=none',
    facts: f2b(),
    logging: logging({ journald: journald({ storage: { value: 'none', source: { path: '/etc/systemd/journald.conf', line: 2 } } }) }),
    status: 'fail',
    summary: /Storage=none/,
  },
  { name: 'auth.log with sshd lines', facts: f2b({ sshdJail: fileJail([authLog(12)]) }), status: 'pass', summary: /12 sshd lines/ },
  {
    name: "the guide's snippet on Debian 12 without rsyslog",
    facts: f2b({ sshdJail: fileJail([noAuthLog]) }),
    status: 'fail',
    summary: /Debian 12 has no \/var\/log\/auth.log without rsyslog.*backend = systemd/,
  },
  {
    name: 'missing log file, rsyslog installed but not routing there',
    facts: f2b({ sshdJail: fileJail([noAuthLog]) }),
    logging: rsyslog(false),
    status: 'fail',
    summary: /Have not found any log file/,
  },
  {
    name: 'missing but rsyslog writes it',
    facts: f2b({ sshdJail: fileJail([noAuthLog]) }),
    logging: rsyslog(true),
    status: 'warn',
    summary: /appears once rsyslog runs/,
  },
  {
    name: 'exists, no sshd lines, rsyslog routes authpriv there',
    facts: f2b({ sshdJail: fileJail([authLog(0)]) }),
    logging: rsyslog(true),
    status: 'pass',
    summary: /rsyslog writes authpriv/,
  },
  {
    name: 'exists but receives no sshd messages',
    facts: f2b({ sshdJail: fileJail([authLog(0)]) }),
    status: 'warn',
    summary: /holds no sshd message/,
  },
  {
    name: 'exists, too large to scan',
    facts: f2b({ sshdJail: fileJail([authLog(null, 'over the read limit')]) }),
    status: 'warn',
    summary: /auth.log/,
  },
  { name: 'jail disabled', facts: f2b({ sshdJail: jail({ enabled: opt(false, 'false', 2) }) }), status: 'na', summary: /not enabled/ },
  {
    name: 'configuration invalid',
    facts: f2b({
      config: { status: 'invalid', reason: 'file contains no section headers', source: { path: '/etc/fail2ban/jail.local', line: 1 } },
    }),
    status: 'unknown',
    summary: /no section headers/,
  },
];

for (const c of cases) {
  test(`f2b.log-source ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ fail2ban: c.facts, logging: c.logging ?? logging() }, ctx());
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail' || v.status === 'warn')
      assert.ok(
        v.findings.some((f) => f.path),
        'evidence with a path',
      );
  });
}
