// Fixture roots: the offline collector on each case, and the log.* verdicts on its facts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import centralized from '../../src/checks/log/centralized.js';
import retention from '../../src/checks/log/retention.js';
import securityEvents, { fail2banMonitor } from '../../src/checks/log/security-events.js';
import alerts from '../../src/checks/log/alerts.js';
import type { LoggingFacts } from '../../src/facts/logging.js';
import { ctx } from '../helpers.js';
import { caseRoot, factsAt, fail2banAt, type Layer } from './fixture.js';
import type { Fact } from '../../src/facts/fact.js';
import type { Fail2banFacts } from '../../src/facts/fail2ban.js';

type Status = 'pass' | 'fail' | 'warn' | 'na' | 'unknown' | 'manual';
interface Case {
  name: string;
  layers?: Layer[];
  centralized?: Status;
  retention?: Status;
  security?: Status;
  alerts?: Status;
  /** Per log file: [criterion, rotate, maxage] and the file:line of the block. */
  rotation?: Record<string, [string, number, number | null, string?]>;
  summary?: Partial<Record<'centralized' | 'retention' | 'security' | 'alerts', RegExp>>;
  facts?: (f: LoggingFacts, fail2ban: Fact<Fail2banFacts>) => void;
}

const RS = ['rsyslog'] as Layer[];
const CASES: Case[] = [
  {
    name: 'debian12-rsyslog-default',
    layers: RS,
    retention: 'fail',
    centralized: 'fail',
    security: 'fail',
    alerts: 'manual',
    rotation: {
      '/var/log/auth.log': ['weekly', 4, null, '/etc/logrotate.d/rsyslog:1'],
      '/var/log/syslog': ['weekly', 4, null, '/etc/logrotate.d/rsyslog:1'],
    },
    summary: { retention: /auth\.log: rotate 4 × weekly = 28 days/, centralized: /rsyslog installed but no remote destination/ },
  },
  {
    name: 'rsyslog-rotate-13-weekly.pass',
    layers: RS,
    retention: 'pass',
    rotation: { '/var/log/auth.log': ['weekly', 13, null] },
    summary: { retention: /= 91 days/ },
  },
  {
    name: 'maxage-30.fail',
    layers: RS,
    retention: 'fail',
    rotation: { '/var/log/auth.log': ['weekly', 13, 30] },
    summary: { retention: /maxage 30 = 30 days/ },
  },
  {
    name: 'size-only.warn',
    layers: RS,
    retention: 'warn',
    rotation: { '/var/log/syslog': ['size', 4, null] },
    summary: { retention: /size only/ },
  },
  {
    name: 'include-dir-override',
    layers: RS,
    retention: 'fail',
    rotation: {
      '/var/log/auth.log': ['weekly', 13, null, '/etc/logrotate.d/00-auth:3'],
      '/var/log/syslog': ['weekly', 4, null, '/etc/logrotate.d/rsyslog:1'],
    },
    facts: (f) =>
      assert.deepEqual(f.logrotate.skipped.map((s) => s.path).sort(), [
        '/etc/logrotate.d/rsyslog.dpkg-old',
        '/etc/logrotate.d/syslog-long~',
      ]),
  },
  { name: 'global-after-include.fail', layers: RS, retention: 'fail', rotation: { '/var/log/auth.log': ['weekly', 4, null] } },
  {
    name: 'malformed-logrotate',
    layers: RS,
    retention: 'fail',
    facts: (f) =>
      assert.ok(
        f.logrotate.errors.some((e) => /missing "}"/.test(e.message) && e.source.path === '/etc/logrotate.d/broken'),
        JSON.stringify(f.logrotate.errors),
      ),
  },
  { name: 'journald-persistent-unset.pass', retention: 'pass', summary: { retention: /no time limit/ } },
  { name: 'journald-volatile.fail', retention: 'fail', summary: { retention: /Storage=volatile/ } },
  {
    name: 'journald-dropin-maxretention-30d.fail',
    retention: 'fail',
    summary: { retention: /30 days \(\/etc\/systemd\/journald\.conf\.d\/60-site\.conf:3\)/ },
    facts: (f) =>
      assert.deepEqual(f.journald.files, [
        '/etc/systemd/journald.conf',
        '/usr/lib/systemd/journald.conf.d/50-vendor.conf',
        '/etc/systemd/journald.conf.d/60-site.conf',
        '/etc/systemd/journald.conf.d/70-long.conf',
      ]),
  },
  { name: 'journald-sizecap.warn', retention: 'warn', summary: { retention: /SystemMaxUse=500M/ } },
  {
    name: 'journald-malformed',
    retention: 'pass',
    facts: (f) => assert.equal(f.journald.errors.length, 3, JSON.stringify(f.journald.errors)),
  },
  { name: 'no-shipper.fail', centralized: 'fail', summary: { centralized: /no log shipper is installed/ } },
  {
    name: 'rsyslog-forward-tcp.pass',
    layers: RS,
    centralized: 'pass',
    summary: { centralized: /rsyslog → logs\.example\.net:6514 \(tcp\)/ },
  },
  { name: 'rsyslog-omfwd-action.pass', layers: RS, centralized: 'pass', summary: { centralized: /192\.0\.2\.10:514 \(tcp\)/ } },
  {
    name: 'forward-to-localhost.fail',
    layers: RS,
    centralized: 'fail',
    summary: { centralized: /127\.0\.0\.1:514.*loopback.*localhost:10514/ },
  },
  { name: 'rsyslog-ruleset-only.fail', layers: RS, centralized: 'fail', summary: { centralized: /ruleset "relay"/ } },
  { name: 'rsyslog-not-enabled.fail', layers: RS, centralized: 'fail', summary: { centralized: /not enabled at boot/ } },
  {
    name: 'rsyslog-malformed',
    layers: RS,
    centralized: 'fail',
    facts: (f) => assert.ok((f.shippers[0]?.errors.length ?? 0) >= 2, JSON.stringify(f.shippers[0]?.errors)),
  },
  { name: 'journal-upload.pass', centralized: 'pass', summary: { centralized: /journal-upload → logs\.example\.net:19532/ } },
  { name: 'promtail-upstream.fail', centralized: 'fail', summary: { centralized: /promtail → localhost:3100.*loopback/ } },
  { name: 'promtail-remote.pass', centralized: 'pass', summary: { centralized: /promtail → loki\.example\.net:3100/ } },
  { name: 'filebeat-upstream.fail', centralized: 'fail', summary: { centralized: /filebeat → localhost:9200/ } },
  {
    name: 'vector-upstream.pass',
    centralized: 'pass',
    summary: { centralized: /vector → 79\.12\.221\.222:9200.*aws_s3 \(cloud service\)/ },
  },
  { name: 'vector-toml.pass', centralized: 'pass', summary: { centralized: /92\.12\.333\.224:5000/ } },
  { name: 'fluent-bit-upstream.fail', centralized: 'fail', summary: { centralized: /127\.0\.0\.1:8082/ } },
  { name: 'fluent-bit-forward.pass', centralized: 'pass', summary: { centralized: /fluentd\.example\.net:24224/ } },
  {
    name: 'authlog-failed-logins',
    layers: RS,
    security: 'fail',
    summary: {
      security:
        /8 failed SSH login\(s\) in the last 24 h from 3 address\(es\) \(203\.0\.113\.5 6, 198\.51\.100\.23 1, 203\.0\.113\.44 1\); users: admin 3, root 3, deploy 1, oracle 1/,
    },
  },
  { name: 'authlog-binary-garbage', layers: RS, security: 'fail', summary: { security: /1 failed SSH login/ } },
  // A jail is a monitor only when its log source is real (issue 9 §3): Debian's jail reads
  // /var/log/auth.log, which does not exist until rsyslog runs — it watches nothing yet.
  {
    name: 'fail2ban-sshd-monitor',
    layers: ['rsyslog', 'fail2ban'],
    security: 'fail',
    alerts: 'manual',
    summary: { security: /sshd jail is enabled but its log source is not real \(logpath \/var\/log\/auth\.log does not exist yet/ },
  },
  {
    name: 'fail2ban-sshd-authlog-written.pass',
    layers: ['rsyslog', 'fail2ban'],
    security: 'pass',
    summary: { security: /fail2ban sshd jail watches the authentication log/ },
    facts: (f, f2b) => assert.match(fail2banMonitor(f2b, f).detail, /reads \/var\/log\/auth\.log \(\d+ sshd lines\)/),
  },
  {
    name: 'fail2ban-sshd-authlog-unwritten.fail',
    layers: ['fail2ban'],
    security: 'fail',
    summary: {
      security: /log source is not real \(the sshd jail reads \/var\/log\/auth\.log, which holds no sshd message and nothing routes/,
    },
  },
  { name: 'fail2ban-jail-disabled.fail', layers: ['fail2ban'], security: 'fail', summary: { security: /sshd jail is not enabled/ } },
  {
    name: 'fail2ban-mail-alert.pass',
    layers: ['fail2ban'],
    alerts: 'pass',
    summary: { alerts: /sendmail-whois-lines → security@example\.net/ },
  },
  { name: 'fail2ban-mail-localhost.warn', layers: ['fail2ban'], alerts: 'warn', summary: { alerts: /sendmail-whois → root@localhost/ } },
  { name: 'wazuh-agent.pass', security: 'pass', alerts: 'manual', summary: { security: /Wazuh\/OSSEC watches/ } },
  { name: 'auditd-logins.pass', security: 'pass', summary: { security: /auditd login rules/ } },
  {
    name: 'alertmanager.pass',
    alerts: 'pass',
    summary: { alerts: /security-team: email → security@example\.net; alertmanager security-team: webhook/ },
  },
];

const now = ctx({ live: false });
for (const c of CASES) {
  test(`logging fixture ${c.name}`, async (t) => {
    const root = caseRoot(
      t,
      c.name.startsWith('debian12-rsyslog-default') || c.name === 'fail2ban-sshd-monitor' ? null : c.name,
      c.layers ?? [],
    );
    const f = await factsAt(root);
    const f2b = await fail2banAt(root);
    const verdicts = {
      centralized: centralized.evaluate({ logging: f }, now),
      retention: retention.evaluate({ logging: f }, now),
      security: securityEvents.evaluate({ logging: f, fail2ban: f2b }, now),
      alerts: alerts.evaluate({ logging: f, fail2ban: f2b }, now),
    };
    for (const k of ['centralized', 'retention', 'security', 'alerts'] as const) {
      const want = c[k];
      if (want) assert.equal(verdicts[k].status, want, `${k}: ${verdicts[k].summary}`);
      const re = c.summary?.[k];
      if (re) assert.match(verdicts[k].summary, re);
    }
    for (const [path, [criterion, rotate, maxage, at]] of Object.entries(c.rotation ?? {})) {
      const lf = f.logFiles.find((x) => x.path === path);
      assert.ok(lf?.logrotate, `${path} has logrotate settings: ${JSON.stringify(f.logFiles)}`);
      assert.deepEqual(
        [lf.logrotate.criterion.value, lf.logrotate.rotate.value, lf.logrotate.maxage.value],
        [criterion, rotate, maxage],
        path,
      );
      if (at) assert.equal(`${lf.logrotate.block.path}:${lf.logrotate.block.line}`, at);
    }
    c.facts?.(f, f2b);
    // Secrets in shipper configs never reach the facts.
    const json = JSON.stringify(f);
    for (const secret of ['s3cret-token', 'abc123', 'secret-password', 'not-shown-anywhere', 'XXXXSECRET'])
      assert.ok(!json.includes(secret), `${secret} leaked into the facts`);
  });
}
