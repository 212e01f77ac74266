import { firstExisting } from './paths.js';
import { X509Certificate } from 'node:crypto';
import { request } from 'node:http';
import { posix } from 'node:path';
import { connect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import { targetConnection } from '../target/streams.js';
import { absent, collected } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type { CertificateInfo, HttpProbe, TlsProbe, WebFacts, WebServer, WebSite } from '../facts/web.js';
import type { Target } from '../target/types.js';
import { dpkgInstalled } from './dpkg.js';
import { apacheSites, parseApacheLines, type ApacheLine } from './parse/apache.js';
import { caddySites } from './parse/caddy.js';
import { globPaths, parseNginxConfig, parseNginxDump, parseNginxError, type NginxDirective, type NginxParseError } from './parse/nginx.js';
import { nginxSites } from './parse/nginx-sites.js';
import { defineCollector, type CollectContext } from './types.js';
import { DPKG_GATHER } from './gathers.js';

const MAX_CONF = 4 * 1024 * 1024;
const MAX_INCLUDE_DEPTH = 16;
const PROBE_ADDRESS = '127.0.0.1';

export interface WebOptions {
  /** nginx main config and prefix (default /etc/nginx/nginx.conf, the built-in prefix). */
  nginxConf?: string;
  nginxPrefix?: string;
  /** Ports probed and judged as HTTPS / HTTP (default 443 / 80). */
  httpsPort?: number;
  httpPort?: number;
  probeTimeoutMs?: number;
}

type Reader = {
  read(path: string): Promise<{ ok: true; text: string } | { ok: false; message: string }>;
  glob(pattern: string): Promise<string[]>;
};

function targetReader(t: Target): Reader {
  return {
    read: async (p) => {
      const r = await t.readText(p, { maxBytes: MAX_CONF });
      return r.ok ? { ok: true, text: r.text } : { ok: false, message: r.message };
    },
    glob: (p) => t.glob(p),
  };
}

/** Expands nginx `include` (relative to the configuration prefix; globs in lexical order) everywhere. */
async function loadNginx(
  reader: Reader,
  main: string,
  prefix: string,
): Promise<{ directives: NginxDirective[]; files: string[]; errors: NginxParseError[] }> {
  const files: string[] = [];
  const errors: NginxParseError[] = [];
  const load = async (path: string, depth: number): Promise<NginxDirective[]> => {
    const r = await reader.read(path);
    if (!r.ok) {
      errors.push({ path, line: 0, message: r.message });
      return [];
    }
    files.push(path);
    const p = parseNginxConfig(r.text, path);
    errors.push(...p.errors);
    return expand(p.directives, depth);
  };
  const expand = async (ds: NginxDirective[], depth: number): Promise<NginxDirective[]> => {
    const out: NginxDirective[] = [];
    for (const d of ds) {
      if (d.name === 'include' && d.block === null) {
        const pat = posix.resolve(prefix, d.args[0] ?? '');
        if (depth >= MAX_INCLUDE_DEPTH) {
          errors.push({ path: d.path, line: d.line, message: `include nested more than ${MAX_INCLUDE_DEPTH} deep (a loop?)` });
          continue;
        }
        const matches = /[*?[]/.test(pat) ? await reader.glob(pat) : [pat];
        for (const m of matches) out.push(...(await load(m, depth + 1)));
        continue;
      }
      out.push(d.block ? { ...d, block: await expand(d.block, depth) } : d);
    }
    return out;
  };
  const directives = await load(main, 0);
  return { directives, files, errors };
}

function certInfo(pem: string, path: string, source: Source): CertificateInfo {
  try {
    const x = new X509Certificate(pem);
    const notAfter = new Date(x.validTo);
    return {
      path,
      source,
      subject: x.subject.replace(/\n/g, ', '),
      san: (x.subjectAltName ?? '').split(/,\s*/).filter(Boolean),
      notAfter: Number.isNaN(notAfter.getTime()) ? null : notAfter.toISOString(),
      error: null,
    };
  } catch (e) {
    return { path, source, subject: null, san: [], notAfter: null, error: `not a PEM certificate: ${(e as Error).message}` };
  }
}

async function readCertificate(t: Target, c: { path: string; source: Source }): Promise<CertificateInfo> {
  if (c.path.includes('$'))
    return {
      path: c.path,
      source: c.source,
      subject: null,
      san: [],
      notAfter: null,
      error: 'the certificate path holds a variable: chosen per request',
    };
  const r = await t.readText(c.path, { maxBytes: 1024 * 1024 });
  if (!r.ok) return { path: c.path, source: c.source, subject: null, san: [], notAfter: null, error: r.message };
  return certInfo(r.text, c.path, c.source);
}

async function installed(t: Target, bins: string[], pkgs: string[]): Promise<Source | null> {
  const bin = await firstExisting(t, bins);
  if (bin) return { path: bin };
  const dpkg = await dpkgInstalled(t);
  const pkg = pkgs.find((p) => dpkg?.has(p));
  return pkg ? { path: '/var/lib/dpkg/status', excerpt: `Package: ${pkg} (installed)` } : null;
}

async function collectNginx(ctx: CollectContext, o: WebOptions): Promise<WebServer | null> {
  const t = ctx.target;
  const ev = await installed(t, ['/usr/sbin/nginx'], ['nginx', 'nginx-core', 'nginx-light', 'nginx-full', 'nginx-extras']);
  if (!ev) return null;
  const conf = o.nginxConf ?? '/etc/nginx/nginx.conf';
  const prefix = posix.dirname(conf);
  const server: WebServer = {
    kind: 'nginx',
    installedEvidence: ev,
    configFrom: 'files',
    config: { status: 'ok' },
    files: [],
    sites: [],
    notes: [],
  };
  let reader = targetReader(t);
  const argv = ['nginx', '-T', '-c', conf, ...(o.nginxPrefix ? ['-p', o.nginxPrefix] : [])];
  const run = await t.run(argv, { timeoutMs: ctx.commandTimeoutMs });
  // Unprivileged, nginx -T stops at a file it may not open (the pid file, a log, a key: "(13: Permission
  // denied)"): that says nothing about the configuration, so the files are read instead.
  const denied = run.ok && run.code !== 0 && /\(13: Permission denied\)/.test(run.stderr);
  if (denied)
    server.notes.push(`${run.command} was denied access (${run.stderr.trim().split('\n').pop() ?? ''}): the files were read instead`);
  else if (run.ok && run.code !== 0) {
    const e = parseNginxError(run.stderr);
    server.configFrom = run.command;
    server.config = {
      status: 'invalid',
      reason: e?.message ?? run.stderr.trim().split('\n').pop() ?? `exit ${run.code}`,
      source: e?.path ? { path: e.path, line: e.line ?? 0, command: run.command } : { command: run.command },
    };
  } else if (run.ok) {
    const dump = parseNginxDump(run.stdout);
    const map = new Map(dump.map((f) => [f.path, f.text]));
    server.configFrom = run.command;
    reader = {
      read: (p) =>
        Promise.resolve(map.has(p) ? { ok: true, text: map.get(p)! } : { ok: false, message: `${p} is not in the nginx -T output` }),
      glob: (p) => Promise.resolve(globPaths(p, [...map.keys()])),
    };
  } else if (run.reason !== 'offline') server.notes.push(`${run.command} could not run (${run.message}): the files were read instead`);
  const loaded = await loadNginx(reader, conf, prefix);
  server.files = loaded.files;
  const err = loaded.errors[0];
  if (server.config.status === 'ok' && err) {
    const unreadable = err.line === 0 && !/does not exist/.test(err.message);
    server.config = {
      status: unreadable ? 'unreadable' : 'invalid',
      reason: err.message,
      source: { path: err.path, ...(err.line > 0 ? { line: err.line } : {}) },
    };
  }
  for (const s of nginxSites(loaded.directives, prefix)) {
    const { certificatePath, ...site } = s;
    if (certificatePath) site.certificate = await readCertificate(t, certificatePath);
    server.sites.push(site);
  }
  return server;
}

async function collectApache(ctx: CollectContext): Promise<WebServer | null> {
  const t = ctx.target;
  const ev = await installed(t, ['/usr/sbin/apache2'], ['apache2', 'apache2-bin']);
  if (!ev) return null;
  const root = '/etc/apache2';
  const server: WebServer = {
    kind: 'apache',
    installedEvidence: ev,
    configFrom: 'files',
    config: { status: 'ok' },
    files: [],
    sites: [],
    notes: ['Apache: Include/IncludeOptional expanded, <IfModule>/<If> sections read as if true'],
  };
  const lines: ApacheLine[] = [];
  const load = async (path: string, depth: number) => {
    const r = await t.readText(path, { maxBytes: MAX_CONF });
    if (!r.ok || depth > MAX_INCLUDE_DEPTH) return;
    server.files.push(path);
    for (const d of parseApacheLines(r.text, path)) {
      if (d.name === 'include' || d.name === 'includeoptional') {
        const pat = posix.resolve(root, d.args[0] ?? '');
        for (const m of /[*?[]/.test(pat) ? await t.glob(pat) : [pat]) await load(m, depth + 1);
      } else lines.push(d);
    }
  };
  await load(`${root}/apache2.conf`, 0);
  if (server.files.length === 0)
    server.config = { status: 'unreadable', reason: `${root}/apache2.conf cannot be read`, source: { path: `${root}/apache2.conf` } };
  for (const s of apacheSites(lines)) {
    const { certificatePath, ...site } = s;
    if (certificatePath) site.certificate = await readCertificate(t, certificatePath);
    server.sites.push(site);
  }
  return server;
}

async function collectCaddy(ctx: CollectContext): Promise<WebServer | null> {
  const t = ctx.target;
  const ev = await installed(t, ['/usr/bin/caddy'], ['caddy']);
  if (!ev) return null;
  const path = '/etc/caddy/Caddyfile';
  const server: WebServer = {
    kind: 'caddy',
    installedEvidence: ev,
    configFrom: 'files',
    config: { status: 'ok' },
    files: [],
    sites: [],
    notes: [],
  };
  const r = await t.readText(path, { maxBytes: MAX_CONF });
  if (!r.ok) {
    server.config = { status: r.error === 'missing' ? 'invalid' : 'unreadable', reason: r.message, source: { path } };
    return server;
  }
  server.files.push(path);
  const c = caddySites(r.text, path);
  server.sites = c.sites;
  const e = c.errors[0];
  if (e) server.config = { status: 'invalid', reason: e.message, source: { path, line: e.line } };
  return server;
}

function certFields(c: PeerCertificate | null): Pick<TlsProbe, 'subject' | 'san' | 'notAfter'> {
  if (!c || Object.keys(c).length === 0) return { subject: null, san: [], notAfter: null };
  const d = new Date(c.valid_to);
  const subject = c.subject
    ? Object.entries(c.subject)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')
    : null;
  return {
    subject,
    san: (c.subjectaltname ?? '').split(/,\s*/).filter(Boolean),
    notAfter: Number.isNaN(d.getTime()) ? null : d.toISOString(),
  };
}

/** A TLS handshake with 127.0.0.1:port (certificate not verified: it is recorded and judged). */
export function probeTls(t: Target, port: number, servername: string | null, timeoutMs: number): Promise<TlsProbe> {
  const command = `TLS handshake with ${PROBE_ADDRESS}:${port}${servername ? ` (SNI ${servername})` : ''}`;
  const base: TlsProbe = {
    address: PROBE_ADDRESS,
    port,
    servername,
    state: 'error',
    protocol: null,
    cipher: null,
    subject: null,
    san: [],
    notAfter: null,
    legacy: null,
    detail: '',
    source: { command },
  };
  return new Promise((resolve) => {
    void tlsOver(t, port, { rejectUnauthorized: false, ...(servername ? { servername } : {}) }, timeoutMs).then((c) => {
      if (!c.ok) {
        resolve({
          ...base,
          state: c.refused ? 'closed' : 'error',
          detail: c.refused ? `nothing listens on ${PROBE_ADDRESS}:${port}` : c.message,
        });
        return;
      }
      const s = c.socket;
      s.once('secureConnect', () => {
        const cipher = s.getCipher();
        const res: TlsProbe = {
          ...base,
          state: 'ok',
          protocol: s.getProtocol(),
          cipher: cipher.name,
          ...certFields(s.getPeerCertificate()),
          detail: `${s.getProtocol() ?? '?'} ${cipher.name}`,
        };
        s.destroy();
        void probeLegacy(t, port, servername, timeoutMs).then((legacy) => resolve({ ...res, legacy }));
      });
      s.once('timeout', () => {
        s.destroy();
        resolve({ ...base, detail: `no TLS handshake within ${timeoutMs} ms` });
      });
      s.once('error', (e: NodeJS.ErrnoException) =>
        resolve({
          ...base,
          state: e.code === 'ECONNREFUSED' ? 'closed' : 'error',
          detail: e.code === 'ECONNREFUSED' ? `nothing listens on ${PROBE_ADDRESS}:${port}` : e.message,
        }),
      );
    });
  });
}

type TlsOver = { ok: true; socket: TLSSocket } | { ok: false; refused: boolean; message: string };

/**
 * A TLS client over a stream to PROBE_ADDRESS:port on the target, idle timeout armed. A connect
 * that times out is a `timeout` event on the returned socket's behalf: reported as the handshake's.
 */
async function tlsOver(t: Target, port: number, opts: ConnectionOptions, timeoutMs: number): Promise<TlsOver> {
  const c = await t.connect({ host: PROBE_ADDRESS, port }, { timeoutMs });
  if (!c.ok) {
    if (c.reason === 'timeout') return { ok: false, refused: false, message: `no TLS handshake within ${timeoutMs} ms` };
    return { ok: false, refused: c.reason === 'refused', message: c.message };
  }
  // host: the name checked and sent as SNI is as if connected to PROBE_ADDRESS itself (an IP: no SNI).
  const socket = connect({ ...opts, host: PROBE_ADDRESS, socket: c.stream });
  socket.setTimeout(timeoutMs);
  return { ok: true, socket };
}

/** Whether the server completes a TLS 1.0/1.1 handshake (client at OpenSSL security level 0). */
async function probeLegacy(t: Target, port: number, servername: string | null, timeoutMs: number): Promise<'accepted' | 'refused'> {
  const c = await tlsOver(
    t,
    port,
    {
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
      ...(servername ? { servername } : {}),
    },
    timeoutMs,
  );
  if (!c.ok) return 'refused';
  const s = c.socket;
  return new Promise((resolve) => {
    const done = (r: 'accepted' | 'refused') => {
      s.destroy();
      resolve(r);
    };
    s.once('secureConnect', () => done('accepted'));
    s.once('timeout', () => done('refused'));
    s.once('error', () => done('refused'));
  });
}

/** A plain HTTP GET / to 127.0.0.1:port; redirects are recorded, not followed. */
export function probeHttp(t: Target, port: number, host: string | null, timeoutMs: number): Promise<HttpProbe> {
  const command = `HTTP GET http://${PROBE_ADDRESS}:${port}/${host ? ` (Host: ${host})` : ''}`;
  const base: HttpProbe = { address: PROBE_ADDRESS, port, state: 'error', status: null, location: null, detail: '', source: { command } };
  return new Promise((resolve) => {
    const req = request(
      {
        host: PROBE_ADDRESS,
        port,
        path: '/',
        method: 'GET',
        timeout: timeoutMs,
        headers: host ? { Host: host } : {},
        createConnection: targetConnection(t, { host: PROBE_ADDRESS, port }, timeoutMs),
      },
      (res) => {
        const loc = res.headers.location ?? null;
        res.resume();
        resolve({
          ...base,
          state: 'ok',
          status: res.statusCode ?? null,
          location: loc,
          detail: `HTTP ${res.statusCode ?? '?'}${loc ? ` Location: ${loc}` : ''}`,
        });
      },
    );
    req.once('timeout', () => {
      req.destroy();
      resolve({ ...base, detail: `no HTTP answer within ${timeoutMs} ms` });
    });
    req.once('error', (e: NodeJS.ErrnoException) =>
      e.code === 'ETIMEDOUT'
        ? resolve({ ...base, detail: `no HTTP answer within ${timeoutMs} ms` })
        : resolve({
            ...base,
            state: e.code === 'ECONNREFUSED' ? 'closed' : 'error',
            detail: e.code === 'ECONNREFUSED' ? `nothing listens on ${PROBE_ADDRESS}:${port}` : e.message,
          }),
    );
    req.end();
  });
}

const usableName = (n: string) =>
  n !== '' && n !== '_' && n !== 'localhost' && !/[*~$]/.test(n) && !n.startsWith(':') && !n.includes('://');

export async function collectWeb(ctx: CollectContext, o: WebOptions = {}) {
  const servers = (await Promise.all([collectNginx(ctx, o), collectApache(ctx), collectCaddy(ctx)])).filter(
    (s): s is WebServer => s !== null,
  );
  if (servers.length === 0) return absent<WebFacts>('no web server is installed (nginx, Apache, Caddy: no binary, no package)');
  const ports = { https: o.httpsPort ?? 443, http: o.httpPort ?? 80 };
  let probe: WebFacts['probe'] = null;
  if (ctx.target.live) {
    const sites: WebSite[] = servers.flatMap((s) => s.sites);
    const name =
      sites
        .filter((s) => s.tlsPorts.some((p) => p.port === ports.https))
        .flatMap((s) => s.names)
        .find(usableName) ?? null;
    const timeout = o.probeTimeoutMs ?? Math.min(ctx.commandTimeoutMs, 5000);
    const [https, http] = await Promise.all([
      probeTls(ctx.target, ports.https, name, timeout),
      probeHttp(ctx.target, ports.http, name, timeout),
    ]);
    probe = { https, http };
  }
  return collected<WebFacts>({ servers, ports, probe });
}

export const webCollector = defineCollector({
  key: 'web',
  gathers: { files: [DPKG_GATHER], paths: ['/usr/sbin/nginx', '/usr/sbin/apache2', '/usr/bin/caddy'] },
  collect: (ctx) => collectWeb(ctx),
});
