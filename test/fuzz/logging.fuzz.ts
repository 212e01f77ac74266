// logrotate, journald.conf, rsyslog, auditd rules.
import fc from 'fast-check';
import { parseLogrotate } from '../../src/collect/parse/logrotate.js';
import { parseJournaldConf, type JournaldFile } from '../../src/collect/parse/journald.js';
import { parseRsyslogConf } from '../../src/collect/parse/rsyslog.js';
import { parseAuditRules } from '../../src/collect/parse/audit-rules.js';
import { caseOf, fileOf, ident, word, ws, type FuzzTarget } from './harness.js';

const lrDirective = fc.constantFrom(
  'daily',
  'weekly',
  'rotate 7',
  'compress',
  'missingok',
  'notifempty',
  'create 0640 root adm',
  'su root syslog',
  'size 10M',
  'maxage 30',
  'include /etc/logrotate.d',
  'olddir /var/log/old',
  'postrotate\n\t/bin/kill -HUP 1\n\tendscript',
  'sharedscripts',
);
export const logrotate: FuzzTarget = {
  name: 'logrotate',
  parse: (t) => parseLogrotate(String(t), '/etc/logrotate.conf'),
  valid: fc
    .tuple(
      fc.array(lrDirective, { maxLength: 5 }),
      fc.array(
        fc.tuple(
          fc.array(
            ident.map((s) => `/var/log/${s}.log`),
            { minLength: 1, maxLength: 3 },
          ),
          fc.array(lrDirective, { maxLength: 6 }),
        ),
        { maxLength: 4 },
      ),
    )
    .map(
      ([top, blocks]) =>
        [...top, ...blocks.map(([p, d]) => `${p.join(' ')} {\n${d.map((x) => `    ${x}`).join('\n')}\n}`)].join('\n') + '\n',
    ),
};

const JK = ['Storage', 'Compress', 'SystemMaxUse', 'MaxRetentionSec', 'ForwardToSyslog', 'Seal'];
export const journald: FuzzTarget = {
  name: 'journald',
  parse: (t) => parseJournaldConf(String(t), '/etc/systemd/journald.conf'),
  valid: fc
    .array(
      fc.oneof(
        { arbitrary: fc.constantFrom('[Journal]', '[journal]', '; comment'), weight: 1 },
        {
          arbitrary: fc
            .tuple(
              fc.constantFrom(...JK),
              fc.constantFrom('=', ' = ', '= '),
              fc.constantFrom('persistent', 'auto', 'yes', 'no', '1G', '1month', ''),
            )
            .map(([k, s, v]) => `${k}${s}${v}`),
          weight: 4,
        },
      ),
      { maxLength: 20 },
    )
    .map((l) => `[Journal]\n${l.join('\n')}\n`),
  facts: (p) => (p as JournaldFile).assignments.map((a) => [a.key, a.value]),
  print: (p) => `[Journal]\n${(p as JournaldFile).assignments.map((a) => `${a.key}=${a.value}`).join('\n')}\n`,
};

const rsLine = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('auth,authpriv.*', '*.*;auth,authpriv.none', 'kern.warn', '*.emerg', 'mail.info'),
      ws,
      fc.constantFrom('/var/log/auth.log', '-/var/log/syslog', ':omusrmsg:*', '@@logs.example:514', '@10.0.0.1', '~'),
    )
    .map(([s, w, a]) => `${s}${w}${a}`),
  fc.constantFrom(
    '$IncludeConfig /etc/rsyslog.d/*.conf',
    'include(file="/etc/rsyslog.d/*.conf" mode="optional")',
    'module(load="imuxsock")',
    'action(type="omfwd" target="logs" port="514" protocol="tcp")',
    '$FileCreateMode 0640',
    'if $programname == "sshd" then /var/log/sshd.log',
    '& stop',
    'template(name="t" type="string" string="%msg%\\n")',
    'ruleset(name="r") {\n  action(type="omfile" file="/x")\n}',
  ),
);
export const rsyslog: FuzzTarget = {
  name: 'rsyslog',
  parse: (t) => parseRsyslogConf(String(t), '/etc/rsyslog.conf'),
  valid: fileOf(rsLine),
};

const auditLine = fc.oneof(
  fc
    .tuple(fc.constantFrom('/etc/passwd', '/etc/shadow', '/etc/sudoers', '/var/log/'), fc.constantFrom('wa', 'w', 'rwxa', 'x'), ident)
    .map(([p, m, k]) => `-w ${p} -p ${m} -k ${k}`),
  fc
    .tuple(
      fc.constantFrom('always,exit', 'exit,always', 'never,exit'),
      fc.constantFrom('b64', 'b32'),
      fc.constantFrom('execve', 'open,openat', 'adjtimex -S settimeofday', 'all'),
      fc.constantFrom('', ' -F auid>=1000 -F auid!=unset', ' -F euid=0'),
      ident,
    )
    .map(([a, b, s, f, k]) => `-a ${a} -F arch=${b} -S ${s}${f} -k ${k}`),
  fc.constantFrom('-D', '-b 8192', '-f 1', '-e 2', '--backlog_wait_time 60000', '-e 1'),
);
export const auditRules: FuzzTarget = {
  name: 'auditd rules',
  parse: (t) => parseAuditRules(String(t), { path: '/etc/audit/audit.rules' }),
  valid: fileOf(auditLine),
};
void caseOf;
void word;
