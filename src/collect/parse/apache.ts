import type { Source } from '../../facts/evidence.js';
import type { WebSite } from '../../facts/web.js';

/** A line directive of an Apache configuration, with the <VirtualHost> it is in (includes expanded by the collector). */
export interface ApacheLine {
  name: string;
  args: string[];
  path: string;
  line: number;
}

export function parseApacheLines(text: string, path: string): ApacheLine[] {
  const out: ApacheLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!.trim();
    const start = i + 1;
    while (l.endsWith('\\') && i + 1 < lines.length) l = l.slice(0, -1) + ' ' + lines[++i]!.trim();
    if (l === '' || l.startsWith('#')) continue;
    const words = [...l.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
    out.push({ name: words[0]!.toLowerCase(), args: words.slice(1), path, line: start });
  }
  return out;
}

/** mod_ssl: "all" is every protocol OpenSSL offers (SSLv3 is gone from Debian 12's OpenSSL). */
const ALL = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
/** Apache 2.4 mod_ssl default when SSLProtocol is not set. */
export const APACHE_DEFAULT_PROTOCOLS = 'all -SSLv3';

export function apacheProtocols(spec: string[]): string[] {
  let set = new Set<string>();
  for (const raw of spec) {
    const op = raw[0] === '+' || raw[0] === '-' ? raw[0] : null;
    const name = op ? raw.slice(1) : raw;
    const names = name.toLowerCase() === 'all' ? ALL : [name.replace(/^tlsv/i, 'TLSv').replace(/^sslv/i, 'SSLv')];
    if (!op) set = new Set(names);
    else
      for (const n of names) {
        if (op === '+') set.add(n);
        else set.delete(n);
      }
  }
  return ALL.filter((p) => set.has(p)).concat([...set].filter((p) => !ALL.includes(p)));
}

const at = (d: ApacheLine): Source => ({ path: d.path, line: d.line, excerpt: [d.name, ...d.args].join(' ') });

export interface ApacheSite extends WebSite {
  certificatePath: { path: string; source: Source } | null;
}

/** <VirtualHost> sections (the directive stream of the whole config, in read order). */
export function apacheSites(lines: ApacheLine[]): ApacheSite[] {
  const sites: ApacheSite[] = [];
  let globalProto: ApacheLine | null = null;
  let cur: { open: ApacheLine; body: ApacheLine[] } | null = null;
  for (const d of lines) {
    if (d.name.startsWith('<virtualhost')) {
      cur = { open: d, body: [] };
      continue;
    }
    if (d.name === '</virtualhost>' && cur) {
      const b = cur.body;
      const last = (n: string) => [...b].reverse().find((x) => x.name === n) ?? null;
      const ssl = last('sslengine')?.args[0]?.toLowerCase() === 'on';
      const addrs = [
        cur.open.args.join(' ').replace(/>$/, ''),
        ...(cur.open.name.length > 12 ? [cur.open.name.slice(12).replace(/>$/, '')] : []),
      ];
      const ports = addrs
        .flatMap((a) => a.split(/\s+/))
        .map((a) => Number(/:(\d+)$/.exec(a)?.[1] ?? NaN))
        .filter((n) => !Number.isNaN(n));
      const src = at(cur.open);
      const proto = last('sslprotocol') ?? globalProto;
      const cert = last('sslcertificatefile');
      let redirect: WebSite['redirect'] = null;
      for (const x of b) {
        if (x.name === 'redirect' || x.name === 'redirectpermanent') {
          const hasStatus = x.args.length >= 3;
          const status =
            x.name === 'redirectpermanent'
              ? 301
              : hasStatus
                ? (({ permanent: 301, temp: 302, seeother: 303 } as Record<string, number>)[x.args[0]!.toLowerCase()] ?? Number(x.args[0]))
                : 302;
          const [path, url] = hasStatus ? [x.args[1], x.args[2]] : [x.args[0], x.args[1]];
          if (path === '/' && /^https:\/\//i.test(url ?? '')) redirect = { status, target: url!, source: at(x) };
        }
        if (x.name === 'rewriterule' && /^https:\/\//i.test(x.args[1] ?? '') && /R(=\d+)?/.test(x.args[2] ?? '')) {
          redirect = { status: Number(/R=(\d+)/.exec(x.args[2]!)?.[1] ?? 302), target: x.args[1]!, source: at(x) };
        }
      }
      sites.push({
        names: b.filter((x) => x.name === 'servername' || x.name === 'serveralias').flatMap((x) => x.args),
        source: src,
        tlsPorts: ssl ? ports.map((port) => ({ port, source: src })) : [],
        plainPorts: ssl ? [] : ports.map((port) => ({ port, source: src })),
        protocols: ssl
          ? proto
            ? { value: apacheProtocols(proto.args), source: at(proto) }
            : {
                value: apacheProtocols(APACHE_DEFAULT_PROTOCOLS.split(' ')),
                source: { note: `mod_ssl default SSLProtocol ${APACHE_DEFAULT_PROTOCOLS}` },
              }
          : null,
        certificate: null,
        certificatePath: ssl && cert ? { path: cert.args[0] ?? '', source: at(cert) } : null,
        redirect,
      });
      cur = null;
      continue;
    }
    if (cur) cur.body.push(d);
    else if (d.name === 'sslprotocol') globalProto = d;
  }
  return sites;
}
