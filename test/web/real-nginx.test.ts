// Real component proof: a real nginx (Debian's nginx.conf) on loopback random ports, a real TLS
// handshake and a real HTTP redirect; `nginx -T` decides the configuration, `nginx -t` rejects.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectWeb } from '../../src/collect/web.js';
import check from '../../src/checks/tls/web-https.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { WebFacts } from '../../src/facts/web.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { ctx, freePort, requireCommands } from '../helpers.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/web/nginx-lms');

interface Instance {
  dir: string;
  conf: string;
  https: number;
  http: number;
}

async function prepare(t: TestContext, opts: { protocols: string; days: number; serveOn80?: boolean; typo?: boolean }): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-nginx-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(FIXTURE, dir, { recursive: true });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      String(opts.days),
      '-subj',
      '/CN=lms.test',
      '-addext',
      'subjectAltName=DNS:lms.test',
      '-keyout',
      join(dir, 'lms.key'),
      '-out',
      join(dir, 'lms.pem'),
    ],
    { stdio: 'ignore' },
  );
  const [https, http] = [await freePort(), await freePort()];
  const site = join(dir, 'sites-enabled/lms');
  let text = readFileSync(site, 'utf8')
    .replaceAll('@HTTPS_PORT@', String(https))
    .replaceAll('@HTTP_PORT@', String(http))
    .replaceAll('@CERT@', join(dir, 'lms.pem'))
    .replaceAll('@KEY@', join(dir, 'lms.key'));
  text = opts.protocols === '-' ? text.replace(/^\s*ssl_protocols @PROTOCOLS@;\n/m, '') : text.replace('@PROTOCOLS@', opts.protocols);
  if (opts.serveOn80) text = text.replace('return 301 https://$host$request_uri;', 'root html;');
  if (opts.typo) text = text.replace('ssl_certificate_key', 'ssl_certificate_kee');
  writeFileSync(site, text);
  return { dir, conf: join(dir, 'nginx.conf'), https, http };
}

async function start(t: TestContext, i: Instance): Promise<void> {
  const child = spawn('nginx', ['-p', i.dir, '-c', i.conf, '-g', `daemon off; pid ${join(i.dir, 'nginx.pid')};`], { stdio: 'ignore' });
  t.after(() => {
    child.kill('SIGTERM');
  });
  for (let k = 0; k < 50; k++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true));
      s.listen(i.https, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error('nginx did not start');
}

async function facts(i: Instance, live = true): Promise<WebFacts> {
  const target = new FsTarget({ name: 'test' });
  const f = await collectWeb(
    {
      target: live
        ? target
        : Object.assign(Object.create(target) as FsTarget, {
            live: false,
            run: () => Promise.resolve({ ok: false as const, reason: 'offline' as const, message: 'offline', command: 'nginx' }),
          }),
      config: DEFAULT_CONFIG,
      commandTimeoutMs: 10_000,
    },
    { nginxConf: i.conf, nginxPrefix: i.dir, httpsPort: i.https, httpPort: i.http, probeTimeoutMs: 3000 },
  );
  assert.equal(f.state, 'collected', JSON.stringify(f));
  return (f as { value: WebFacts }).value;
}

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000);

