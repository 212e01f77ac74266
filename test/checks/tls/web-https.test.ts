import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/tls/web-https.js';
import type { WebFacts, WebServer, WebSite } from '../../../src/facts/web.js';
import { runCheck } from '../../../src/evaluate/engine.js';
import { absent } from '../../../src/facts/fact.js';
import { ctx, snapshotOf } from '../../helpers.js';
import { runCases } from '../run-cases.js';

const P = '/etc/nginx/sites-enabled/lms';
const tlsSite = (over: Partial<WebSite> = {}): WebSite => ({
  names: ['lms.example.org'],
  source: { path: P, line: 10 },
  tlsPorts: [{ port: 443, source: { path: P, line: 11, excerpt: 'listen 443 ssl' } }],
  plainPorts: [],
  protocols: { value: ['TLSv1.2', 'TLSv1.3'], source: { path: P, line: 13 } },
  certificate: {
    path: '/etc/ssl/lms.pem',
    source: { path: P, line: 14 },
    subject: 'CN=lms.example.org',
    san: ['DNS:lms.example.org'],
    notAfter: '2027-03-01T00:00:00.000Z',
    error: null,
  },
  redirect: null,
  ...over,
});
const redirectSite = (redirect = true): WebSite => ({
  names: ['lms.example.org'],
  source: { path: P, line: 1 },
  tlsPorts: [],
  plainPorts: [{ port: 80, source: { path: P, line: 2, excerpt: 'listen 80' } }],
  protocols: null,
  certificate: null,
  redirect: redirect ? { status: 301, target: 'https://$host$request_uri', source: { path: P, line: 4 } } : null,
});
const nginx = (sites: WebSite[], over: Partial<WebServer> = {}): WebServer => ({
  kind: 'nginx',
  installedEvidence: { path: '/usr/sbin/nginx' },
  configFrom: 'files',
  config: { status: 'ok' },
  files: [P],
  sites,
  notes: [],
  ...over,
});
const web = (sites: WebSite[], over: Partial<WebFacts> = {}, srv: Partial<WebServer> = {}): WebFacts => ({
  servers: [nginx(sites, srv)],
  ports: { https: 443, http: 80 },
  probe: null,
  ...over,
});
const probe = (
  over: { https?: Partial<NonNullable<WebFacts['probe']>['https']>; http?: Partial<NonNullable<WebFacts['probe']>['http']> } = {},
): WebFacts['probe'] => ({
  https: {
    address: '127.0.0.1',
    port: 443,
    servername: 'lms.example.org',
    state: 'ok',
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    subject: 'CN=lms.example.org',
    san: [],
    notAfter: '2027-03-01T00:00:00.000Z',
    legacy: 'refused',
    detail: 'TLSv1.3',
    source: { command: 'TLS handshake with 127.0.0.1:443' },
    ...over.https,
  },
  http: {
    address: '127.0.0.1',
    port: 80,
    state: 'ok',
    status: 301,
    location: 'https://lms.example.org/',
    detail: 'HTTP 301 Location: https://lms.example.org/',
    source: { command: 'HTTP GET http://127.0.0.1:80/' },
    ...over.http,
  },
});
const good = [tlsSite(), redirectSite()];

runCases(
  check,
  {
    pass: [
      {
        name: 'offline: TLS 1.2+/valid certificate, 80 redirects',
        facts: web(good),
        live: false,
        summary: /configured: TLS on 443/,
      },
      {
        name: 'live: handshake TLSv1.3, 80 answers 301 to https',
        facts: web(good, { probe: probe() }),
        summary: /live and configured/,
      },
    ],
    fail: [
      {
        name: 'offline: certificate expires within cert_min_validity',
        facts: web([tlsSite({ certificate: { ...tlsSite().certificate!, notAfter: '2026-12-05T00:00:00.000Z' } }), redirectSite()]),
        live: false,
        summary: /expires on 2026-12-05 \(6 days left; at least 14/,
      },
      {
        name: 'offline: expired certificate',
        facts: web([tlsSite({ certificate: { ...tlsSite().certificate!, notAfter: '2026-11-01T00:00:00.000Z' } }), redirectSite()]),
        live: false,
        summary: /expired on 2026-11-01/,
      },
      {
        name: 'offline: ssl_protocols includes TLSv1',
        facts: web([
          tlsSite({
            protocols: { value: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], source: { path: '/etc/nginx/nginx.conf', line: 33 } },
          }),
          redirectSite(),
        ]),
        live: false,
        summary: /include TLSv1, TLSv1\.1/,
      },
      {
        name: 'offline: port 80 serves content',
        facts: web([tlsSite(), redirectSite(false)]),
        live: false,
        summary: /port 80 serves content/,
      },
      {
        name: 'live: port 80 answers 200',
        facts: web(good, { probe: probe({ http: { status: 200, location: null, detail: 'HTTP 200' } }) }),
        summary: /80 answers HTTP 200 instead of a redirect/,
      },
      {
        name: 'live: 443 closed',
        facts: web(good, { probe: probe({ https: { state: 'closed', protocol: null, detail: 'nothing listens on 127.0.0.1:443' } }) }),
        summary: /nothing listens on 127\.0\.0\.1:443/,
      },
      {
        name: 'offline: no TLS server block',
        facts: web([redirectSite(false)]),
        live: false,
        summary: /no server block listens with TLS on 443/,
      },
      {
        name: 'nginx -t rejects the configuration',
        facts: web(
          good,
          {},
          { config: { status: 'invalid', reason: 'unknown directive "ssl_protocol"', source: { path: P, line: 13, command: 'nginx -T' } } },
        ),
        summary: /rejected: unknown directive/,
      },
    ],
    warn: [
      {
        name: 'live: TLSv1 configured but refused at runtime (drift)',
        facts: web(
          [tlsSite({ protocols: { value: ['TLSv1', 'TLSv1.2'], source: { path: '/etc/nginx/nginx.conf', line: 33 } } }), redirectSite()],
          { probe: probe() },
        ),
        summary: /drift/,
      },
    ],
    unknown: [
      {
        name: 'configuration unreadable',
        facts: web(good, {}, { config: { status: 'unreadable', reason: 'permission denied', source: { path: P } } }),
        summary: /cannot be read/,
      },
    ],
  },
  { key: 'web' },
);

test('tls.web-https na: no web server installed (absent fact)', () => {
  const v = runCheck(check, snapshotOf({ web: absent('no web server is installed (nginx, Apache, Caddy: no binary, no package)') }), ctx());
  assert.equal(v.status, 'na');
  assert.match(v.summary, /no web server/);
});
