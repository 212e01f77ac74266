import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/log/centralized.js';
import type { LogDestination, LoggingFacts } from '../../../src/facts/logging.js';
import { ctx } from '../../helpers.js';
import { logging, shipper } from './facts.js';

const d = (host: string, remote: boolean, over: Partial<LogDestination> = {}): LogDestination => ({
  host,
  port: 6514,
  protocol: 'tcp',
  remote,
  via: '@@ (TCP)',
  inactive: null,
  source: { path: '/etc/rsyslog.d/90-forward.conf', line: 2 },
  ...over,
});

const cases: { name: string; facts: LoggingFacts; live?: boolean; status: string; summary: RegExp; line?: number }[] = [
  {
    name: 'rsyslog forwards over TCP',
    facts: logging({ shippers: [shipper({ destinations: [d('logs.example.net', true)] })] }),
    status: 'pass',
    summary: /rsyslog → logs\.example\.net:6514 \(tcp\)/,
    line: 2,
  },
  {
    name: 'cloud agent',
    facts: logging({
      shippers: [
        shipper({ kind: 'google-cloud-ops-agent', destinations: [d('Google Cloud Logging', true, { port: null, protocol: 'https' })] }),
      ],
    }),
    status: 'pass',
    summary: /google-cloud-ops-agent → Google Cloud Logging/,
  },
  { name: 'no shipper', facts: logging(), status: 'fail', summary: /no log shipper is installed/ },
  {
    name: 'forward to localhost',
    facts: logging({ shippers: [shipper({ destinations: [d('127.0.0.1', false)] })] }),
    status: 'fail',
    summary: /127\.0\.0\.1:6514 \(tcp\): loopback/,
    line: 2,
  },
  {
    name: 'remote but not enabled at boot',
    facts: logging({ shippers: [shipper({ enabledAtBoot: false, destinations: [d('logs.example.net', true)] })] }),
    status: 'fail',
    summary: /not enabled at boot/,
  },
  {
    name: 'live: installed, enabled, not running',
    live: true,
    facts: logging({ shippers: [shipper({ running: false, destinations: [d('logs.example.net', true)] })] }),
    status: 'fail',
    summary: /not running/,
  },
  {
    name: 'rsyslogd -N1 rejects the configuration',
    facts: logging({
      shippers: [
        shipper({
          validation: {
            ok: false,
            detail: 'error during parsing file /etc/rsyslog.d/90.conf',
            source: { command: 'rsyslogd -N1 -f /etc/rsyslog.conf' },
          },
          destinations: [d('logs.example.net', true)],
        }),
      ],
    }),
    status: 'fail',
    summary: /rejects its configuration/,
  },
  {
    name: 'forward only in an unbound ruleset',
    facts: logging({
      shippers: [
        shipper({
          destinations: [d('198.51.100.7', true, { inactive: 'in ruleset "relay": only inputs bound to that ruleset reach it' })],
        }),
      ],
    }),
    status: 'fail',
    summary: /ruleset "relay"/,
  },
  {
    name: 'installed without destination',
    facts: logging({ shippers: [shipper()] }),
    status: 'fail',
    summary: /rsyslog installed but no remote destination/,
  },
];

for (const c of cases) {
  test(`log.centralized ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ logging: c.facts }, ctx({ live: c.live ?? false }));
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail') assert.ok(v.findings.length > 0, 'a failure carries evidence');
    if (c.line !== undefined)
      assert.ok(
        v.findings.some((f) => f.line === c.line),
        JSON.stringify(v.findings),
      );
  });
}
