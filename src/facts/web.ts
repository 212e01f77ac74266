import type { Source } from './evidence.js';

export type WebServerKind = 'nginx' | 'apache' | 'caddy';

export interface CertificateInfo {
  /** Target path of the PEM file (null: managed by the server, e.g. Caddy's ACME store). */
  path: string | null;
  /** Where the configuration names it. */
  source: Source;
  subject: string | null;
  san: string[];
  /** ISO 8601. */
  notAfter: string | null;
  error: string | null;
}

/** One nginx server block, Apache VirtualHost or Caddy site. */
export interface WebSite {
  names: string[];
  source: Source;
  /** Ports served with TLS, each with the line that says so. */
  tlsPorts: { port: number; source: Source }[];
  /** Ports served in plain HTTP. */
  plainPorts: { port: number; source: Source }[];
  /** Effective TLS protocols (for TLS sites): the directive or the server's built-in default. */
  protocols: { value: string[]; source: Source } | null;
  certificate: CertificateInfo | null;
  /** A site-wide redirect to https (return 301 https://…, Redirect permanent / https://…, Caddy's automatic redirect). */
  redirect: { status: number; target: string; source: Source } | null;
}

export interface WebServer {
  kind: WebServerKind;
  installedEvidence: Source;
  /** 'nginx -T' (the server's own view) or 'files'. */
  configFrom: string;
  config:
    | { status: 'ok' }
    /** The server rejects it (nginx -t) or it cannot be parsed. */
    | { status: 'invalid'; reason: string; source: Source }
    | { status: 'unreadable'; reason: string; source: Source };
  files: string[];
  sites: WebSite[];
  notes: string[];
}

export interface TlsProbe {
  address: string;
  port: number;
  servername: string | null;
  state: 'ok' | 'closed' | 'error';
  protocol: string | null;
  cipher: string | null;
  subject: string | null;
  san: string[];
  notAfter: string | null;
  /** Whether a TLS 1.0/1.1 handshake (client at OpenSSL security level 0) succeeds. */
  legacy: 'accepted' | 'refused' | null;
  detail: string;
  source: Source;
}

export interface HttpProbe {
  address: string;
  port: number;
  state: 'ok' | 'closed' | 'error';
  status: number | null;
  location: string | null;
  detail: string;
  source: Source;
}

export interface WebFacts {
  servers: WebServer[];
  /** The ports that count as HTTPS and HTTP (443 and 80; tests point them elsewhere). */
  ports: { https: number; http: number };
  /** Live probes of 127.0.0.1; null offline. */
  probe: { https: TlsProbe; http: HttpProbe } | null;
}
