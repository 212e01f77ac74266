import type { WebSite } from '../../facts/web.js';

/**
 * Caddyfile sites (https://caddyserver.com/docs/automatic-https): a site with a host name or :443
 * gets a certificate and an HTTP→HTTPS redirect automatically; http:// or :80 sites are plain;
 * `auto_https off` / `disable_redirects` in the global options turn that off. Caddy's minimum
 * protocol is TLS 1.2 unless `tls { protocols … }` says otherwise.
 */
export function caddySites(text: string, path: string): { sites: WebSite[]; errors: { line: number; message: string }[] } {
  const sites: WebSite[] = [];
  const errors: { line: number; message: string }[] = [];
  const lines = text.split('\n');
  let depth = 0;
  let autoHttps = 'on';
  let cur: { site: WebSite; redirect: boolean } | null = null;
  for (const [i, raw] of lines.entries()) {
    const l = raw.replace(/(^|\s)#.*$/, '').trim();
    const line = i + 1;
    if (l === '') continue;
    const opens = (l.match(/\{/g) ?? []).length;
    const closes = (l.match(/\}/g) ?? []).length;
    if (depth === 0 && l === '{') {
      depth = 1;
      cur = null;
      continue;
    }
    if (depth === 1 && !cur) {
      const m = /^auto_https\s+(\S+)/.exec(l);
      if (m) autoHttps = m[1]!;
    }
    if (depth === 0 && opens > 0 && !l.startsWith('(')) {
      const addrs = l
        .replace(/\{.*$/, '')
        .split(/[\s,]+/)
        .filter(Boolean);
      const site: WebSite = {
        names: addrs,
        source: { path, line, excerpt: l },
        tlsPorts: [],
        plainPorts: [],
        protocols: null,
        certificate: null,
        redirect: null,
      };
      let tls = false;
      for (const a of addrs) {
        const port = Number(/:(\d+)$/.exec(a)?.[1] ?? NaN);
        if (a.startsWith('http://') || port === 80) site.plainPorts.push({ port: Number.isNaN(port) ? 80 : port, source: site.source });
        else {
          tls = autoHttps !== 'off';
          (tls ? site.tlsPorts : site.plainPorts).push({ port: Number.isNaN(port) ? (tls ? 443 : 80) : port, source: site.source });
        }
      }
      if (tls) {
        site.protocols = { value: ['TLSv1.2', 'TLSv1.3'], source: { note: 'Caddy default TLS protocols tls1.2 tls1.3' } };
        site.certificate = {
          path: null,
          source: { ...site.source, note: 'certificate managed by Caddy (automatic HTTPS)' },
          subject: null,
          san: [],
          notAfter: null,
          error: null,
        };
        if (autoHttps !== 'disable_redirects') {
          site.plainPorts.push({ port: 80, source: { ...site.source, note: 'Caddy automatic HTTP→HTTPS redirect listener' } });
          site.redirect = {
            status: 308,
            target: `https://${addrs[0] ?? ''}`,
            source: { ...site.source, note: 'Caddy automatic HTTPS redirects HTTP with 308' },
          };
        }
      }
      cur = { site, redirect: tls };
      sites.push(site);
    } else if (cur && depth >= 1) {
      const p = /^protocols\s+(\S+)(?:\s+(\S+))?/.exec(l);
      if (p && cur.site.protocols) {
        const map = (s: string) => s.replace(/^tls/, 'TLSv');
        const all = ['TLSv1.2', 'TLSv1.3'];
        const min = map(p[1]!);
        const max = p[2] ? map(p[2]) : 'TLSv1.3';
        cur.site.protocols = { value: all.filter((x) => x >= min && x <= max), source: { path, line, excerpt: l } };
      }
    }
    depth += opens - closes;
    if (depth < 0) {
      errors.push({ line, message: 'unexpected "}"' });
      depth = 0;
    }
    if (depth === 0) cur = null;
  }
  if (depth !== 0) errors.push({ line: lines.length, message: 'unexpected end of file, expecting "}"' });
  return { sites, errors };
}
