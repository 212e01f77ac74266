import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEndpoint, isLoopbackHost } from '../../src/collect/parse/shippers-endpoint.js';
import { parseTimespan, parseJournaldConf } from '../../src/collect/parse/journald.js';
import { parseJournalJson, parseAuthLog, matchFailure } from '../../src/collect/parse/authlog.js';
import { parseRsyslogConf, selectorKinds } from '../../src/collect/parse/rsyslog.js';
import { parseSyslogNgConf } from '../../src/collect/parse/syslog-ng.js';
import { parseLogrotate, tabooMatch, DEFAULT_TABOO } from '../../src/collect/parse/logrotate.js';
import { parseAlloy, parseBeats } from '../../src/collect/parse/shippers.js';

test('endpoints keep host and port only: credentials, paths and query strings are dropped', () => {
  assert.deepEqual(parseEndpoint('https://user:s3cret@loki.example.net:3100/loki/api/v1/push?token=abc'), {
    host: 'loki.example.net',
    port: 3100,
    scheme: 'https',
  });
  assert.deepEqual(parseEndpoint('[2001:db8::1]:9200'), { host: '2001:db8::1', port: 9200, scheme: null });
  assert.deepEqual(parseEndpoint('localhost:9200'), { host: 'localhost', port: 9200, scheme: null });
  assert.equal(parseEndpoint(''), null);
  for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', 'ip6-localhost']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['logs.example.net', '192.0.2.10', '2001:db8::1']) assert.ok(!isLoopbackHost(h), h);
});

test('systemd time spans', () => {
  assert.equal(parseTimespan('90d'), 90 * 86400);
  assert.equal(parseTimespan('1y'), 31557600);
  assert.equal(parseTimespan('3month'), 3 * 2629800);
  assert.equal(parseTimespan('5min 10s'), 310);
  assert.equal(parseTimespan('3600'), 3600);
  assert.equal(parseTimespan('ninety days'), null);
});

test('journald.conf: only [Journal], continuation lines, comments', () => {
  const f = parseJournaldConf('[Journal]\n#Storage=none\nStorage=\\\n persistent\n[Other]\nStorage=none\nnonsense\n', '/x');
  assert.deepEqual(
    f.assignments.map((a) => [a.key, a.value.replace(/\s+/g, ' ')]),
    [['Storage', 'persistent']],
  );
  assert.equal(f.errors.length, 1);
});

test('failed logins: sshd messages, repeated-message counts, journal JSON with byte-array messages', () => {
  assert.deepEqual(matchFailure('Failed password for invalid user admin from 203.0.113.5 port 41000 ssh2'), {
    kind: 'failed-auth',
    user: 'admin',
    address: '203.0.113.5',
    times: 1,
  });
  assert.deepEqual(matchFailure('message repeated 3 times: [ Failed password for root from 203.0.113.5 port 1 ssh2]'), {
    kind: 'failed-auth',
    user: 'root',
    address: '203.0.113.5',
    times: 3,
  });
  assert.deepEqual(matchFailure('Invalid user test from 198.51.100.1 port 22'), {
    kind: 'invalid-user',
    user: 'test',
    address: '198.51.100.1',
    times: 1,
  });
  assert.equal(matchFailure('Accepted publickey for deploy from 198.51.100.23 port 52001 ssh2'), null);
  const msg = [...Buffer.from('Failed password for root from 192.0.2.1 port 5 ssh2')];
  const j = parseJournalJson(`${JSON.stringify({ __REALTIME_TIMESTAMP: '1795860000000000', MESSAGE: msg })}\nnot json\n`);
  assert.equal(j.buckets[0]?.count, 1);
  assert.equal(j.buckets[0]?.address, '192.0.2.1');
  assert.deepEqual(j.errors, ['1 line(s) are not JSON']);
  // Traditional timestamps take the year that puts them at or before the file's mtime.
  const a = parseAuthLog(
    'Dec 31 23:00:00 h sshd[1]: Failed password for root from 192.0.2.1 port 5 ssh2\n',
    new Date('2027-01-02T00:00:00Z'),
  );
  assert.equal(a.buckets[0]?.hour, '2026-12-31T23:00:00.000Z');
});

test('rsyslog: legacy and RainerScript forwards, includes, selector kinds', () => {
  const c = parseRsyslogConf(
    '*.* @@(o)[2001:db8::5]:6514;RSYSLOG_ForwardFormat\nmail.* @192.0.2.1\n:programname, isequal, "sshd" :omrelp:relay.example.net:2514\ninclude(file="/etc/rsyslog.d/extra/*.conf" mode="optional")\n# *.* @@commented.example.net\n',
    '/etc/rsyslog.conf',
  );
  assert.deepEqual(
    c.forwards.map((f) => [f.host, f.port, f.protocol]),
    [
      ['2001:db8::5', 6514, 'tcp'],
      ['192.0.2.1', null, 'udp'],
      ['relay.example.net', 2514, 'relp'],
    ],
  );
  assert.deepEqual(c.includes, [{ pattern: '/etc/rsyslog.d/extra/*.conf', line: 4, optional: true }]);
  assert.deepEqual(selectorKinds('auth,authpriv.*'), ['auth']);
  assert.deepEqual(selectorKinds('*.*;auth,authpriv.none'), ['syslog']);
  assert.deepEqual(selectorKinds('cron.*'), []);
});

test('syslog-ng: a network destination counts only when a log path uses it', () => {
  const c = parseSyslogNgConf(
    'destination d_net { network("logs.example.net" port(6514) transport("tls")); };\ndestination d_unused { syslog("192.0.2.9"); };\nlog { source(s_src); destination(d_net); };\n',
    '/etc/syslog-ng/syslog-ng.conf',
  );
  assert.deepEqual(
    c.forwards.map((f) => [f.host, f.port, f.protocol, f.used]),
    [
      ['logs.example.net', 6514, 'tls', true],
      ['192.0.2.9', null, 'tcp', false],
    ],
  );
});

test('logrotate: multi-path blocks, quoted names, scripts skipped, taboo extensions', () => {
  const f = parseLogrotate(
    'weekly\n/var/log/a.log\n"/var/log/b c.log" {\n rotate 5\n postrotate\n  echo } rotate 1\n endscript\n}\n',
    '/etc/logrotate.conf',
  );
  const block = f.items.find((i) => i.kind === 'block');
  assert.ok(block?.kind === 'block');
  assert.deepEqual(block.block.patterns, ['/var/log/a.log', '/var/log/b c.log']);
  assert.deepEqual(
    block.block.directives.map((d) => d.text),
    ['rotate 5'],
  );
  assert.equal(tabooMatch('rsyslog.dpkg-old', DEFAULT_TABOO), '*.dpkg-old');
  assert.equal(tabooMatch('rsyslog', DEFAULT_TABOO), null);
});

test('Beats and Alloy destinations', () => {
  const b = parseBeats(
    'output:\n  logstash:\n    hosts: ["logstash.example.net:5044"]\ncloud.id: "staging:ZXhhbXBsZQ=="\ncloud.auth: "elastic:secret"\n',
  );
  assert.deepEqual(
    b.destinations.map((d) => d.host),
    ['logstash.example.net', 'Elastic Cloud (cloud.id)'],
  );
  assert.ok(!JSON.stringify(b).includes('secret'));
  const a = parseAlloy(
    'loki.write "default" {\n  endpoint {\n    url = "https://user:pw@logs-prod.grafana.net/loki/api/v1/push"\n  }\n}\n',
  );
  assert.deepEqual(
    a.destinations.map((d) => [d.host, d.line]),
    [['logs-prod.grafana.net', 3]],
  );
});
