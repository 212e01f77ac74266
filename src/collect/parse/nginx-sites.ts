import { posix } from 'node:path';
import type { Source } from '../../facts/evidence.js';
import type { WebSite } from '../../facts/web.js';
import type { NginxDirective } from './nginx.js';

/**
 * nginx 1.22 built-in default of ssl_protocols (ngx_http_ssl_module.c merge: TLSv1 TLSv1.1 TLSv1.2;
 * TLSv1.3 became part of the default in 1.23.4). Debian's nginx.conf sets it explicitly in http{}.
 */
export const NGINX_DEFAULT_PROTOCOLS = ['TLSv1', 'TLSv1.1', 'TLSv1.2'];
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

export interface NginxSite extends WebSite {
  /** ssl_certificate as configured, resolved against the configuration prefix (null: none). */
  certificatePath: { path: string; source: Source } | null;
}

const at = (d: NginxDirective, excerpt?: string): Source => ({
  path: d.path,
  line: d.line,
  excerpt: excerpt ?? [d.name, ...d.args].join(' '),
});
const last = (ds: NginxDirective[], name: string) => [...ds].reverse().find((d) => d.name === name) ?? null;

/** The port of a listen address ("443", "*:443", "[::]:443", "127.0.0.1", "unix:…" → null). */
export function listenPort(addr: string): number | null {
  if (addr.startsWith('unix:')) return null;
  const m = /^(?:\[[^\]]*\]|[^:]*:)?(\d+)$/.exec(addr) ?? /^\[[^\]]*\]:(\d+)$/.exec(addr);
  if (m) return Number(m[1]);
  return 80;
}

function redirectOf(ds: NginxDirective[]): WebSite['redirect'] {
  for (const d of ds) {
    if (d.name === 'return') {
      const [a, b] = d.args;
      const code = b !== undefined ? Number(a) : 302;
      const url = b ?? a ?? '';
      if (REDIRECT_CODES.has(code) && /^https:\/\//i.test(url)) return { status: code, target: url, source: at(d) };
    }
    if (d.name === 'rewrite' && /^https:\/\//i.test(d.args[1] ?? '') && ['permanent', 'redirect'].includes(d.args[2] ?? '')) {
      return { status: d.args[2] === 'permanent' ? 301 : 302, target: d.args[1]!, source: at(d) };
    }
  }
  return null;
}

/** The server blocks of the http{} context (includes already expanded), with inherited ssl settings. */
export function nginxSites(top: NginxDirective[], confPrefix: string): NginxSite[] {
  const sites: NginxSite[] = [];
  for (const http of top.filter((d) => d.name === 'http' && d.block)) {
    const h = http.block!;
    const httpProtocols = last(h, 'ssl_protocols');
    const httpCert = last(h, 'ssl_certificate');
    const httpSslOn = last(h, 'ssl')?.args[0] === 'on';
    for (const s of h.filter((d) => d.name === 'server' && d.block)) {
      const b = s.block!;
      const sslOn = httpSslOn || last(b, 'ssl')?.args[0] === 'on';
      const listens = b.filter((d) => d.name === 'listen');
      const tlsPorts: WebSite['tlsPorts'] = [];
      const plainPorts: WebSite['plainPorts'] = [];
      if (listens.length === 0)
        plainPorts.push({ port: 80, source: { ...at(s, 'server {'), note: 'no listen directive: nginx default *:80' } });
      for (const l of listens) {
        const port = listenPort(l.args[0] ?? '');
        if (port === null) continue;
        (sslOn || l.args.includes('ssl') ? tlsPorts : plainPorts).push({ port, source: at(l) });
      }
      const protocols = last(b, 'ssl_protocols') ?? httpProtocols;
      const cert = last(b, 'ssl_certificate') ?? httpCert;
      const loc = b.find((d) => d.name === 'location' && d.block && d.args.length === 1 && d.args[0] === '/');
      sites.push({
        names: b.filter((d) => d.name === 'server_name').flatMap((d) => d.args),
        source: at(s, 'server {'),
        tlsPorts,
        plainPorts,
        protocols:
          tlsPorts.length === 0
            ? null
            : protocols
              ? { value: protocols.args, source: at(protocols) }
              : {
                  value: NGINX_DEFAULT_PROTOCOLS,
                  source: { note: `nginx 1.22 default ssl_protocols ${NGINX_DEFAULT_PROTOCOLS.join(' ')}` },
                },
        certificate: null,
        certificatePath: cert && tlsPorts.length > 0 ? { path: posix.resolve(confPrefix, cert.args[0] ?? ''), source: at(cert) } : null,
        redirect: redirectOf(b) ?? (loc ? redirectOf(loc.block!) : null),
      });
    }
  }
  return sites;
}
