import check from '../../../src/checks/log/centralized.js';
import type { LogDestination } from '../../../src/facts/logging.js';
import { logging, shipper } from './facts.js';
import { runCases } from '../run-cases.js';

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

runCases(
  check,
  {
    pass: [
      {
        name: 'rsyslog forwards over TCP',
        facts: logging({ shippers: [shipper({ destinations: [d('logs.example.net', true)] })] }),
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
        summary: /google-cloud-ops-agent → Google Cloud Logging/,
      },
    ],
    fail: [
      { name: 'no shipper', evidence: 'note', facts: logging(), summary: /no log shipper is installed/ },
      {
        name: 'forward to localhost',
        facts: logging({ shippers: [shipper({ destinations: [d('127.0.0.1', false)] })] }),
        summary: /127\.0\.0\.1:6514 \(tcp\): loopback/,
        line: 2,
      },
      {
        name: 'remote but not enabled at boot',
        facts: logging({ shippers: [shipper({ enabledAtBoot: false, destinations: [d('logs.example.net', true)] })] }),
        summary: /not enabled at boot/,
      },
      {
        name: 'live: installed, enabled, not running',
        live: true,
        facts: logging({ shippers: [shipper({ running: false, destinations: [d('logs.example.net', true)] })] }),
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
        summary: /ruleset "relay"/,
      },
      {
        name: 'installed without destination',
        facts: logging({ shippers: [shipper()] }),
        summary: /rsyslog installed but no remote destination/,
      },
    ],
  },
  { key: 'logging', live: false },
);