test('real nginx: TLS handshake (TLSv1.3, 30-day certificate) and a 301 to https on the plain port pass', async (t) => {
  if (!requireCommands(t, 'nginx', 'openssl')) return;
  const i = await prepare(t, { protocols: 'TLSv1.2 TLSv1.3', days: 30 });
  await start(t, i);
  const w = await facts(i);
  assert.match(w.servers[0]!.configFrom, /^nginx -T -c /);
  const p = w.probe!;
  assert.equal(p.https.state, 'ok', p.https.detail);
  assert.equal(p.https.protocol, 'TLSv1.3');
  assert.deepEqual(p.https.san, ['DNS:lms.test']);
  assert.ok(Math.abs(Date.parse(p.https.notAfter!) - inDays(30).getTime()) < 2 * 86_400_000, p.https.notAfter ?? '');
  assert.equal(p.https.servername, 'lms.test');
  assert.equal(p.http.status, 301);
  assert.equal(p.http.location, 'https://lms.test/');
  const site = w.servers[0]!.sites.find((s) => s.tlsPorts.length > 0)!;
  assert.equal(site.certificate?.notAfter, p.https.notAfter, 'the PEM read from ssl_certificate is the one served');
  const v = check.evaluate({ web: w }, ctx({ now: new Date() }));
  assert.equal(v.status, 'pass', v.summary);
  const later = check.evaluate({ web: w }, ctx({ now: inDays(20) }));
  assert.equal(later.status, 'fail');
  assert.match(later.summary, /certificate expires on .* days left; at least 14/);
  const expired = check.evaluate({ web: w }, ctx({ now: inDays(31) }));
  assert.match(expired.summary, /certificate expired on/);
});

test('real nginx: the plain port serving content (HTTP 200) fails, live and in the config', async (t) => {
  if (!requireCommands(t, 'nginx', 'openssl')) return;
  const i = await prepare(t, { protocols: 'TLSv1.2 TLSv1.3', days: 30, serveOn80: true });
  await start(t, i);
  const w = await facts(i);
  assert.notEqual(w.probe!.http.status, 301);
  const v = check.evaluate({ web: w }, ctx({ now: new Date() }));
  assert.equal(v.status, 'fail');
  assert.match(v.summary, new RegExp(`${i.http} answers HTTP \\d+ instead of a redirect`));
  assert.match(v.summary, /serves content instead of redirecting/);
});

test("real nginx: Debian's http{} ssl_protocols TLSv1 TLSv1.1 — what the running server does decides fail or drift warn", async (t) => {
  if (!requireCommands(t, 'nginx', 'openssl')) return;
  const i = await prepare(t, { protocols: '-', days: 30 });
  await start(t, i);
  const w = await facts(i);
  const site = w.servers[0]!.sites.find((s) => s.tlsPorts.length > 0)!;
  assert.deepEqual(site.protocols?.value, ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
  assert.match(site.protocols?.source.path ?? '', /nginx\.conf$/);
  const v = check.evaluate({ web: w }, ctx({ now: new Date() }));
  // OpenSSL 3 refuses TLS 1.0/1.1 at security level 1 (SHA-1 signatures): the configured protocols are drift.
  assert.equal(w.probe!.https.legacy === 'refused' ? 'warn' : 'fail', v.status, v.summary);
});

test('real nginx: nginx -t rejects a misspelt directive → the check fails with file:line', async (t) => {
  if (!requireCommands(t, 'nginx', 'openssl')) return;
  const i = await prepare(t, { protocols: 'TLSv1.2 TLSv1.3', days: 30, typo: true });
  const w = await facts(i);
  const cfg = w.servers[0]!.config;
  assert.equal(cfg.status, 'invalid');
  assert.ok(cfg.status === 'invalid' && /unknown directive "ssl_certificate_kee"/.test(cfg.reason), JSON.stringify(cfg));
  assert.ok(cfg.status === 'invalid' && cfg.source.path?.endsWith('sites-enabled/lms') && cfg.source.line === 15, JSON.stringify(cfg));
  const v = check.evaluate({ web: w }, ctx({ now: new Date() }));
  assert.equal(v.status, 'fail');
});

test('real nginx: the offline file parser and nginx -T give the same sites', async (t) => {
  if (!requireCommands(t, 'nginx', 'openssl')) return;
  const i = await prepare(t, { protocols: 'TLSv1.2 TLSv1.3', days: 30 });
  const live = await facts(i);
  const off = await facts(i, false);
  assert.equal(off.probe, null);
  assert.equal(off.servers[0]!.configFrom, 'files');
  assert.deepEqual(off.servers[0]!.sites, live.servers[0]!.sites);
  assert.deepEqual([...off.servers[0]!.files].sort(), [...live.servers[0]!.files].sort());
});
