/** A log destination as written in a shipper's config: host and port only (credentials, paths and query strings are dropped). */
export interface Endpoint {
  host: string;
  port: number | null;
  scheme: string | null;
}

/**
 * Parses "host", "host:port", "[v6]:port", "scheme://user:secret@host:port/path?token=…". The user
 * info, path and query never leave this function: they may hold credentials.
 */
export function parseEndpoint(text: string): Endpoint | null {
  let s = text.trim().replace(/^["']|["']$/g, '');
  if (s === '') return null;
  let scheme: string | null = null;
  const sm = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  if (sm) {
    scheme = sm[1]!.toLowerCase();
    s = s.slice(sm[0].length);
  }
  s = s.replace(/[/?#].*$/s, '');
  const at = s.lastIndexOf('@');
  if (at !== -1) s = s.slice(at + 1);
  let host: string;
  let port: number | null = null;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    host = v6[1]!;
    port = v6[2] ? Number(v6[2]) : null;
  } else if ((s.match(/:/g) ?? []).length > 1) host = s;
  else {
    const hp = /^([^:]*)(?::(\d*))?$/.exec(s);
    if (!hp) return null;
    host = hp[1]!;
    port = hp[2] ? Number(hp[2]) : null;
  }
  if (host === '' || /[\s"'${}]/.test(host)) return host.startsWith('${') ? { host, port, scheme } : null;
  return { host: host.toLowerCase(), port, scheme };
}

const LOOPBACK_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
  '0.0.0.0',
  '::',
  '::1',
  '0:0:0:0:0:0:0:1',
]);

/** Loopback (or unspecified) addresses and names: logs sent there stay on the host. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(h)) return true;
  return /^::ffff:127\./.test(h);
}
